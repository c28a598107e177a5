"""The download reconciler (scheduled every minute): what no event will fix by itself.

1. Commands owed: a job ``queued``/``retrying`` whose ``download.start`` was
   never sent (the send after commit failed) gets it now; waiting jobs that
   fit the instance limit and the per-user cap are released (``dispatch``).
2. Retries: a ``stalled`` job past its back-off becomes ``retrying`` with a
   new attempt and is re-sent; after ``MAX_RETRIES`` retries it ``failed``.
3. Silent workers: a running job whose worker's heartbeat is older than the
   limit (or missing), or whose worker no longer lists it, is ``stalled``, so
   step 2 retries it -- unless the job's own telemetry item is fresh or holds
   this attempt's last state: events can lag far behind (a busy consumer) and
   their arrival time says nothing about the worker.

Each step locks its rows with SKIP LOCKED and commits before anything is
sent, so two overlapping runs never act on the same job twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from chalicelib import db
from chalicelib.config import get_settings
from chalicelib.db import Conn
from chalicelib.downloads import commands, dispatch, live, queries, timeline
from chalicelib.downloads.queries import JobRow
from chalicelib.downloads.statemachine import MAX_RETRIES, JobState, allowed, decide_retry
from chalicelib.logs import get_logger
from chalicelib.telemetry import DownloadTelemetry, WorkerHeartbeat

BATCH = 100


@dataclass
class Result:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    stalled: int = 0
    errors: list[str] = field(default_factory=list)


def _event(conn: Conn, job: JobRow, to_status: str, attempt: int, message: str, **data: Any) -> None:
    timeline.record(conn, job, to_status, actor="reconciler", attempt=attempt, message=message, **data)


def send_owed_commands(result: Result) -> None:
    """Send ``download.start`` for jobs committed without one, then give free slots to waiting jobs."""
    older_than = get_settings().downloads.resend_after
    with db.transaction() as conn:
        owed = list(queries.lock_unsent(conn, older_than_seconds=older_than, limit=BATCH))
        for job in owed:
            result.sent += commands.send_start(conn, job)
    result.sent += dispatch.release_waiting()


def _give_up(conn: Conn, job: JobRow) -> None:
    queries.apply_state(
        conn, job_id=job["id"], status="failed", progress=job["progress"], bytes_done=job["bytes_done"],
        bytes_total=job["bytes_total"], error_code="retries_exhausted",
        error_message=f"Still stalled after {MAX_RETRIES} retries (last: {job['error_code'] or 'stalled'})",
        worker_id=None, next_retry_at=None)
    _event(conn, job, "failed", job["attempt"], "retries exhausted", lastErrorCode=job["error_code"])


def retry_stalled(result: Result) -> None:
    """stalled -> retrying (new attempt, re-sent) after the back-off; stalled -> failed past the cap."""
    retried: list[JobRow] = []
    with db.transaction() as conn:
        for job in queries.lock_due_retries(conn, limit=BATCH):
            if decide_retry(JobState.from_row(job)) == "failed":
                _give_up(conn, job)
                result.failed += 1
                continue
            row = queries.retry_job(conn, job_id=job["id"])
            assert row is not None  # locked above as a stalled job with retries left
            _event(conn, job, "retrying", row["attempt"], "retry scheduled", retry=row["retry_count"],
                   lastErrorCode=job["error_code"])
            retried.append(row)
    for row in retried:  # committed first: a lost send is resent by send_owed_commands
        with db.connection() as conn:
            commands.send_start(conn, row)
        result.retried += 1
    if retried or result.failed:
        get_logger().info("download retries", extra={"action": "download_retries", "retried": len(retried),
                                                      "failed": result.failed})


# The worker writes one of these to the job's telemetry item only after the event saying so was sent.
ENDED = frozenset({"completed", "failed", "stalled", "cancelled"})


def _telemetry_alive(job: JobRow, item: DownloadTelemetry | None, now: datetime, limit: timedelta) -> bool:
    """Whether the job's own telemetry shows this attempt alive or over on the worker.

    The monitor overwrites the item on every poll while it runs the job, and
    writes the attempt's last state once its event is on the queue: either
    way the events are late, not lost, and stalling would re-run a download
    that finished. An item past its TTL (the event never came) counts as none.
    """
    if item is None or int(item.attempt or 0) != job["attempt"]:
        return False
    if item.expires_at is not None and item.expires_at <= now:
        return False
    if item.status in ENDED:
        return True
    return item.updated_at is not None and now - item.updated_at <= limit


def _silence(job: JobRow, beats: dict[str, WorkerHeartbeat], item: DownloadTelemetry | None, now: datetime,
             limit: timedelta) -> str | None:
    """Why the running job has no live worker (an error code), or None when it has one.

    Judged by what the worker writes (heartbeat, the job's telemetry), not by
    when its events arrived: a slow event path is not a dead worker.
    """
    if _telemetry_alive(job, item, now, limit):
        return None
    last = job["last_event_at"] or job["updated_at"]
    worker = beats.get(job["worker_id"] or "")
    if worker is None:  # no heartbeat item (expired or never written): judge by the last event
        return "worker_offline" if now - last > limit else None
    if not worker.is_online(now, limit):
        return "worker_offline"
    # Alive but not running it (it crashed between parking and reporting, or lost its staging).
    if str(job["id"]) not in (worker.job_ids or set()) and now - last > limit and worker.last_seen > last:
        return "worker_lost_job"
    return None


def _observe(running: list[JobRow]) -> tuple[dict[str, WorkerHeartbeat], dict[str, DownloadTelemetry]] | None:
    """The heartbeats of the running jobs' workers and the jobs' telemetry; None when DynamoDB is away."""
    if not running:
        return {}, {}
    beats = live.heartbeats_for(job["worker_id"] for job in running if job["worker_id"] is not None)
    items = live.telemetry_or_none(str(job["id"]) for job in running) if beats is not None else None
    return None if beats is None or items is None else (beats, items)


def stall_silent_workers(result: Result) -> None:
    """Mark running jobs of workers that stopped beating (and stopped writing their telemetry) as stalled."""
    settings = get_settings().downloads
    limit = timedelta(seconds=settings.heartbeat_stale)
    now = datetime.now(UTC)
    with db.transaction() as conn:
        running = list(queries.lock_running(conn, limit=BATCH))
        seen = _observe(running)
        if seen is None:  # DynamoDB is down: do not stall every job because we cannot see
            result.errors.append("heartbeats_unavailable")
            return
        beats, items = seen
        for job in running:
            reason = _silence(job, beats, items.get(str(job["id"])), now, limit)
            if reason is None or not allowed(job["status"], "stalled", "reconciler"):
                continue
            queries.apply_state(
                conn, job_id=job["id"], status="stalled", progress=job["progress"], bytes_done=job["bytes_done"],
                bytes_total=job["bytes_total"], error_code=reason,
                error_message="The worker running this download stopped reporting on it", worker_id=None,
                next_retry_at=now + timedelta(seconds=settings.retry_backoff))
            _event(conn, job, "stalled", job["attempt"], reason.replace("_", " "), workerId=job["worker_id"])
            result.stalled += 1
    if result.stalled:
        get_logger().warning("downloads of silent workers stalled", extra={
            "action": "download_worker_offline", "jobs": result.stalled})


def reconcile() -> Result:
    """Run every step; a failing step is logged and does not stop the others."""
    result = Result()
    for step in (stall_silent_workers, retry_stalled, send_owed_commands):
        try:
            step(result)
        except Exception as exc:
            get_logger().exception("reconciler step failed", extra={
                "action": "download_reconcile_failed", "step": step.__name__})
            result.errors.append(f"{step.__name__}: {type(exc).__name__}")
    return result
