"""Engagement's SQL: the named queries of ``db/queries/engagement.sql``, typed."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from chalicelib import db
from chalicelib.db import Conn


def log(conn: Conn, *, day: date, user_id: UUID | str, kind: str, media_id: int | None,
        section_id: int | None) -> bool:
    """Record one event; False when it was already counted (or the title is gone)."""
    return db.queries().engagement_log(conn, day=day, user_id=user_id, kind=kind, media_id=media_id,
                                       section_id=section_id) is not None


def section_id(conn: Conn, *, key: str) -> int | None:
    """The id of the enabled discover row ``key``."""
    return db.queries().engagement_section_id(conn, key=key)


def media_exists(conn: Conn, *, media_id: int) -> bool:
    return bool(db.queries().engagement_media_exists(conn, media_id=media_id))


def purge(conn: Conn, *, before: date) -> int:
    """Delete events dated before ``before``; returns how many."""
    return db.queries().engagement_purge(conn, before=before)
