"""Enrichment's SQL: the named queries of ``db/queries/enrichment.sql``, typed."""

from __future__ import annotations

from datetime import datetime
from typing import Literal, TypedDict
from uuid import UUID

from chalicelib import db
from chalicelib.db import Conn


class OverviewRow(TypedDict):
    source: str
    configured: bool
    matched: int
    not_found: int
    pending: int
    failed: int
    last_run_at: datetime | None
    last_error: str | None
    paused: bool


class ServerItemRow(TypedDict):
    server_id: UUID
    item_id: str
    kind: Literal["movie", "show"]
    title: str
    year: int | None
    server_name: str
    sort_key: str


class TitleRow(TypedDict):
    id: int
    kind: Literal["movie", "show"]
    title: str
    year: int | None
    sort_key: str


class MatchedRow(TypedDict):
    server_id: UUID
    item_id: str
    kind: str
    title: str
    year: int | None
    server_name: str
    media_id: int


class KindRow(TypedDict):
    id: int
    media_type: str


def overview(conn: Conn) -> list[OverviewRow]:
    """One row per source (tmdb, tvdb, omdb, media_servers, channels) in one statement."""
    return list(db.queries().enrichment_overview(conn))


def pause(conn: Conn, *, source: str, user_id: UUID) -> None:
    db.queries().enrichment_pause(conn, source=source, user_id=user_id)


def resume(conn: Conn, *, source: str) -> None:
    db.queries().enrichment_resume(conn, source=source)


def retry_tmdb(conn: Conn) -> int:
    return db.queries().enrichment_retry_tmdb(conn) or 0


def retry_tvdb(conn: Conn) -> int:
    return db.queries().enrichment_retry_tvdb(conn) or 0


def retry_omdb(conn: Conn, *, midnight: datetime) -> int:
    return db.queries().enrichment_retry_omdb(conn, midnight=midnight) or 0


def retry_media_servers(conn: Conn) -> int:
    return db.queries().enrichment_retry_media_servers(conn) or 0


def retry_channels(conn: Conn) -> int:
    return db.queries().enrichment_retry_channels(conn) or 0


def enabled_servers(conn: Conn) -> list[UUID]:
    return [row["id"] for row in db.queries().enrichment_enabled_servers(conn)]


def unmatched_server_items(conn: Conn, *, q: str | None, after: tuple[str, str, str] | None,
                           row_limit: int) -> list[ServerItemRow]:
    """Unlinked movies and shows of the media servers after the keyset ``after`` (title key, server, item)."""
    title, server, item = after or (None, None, None)
    return list(db.queries().enrichment_unmatched_media_servers(
        conn, q=q, after_title=title, after_server=server, after_item=item, row_limit=row_limit))


def unmatched_titles(conn: Conn, *, q: str | None, after: tuple[str, int] | None, row_limit: int) -> list[TitleRow]:
    """Catalog movies and shows without a TMDB id after the keyset ``after`` (title key, id)."""
    title, media_id = after or (None, None)
    return list(db.queries().enrichment_unmatched_titles(conn, q=q, after_title=title, after_id=media_id,
                                                         row_limit=row_limit))


def title(conn: Conn, *, media_id: int) -> KindRow | None:
    return db.queries().enrichment_title(conn, media_id=media_id)


def match_item(conn: Conn, *, server_id: UUID, item_id: str, media_id: int) -> MatchedRow | None:
    return db.queries().enrichment_match_item(conn, server_id=server_id, item_id=item_id, media_id=media_id)


def match_children(conn: Conn, *, server_id: UUID, item_id: str, media_id: int) -> int:
    """Link the show's seasons and episodes; how many episodes found their catalog episode."""
    return db.queries().enrichment_match_children(conn, server_id=server_id, item_id=item_id,
                                                  media_id=media_id) or 0
