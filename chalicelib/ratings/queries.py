"""Ratings' SQL: the named queries of ``db/queries/ratings.sql``, typed."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, TypedDict

from chalicelib import db
from chalicelib.db import Conn


class DueRow(TypedDict):
    id: int
    imdb_id: str
    wanted: bool


class CoverageRow(TypedDict):
    covered: int
    total: int
    library_covered: int
    library_total: int
    last_run_at: datetime | None
    last_error: str | None


def due(conn: Conn, *, refresh_days: int, cooldown_hours: int, row_limit: int) -> list[DueRow]:
    """The titles to fetch next: wanted ones (library, lists) first, then the most popular."""
    return list(db.queries().ratings_due(conn, refresh_days=refresh_days, cooldown_hours=cooldown_hours,
                                         row_limit=row_limit))


def attempts_since(conn: Conn, *, since: datetime) -> int:
    """Requests spent since ``since`` (every attempt stamps its title once)."""
    return db.queries().ratings_attempts_since(conn, since=since) or 0


def store(conn: Conn, *, media_id: int, items: str) -> None:
    """Upsert the title's ratings (``items``: a JSON array) and stamp it fetched."""
    db.queries().ratings_store(conn, media_id=media_id, items=items)


def attempted(conn: Conn, *, media_id: int) -> None:
    db.queries().ratings_attempted(conn, media_id=media_id)


def coverage(conn: Conn) -> CoverageRow:
    return db.queries().ratings_coverage(conn)


def last_stats(conn: Conn) -> Mapping[str, Any]:
    """The stats of the last recorded pass (empty before the first)."""
    return db.queries().ratings_last_stats(conn) or {}
