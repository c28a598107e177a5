"""Imports' SQL: the named queries of ``db/queries/imports.sql``, typed."""

from __future__ import annotations

from uuid import UUID

from chalicelib import db
from chalicelib.db import Conn
from chalicelib.imports.records import Applying, Batch, EntryRow, ImportRow, MediaKind, UnmatchedItem, UploadRow

MATCH_STEPS = ("imports_match_episode_imdb", "imports_match_imdb", "imports_match_tmdb", "imports_match_igdb",
               "imports_match_hint", "imports_match_title")
APPLY_STEPS = ("imports_apply_watched", "imports_apply_ratings", "imports_apply_watch_later",
               "imports_apply_favorites")


# --- imports and uploads ---------------------------------------------------------------------------


def create(conn: Conn, *, import_id: UUID, user_id: UUID, format: str, filename: str, object_key: str,
           size_bytes: int) -> ImportRow:
    return db.queries().imports_create(conn, import_id=import_id, user_id=user_id, format=format, filename=filename,
                                       object_key=object_key, size_bytes=size_bytes)


def get(conn: Conn, *, user_id: UUID, import_id: UUID) -> ImportRow | None:
    return db.queries().imports_get(conn, user_id=user_id, import_id=import_id)


def get_any(conn: Conn, *, import_id: UUID) -> ImportRow | None:
    return db.queries().imports_get_any(conn, import_id=import_id)


def page(conn: Conn, *, user_id: UUID, limit: int, offset: int) -> list[ImportRow]:
    return list(db.queries().imports_list(conn, user_id=user_id, limit=limit, offset=offset))


def count(conn: Conn, *, user_id: UUID) -> int:
    return db.queries().imports_count(conn, user_id=user_id)


def fail(conn: Conn, *, import_id: UUID, error: str) -> None:
    db.queries().imports_fail(conn, import_id=import_id, error=error)


def lock_user(conn: Conn, *, user_id: UUID) -> None:
    db.queries().imports_lock_user(conn, user_id=user_id)


def active_count(conn: Conn, *, user_id: UUID) -> int:
    return db.queries().imports_active_count(conn, user_id=user_id)


def create_upload(conn: Conn, *, upload_id: UUID, user_id: UUID, format: str, filename: str, object_key: str,
                  max_bytes: int, ttl_seconds: int) -> UploadRow:
    return db.queries().imports_create_upload(conn, upload_id=upload_id, user_id=user_id, format=format,
                                              filename=filename, object_key=object_key, max_bytes=max_bytes,
                                              ttl_seconds=ttl_seconds)


def claim_upload(conn: Conn, *, upload_id: UUID, user_id: UUID) -> UploadRow | None:
    return db.queries().imports_claim_upload(conn, upload_id=upload_id, user_id=user_id)


# --- reading --------------------------------------------------------------------------------------


def lock_parsing(conn: Conn, *, import_id: UUID) -> ImportRow | None:
    return db.queries().imports_lock_parsing(conn, import_id=import_id)


def insert_rows(conn: Conn, *, import_id: UUID, rows: str) -> None:
    """``rows``: a JSON array of ``Row.record`` objects."""
    db.queries().imports_insert_rows(conn, import_id=import_id, rows=rows)


def save_cursor(conn: Conn, *, import_id: UUID, rows_read: int, skipped: int, skipped_rows: str) -> None:
    db.queries().imports_save_cursor(conn, import_id=import_id, rows_read=rows_read, skipped=skipped,
                                     skipped_rows=skipped_rows)


def finish_read(conn: Conn, *, import_id: UUID) -> None:
    db.queries().imports_finish_read(conn, import_id=import_id)


def reset_rows(conn: Conn, *, import_id: UUID) -> None:
    db.queries().imports_reset_rows(conn, import_id=import_id)


# --- matching and the preview -----------------------------------------------------------------------


def analyze_rows(conn: Conn) -> None:
    db.queries().imports_analyze_rows(conn)


def match_exact(conn: Conn, *, import_id: UUID) -> None:
    """Ids, then exact titles (``MATCH_STEPS``, in order)."""
    q = db.queries()
    for step in MATCH_STEPS:
        getattr(q, step)(conn, import_id=import_id)


def match_trigram(conn: Conn, *, import_id: UUID, size: int) -> int:
    """Inside a transaction: the next ``size`` keys by trigram similarity; the rows touched."""
    q = db.queries()
    q.imports_trigram_threshold(conn)
    return q.imports_match_trigram(conn, import_id=import_id, size=size)


def match_episodes(conn: Conn, *, import_id: UUID) -> None:
    db.queries().imports_match_episodes(conn, import_id=import_id)


def match_settle(conn: Conn, *, import_id: UUID) -> None:
    db.queries().imports_match_settle(conn, import_id=import_id)


def finish_parse(conn: Conn, *, import_id: UUID, from_status: str) -> UUID | None:
    """The preview counts computed; None when the import is no longer in ``from_status``."""
    row = db.queries().imports_finish_parse(conn, import_id=import_id, from_status=from_status)
    return row["id"] if row is not None else None


def unmatched(conn: Conn, *, import_id: UUID, limit: int) -> list[UnmatchedItem]:
    return list(db.queries().imports_unmatched(conn, import_id=import_id, limit=limit))


def lock_owned(conn: Conn, *, user_id: UUID, import_id: UUID) -> ImportRow | None:
    return db.queries().imports_lock_owned(conn, user_id=user_id, import_id=import_id)


def entry(conn: Conn, *, import_id: UUID, row_no: int) -> EntryRow | None:
    return db.queries().imports_row(conn, import_id=import_id, row_no=row_no)


def fix_row(conn: Conn, *, import_id: UUID, row_no: int, media_id: int, episode_id: int | None) -> None:
    db.queries().imports_fix_row(conn, import_id=import_id, row_no=row_no, media_id=media_id, episode_id=episode_id)


def media(conn: Conn, *, media_id: int) -> MediaKind | None:
    return db.queries().imports_media(conn, media_id=media_id)


def episode(conn: Conn, *, media_id: int, season_number: int, episode_number: int | None) -> int | None:
    return db.queries().imports_episode(conn, media_id=media_id, season_number=season_number,
                                        episode_number=episode_number)


# --- applying -------------------------------------------------------------------------------------


def start_apply(conn: Conn, *, user_id: UUID, import_id: UUID) -> ImportRow | None:
    return db.queries().imports_start_apply(conn, user_id=user_id, import_id=import_id)


def lock_applying(conn: Conn, *, import_id: UUID) -> Applying | None:
    return db.queries().imports_lock_applying(conn, import_id=import_id)


def next_batch(conn: Conn, *, import_id: UUID, after: int, size: int) -> Batch:
    return db.queries().imports_next_batch(conn, import_id=import_id, after=after, size=size)


def apply_batch(conn: Conn, *, import_id: UUID, user_id: UUID, first_row: int, last_row: int) -> None:
    """Write rows ``first_row``..``last_row`` to the user's history (``APPLY_STEPS``) and mark them applied."""
    q = db.queries()
    for step in APPLY_STEPS:
        getattr(q, step)(conn, import_id=import_id, user_id=user_id, first_row=first_row, last_row=last_row)
    q.imports_mark_applied(conn, import_id=import_id, first_row=first_row, last_row=last_row)


def add_done(conn: Conn, *, import_id: UUID, rows: int, last_row: int) -> None:
    db.queries().imports_add_done(conn, import_id=import_id, rows=rows, last_row=last_row)


def finish_apply(conn: Conn, *, import_id: UUID) -> None:
    db.queries().imports_finish_apply(conn, import_id=import_id)
