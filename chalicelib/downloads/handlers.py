"""Worker events -> Postgres, through the one state machine.

``download.state`` and ``download.file_stored`` arrive at least once and in
no particular order. Each is applied under the job's row lock; an event the
state machine refuses (stale attempt, duplicate, not allowed, terminal job)
changes nothing and is acknowledged, so SQS does not redeliver it forever.
Raising is reserved for failures worth a redelivery (database down).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from chalicelib import db
from chalicelib.config import get_settings
from chalicelib.db import Conn
from chalicelib.downloads import dispatch, queries, timeline
from chalicelib.downloads.queries import JobRow
from chalicelib.downloads.statemachine import Decision, JobState, decide_worker_event
from chalicelib.events import on_event
from chalicelib.logs import get_logger
from chalicelib.messages import DownloadFileStored, DownloadState

KEY_PREFIX = "downloads/"


def _uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def _ignored(message: Any, reason: str) -> None:
    get_logger().info("worker event ignored", extra={
        "action": "download_event_ignored", "type": message.type, "job_id": message.job_id,
        "attempt": message.attempt, "reason": reason, "status": getattr(message, "status", None)})


def _write(conn: Conn, job: JobRow, decision: Decision, event: DownloadState) -> JobRow | None:
    failed = decision.status in ("failed", "stalled")
    next_retry = None
    if decision.status == "stalled":
        next_retry = datetime.now(UTC) + timedelta(seconds=get_settings().downloads.retry_backoff)
    return queries.apply_state(
        conn, job_id=job["id"], status=decision.status, progress=decision.progress,
        bytes_done=decision.bytes_done, bytes_total=decision.bytes_total,
        error_code=(event.error_code or decision.status) if failed else None,
        error_message=event.error if failed else None, worker_id=event.worker_id, next_retry_at=next_retry)


def apply_state(conn: Conn, event: DownloadState) -> Decision:
    """Apply one ``download.state`` event inside the caller's transaction."""
    job_id = _uuid(event.job_id)
    job = queries.lock_job(conn, job_id=job_id) if job_id else None
    if job is None:
        _ignored(event, "unknown_job")
        return Decision("ignore", "unknown_job")
    decision = decide_worker_event(JobState.from_row(job), event)
    if not decision.applies:
        _ignored(event, decision.reason)
        return decision
    _write(conn, job, decision, event)
    if decision.kind == "transition":
        timeline.record(conn, job, decision.status, actor="worker", attempt=event.attempt,
                        progress=decision.progress, message=event.error or None,
                        skipped=list(decision.skipped) or None, errorCode=event.error_code)
        get_logger().info("download state changed", extra={
            "action": "download_state_changed", "job_id": event.job_id, "attempt": event.attempt,
            "from_status": job["status"], "to_status": decision.status, "error_code": event.error_code})
    return decision


def apply_file_stored(conn: Conn, event: DownloadFileStored) -> bool:
    """Record one stored file; a redelivery or a stale attempt's report changes nothing."""
    job_id = _uuid(event.job_id)
    job = queries.lock_job(conn, job_id=job_id) if job_id else None
    if job is None:
        _ignored(event, "unknown_job")
        return False
    if event.attempt != job["attempt"]:
        _ignored(event, "stale_attempt")
        return False
    prefix = f"{KEY_PREFIX}{job['id']}/"
    if not event.key.startswith(prefix) or ".." in event.path.split("/") or not event.path:
        _ignored(event, "foreign_key")  # a worker may only report keys under the job's own prefix
        return False
    changed = queries.upsert_file(conn, job_id=job["id"], path=event.path, storage_key=event.key,
                                              size_bytes=event.size, sha256=event.sha256) > 0
    if changed:
        get_logger().info("download file stored", extra={"action": "download_file_recorded", "job_id": event.job_id,
                                                         "key": event.key, "size": event.size})
    return changed


@on_event("download.state")
def on_download_state(event: DownloadState) -> None:
    with db.transaction() as conn:
        decision = apply_state(conn, event)
    if decision.kind == "transition":
        dispatch.after_state(decision.status)  # an ended job's slot goes to a waiting one


@on_event("download.file_stored")
def on_file_stored(event: DownloadFileStored) -> None:
    with db.transaction() as conn:
        apply_file_stored(conn, event)
