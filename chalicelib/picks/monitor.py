"""Monitoring: newly aired episodes join the wanted list; those of "get automatically" shows are grabbed.

Every run (a schedule, every 15 minutes):

1. Episodes that aired since each monitored show was last looked at are added to its user's wanted list.
2. Due wanted episodes of shows with ``auto_get`` (aired, not in the library, not picked, their
   ``next_search_at`` passed) are searched (the sources search, cached) and the best candidate that is
   not rejected and reaches the cutoff (the show's, else the profile's ``cutoffResolution``) is picked
   with reason ``monitor``: a download job linked to the episode whose first event says why.
3. No acceptable result, a failing indexer or any other error is recorded (``last_error``) and the
   episode is searched again on a backoff schedule: 30 min, 1 h, 4 h, 12 h, then daily. New releases
   of an episode usually appear within hours of airing, better ones over the next day; the first step
   is the longest search-cache lifetime (30 min), so a retry never just reads the answer it retries.
"""

from __future__ import annotations

from typing import TypedDict
from uuid import UUID

from chalicelib import db, errors
from chalicelib.jobruns import JobRun, run_recorded
from chalicelib.logs import get_logger
from chalicelib.picks import queries, service
from chalicelib.picks.queries import DueRow
from chalicelib.settings import profile as quality

JOB_NAME = "picks.monitor"
BATCH = 25  # episodes searched per run; the rest wait for the next run (15 minutes)
BACKOFF_SECONDS = (30 * 60, 3600, 4 * 3600, 12 * 3600, 24 * 3600)


class MonitorStats(TypedDict):
    added: int  # episodes that joined wanted lists
    searched: int
    grabbed: int
    retrying: int


def retry_after(attempts: int) -> int:
    """Seconds until the next search after ``attempts`` searches that found nothing to grab."""
    return BACKOFF_SECONDS[min(max(attempts, 1), len(BACKOFF_SECONDS)) - 1]


def run_job(trigger: str = "schedule") -> JobRun:
    """The scheduled run, recorded in sync_state as ``picks.monitor``."""
    return run_recorded(JOB_NAME, run, trigger)


def run() -> MonitorStats:
    """Add newly aired episodes, then search and grab due ones; returns counts."""
    with db.transaction() as conn:
        added = queries.monitor_add_aired(conn)
    with db.connection() as conn:
        due = queries.monitor_due(conn, limit=BATCH)
    outcomes = [search_one(row) for row in due]
    stats: MonitorStats = {"added": len(added), "searched": len(due), "grabbed": outcomes.count("grabbed"),
             "retrying": outcomes.count("retrying")}
    get_logger().info("monitor run", extra={"action": "picks_monitor_run", **stats})
    return stats


def search_one(row: DueRow) -> str:
    """Search one due wanted episode and grab the best acceptable release, or schedule the next try."""
    try:
        with db.connection() as conn:
            cutoff = row["cutoff"] or quality.for_user(conn, row["user_id"]).cutoff_resolution
        body = service.pick(row["user_id"], row["media_id"], row["season"], row["episode"], reason="monitor",
                            cutoff=cutoff)
    except Exception as exc:  # one episode's failure must not stop the others
        if not isinstance(exc, errors.DomainError):
            get_logger().exception("monitor search failed", extra={"action": "picks_monitor_failed",
                                                                   "wanted_id": str(row["id"])})
        message = exc.message if isinstance(exc, errors.DomainError) else type(exc).__name__
        _record(row, None, message[:1000], retry_after(row["attempts"] + 1))
        return "retrying"
    _record(row, UUID(body["pick"]["id"]), None, None)
    return "grabbed"


def _record(row: DueRow, pick_id: UUID | None, error: str | None, retry_seconds: int | None) -> None:
    with db.connection() as conn:
        queries.monitor_searched(conn, wanted_id=row["id"], pick_id=pick_id, last_error=error,
                                 retry_seconds=retry_seconds)
