"""Health's SQL: the named query of ``db/queries/health.sql``."""

from __future__ import annotations

from chalicelib import db
from chalicelib.db import Conn


def ping(conn: Conn) -> int:
    """One round trip to the server (1)."""
    return db.queries().ping(conn)
