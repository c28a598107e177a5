"""``GET /me/export``: every piece of the user's tracking data as one JSON document.

All reads run in one repeatable-read transaction, so the document is a
consistent snapshot even while the player keeps sending heartbeats. Titles
and episodes the data mentions are included, so the file reads on its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import TypedDict
from uuid import UUID

from pydantic.alias_generators import to_camel

from chalicelib import clock, db
from chalicelib.db import Conn
from chalicelib.logs import get_logger
from chalicelib.tracking import queries
from chalicelib.tracking.rows import ExportRow

FORMAT = "seen-tracking-export"
VERSION = 1



def _value(value: object) -> object:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    return value


def _rows(rows: Iterable[ExportRow]) -> list[ExportRow]:
    return [{to_camel(key): _value(value) for key, value in row.items()} for row in rows]


class ExportDocument(TypedDict):
    format: str
    version: int
    exportedAt: str
    userId: str
    preferences: dict[str, int]
    media: list[ExportRow]
    episodes: list[ExportRow]
    watchLater: list[ExportRow]
    history: list[ExportRow]
    progress: list[ExportRow]
    ratings: list[ExportRow]
    favorites: list[ExportRow]
    follows: list[ExportRow]
    gameBacklog: list[ExportRow]
    collections: list[ExportRow]


def export(conn: Conn, user_id: UUID) -> ExportDocument:
    """The user's tracking data (call inside a transaction; ``export_snapshot`` does)."""

    def section(query: Callable[..., list[ExportRow]]) -> list[ExportRow]:
        return _rows(query(conn, user_id=user_id))

    return ExportDocument(
        format=FORMAT, version=VERSION, exportedAt=clock.now().isoformat(), userId=str(user_id),
        preferences={"watchedThresholdPercent": queries.threshold(conn, user_id=user_id)},
        media=section(queries.export_media), episodes=section(queries.export_episodes),
        watchLater=section(queries.export_watch_later), history=section(queries.export_history),
        progress=section(queries.export_progress), ratings=section(queries.export_ratings),
        favorites=section(queries.export_favorites), follows=section(queries.export_follows),
        gameBacklog=section(queries.export_backlog), collections=section(queries.export_collections))


def export_snapshot(user_id: UUID) -> ExportDocument:
    """``export`` in its own read-only repeatable-read transaction."""
    with db.transaction() as conn:
        queries.snapshot(conn)
        document = export(conn, user_id)
    get_logger().info("tracking data exported", extra={
        "action": "tracking_exported", "user_id": str(user_id), "history_rows": len(document["history"])})
    return document
