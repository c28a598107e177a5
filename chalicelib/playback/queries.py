"""Playback's SQL: the named queries of ``db/queries/playback.sql`` and ``playback_sessions.sql``, typed.

``referenced_keys`` is also the cleanup's (its bucket sweep): the storage janitor is a step of the daily
cleanup and must spare the same originals, and playback sits below cleanup, so the query lives here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypedDict
from uuid import UUID

from chalicelib import db
from chalicelib.db import Conn


class NextEpisodeRow(TypedDict):
    episode_id: int
    season_number: int
    episode_number: int
    library_item_id: UUID | None


class CoveringJobRow(TypedDict):
    id: UUID
    status: str
    episode: int | None


class EvictableRow(TypedDict):
    library_item_id: UUID
    last_watched_at: datetime
    kind: str
    storage_key: str
    is_prefix: bool
    size_bytes: int


class EvictionRow(TypedDict):
    id: int
    library_item_id: UUID | None
    kind: str
    storage_key: str
    objects: int
    size_bytes: int
    reason: str
    evicted_at: datetime


# --- prefetch ------------------------------------------------------------------------------------


def next_episode(conn: Conn, *, media_id: int, episode_id: int) -> NextEpisodeRow | None:
    return db.queries().playback_next_episode(conn, media_id=media_id, episode_id=episode_id)


def covering_job(conn: Conn, *, user_id: UUID, media_id: int, season: int, episode: int) -> CoveringJobRow | None:
    return db.queries().playback_covering_job(conn, user_id=user_id, media_id=media_id, season=season,
                                              episode=episode)


def remember_next(conn: Conn, *, user_id: UUID, media_id: int, episode_id: int, after_episode_id: int, how: str,
                  job_id: UUID | str | None, ttl_seconds: int) -> None:
    db.queries().playback_remember_next(conn, user_id=user_id, media_id=media_id, episode_id=episode_id,
                                        after_episode_id=after_episode_id, how=how, job_id=job_id,
                                        ttl_seconds=ttl_seconds)


# --- the storage janitor -------------------------------------------------------------------------


def stored_bytes(conn: Conn) -> int:
    """The library's bytes in the bucket: originals plus made variants."""
    return db.queries().playback_stored_bytes(conn)


def evictable(conn: Conn, *, now: datetime, playing_minutes: int) -> list[EvictableRow]:
    return list(db.queries().playback_evictable(conn, now=now, playing_minutes=playing_minutes))


def forget_variant(conn: Conn, *, library_item_id: UUID, kind: str) -> None:
    db.queries().playback_forget_variant(conn, library_item_id=library_item_id, kind=kind)


def record_eviction(conn: Conn, *, library_item_id: UUID, kind: str, storage_key: str, objects: int,
                    size_bytes: int, reason: str) -> None:
    db.queries().playback_record_eviction(conn, library_item_id=library_item_id, kind=kind,
                                          storage_key=storage_key, objects=objects, size_bytes=size_bytes,
                                          reason=reason)


def evictions_recent(conn: Conn, *, limit: int) -> list[EvictionRow]:
    return list(db.queries().playback_evictions_recent(conn, limit=limit))


def referenced_keys(conn: Conn, *, keys: list[str]) -> set[str]:
    """Those of ``keys`` a library item or a kept download still references (originals)."""
    return {row["key"] for row in db.queries().playback_referenced_keys(conn, keys=keys)}


# --- playback sessions ---------------------------------------------------------------------------


class SessionRow(TypedDict):
    id: UUID
    user_id: UUID
    media_id: int
    season: int | None
    episode: int | None
    mode: str  # library | download
    library_item_id: UUID | None
    download_id: UUID | None
    file_index: int | None
    pick_id: UUID | None
    device_caps: dict[str, Any] | None
    device_key: str
    state: str  # active | switching
    switch_started_at: datetime | None
    position_seconds: float
    buffering_since: datetime | None
    buffering_at: float | None
    buffering_bytes: int | None
    stalled: list[str]
    switches: list[dict[str, Any]]
    last_error: str | None
    created_at: datetime
    updated_at: datetime
    stall_switch_seconds: int  # the user's setting (15 when never saved)
    stalled_seconds: float | None  # how long the player has waited at buffering_at
    job_status: str | None  # the status of the download it plays


class MediaKindRow(TypedDict):
    id: int
    media_type: str


class LibraryFileRow(TypedDict):
    id: UUID
    media_id: int | None
    source_job_id: UUID | None
    season_number: int | None
    episode_number: int | None


class ProgressRow(TypedDict):
    season_number: int | None
    episode_number: int | None
    position_seconds: float
    updated_at: datetime
    library_item_id: UUID | None


class NextUnitRow(TypedDict):
    season_number: int
    episode_number: int
    library_item_id: UUID | None


def session_insert(conn: Conn, *, user_id: UUID, media_id: int, season: int | None, episode: int | None, mode: str,
                   library_item_id: UUID | None, download_id: UUID | None, file_index: int | None,
                   pick_id: UUID | None, device_caps: object, device_key: str) -> UUID:
    """``device_caps``: JSON (psycopg's ``Jsonb``) or None; returns the new session's id."""
    row = db.queries().session_insert(conn, user_id=user_id, media_id=media_id, season=season, episode=episode,
                                      mode=mode, library_item_id=library_item_id, download_id=download_id,
                                      file_index=file_index, pick_id=pick_id, device_caps=device_caps,
                                      device_key=device_key)
    return row["id"]


def session_get(conn: Conn, *, session_id: UUID, user_id: UUID) -> SessionRow | None:
    return db.queries().session_get(conn, session_id=session_id, user_id=user_id)


def session_beat(conn: Conn, *, session_id: UUID, user_id: UUID, position: float, buffering: bool,
                 file_index: int | None, bytes_done: int | None) -> None:
    db.queries().session_beat(conn, session_id=session_id, user_id=user_id, position=position, buffering=buffering,
                              file_index=file_index, bytes_done=bytes_done)


def session_claim_switch(conn: Conn, *, session_id: UUID, user_id: UUID, pick_id: UUID) -> bool:
    """Whether this caller claimed the switch away from ``pick_id`` (one of concurrent heartbeats does)."""
    return db.queries().session_claim_switch(conn, session_id=session_id, user_id=user_id, pick_id=pick_id) is not None


def session_switched(conn: Conn, *, session_id: UUID, user_id: UUID, pick_id: UUID, download_id: UUID | None,
                     stalled: str, switch: object) -> None:
    """``switch``: the record of it as JSON (psycopg's ``Jsonb``)."""
    db.queries().session_switched(conn, session_id=session_id, user_id=user_id, pick_id=pick_id,
                                  download_id=download_id, stalled=stalled, switch=switch)


def session_switch_failed(conn: Conn, *, session_id: UUID, user_id: UUID, error: str) -> None:
    db.queries().session_switch_failed(conn, session_id=session_id, user_id=user_id, error=error[:1000])


def session_latest(conn: Conn, *, user_id: UUID, media_id: int) -> SessionRow | None:
    return db.queries().session_latest(conn, user_id=user_id, media_id=media_id)


def session_media(conn: Conn, *, media_id: int) -> MediaKindRow | None:
    return db.queries().session_media(conn, media_id=media_id)


def session_library_item(conn: Conn, *, item_id: UUID) -> LibraryFileRow | None:
    return db.queries().session_library_item(conn, item_id=item_id)


def session_library_file(conn: Conn, *, media_id: int, season: int | None,
                         episode: int | None) -> LibraryFileRow | None:
    return db.queries().session_library_file(conn, media_id=media_id, season=season, episode=episode)


def session_next_episode(conn: Conn, *, media_id: int, season: int, episode: int) -> NextUnitRow | None:
    return db.queries().session_next_episode(conn, media_id=media_id, season=season, episode=episode)


def session_progress(conn: Conn, *, user_id: UUID, media_id: int) -> ProgressRow | None:
    return db.queries().session_progress(conn, user_id=user_id, media_id=media_id)
