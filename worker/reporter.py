"""What the worker tells the control plane: events on SQS, live telemetry in DynamoDB.

A send that fails is reported to the caller (False), which tries again on
its next tick; nothing here retries forever or hides the failure.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from botocore.exceptions import BotoCoreError, ClientError
from pynamodb.exceptions import DoesNotExist, PynamoDBException

from chalicelib import aws
from chalicelib.messages import DownloadFileStored, DownloadState, DownloadStatus, Message
from chalicelib.telemetry import DownloadTelemetry
from worker.context import WorkerContext
from worker.engines.base import Progress
from worker.jobs import ActiveJob
from worker.stream import report as streamfiles

ERRORS = (BotoCoreError, ClientError, PynamoDBException)


def send(ctx: WorkerContext, message: Message) -> bool:
    try:
        ctx.sqs.send_message(QueueUrl=aws.queue_url(ctx.settings.aws.events_queue), MessageBody=message.to_json())
        return True
    except ERRORS as exc:
        ctx.logger.warning("event not sent, will retry", extra={
            "action": "worker_event_send_failed", "type": getattr(message, "type", None), "error": type(exc).__name__})
        return False


def send_state(ctx: WorkerContext, job: ActiveJob, status: str, progress: Progress | None = None, *,
               error_code: str | None = None, error: str | None = None) -> bool:
    """Report ``status`` for the job's current attempt; remembers it when the send worked."""
    # The monitor passes its state machine's statuses as plain strings; the model still validates them.
    message = DownloadState(
        job_id=job.job_id, attempt=job.attempt, status=cast(DownloadStatus, status), worker_id=ctx.settings.worker_id,
        progress=100.0 if status == "completed" else (progress.percent if progress else 0.0),
        bytes_done=progress.bytes_done if progress else 0,
        bytes_total=progress.bytes_total if progress else None,
        speed_bps=progress.speed_bps if progress else 0, eta_seconds=progress.eta_seconds if progress else None,
        error_code=error_code, error=error[:4000] if error else None)
    sent = send(ctx, message)
    if sent:
        job.last_sent = status
        ctx.logger.info("download state reported", extra={
            "action": "worker_state_sent", "job_id": job.job_id, "attempt": job.attempt, "status": status,
            "error_code": error_code})
    return sent


def send_file_stored(ctx: WorkerContext, job: ActiveJob, key: str, path: str, size: int, sha256: str) -> bool:
    return send(ctx, DownloadFileStored(job_id=job.job_id, attempt=job.attempt, key=key, path=path, size=size,
                                        sha256=sha256))


def write_telemetry(ctx: WorkerContext, job: ActiveJob, status: str, progress: Progress) -> bool | None:
    """Overwrite the job's live item; returns its cancel flag (None when DynamoDB did not answer).

    An update, not a put: the API raises ``cancel_requested`` (and the play
    request ``stream_file``/``prefetch_files``) on the same item and a put
    would wipe it out. The payload's files and how much of each is on disk
    (``files_json``) are written when they changed; the play request read
    back from the same write is passed to the engine when it is new.
    """
    now = datetime.now(UTC)
    item = DownloadTelemetry(job.job_id)
    files = streamfiles.files_json(job, progress)
    try:
        item.update(actions=[
            *([DownloadTelemetry.files_json.set(files)] if files is not None and files != job.files_json else []),
            DownloadTelemetry.attempt.set(job.attempt),
            DownloadTelemetry.status.set(status),
            DownloadTelemetry.progress.set(progress.percent),
            DownloadTelemetry.bytes_done.set(progress.bytes_done),
            _set_or_remove(DownloadTelemetry.bytes_total, progress.bytes_total),
            DownloadTelemetry.speed_bps.set(round(progress.speed_bps, 1)),
            _set_or_remove(DownloadTelemetry.eta_seconds, progress.eta_seconds),
            _set_or_remove(DownloadTelemetry.peers, progress.peers),
            DownloadTelemetry.worker_id.set(ctx.settings.worker_id),
            DownloadTelemetry.updated_at.set(now),
            DownloadTelemetry.expires_at.set(now + timedelta(seconds=ctx.settings.engines.telemetry_ttl)),
        ])
    except ERRORS as exc:
        ctx.logger.warning("telemetry not written", extra={"action": "worker_telemetry_failed",
                                                           "job_id": job.job_id, "error": type(exc).__name__})
        return None
    if files is not None:
        job.files_json = files
    streamfiles.follow_request(ctx, job, item)
    if streamfiles.settle(job):
        ctx.logger.info("stream can start", extra={
            "action": "stream_can_start", "job_id": job.job_id,
            "seconds": round(time.monotonic() - job.started_at, 3)})  # from the job's start on this worker
    return bool(item.cancel_requested)


FINAL = ("completed", "failed", "stalled", "cancelled")


def already_handled(ctx: WorkerContext, job_id: str, attempt: int) -> str | None:
    """Why a ``download.start`` must not run (None when it may).

    The job's telemetry item says so when the user cancelled it, or when this
    attempt already ended here (a redelivered or resent command arriving after
    the job left the worker). Unknown (DynamoDB away) means it may run.
    """
    try:
        item = DownloadTelemetry.get(job_id, attributes_to_get=["cancel_requested", "attempt", "status"])
    except DoesNotExist:  # DownloadTelemetry.DoesNotExist derives from it; pyright cannot see that class
        return None
    except ERRORS as exc:
        ctx.logger.warning("telemetry unreadable", extra={"action": "worker_telemetry_failed", "job_id": job_id,
                                                          "error": type(exc).__name__})
        return None
    if item.cancel_requested:
        return "cancelled"
    if int(item.attempt or 0) >= attempt and item.status in FINAL:
        return f"attempt_{item.status}"
    return None


def _set_or_remove(attribute: Any, value: Any) -> Any:
    return attribute.remove() if value is None else attribute.set(value)
