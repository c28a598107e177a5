"""The control plane's side of the DynamoDB items: live telemetry, cancel flags, heartbeats.

Telemetry only ever enriches a response: when DynamoDB is unreachable the
API answers from Postgres and says so in a warning log line. The cancel flag
is different: a worker may be running the job, so failing to set it is an
error the caller must see.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from botocore.exceptions import BotoCoreError
from pynamodb.exceptions import PynamoDBException

from chalicelib.logs import get_logger
from chalicelib.telemetry import DownloadTelemetry, WorkerHeartbeat

TELEMETRY_TTL = timedelta(days=1)
DYNAMO_ERRORS = (PynamoDBException, BotoCoreError)


def telemetry_for(job_ids: Iterable[str]) -> dict[str, DownloadTelemetry]:
    """Telemetry items by job id; empty when DynamoDB does not answer."""
    return telemetry_or_none(job_ids) or {}


def telemetry_or_none(job_ids: Iterable[str]) -> dict[str, DownloadTelemetry] | None:
    """Telemetry items by job id, or ``None`` when DynamoDB does not answer (the reconciler must not
    take "cannot see" for "silent")."""
    ids = sorted(set(job_ids))
    if not ids:
        return {}
    try:
        return {item.job_id: item for item in DownloadTelemetry.batch_get(ids)}
    except DYNAMO_ERRORS as exc:
        get_logger().warning("live telemetry unavailable", extra={
            "action": "download_telemetry_unavailable", "error": type(exc).__name__})
        return None


def request_cancel(job_id: str) -> None:
    """Raise the job's cancel flag for the worker's monitor (creates the item if needed)."""
    now = datetime.now(UTC)
    item = DownloadTelemetry(job_id)
    item.update(actions=[
        DownloadTelemetry.cancel_requested.set(True),
        DownloadTelemetry.expires_at.set(now + TELEMETRY_TTL),
    ])


def heartbeats_for(worker_ids: Iterable[str]) -> dict[str, WorkerHeartbeat] | None:
    """Heartbeat items by worker id, or ``None`` when DynamoDB does not answer."""
    ids = sorted({w for w in worker_ids if w})
    if not ids:
        return {}
    try:
        return {item.worker_id: item for item in WorkerHeartbeat.batch_get(ids)}
    except DYNAMO_ERRORS as exc:
        get_logger().warning("worker heartbeats unavailable", extra={
            "action": "download_heartbeats_unavailable", "error": type(exc).__name__})
        return None
