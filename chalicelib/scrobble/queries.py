"""Scrobble's SQL: the named queries of ``db/queries/hooks.sql``, typed."""

from __future__ import annotations

from datetime import datetime
from typing import TypedDict
from uuid import UUID

from chalicelib import db
from chalicelib.db import Conn


class HookRow(TypedDict):
    generation: int
    secret_hash: bytes
    created_at: datetime
    updated_at: datetime


class HookOwner(TypedDict):
    user_id: UUID
    secret_hash: bytes


class EpisodeMatch(TypedDict):
    media_id: int
    episode_id: int


def get(conn: Conn, *, user_id: UUID) -> HookRow | None:
    return db.queries().hooks_get(conn, user_id=user_id)


def put(conn: Conn, *, user_id: UUID, generation: int, secret_hash: bytes) -> None:
    """Store this generation's secret (a concurrent call that stored it first wins: the same secret)."""
    db.queries().hooks_put(conn, user_id=user_id, generation=generation, secret_hash=secret_hash)


def owner(conn: Conn, *, secret_hash: bytes) -> HookOwner | None:
    return db.queries().hooks_owner(conn, secret_hash=secret_hash)


def claim_event(conn: Conn, *, user_id: UUID, source: str, fingerprint: bytes) -> bool:
    """True the first time an event is seen, False for a replay."""
    return db.queries().hooks_claim_event(conn, user_id=user_id, source=source, fingerprint=fingerprint) is not None


def prune_events(conn: Conn, *, before: datetime) -> int:
    return db.queries().hooks_prune_events(conn, before=before) or 0


def match_movie(conn: Conn, *, imdb_id: str | None, tmdb_id: int | None, title: str | None,
                year: int | None) -> int | None:
    """The movie's id, or None."""
    row = db.queries().hooks_match_movie(conn, imdb_id=imdb_id, tmdb_id=tmdb_id, title=title, year=year)
    return row["id"] if row else None


def match_episode(conn: Conn, *, imdb_id: str | None, tmdb_id: int | None, show_imdb_id: str | None,
                  show_tmdb_id: int | None, show_tvdb_id: int | None, show_title: str | None, season: int | None,
                  episode: int | None) -> EpisodeMatch | None:
    return db.queries().hooks_match_episode(conn, imdb_id=imdb_id, tmdb_id=tmdb_id, show_imdb_id=show_imdb_id,
                                            show_tmdb_id=show_tmdb_id, show_tvdb_id=show_tvdb_id,
                                            show_title=show_title, season=season, episode=episode)
