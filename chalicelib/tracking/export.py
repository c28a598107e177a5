"""``GET /me/export``: every piece of the user's tracking data as one JSON document.

All reads run in one repeatable-read transaction, so the document is a
consistent snapshot even while the player keeps sending heartbeats. Titles
and episodes the data mentions are included, so the file reads on its own.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from pydantic.alias_generators import to_camel

from chalicelib import clock, db
from chalicelib.logs import get_logger
from chalicelib.tracking.service import q

FORMAT = "seen-tracking-export"
VERSION = 1

_SECTIONS = {
    "media": "tracking_export_media",
    "episodes": "tracking_export_episodes",
    "watchLater": "tracking_export_watch_later",
    "history": "tracking_export_history",
    "progress": "tracking_export_progress",
    "ratings": "tracking_export_ratings",
    "favorites": "tracking_export_favorites",
    "follows": "tracking_export_follows",
    "gameBacklog": "tracking_export_backlog",
    "collections": "tracking_export_collections",
}


def _value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    return value


def _rows(rows: Any) -> list[dict[str, Any]]:
    return [{to_camel(key): _value(value) for key, value in row.items()} for row in rows]


def export(conn: Any, user_id: UUID) -> dict[str, Any]:
    """The user's tracking data (call inside a transaction; ``export_snapshot`` does)."""
    document: dict[str, Any] = {
        "format": FORMAT, "version": VERSION, "exportedAt": clock.now().isoformat(), "userId": str(user_id),
        "preferences": {"watchedThresholdPercent": q().tracking_threshold(conn, user_id=user_id)},
    }
    for section, query in _SECTIONS.items():
        document[section] = _rows(getattr(q(), query)(conn, user_id=user_id))
    return document


def export_snapshot(user_id: UUID) -> dict[str, Any]:
    """``export`` in its own read-only repeatable-read transaction."""
    with db.transaction() as conn:
        q().tracking_snapshot(conn)
        document = export(conn, user_id)
    get_logger().info("tracking data exported", extra={
        "action": "tracking_exported", "user_id": str(user_id), "history_rows": len(document["history"])})
    return document
