"""The monitor: every ``DOWNLOAD_POLL_INTERVAL`` seconds, look at every job; at a hurried job every ``FAST_TICK``.

For a running job it asks the engine for progress, overwrites the job's
telemetry item (and reads the cancel flag back from the same write), reports
a state change to the control plane, notices a stall (no payload for
``DOWNLOAD_STALL_TIMEOUT``) and hands a finished job to the uploader. A job
leaves the worker only after its last state (completed, failed, stalled,
cancelled) was actually sent: until then it keeps its slot and the next tick
sends again.

The player learns that a file can start from the telemetry item, and the worker learns what the player asked
for from the same write: at the 3 s default, pressing play on a new torrent waited up to a poll for the
metadata to be noticed (and the file's start to be put first), and up to another for the ready bytes to be
seen. So a job is hurried, looked at every ``FAST_TICK``, for its first ``YOUNG`` seconds ("Watch now" waits
on exactly those) and for ``PLAY_HURRY`` seconds after a new play request (worker.stream.report), until the
file to play can start. A job nobody waits on costs a write per poll, as before.
"""

from __future__ import annotations

import time
from concurrent.futures import Executor

from worker import reporter, upload_ahead, uploader
from worker.context import WorkerContext
from worker.engines.base import EngineError, Progress, TransientError
from worker.jobs import ActiveJob

SWEEP_EVERY = 600.0  # seconds between looks for abandoned staging
FAST_TICK = 0.25  # seconds between looks at a hurried job
YOUNG = 30.0  # seconds from a job's start during which it is hurried (unless its file can start before)


def run(ctx: WorkerContext, uploads: Executor) -> None:
    every = min(ctx.settings.engines.poll_interval, FAST_TICK)
    next_sweep = time.monotonic()
    while not ctx.stopping.wait(every):
        tick(ctx, uploads)
        if time.monotonic() >= next_sweep:
            sweep(ctx)
            next_sweep = time.monotonic() + SWEEP_EVERY


def sweep(ctx: WorkerContext) -> None:
    with ctx.lock:
        running = set(ctx.active_jobs)
    removed = ctx.store.sweep(ctx.settings.engines.parked_retention, keep=running)
    if removed:
        ctx.logger.info("abandoned staging removed", extra={"action": "staging_swept", "jobs": removed})


def due(ctx: WorkerContext, job: ActiveJob, now: float) -> bool:
    """A hurried job on every tick, any other once a poll interval (half a tick early, not a tick late)."""
    interval = ctx.settings.engines.poll_interval
    return now < job.hurry_until or now - job.looked_at >= interval - min(interval, FAST_TICK) / 2


def tick(ctx: WorkerContext, uploads: Executor) -> None:
    now = time.monotonic()
    for job in list(ctx.active_jobs.values()):
        if not due(ctx, job, now):
            continue
        job.looked_at = now
        try:
            check(ctx, job, uploads)
        except Exception:  # one job's surprise must not stop the others being watched
            ctx.logger.exception("monitor check failed", extra={"action": "monitor_failed", "job_id": job.job_id})


def check(ctx: WorkerContext, job: ActiveJob, uploads: Executor) -> None:
    if job.phase == "reporting":
        report_final(ctx, job)
    elif job.phase == "uploading":
        _watch_upload(ctx, job, uploads)
    else:
        _watch_transfer(ctx, job, uploads)


def _watch_transfer(ctx: WorkerContext, job: ActiveJob, uploads: Executor) -> None:
    try:
        progress = job.engine.status(job.job_id)
        _check_stall(ctx, job, progress)
    except EngineError as exc:
        end_with_error(ctx, job, exc)
        return
    job.progress = progress
    status = "preparing" if progress.phase == "preparing" else "downloading"
    if reporter.write_telemetry(ctx, job, status, progress):
        cancel(ctx, job)
        return
    if status != job.last_sent:
        reporter.send_state(ctx, job, status, progress)
    upload_ahead.tick(ctx, job)  # parts whose bytes are on disk go to the bucket now
    if progress.phase == "finished":
        start_upload(ctx, job, uploads)


def _check_stall(ctx: WorkerContext, job: ActiveJob, progress: Progress) -> None:
    now = time.monotonic()
    if progress.phase == "finished" or progress.bytes_done > job.last_bytes:
        job.last_bytes, job.last_progress_at = progress.bytes_done, now
        return
    timeout = ctx.settings.engines.stall_timeout
    if now - job.last_progress_at >= timeout:
        code = "no_peers" if progress.peers == 0 else "no_progress"
        raise TransientError(code, f"No data arrived for {timeout:g} seconds")


def end_with_error(ctx: WorkerContext, job: ActiveJob, exc: EngineError) -> None:
    """Stop the job: ``stalled`` keeps its data for the retry, ``failed`` removes it."""
    if exc.retryable:
        job.engine.remove(job.job_id)
        upload_ahead.close(job)  # the retry reuses the parts already in the bucket
        ctx.store.park(job)
        status = "stalled"
    else:
        job.engine.cancel(job.job_id)
        upload_ahead.abort(ctx, job)
        ctx.store.delete(job.job_id)
        status = "failed"
    ctx.logger.warning("download stopped", extra={"action": f"download_{status}", "job_id": job.job_id,
                                                  "attempt": job.attempt, "error_code": exc.code})
    job.final = (status, job.progress, exc.code, exc.message)
    job.phase = "reporting"
    report_final(ctx, job)


def cancel(ctx: WorkerContext, job: ActiveJob) -> None:
    """The user cancelled: stop the engine and remove every partial byte."""
    job.cancelled = True
    if job.phase == "running":
        job.engine.cancel(job.job_id)
    upload_ahead.abort(ctx, job)  # no multipart upload of it stays behind
    ctx.store.delete(job.job_id)
    ctx.logger.info("download cancelled", extra={"action": "download_cancel_honoured", "job_id": job.job_id})
    job.final = ("cancelled", job.progress, None, None)
    job.phase = "reporting"
    report_final(ctx, job)


def report_final(ctx: WorkerContext, job: ActiveJob) -> None:
    """Send the job's last state; once sent, the job leaves the worker (and its staging, if done)."""
    assert job.final is not None
    status, progress, code, message = job.final
    if not reporter.send_state(ctx, job, status, progress, error_code=code, error=message):
        return  # the next tick tries again; the job keeps its slot meanwhile
    if status == "completed":
        ctx.store.delete(job.job_id)  # every file is in the bucket and reported
    # The final status in telemetry also tells a late duplicate command that this attempt is over.
    reporter.write_telemetry(ctx, job, status, progress or Progress("preparing", 0, None))
    with ctx.lock:
        if ctx.active_jobs.get(job.job_id) is job:
            del ctx.active_jobs[job.job_id]


def start_upload(ctx: WorkerContext, job: ActiveJob, uploads: Executor) -> None:
    ctx.logger.info("download finished", extra={"action": "download_finished", "job_id": job.job_id,
                                                 "bytes": job.progress.bytes_done if job.progress else None})
    job.files = job.engine.files(job.spec)
    job.engine.remove(job.job_id)  # closes the files; the data stays in staging
    job.phase = "uploading"
    job.upload = uploads.submit(_upload, ctx, job)


def _upload(ctx: WorkerContext, job: ActiveJob) -> None:
    uploader.store_job(ctx, job)
    report_final(ctx, job)


def _watch_upload(ctx: WorkerContext, job: ActiveJob, uploads: Executor) -> None:
    done = Progress("finished", job.progress.bytes_done if job.progress else 0,
                    job.progress.bytes_total if job.progress else None)
    if reporter.write_telemetry(ctx, job, "downloading", done):
        job.cancelled = True  # the upload thread stops at its next part
    if job.upload is None or not job.upload.done():
        return
    error = job.upload.exception()
    if isinstance(error, uploader.Interrupted) and job.cancelled:
        cancel(ctx, job)
    elif isinstance(error, uploader.StagingLost):  # retried as a whole: the engine fetches what is missing
        end_with_error(ctx, job, TransientError("staging_lost", "A downloaded file vanished from staging before "
                                                                "it was stored; the retry fetches it again"))
    elif error is not None and not ctx.stopping.is_set():
        ctx.logger.error("upload thread failed, starting it again", extra={
            "action": "upload_restart", "job_id": job.job_id, "error": repr(error)})
        job.upload = uploads.submit(_upload, ctx, job)
