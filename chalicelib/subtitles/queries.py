"""Subtitles' SQL: the named queries of ``db/queries/subtitles.sql``, typed."""

from __future__ import annotations

from datetime import datetime
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
