"""Sources' SQL: the named queries of ``db/queries/sources.sql``, typed."""

from __future__ import annotations

from datetime import datetime
from typing import TypedDict
from uuid import UUID

from chalicelib import db
from chalicelib.db import Conn
from chalicelib.sources.feed import CapsData


class IndexerRow(TypedDict):
    id: UUID
    name: str
    url: str
    api_key_ciphertext: bytes | None
    key_id: str | None
    categories: list[int]
    enabled: bool
    caps: CapsData | None
    caps_checked_at: datetime | None
    created_at: datetime
    updated_at: datetime


class IdRow(TypedDict):
    id: UUID


class MediaRow(TypedDict):
    id: int
    media_type: str
    title: str
    year: int | None
    runtime_minutes: int | None
    tmdb_id: int | None
    imdb_id: str | None
    tvdb_id: int | None
    extra: dict[str, object] | None


class EpisodeFactsRow(TypedDict):
    runtime_minutes: int | None
    absolute_number: int | None
    season_episodes: int
    season_known: bool


class CacheRow(TypedDict):
    payload: dict[str, object]


class EarlierNameRow(TypedDict):
    """A release name of an earlier episode: a pick's name, or a library file's (with its download's title)."""

    season: int
    episode: int
    name: str
    alt_name: str | None


# ------------------------------------------------------------------------------------------ indexers


def indexer_list(conn: Conn) -> list[IndexerRow]:
    return list(db.queries().sources_indexer_list(conn))


def indexer_enabled(conn: Conn) -> list[IndexerRow]:
    return list(db.queries().sources_indexer_enabled(conn))


def indexer_get(conn: Conn, *, id: UUID) -> IndexerRow | None:
    return db.queries().sources_indexer_get(conn, id=id)


def indexer_by_name(conn: Conn, *, name: str) -> IndexerRow | None:
    return db.queries().sources_indexer_by_name(conn, name=name)


def indexer_insert(conn: Conn, *, name: str, url: str, api_key_ciphertext: bytes | None, key_id: str | None,
                   categories: list[int], enabled: bool) -> IndexerRow | None:
    """None when the name is taken."""
    return db.queries().sources_indexer_insert(conn, name=name, url=url, api_key_ciphertext=api_key_ciphertext,
                                               key_id=key_id, categories=categories, enabled=enabled)


def indexer_update(conn: Conn, *, id: UUID, name: str, url: str, api_key_ciphertext: bytes | None,
                   key_id: str | None, categories: list[int] | None, enabled: bool,
                   url_changed: bool) -> IndexerRow | None:
    """Every column written (the service merges the patch with the row); categories NULL violates NOT NULL."""
    return db.queries().sources_indexer_update(conn, id=id, name=name, url=url, api_key_ciphertext=api_key_ciphertext,
                                               key_id=key_id, categories=categories, enabled=enabled,
                                               url_changed=url_changed)


def indexer_delete(conn: Conn, *, id: UUID) -> IdRow | None:
    return db.queries().sources_indexer_delete(conn, id=id)


def indexer_set_caps(conn: Conn, *, id: UUID, caps: str) -> IndexerRow | None:
    """``caps``: JSON text."""
    return db.queries().sources_indexer_set_caps(conn, id=id, caps=caps)


# ------------------------------------------------------------------------------------------ catalog facts


def media_get(conn: Conn, *, media_id: int) -> MediaRow | None:
    return db.queries().sources_media_get(conn, media_id=media_id)


def episode_facts(conn: Conn, *, media_id: int, season: int | None, episode: int | None) -> EpisodeFactsRow | None:
    return db.queries().sources_episode_facts(conn, media_id=media_id, season=season, episode=episode)


# ------------------------------------------------------------------------------------------ search cache


def cache_get(conn: Conn, *, key: str) -> CacheRow | None:
    return db.queries().sources_cache_get(conn, key=key)


def cache_put(conn: Conn, *, key: str, payload: str, ttl_seconds: int) -> None:
    """``payload``: JSON text."""
    db.queries().sources_cache_put(conn, key=key, payload=payload, ttl_seconds=ttl_seconds)


def cache_purge(conn: Conn) -> None:
    db.queries().sources_cache_purge(conn)


def earlier_names(conn: Conn, *, user_id: UUID, media_id: int, season: int,
                  episode: int | None) -> list[EarlierNameRow]:
    """The user's picks and library files of the show's episodes before this one, closest first (a few)."""
    return list(db.queries().sources_earlier_names(conn, user_id=user_id, media_id=media_id, season=season,
                                                   episode=episode))
