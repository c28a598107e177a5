"""Admin operations: workers (heartbeats), scheduled jobs, queue depths, storage usage."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, TypedDict
from uuid import UUID

from botocore.exceptions import BotoCoreError, ClientError
from pynamodb.exceptions import PynamoDBException

from chalicelib import aws, db
from chalicelib.admin import queries
from chalicelib.admin.jobs import JOBS, NEEDS_KEY, missing_keys
from chalicelib.admin.queries import StorageRow, SyncJobRow
from chalicelib.awsinit import dlq_name
from chalicelib.config import get_settings
from chalicelib.errors import NotFound, ServiceUnavailable
from chalicelib.logs import get_logger
from chalicelib.telemetry import WorkerHeartbeat

ONLINE_WITHIN = timedelta(seconds=30)  # the worker beats every few seconds (worker/heartbeat.py)


class JobNotFound(NotFound):
    code = "sync_job_not_found"


class OpsUnavailable(ServiceUnavailable):
    code = "ops_source_unavailable"


class WorkerState(TypedDict):
    id: str
    version: str | None
    last_seen: datetime
    started_at: datetime | None
    free_disk_bytes: int
    active_jobs: int
    online: bool


class JobState(TypedDict):
    last_started_at: datetime | None
    last_finished_at: datetime | None
    status: str | None
    error: str | None
    duration_ms: int | None
    last_success_at: datetime | None
    consecutive_failures: int
    stats: dict[str, object]


class SyncJob(JobState):
    name: str
    schedule: str | None
    can_run: bool
    needs_key: str | None


class QueueDepth(TypedDict):
    name: str
    visible: int
    in_flight: int
    dead_letters: int


def workers(now: datetime | None = None) -> list[WorkerState]:
    """Every worker that sent a heartbeat (items expire by TTL), newest first."""
    now = now or datetime.now(UTC)
    try:
        beats = list(WorkerHeartbeat.scan())
    except (PynamoDBException, BotoCoreError) as exc:
        get_logger().warning("heartbeats unavailable", extra={"action": "admin_workers_unavailable",
                                                              "error": type(exc).__name__})
        raise OpsUnavailable("Worker heartbeats are unavailable (DynamoDB did not answer)") from exc
    rows: list[WorkerState] = [
        {"id": b.worker_id, "version": b.version, "last_seen": b.last_seen, "started_at": b.started_at,
         "free_disk_bytes": int(b.free_disk_bytes or 0), "active_jobs": int(b.active_jobs or 0),
         "online": b.is_online(now, ONLINE_WITHIN)} for b in beats]
    return sorted(rows, key=lambda row: row["last_seen"], reverse=True)


def sync_jobs() -> list[SyncJob]:
    """Every known scheduled job with its last run (never-run jobs included, with nulls)."""
    with db.connection() as conn:
        state = {row["job_name"]: row for row in queries.sync_jobs(conn)}
    names = sorted(set(JOBS) | set(state))
    missing = missing_keys()
    return [{"name": name, "schedule": JOBS[name][0] if name in JOBS else None, "can_run": name in JOBS,
             "needs_key": _needs(name, missing), **_state(state.get(name))} for name in names]


def _needs(name: str, missing: set[str]) -> str | None:
    """The service whose key the job lacks now (it records "skipped" until an admin adds one), else None."""
    service = NEEDS_KEY.get(name)
    return service if service in missing else None


def _state(row: SyncJobRow | None) -> JobState:
    if row is None:
        return {"last_started_at": None, "last_finished_at": None, "status": None, "error": None,
                "duration_ms": None, "last_success_at": None, "consecutive_failures": 0, "stats": {}}
    return {"last_started_at": row["last_started_at"], "last_finished_at": row["last_finished_at"],
            "status": row["last_status"], "error": row["last_error"], "duration_ms": row["duration_ms"],
            "last_success_at": row["last_success_at"],
            "consecutive_failures": row["consecutive_failures"] or 0, "stats": row["stats"] or {}}


def run_now(job_name: str, user_id: UUID) -> SyncJob:
    """Run a scheduled job now (same function as its schedule) and return its recorded state."""
    if job_name not in JOBS:
        raise JobNotFound(f"No scheduled job named {job_name!r}")
    get_logger().info("job run requested", extra={"action": "admin_job_run", "job": job_name,
                                                  "user_id": str(user_id)})
    JOBS[job_name][1](user_id)
    with db.connection() as conn:
        row = queries.sync_job(conn, job_name=job_name)
    return {"name": job_name, "schedule": JOBS[job_name][0], "can_run": True,
            "needs_key": _needs(job_name, missing_keys()), **_state(row)}


class Depth(TypedDict):
    visible: int
    in_flight: int


def _depth(sqs: Any, name: str) -> Depth:
    attrs = sqs.get_queue_attributes(QueueUrl=aws.queue_url(name), AttributeNames=[
        "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])["Attributes"]
    return {"visible": int(attrs["ApproximateNumberOfMessages"]),
            "in_flight": int(attrs["ApproximateNumberOfMessagesNotVisible"])}


def queues() -> list[QueueDepth]:
    """Depth of both queues and of their dead-letter queues."""
    sqs = aws.client("sqs")
    try:
        return [{"name": name, **_depth(sqs, name), "dead_letters": _depth(sqs, dlq_name(name))["visible"]}
                for name in get_settings().aws.queues]
    except (BotoCoreError, ClientError) as exc:
        raise OpsUnavailable("Queue attributes are unavailable (SQS did not answer)") from exc


def storage() -> list[StorageRow]:
    """Library files and bytes per media type (from library_items)."""
    with db.connection() as conn:
        return queries.storage(conn)
