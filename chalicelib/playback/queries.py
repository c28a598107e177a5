"""Playback's SQL: the named queries of ``db/queries/playback.sql``, typed.

``referenced_keys`` is also the cleanup's (its bucket sweep): the storage janitor is a step of the daily
cleanup and must spare the same originals, and playback sits below cleanup, so the query lives here.
"""

from __future__ import annotations

from datetime import datetime
from typing import TypedDict
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
