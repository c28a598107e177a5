"""Admin operations: workers (heartbeats), scheduled jobs, queue depths, storage usage."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from botocore.exceptions import BotoCoreError, ClientError
from pynamodb.exceptions import PynamoDBException

from chalicelib import aws, db
from chalicelib.admin.jobs import JOBS
from chalicelib.awsinit import dlq_name
from chalicelib.config import get_settings
from chalicelib.errors import NotFound, ServiceUnavailable
from chalicelib.logs import get_logger

ONLINE_WITHIN = timedelta(seconds=30)  # the worker beats every few seconds (worker/heartbeat.py)


class JobNotFound(NotFound):
    code = "sync_job_not_found"


class OpsUnavailable(ServiceUnavailable):
    code = "ops_source_unavailable"


def workers(now: datetime | None = None) -> list[dict[str, Any]]:
    """Every worker that sent a heartbeat (items expire by TTL), newest first."""
    from chalicelib.telemetry import WorkerHeartbeat

    now = now or datetime.now(UTC)
    try:
        beats = list(WorkerHeartbeat.scan())
    except (PynamoDBException, BotoCoreError) as exc:
        get_logger().warning("heartbeats unavailable", extra={"action": "admin_workers_unavailable",
                                                              "error": type(exc).__name__})
        raise OpsUnavailable("Worker heartbeats are unavailable (DynamoDB did not answer)") from exc
    rows = [{"id": b.worker_id, "version": b.version, "last_seen": b.last_seen, "started_at": b.started_at,
             "free_disk_bytes": int(b.free_disk_bytes or 0), "active_jobs": int(b.active_jobs or 0),
             "online": b.is_online(now, ONLINE_WITHIN)} for b in beats]
    return sorted(rows, key=lambda row: row["last_seen"], reverse=True)


def sync_jobs(conn: Any) -> list[dict[str, Any]]:
    """Every known scheduled job with its last run (never-run jobs included, with nulls)."""
    state = {row["job_name"]: row for row in db.queries().admin_ops_sync_jobs(conn)}
    names = sorted(set(JOBS) | set(state))
    return [{"name": name, "schedule": JOBS[name][0] if name in JOBS else None, "can_run": name in JOBS,
             **_state(state.get(name))} for name in names]


def _state(row: dict[str, Any] | None) -> dict[str, Any]:
    row = row or {}
    return {"last_started_at": row.get("last_started_at"), "last_finished_at": row.get("last_finished_at"),
            "status": row.get("last_status"), "error": row.get("last_error"), "duration_ms": row.get("duration_ms"),
            "last_success_at": row.get("last_success_at"),
            "consecutive_failures": row.get("consecutive_failures") or 0, "stats": row.get("stats") or {}}


def run_now(job_name: str, user_id: UUID) -> dict[str, Any]:
    """Run a scheduled job now (same function as its schedule) and return its recorded state."""
    if job_name not in JOBS:
        raise JobNotFound(f"No scheduled job named {job_name!r}")
    get_logger().info("job run requested", extra={"action": "admin_job_run", "job": job_name,
                                                  "user_id": str(user_id)})
    JOBS[job_name][1](user_id)
    with db.connection() as conn:
        row = db.queries().admin_ops_sync_job(conn, job_name=job_name)
    return {"name": job_name, "schedule": JOBS[job_name][0], "can_run": True, **_state(row)}


def _depth(sqs: Any, name: str) -> dict[str, int]:
    attrs = sqs.get_queue_attributes(QueueUrl=aws.queue_url(name), AttributeNames=[
        "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])["Attributes"]
    return {"visible": int(attrs["ApproximateNumberOfMessages"]),
            "in_flight": int(attrs["ApproximateNumberOfMessagesNotVisible"])}


def queues() -> list[dict[str, Any]]:
    """Depth of both queues and of their dead-letter queues."""
    sqs = aws.client("sqs")
    try:
        return [{"name": name, **_depth(sqs, name), "dead_letters": _depth(sqs, dlq_name(name))["visible"]}
                for name in get_settings().aws.queues]
    except (BotoCoreError, ClientError) as exc:
        raise OpsUnavailable("Queue attributes are unavailable (SQS did not answer)") from exc


def storage(conn: Any) -> list[dict[str, Any]]:
    """Library files and bytes per media type (from library_items)."""
    return [dict(row) for row in db.queries().admin_ops_storage(conn)]
