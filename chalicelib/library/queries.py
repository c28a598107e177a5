"""The library's SQL: the named queries of ``db/queries/library.sql``, ``library_versions.sql``,
``media.sql`` and ``media_analysis.sql``, typed (rows in ``library/rows.py``).

JSON parameters are wrapped here, so callers pass plain lists and dicts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from uuid import UUID

from psycopg.types.json import Jsonb

from chalicelib import db
from chalicelib.contentrating import Limit, sql_params
from chalicelib.db import Conn
from chalicelib.library.rows import (
    AnalysisRow,
    CardRow,
    DetailRow,
    EpisodeRow,
    ItemRow,
    JobLinkRow,
    KeyIndexedRow,
    MatchCandidate,
    MediaRow,
    NextEpisodeRow,
    ResumeRow,
    ScanRow,
    SeasonFileRow,
    SegmentRow,
    ShowEpisodeRow,
    SlotHolderRow,
    StreamRow,
    SubtitleRow,
    TitleCandidateRow,
    TitleRow,
    VariantRow,
    VersionRow,
    WaitingRow,
)

# --- indexing (library.file_indexed) ------------------------------------------------------------


def lock_item_by_key(conn: Conn, *, storage_key: str) -> ItemRow | None:
    return db.queries().library_lock_item_by_key(conn, storage_key=storage_key)


def upsert_item(conn: Conn, *, storage_key: str, source_path: str, file_name: str, size_bytes: int,
                mtime: datetime | None, sha256: str | None, oshash: str | None, guess: Mapping[str, object],
                probe: Mapping[str, object] | None, probe_error: str | None, container: str | None,
                duration_seconds: float | None, width: int | None, height: int | None, video_codec: str | None,
                audio_codecs: list[str], audio_languages: list[str], source_job_id: UUID | None,
                indexed_at: datetime) -> ItemRow:
    return db.queries().library_upsert_item(
        conn, storage_key=storage_key, source_path=source_path, file_name=file_name, size_bytes=size_bytes,
        mtime=mtime, sha256=sha256, oshash=oshash, guess=Jsonb(guess), probe=Jsonb(probe) if probe else None,
        probe_error=probe_error, container=container, duration_seconds=duration_seconds, width=width,
        height=height, video_codec=video_codec, audio_codecs=audio_codecs, audio_languages=audio_languages,
        source_job_id=source_job_id, indexed_at=indexed_at)


def lock_items_by_keys(conn: Conn, *, keys: list[str]) -> list[KeyIndexedRow]:
    return list(db.queries().library_lock_items_by_keys(conn, keys=keys))


def upsert_items(conn: Conn, *, items: Sequence[Mapping[str, object]]) -> list[ItemRow]:
    """``items``: one JSON object per distinct storage key, named like the columns."""
    return list(db.queries().library_upsert_items(conn, items=Jsonb(items)))


def replace_streams(conn: Conn, *, item_id: UUID, streams: Sequence[Mapping[str, object]]) -> None:
    """The item's streams become exactly ``streams`` (``{kind, key, mimeType, container, size, sha256}``)."""
    q = db.queries()
    q.library_delete_streams_except(conn, item_id=item_id, keys=[s["key"] for s in streams])
    q.library_upsert_streams(conn, item_id=item_id, streams=Jsonb(streams))


def replace_subtitles(conn: Conn, *, item_id: UUID, subtitles: Sequence[Mapping[str, object]]) -> None:
    """The item's worker subtitles become exactly ``subtitles`` (fetched ones are kept)."""
    q = db.queries()
    q.library_delete_subtitles_except(conn, item_id=item_id, keys=[s["key"] for s in subtitles])
    q.library_upsert_subtitles(conn, item_id=item_id, subtitles=Jsonb(subtitles))


def job_link(conn: Conn, *, job_id: UUID) -> JobLinkRow | None:
    return db.queries().library_job_link(conn, job_id=job_id)


# --- matching ------------------------------------------------------------------------------------


def set_match(conn: Conn, *, item_id: UUID, match_state: str, match_confidence: float | None,
              match_source: str | None, match_candidates: list[MatchCandidate], media_id: int | None,
              episode_id: int | None, matched_by: UUID | None) -> None:
    db.queries().library_set_match(
        conn, item_id=item_id, match_state=match_state, match_confidence=match_confidence,
        match_source=match_source, match_candidates=Jsonb(match_candidates), media_id=media_id,
        episode_id=episode_id, matched_by=matched_by)


def lock_item(conn: Conn, *, item_id: UUID) -> ItemRow | None:
    return db.queries().library_lock_item(conn, item_id=item_id)


def lock_folder_siblings(conn: Conn, *, item_id: UUID, folder: str) -> list[ItemRow]:
    return list(db.queries().library_lock_folder_siblings(conn, item_id=item_id, folder=folder))


def title_candidates(conn: Conn, *, q: str, prefix: str, tsquery: str | None, types: list[str],
                     row_limit: int) -> list[TitleCandidateRow]:
    return list(db.queries().library_title_candidates(conn, q=q, prefix=prefix, tsquery=tsquery, types=types,
                                                      row_limit=row_limit))


def media(conn: Conn, *, media_id: int) -> MediaRow | None:
    return db.queries().library_media(conn, media_id=media_id)


def visible_media(conn: Conn, *, media_id: int, limit: Limit | None) -> MediaRow | None:
    """The title if a kid profile's ``limit`` lets it be seen (None: any title)."""
    return db.queries().library_visible_media(conn, media_id=media_id, **sql_params(limit))


def show_episodes(conn: Conn, *, media_id: int) -> list[ShowEpisodeRow]:
    return list(db.queries().library_show_episodes(conn, media_id=media_id))


def episode(conn: Conn, *, episode_id: int) -> EpisodeRow | None:
    return db.queries().library_episode(conn, episode_id=episode_id)


# --- browsing -----------------------------------------------------------------------------------


def count(conn: Conn, *, match_state: str | None, media_type: str | None, pattern: str | None,
          limit: Limit | None = None) -> int:
    """``limit``: a kid profile's (only matched titles it allows)."""
    return db.queries().library_count(conn, match_state=match_state, media_type=media_type, pattern=pattern,
                                      **sql_params(limit))


def page(conn: Conn, *, match_state: str | None, media_type: str | None, pattern: str | None, row_limit: int,
         row_offset: int, limit: Limit | None = None) -> list[CardRow]:
    return list(db.queries().library_list(conn, match_state=match_state, media_type=media_type, pattern=pattern,
                                          row_limit=row_limit, row_offset=row_offset, **sql_params(limit)))


def title_count(conn: Conn, *, match_state: str | None, media_type: str | None, pattern: str | None,
                limit: Limit | None = None) -> int:
    return db.queries().library_title_count(conn, match_state=match_state, media_type=media_type, pattern=pattern,
                                            **sql_params(limit))


def title_page(conn: Conn, *, match_state: str | None, media_type: str | None, pattern: str | None,
               row_limit: int, row_offset: int, limit: Limit | None = None) -> list[TitleRow]:
    return list(db.queries().library_title_list(conn, match_state=match_state, media_type=media_type,
                                                pattern=pattern, row_limit=row_limit, row_offset=row_offset,
                                                **sql_params(limit)))


def versions_of(conn: Conn, *, media_id: int, episode_id: int | None) -> list[VersionRow]:
    return list(db.queries().library_versions_of(conn, media_id=media_id, episode_id=episode_id))


def next_up_episode(conn: Conn, *, user_id: UUID, media_id: int) -> int | None:
    """The episode a show's Play starts for this user (None when no episode has a matched file)."""
    row = db.queries().library_next_up_episode(conn, user_id=user_id, media_id=media_id)
    return row["episode_id"] if row is not None else None


def get(conn: Conn, *, item_id: UUID) -> DetailRow | None:
    return db.queries().library_get(conn, item_id=item_id)


def streams_of(conn: Conn, *, item_id: UUID) -> list[StreamRow]:
    return list(db.queries().library_streams_of(conn, item_id=item_id))


def subtitles_of(conn: Conn, *, item_id: UUID) -> list[SubtitleRow]:
    return list(db.queries().library_subtitles_of(conn, item_id=item_id))


def resume(conn: Conn, *, user_id: UUID, media_id: int, episode_id: int | None) -> ResumeRow | None:
    return db.queries().library_resume(conn, user_id=user_id, media_id=media_id, episode_id=episode_id)


def next_episode(conn: Conn, *, media_id: int, season_number: int | None,
                 episode_number: int | None) -> NextEpisodeRow | None:
    return db.queries().library_next_episode(conn, media_id=media_id, season_number=season_number,
                                             episode_number=episode_number)


# --- scans --------------------------------------------------------------------------------------


def insert_scan(conn: Conn, *, requested_by: UUID, trigger: str, paths: list[str],
                accepted_count: int) -> ScanRow:
    return db.queries().library_insert_scan(conn, requested_by=requested_by, trigger=trigger, paths=Jsonb(paths),
                                            accepted_count=accepted_count)


def get_scan(conn: Conn, *, scan_id: UUID) -> ScanRow | None:
    return db.queries().library_get_scan(conn, scan_id=scan_id)


def apply_scan_state(conn: Conn, *, scan_id: UUID, trigger: str, paths: list[str], status: str,
                     indexed_count: int, error: str | None) -> ScanRow | None:
    return db.queries().library_apply_scan_state(conn, scan_id=scan_id, trigger=trigger, paths=Jsonb(paths),
                                                 status=status, indexed_count=indexed_count, error=error)


# --- variants (media.sql) -----------------------------------------------------------------------


def variants_of(conn: Conn, *, item_id: UUID) -> list[VariantRow]:
    return list(db.queries().media_variants_of(conn, item_id=item_id))


def variant_request(conn: Conn, *, item_id: UUID, mode: str, source_key: str, output_prefix: str,
                    retry_after: int, requested_by: UUID) -> VariantRow | None:
    return db.queries().media_variant_request(conn, item_id=item_id, mode=mode, source_key=source_key,
                                              output_prefix=output_prefix, retry_after=retry_after,
                                              requested_by=requested_by)


def lock_dispatch(conn: Conn) -> None:
    db.queries().media_lock_dispatch(conn)


def slot_holders(conn: Conn, *, retry_after: int, running_for: int) -> list[SlotHolderRow]:
    return list(db.queries().media_slot_holders(conn, retry_after=retry_after, running_for=running_for))


def waiting(conn: Conn, *, retry_after: int, running_for: int, limit: int) -> list[WaitingRow]:
    return list(db.queries().media_waiting(conn, retry_after=retry_after, running_for=running_for, limit=limit))


def variant_release(conn: Conn, *, item_id: UUID, mode: str) -> VariantRow | None:
    return db.queries().media_variant_release(conn, item_id=item_id, mode=mode)


def variant_apply(conn: Conn, *, item_id: UUID, mode: str, source_key: str, state: str,
                  playlist_key: str | None, output_key: str | None, size_bytes: int | None, error: str | None,
                  sent_at: datetime) -> VariantRow | None:
    return db.queries().media_variant_apply(
        conn, item_id=item_id, mode=mode, source_key=source_key, state=state, playlist_key=playlist_key,
        output_key=output_key, size_bytes=size_bytes, error=error, sent_at=sent_at)



# --- intro/credits and trickplay (media_analysis.sql) ---------------------------------------------------


def analysis_lock(conn: Conn) -> None:
    db.queries().analysis_lock(conn)


def season_files(conn: Conn, *, item_id: UUID, limit: int) -> list[SeasonFileRow]:
    return list(db.queries().analysis_season_files(conn, item_id=item_id, limit=limit))


def analysis_forget(conn: Conn, *, item_id: UUID) -> None:
    db.queries().analysis_forget(conn, item_id=item_id)


def analysis_request(conn: Conn, *, item_id: UUID, source_key: str, output_prefix: str,
                     segments_asked: int | None, trickplay_asked: bool) -> None:
    db.queries().analysis_request(conn, item_id=item_id, source_key=source_key, output_prefix=output_prefix,
                                  segments_asked=segments_asked, trickplay_asked=trickplay_asked)


def analysis_apply(conn: Conn, *, item_id: UUID, source_key: str, has_segments: bool, compared: int,
                   trickplay: Mapping[str, object] | None, error: str | None, sent_at: datetime) -> AnalysisRow | None:
    """``trickplay``: the worker's sheet (prefix, interval, cols, rows, count, width, height), or None."""
    sheet = trickplay or {}
    return db.queries().analysis_apply(
        conn, item_id=item_id, source_key=source_key, has_segments=has_segments, compared=compared,
        **{f"trickplay_{name}": sheet.get(name)
           for name in ("prefix", "interval", "cols", "rows", "count", "width", "height")},
        error=error, sent_at=sent_at)


def replace_segments(conn: Conn, *, item_id: UUID, segments: Sequence[Mapping[str, object]]) -> None:
    q = db.queries()
    q.analysis_delete_segments(conn, item_id=item_id)
    if segments:
        q.analysis_insert_segments(conn, item_id=item_id, segments=Jsonb(segments))


def segments_of(conn: Conn, *, item_id: UUID) -> list[SegmentRow]:
    return list(db.queries().analysis_segments_of(conn, item_id=item_id))


def analysis_of(conn: Conn, *, item_id: UUID) -> AnalysisRow | None:
    return db.queries().analysis_of(conn, item_id=item_id)


def analysis_in_flight(conn: Conn, *, retry_after: int) -> int:
    return int(db.queries().analysis_in_flight(conn, retry_after=retry_after) or 0)


def analysis_never_asked(conn: Conn, *, limit: int) -> list[UUID]:
    return [row["id"] for row in db.queries().analysis_never_asked(conn, limit=limit)]
