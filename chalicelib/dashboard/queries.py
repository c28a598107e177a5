"""The dashboard's SQL: the named queries of ``db/queries/dashboard.sql``, typed."""

from __future__ import annotations

from typing import TypedDict
from uuid import UUID

from chalicelib import db
from chalicelib.contentrating import Limit, sql_params
from chalicelib.db import Conn


class ActiveDownloadRow(TypedDict):
    """A ``download_jobs`` row (every column; the ones the dashboard reads are named) and what it is of."""

    id: UUID
    status: str
    attempt: int
    title_media: dict[str, object] | None  # a catalog summary row as JSON
    title_parsed: object  # the pick's parsed release (JSON), or None


class PersonRef(TypedDict):
    id: int
    name: str


class TitleJson(TypedDict):
    """A catalog summary row as JSON (``catalog.service.summary`` reads it)."""

    id: int
    media_type: str
    title: str
    original_title: str | None
    year: int | None
    release_date: str | None
    poster_path: str | None
    backdrop_path: str | None
    vote_average: float | None
    vote_count: int | None
    popularity: float | None
    status: str | None
    is_demo: bool
    genres: list[str]


class PeopleTitleJson(TitleJson):
    people: list[PersonRef]


class DiscoverRow(TypedDict):
    trending: list[TitleJson]
    from_people: list[PeopleTitleJson]


def active_downloads(conn: Conn, *, user_id: UUID, limit: int) -> list[ActiveDownloadRow]:
    return list(db.queries().dashboard_active_downloads(conn, user_id=user_id, limit=limit))


def discover(conn: Conn, *, user_id: UUID, size: int, limit: Limit | None = None) -> DiscoverRow:
    """``size`` titles per row; ``limit``: a kid profile's."""
    return db.queries().dashboard_discover(conn, user_id=user_id, limit=size, **sql_params(limit))
