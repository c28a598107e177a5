"""Subtitles' SQL: the named queries of ``db/queries/subtitles.sql`` and ``subtitle_sync.sql``, typed."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TypedDict
from uuid import UUID

from chalicelib import db
from chalicelib.db import Conn


class InsertFetchedRow(TypedDict):
    id: UUID
    library_item_id: UUID
    language: str
    label: str | None
    storage_key: str
    source: str
    format: str
    is_default: bool
    is_forced: bool
    external_id: str | None


class ItemRow(TypedDict):
    id: UUID
    oshash: str | None
    media_type: str
    tmdb_id: int
    imdb_id: str
    season_number: int
    episode_number: int
    languages: list[str]


class RecentSearchesRow(TypedDict):
    language: str


class UserLanguagesRow(TypedDict):
    subtitle_language: str | None
    subtitle_languages: list[str]


def insert_fetched(conn: Conn, *, item_id: UUID | str, language: str, label: str, storage_key: str, format: str,
                   external_id: str) -> InsertFetchedRow | None:
    return db.queries().subtitles_insert_fetched(conn, item_id=item_id, language=language, label=label,
                                                 storage_key=storage_key, format=format, external_id=external_id)


def item(conn: Conn, *, item_id: UUID | str) -> ItemRow | None:
    return db.queries().subtitles_item(conn, item_id=item_id)


def mark_searched(conn: Conn, *, item_id: UUID | str, language: str, found: bool) -> int:
    return db.queries().subtitles_mark_searched(conn, item_id=item_id, language=language, found=found)


def recent_searches(conn: Conn, *, item_id: UUID | str, since: datetime) -> list[RecentSearchesRow]:
    return list(db.queries().subtitles_recent_searches(conn, item_id=item_id, since=since))


def user_languages(conn: Conn, *, user_id: UUID | str) -> UserLanguagesRow | None:
    return db.queries().subtitles_user_languages(conn, user_id=user_id)


# --- sync (db/queries/subtitle_sync.sql) -------------------------------------------------------------------


class SyncTrackRow(TypedDict):
    id: UUID
    library_item_id: UUID
    subtitle_key: str
    track_updated_at: datetime
    source_key: str
    sha256: str | None
    status: str | None
    requested_at: datetime | None


class SyncAppliedRow(TypedDict):
    subtitle_id: UUID
    status: str


class SyncStateRow(TypedDict):
    subtitle_id: UUID
    status: str
    offset_seconds: Decimal | None
    output_key: str | None
    synced_at: datetime | None
    error: str | None
    current: bool


class OffsetRow(TypedDict):
    subtitle_id: UUID
    offset_seconds: Decimal


def sync_track_for_update(conn: Conn, *, item_id: UUID, subtitle_id: UUID) -> SyncTrackRow | None:
    """The track with its last sync, locked to the end of the transaction: the lock first, then the read (in
    one statement, a request that waited for another's lock read the sync from before it: 3 of 6 parallel
    requests were queued)."""
    if db.queries().subsync_lock_track(conn, item_id=item_id, subtitle_id=subtitle_id) is None:
        return None
    return db.queries().subsync_track(conn, item_id=item_id, subtitle_id=subtitle_id)


def sync_track_exists(conn: Conn, *, item_id: UUID, subtitle_id: UUID) -> bool:
    return bool(db.queries().subsync_track_exists(conn, item_id=item_id, subtitle_id=subtitle_id))


def sync_open_count(conn: Conn, *, user_id: UUID, since: datetime) -> int:
    return int(db.queries().subsync_open_count(conn, user_id=user_id, since=since) or 0)


def sync_request(conn: Conn, *, subtitle_id: UUID, item_id: UUID, user_id: UUID, source_key: str,
                 subtitle_key: str, output_prefix: str, track_updated_at: datetime) -> None:
    db.queries().subsync_request(conn, subtitle_id=subtitle_id, item_id=item_id, user_id=user_id,
                                 source_key=source_key, subtitle_key=subtitle_key, output_prefix=output_prefix,
                                 track_updated_at=track_updated_at)


def sync_apply(conn: Conn, *, subtitle_id: UUID, source_key: str, subtitle_key: str, status: str,
               offset_seconds: float | None, output_key: str | None, error: str | None,
               sent_at: datetime) -> SyncAppliedRow | None:
    return db.queries().subsync_apply(conn, subtitle_id=subtitle_id, source_key=source_key,
                                      subtitle_key=subtitle_key, status=status, offset_seconds=offset_seconds,
                                      output_key=output_key, error=error, sent_at=sent_at)


def syncs_of_item(conn: Conn, *, item_id: UUID) -> list[SyncStateRow]:
    return list(db.queries().subsync_of_item(conn, item_id=item_id))


def set_offset(conn: Conn, *, user_id: UUID, subtitle_id: UUID, item_id: UUID, offset_seconds: Decimal) -> None:
    db.queries().subsync_set_offset(conn, user_id=user_id, subtitle_id=subtitle_id, item_id=item_id,
                                    offset_seconds=offset_seconds)


def offsets_of(conn: Conn, *, user_id: UUID, item_id: UUID) -> list[OffsetRow]:
    return list(db.queries().subsync_offsets_of(conn, user_id=user_id, item_id=item_id))
