"""The dispatcher: takes ``download.start`` commands off SQS while a slot is free.

It asks for at most as many messages as it has free slots
(``DOWNLOAD_MAX_ACTIVE``), so commands it cannot run stay in the queue for
later (or for another worker). A command is deleted only after the job is
persisted in staging and handed to its engine: a crash before that leaves the
message to be delivered again, a crash after it is recovered from staging.
Commands are idempotent: the attempt a job already runs is ignored, a newer
attempt takes over the running job.
"""

from __future__ import annotations

import dataclasses

from botocore.exceptions import BotoCoreError, ClientError
from pydantic import ValidationError

from chalicelib import aws
from chalicelib.messages import DownloadStart, LibraryRescan, parse_command
from worker import monitor, reporter
from worker.context import WorkerContext
from worker.engines.base import EngineError, PermanentError
from worker.jobs import ActiveJob
from worker.scanner import loop as library

RETRY_VISIBILITY = 15  # seconds before a command we could not start yet is delivered again
FOREIGN_VISIBILITY = 30  # commands for another part of the worker (not handled here yet)
SQS_ERRORS = (BotoCoreError, ClientError)


class RetryLater(Exception):
    """The command cannot start now (e.g. the .torrent is not readable yet)."""


def run(ctx: WorkerContext) -> None:
    url = aws.queue_url(ctx.settings.aws.commands_queue)
    while not ctx.stopping.is_set():
        free = ctx.free_slots()
        if free == 0:
            ctx.stopping.wait(0.25)
            continue
        try:
            messages = ctx.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=min(free, 10),
                                               WaitTimeSeconds=ctx.settings.engines.command_wait).get("Messages", [])
        except SQS_ERRORS as exc:
            ctx.logger.warning("command queue unreachable", extra={"action": "dispatcher_receive_failed",
                                                                   "error": type(exc).__name__})
            ctx.stopping.wait(2)
            continue
        for message in messages:
            handle(ctx, url, message)


def _delete(ctx: WorkerContext, url: str, message: dict) -> None:
    try:
        ctx.sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    except SQS_ERRORS:
        pass  # delivered again later: a rescan is idempotent


def _visibility(ctx: WorkerContext, url: str, message: dict, seconds: int) -> None:
    try:
        ctx.sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"],
                                          VisibilityTimeout=seconds)
    except SQS_ERRORS:
        pass  # it becomes visible again after the queue's own timeout


def handle(ctx: WorkerContext, url: str, message: dict) -> None:
    if ctx.stopping.is_set():  # draining: give it back at once for the next start
        _visibility(ctx, url, message, 0)
        return
    try:
        command = parse_command(message["Body"])
    except ValidationError as exc:
        ctx.logger.error("malformed command", extra={"action": "command_malformed", "errors": exc.error_count()})
        _visibility(ctx, url, message, 0)  # redelivered until the redrive policy moves it to the DLQ
        return
    if isinstance(command, LibraryRescan) and library.request(command):
        _delete(ctx, url, message)  # queued for the scanner loop; a lost rescan is redone by the schedule
        return
    if not isinstance(command, DownloadStart):
        ctx.logger.warning("command not handled here", extra={"action": "command_unhandled", "type": command.type})
        _visibility(ctx, url, message, FOREIGN_VISIBILITY)
        return
    try:
        start(ctx, command)
    except RetryLater as exc:
        ctx.logger.warning("download cannot start yet", extra={"action": "download_start_deferred",
                                                               "job_id": command.job_id, "reason": str(exc)})
        _visibility(ctx, url, message, RETRY_VISIBILITY)
        return
    try:
        ctx.sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    except SQS_ERRORS:
        pass  # a redelivery of a running attempt is ignored


def _running(ctx: WorkerContext, command: DownloadStart) -> bool:
    """Handle a command for a job this worker already has; True when nothing more is to do."""
    job: ActiveJob | None = ctx.active_jobs.get(command.job_id)
    if job is None:
        return False
    if command.attempt <= job.attempt:
        return True  # a redelivery
    if job.phase == "reporting" and job.final and job.final[0] == "stalled":
        del ctx.active_jobs[command.job_id]  # the retry supersedes the stall we were still reporting
        return False
    # The control plane gave up on our attempt (we looked silent) and retried: carry on as the new one.
    job.command = command
    job.spec = dataclasses.replace(job.spec, attempt=command.attempt)
    job.last_sent = None
    ctx.store.save(command, None)
    ctx.logger.info("running download takes a new attempt", extra={
        "action": "download_attempt_adopted", "job_id": command.job_id, "attempt": command.attempt})
    return True


def _torrent(ctx: WorkerContext, command: DownloadStart) -> bytes | None:
    if command.source_type != "torrent":
        return None
    stored = ctx.store.load(command.job_id)
    if stored is not None and stored[1] is not None:
        return stored[1]
    try:
        body = ctx.s3.get_object(Bucket=ctx.settings.aws.bucket, Key=command.torrent_key or "")["Body"]
        return body.read()
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
            raise PermanentError("torrent_missing", "The uploaded .torrent file is gone") from exc
        raise RetryLater(f"torrent file unreadable: {type(exc).__name__}") from exc
    except BotoCoreError as exc:
        raise RetryLater(f"torrent file unreadable: {type(exc).__name__}") from exc


def start(ctx: WorkerContext, command: DownloadStart, *, defer: bool = True) -> ActiveJob | None:
    """Start (or resume) a job from its command; None when there is nothing to start.

    ``defer``: a command for the torrent another job is downloading raises ``RetryLater`` (it waits in the queue
    without a slot); else (a job resumed from staging) the engine stops it as retryable (``same_torrent``)."""
    with ctx.lock:
        if _running(ctx, command):
            return None
    reason = reporter.already_handled(ctx, command.job_id, command.attempt)
    if reason == "cancelled":
        ctx.store.delete(command.job_id)
        ctx.logger.info("cancelled before it started", extra={"action": "download_skipped_cancelled",
                                                              "job_id": command.job_id})
        return None
    if reason is not None:
        ctx.logger.info("attempt already ended here", extra={"action": "download_skipped_duplicate",
                                                             "job_id": command.job_id, "reason": reason})
        return None
    failure: EngineError | None = None
    try:
        torrent = _torrent(ctx, command)
    except PermanentError as exc:
        torrent, failure = None, exc
    engine = ctx.engines[command.source_type]
    holder = engine.holder(command.source, torrent) if defer and failure is None else None
    if holder is not None and holder != command.job_id:
        raise RetryLater(f"the same torrent is downloading for job {holder}")
    spec = ctx.store.save(command, torrent)
    job = ActiveJob(command=command, spec=spec, engine=engine)
    job.hurry(monitor.YOUNG)  # "Watch now" waits on a new job's metadata and first pieces
    with ctx.lock:
        ctx.active_jobs[command.job_id] = job
    ctx.logger.info("download started", extra={"action": "download_started", "job_id": command.job_id,
                                               "attempt": command.attempt, "source_type": command.source_type})
    try:
        if failure is not None:
            raise failure
        job.engine.add(spec)
    except EngineError as exc:
        monitor.end_with_error(ctx, job, exc)
        return job
    reporter.send_state(ctx, job, "preparing")
    return job


def resume_unfinished(ctx: WorkerContext) -> int:
    """Start again every job that was running when the worker last stopped (or was killed)."""
    resumed = 0
    for job_id in ctx.store.unfinished():
        loaded = ctx.store.load(job_id)
        if loaded is None:
            continue
        command, _torrent_bytes, _parked = loaded
        if start(ctx, command, defer=False) is not None:
            resumed += 1
    if resumed:
        ctx.logger.info("unfinished downloads resumed", extra={"action": "downloads_resumed", "jobs": resumed})
    return resumed
