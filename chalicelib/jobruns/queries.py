"""Job runs' SQL: the named queries of ``db/queries/jobruns.sql``, typed."""

from __future__ import annotations

from chalicelib import db
from chalicelib.db import Conn


def started(conn: Conn, *, job_name: str, trigger: str) -> int:
    """A new ``sync_runs`` row (and ``sync_state`` marked running); its id."""
    return db.queries().scheduled_job_started(conn, job_name=job_name, trigger=trigger)


def finished(conn: Conn, *, run_id: int, job_name: str, status: str, error: str | None, duration_ms: int,
             stats: str) -> None:
    """The run and the job's ``sync_state`` get the outcome; ``stats`` is JSON text."""
    db.queries().scheduled_job_finished(conn, run_id=run_id, job_name=job_name, status=status, error=error,
                                        duration_ms=duration_ms, stats=stats)


def source_paused(conn: Conn, *, source: str) -> bool:
    """An admin paused the enrichment source ``source`` (tmdb, tvdb, omdb, media_servers, channels)."""
    return bool(db.queries().scheduled_source_paused(conn, source=source))
