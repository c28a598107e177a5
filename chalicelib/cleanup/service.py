"""The daily cleanup job, recorded in sync_state/sync_runs as ``cleanup.daily``.

Each step is independent: a failing step is reported in the run's stats and
error, the others still run. Retentions: download events of terminal jobs
(instance setting ``download_events_retention_days``, else
SEEN_CLEANUP_EVENT_RETENTION_DAYS), recommendation snapshots
(SEEN_CLEANUP_SNAPSHOT_RETENTION_DAYS, never a user's newest), engagement
events (views and clicks: the last 7 days are kept), media-server webhook
fingerprints (30 days: the replay window), playback sessions (30 days, never a user's newest of a title).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TypedDict
from uuid import UUID

from chalicelib import clock, db
from chalicelib.cleanup import bucket, queries, telemetry
from chalicelib.config import get_settings
from chalicelib.db import Conn
from chalicelib.engagement import service as engagement
from chalicelib.logs import get_logger
from chalicelib.playback import janitor
from chalicelib.scrobble import service as scrobble
from chalicelib.settings import service as settings

JOB_NAME = "cleanup.daily"
REVOKED_GRACE = timedelta(days=7)  # a revoked session's tokens still answer "reused" for a week
PLAYBACK_SESSION_RETENTION = timedelta(days=30)  # a title's newest session is kept for /resume regardless
PLAYBACK_SESSION_BATCH = 1000  # rows a statement deletes: a backlog goes in short statements, not one long lock
MAX_ERROR_LENGTH = 2000


Counts = dict[str, int]  # rows or objects removed, per kind


class Run(TypedDict):
    """A finished cleanup run, as the admin's "run now" answers it."""

    job: str
    status: str
    error: str | None
    stats: Counts


def _retention_days(conn: Conn) -> int:
    value = settings.instance_value(conn, "download_events_retention_days")
    return int(value) if value else get_settings().cleanup_event_retention_days


def _steps(conn: Conn, now: datetime) -> dict[str, Callable[[], int | Counts]]:
    snapshot_days = get_settings().cleanup_snapshot_retention_days
    return {
        "sessions": lambda: queries.delete_sessions(conn, now=now, revoked_before=now - REVOKED_GRACE),
        "downloadEvents": lambda: queries.delete_download_events(
            conn, before=now - timedelta(days=_retention_days(conn))),
        "recommendationSnapshots": lambda: queries.delete_recommendation_snapshots(
            conn, before=now - timedelta(days=snapshot_days)),
        "playbackSessions": lambda: _prune_playback_sessions(conn, now - PLAYBACK_SESSION_RETENTION),
        "telemetry": lambda: telemetry.sweep(conn, now),
        "bucket": lambda: bucket.sweep(conn, now),
        "storage": lambda: janitor.sweep(conn, now),  # the quota: variants of watched items, never next up
        "engagementEvents": lambda: engagement.purge(conn, now.date()),
        "webhookEvents": lambda: scrobble.prune(conn, now),
    }


def _prune_playback_sessions(conn: Conn, before: datetime) -> int:
    """Stale playback sessions in batches (each its own statement) until a batch comes back short."""
    removed = 0
    while (batch := queries.delete_playback_sessions(conn, before=before, batch=PLAYBACK_SESSION_BATCH)):
        removed += batch
        if batch < PLAYBACK_SESSION_BATCH:
            break
    return removed


def clean(conn: Conn, now: datetime) -> tuple[Counts, list[str]]:
    """Run every step; returns (removed counts, errors of the steps that failed)."""
    stats: Counts = {}
    errors = []
    for name, step in _steps(conn, now).items():
        try:
            result = step()
            stats.update(result if isinstance(result, dict) else {name: result})
        except Exception as exc:  # one failing step must not stop the others
            errors.append(f"{name}: {type(exc).__name__}: {exc}")
            get_logger().exception("cleanup step failed", extra={"action": "cleanup_step_failed", "step": name})
    return stats, errors


def run_job(trigger: str = "schedule", requested_by: UUID | None = None) -> Run:
    """Run the cleanup and record it (never raises: a failure is a status the admin view shows)."""
    with db.connection() as conn:
        run_id = queries.run_started(conn, job_name=JOB_NAME, trigger=trigger, requested_by=requested_by)
        started = time.monotonic()
        stats, errors = clean(conn, clock.now())
        status = "failed" if errors else "ok"
        error = "; ".join(errors)[:MAX_ERROR_LENGTH] if errors else None
        duration_ms = round((time.monotonic() - started) * 1000)
        queries.run_finished(conn, run_id=run_id, job_name=JOB_NAME, status=status, error=error,
                             duration_ms=duration_ms, stats=json.dumps(stats))
    get_logger().info("cleanup finished", extra={"action": "cleanup_finished", "status": status, **stats})
    return {"job": JOB_NAME, "status": status, "error": error, "stats": stats}
