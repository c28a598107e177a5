"""Downloads -> the bucket: every payload file as one verified object, then ``download.file_stored``.

Most parts went up while the engine was still downloading (``upload_ahead``);
``store_job`` runs once the engine has finished and, per file, completes the
hash pass, skips an object already stored with the same bytes (a retry after
a crash), sends the parts still missing in parallel, completes the multipart
upload and verifies it (``multipart.FileUpload``: size, composite SHA256,
then the sha256 tag). A file of a single part is one PUT. A bucket that is
briefly away is retried with back-off and keeps the parts already sent; the
staging copy is deleted only after every file is stored and reported and
the job's ``completed`` event is sent.
"""

from __future__ import annotations

import time
from concurrent.futures import wait
from typing import Any

from botocore.exceptions import ClientError

from worker import reporter, upload_ahead
from worker.context import WorkerContext
from worker.engines.base import Progress, StagedFile
from worker.jobs import ActiveJob
from worker.multipart import UPLOAD_ERRORS, FileUpload, Interrupted, stored_sha256
from worker.scanner import loop as library
from worker.upload_ahead import KEY_PREFIX, storage_key

__all__ = ["KEY_PREFIX", "Interrupted", "StagingLost", "storage_key", "store_job", "upload_file"]

MAX_BACKOFF = 30.0


class StagingLost(Exception):
    """A finished file is gone from staging: no retry of the upload brings it back (the job's retry does)."""


def _file(ctx: WorkerContext, job: ActiveJob, staged: StagedFile) -> FileUpload:
    """The file's upload state (the one upload-ahead fed, if any), checked against the file as it is now."""
    size = staged.local.stat().st_size
    upload = upload_ahead.of(ctx, job).file(staged.path, staged.local, size)
    if not upload.check(size=size):
        raise OSError(f"{staged.path}: not readable")
    return upload


def upload_file(ctx: WorkerContext, job: ActiveJob, staged: StagedFile) -> tuple[str, int]:
    """Store one file under the job's prefix; returns (sha256, size)."""
    upload = _file(ctx, job, staged)
    ahead = len(upload.parts)  # sent while downloading (or by an earlier try, reused)
    tagged = stored_sha256(ctx.s3, ctx.settings.aws.bucket, upload.key, upload.size)
    sent = 0
    if upload.multipart and tagged is None and not upload.hashed_all:
        sent += _hash_while_sending(ctx, job, upload)
    upload.hash_to(upload.size)
    sha256, size = upload.sha256(), upload.size
    if tagged == sha256:
        upload.forget()
        return sha256, size
    if not upload.multipart:
        upload.put()
        return sha256, size
    upload.ensure_open()
    if upload.leftovers_aborted:
        ctx.logger.info("leftover multipart upload aborted", extra={"action": "multipart_leftover_aborted",
                                                                    "key": upload.key})
    sent += _send_parts(ctx, job, upload, upload.missing())
    upload.complete()
    ctx.logger.info("multipart upload completed", extra={
        "action": "multipart_completed", "job_id": job.job_id, "key": upload.key, "parts": upload.count,
        "parts_ahead": ahead, "parts_sent_at_finish": sent, "reused_parts": upload.reused})
    return sha256, size


def _hash_while_sending(ctx: WorkerContext, job: ActiveJob, upload: FileUpload) -> int:
    """The rest of the hash pass on one thread while the parts not sent yet go on the others.

    Parts sent before the pass reached them carry their own digest and are checked against it afterwards.
    """
    upload.ensure_open()
    hashing = upload_ahead.of(ctx, job).pool.submit(upload.hash_to, upload.size)
    try:
        sent = _send_parts(ctx, job, upload, [n for n in range(1, upload.count + 1) if n not in upload.parts],
                           check=False)
    finally:
        wait([hashing])  # never two hash passes on the file at once (a retry starts another)
    hashing.result()
    return sent


def _send_parts(ctx: WorkerContext, job: ActiveJob, upload: FileUpload, numbers: list[int], *,
                check: bool = True) -> int:
    """Upload ``numbers`` on the job's pool (how many); stops between parts when the worker stops or the job
    is cancelled."""
    epoch, pool = upload.epoch, upload_ahead.of(ctx, job).pool

    def send(number: int) -> None:
        if ctx.stopping.is_set() or job.cancelled:
            raise Interrupted()
        upload.upload_part(number, epoch)

    futures = [pool.submit(send, number) for number in numbers]
    wait(futures)
    for future in futures:
        future.result()  # the first error (Interrupted, a bucket error) goes to the back-off loop
    if check and upload.missing():
        raise OSError(f"{upload.key}: the file changed while it was uploaded")
    return len(numbers)


def _with_backoff(ctx: WorkerContext, job: ActiveJob, action: Any) -> Any:
    delay = 1.0
    while True:
        if ctx.stopping.is_set() or job.cancelled:
            raise Interrupted()
        try:
            return action()
        except Interrupted:
            raise
        except FileNotFoundError as exc:
            raise StagingLost(str(exc)) from exc
        except UPLOAD_ERRORS as exc:
            ctx.logger.warning("upload failed, retrying", extra={
                "action": "upload_retry", "job_id": job.job_id, "error": type(exc).__name__, "delay": delay})
        if ctx.stopping.wait(delay):
            raise Interrupted()
        delay = min(MAX_BACKOFF, delay * 2)


def store_job(ctx: WorkerContext, job: ActiveJob) -> None:
    """Upload and report every file of a finished job, then report it completed.

    Runs on an upload thread. Returns with the job handed back for reporting;
    raises ``Interrupted`` when the worker stops or the job is cancelled (the
    staging copy stays for the next start, or is removed by the cancel).
    """
    upload_ahead.of(ctx, job).engine_finished()
    for staged in job.files:
        if staged.path in job.stored:
            continue
        started = time.monotonic()
        sha256, size = _with_backoff(ctx, job, lambda s=staged: upload_file(ctx, job, s))
        key = storage_key(job.job_id, staged.path)
        _with_backoff(ctx, job, lambda k=key, s=staged, h=sha256, n=size: _report(ctx, job, k, s.path, n, h))
        job.stored[staged.path] = sha256
        ctx.logger.info("file stored", extra={"action": "upload_done", "job_id": job.job_id, "key": key,
                                              "size": size, "seconds": round(time.monotonic() - started, 3)})
    ahead = upload_ahead.of(ctx, job)
    _with_backoff(ctx, job, lambda: ahead.abort_others({staged.path for staged in job.files}))
    ahead.close()
    library.index_download(ctx, job)  # into the media library while the staging copy is still here
    total = sum(staged.local.stat().st_size for staged in job.files)
    job.final = ("completed", Progress("finished", total, total), None, None)
    job.phase = "reporting"


def _report(ctx: WorkerContext, job: ActiveJob, key: str, path: str, size: int, sha256: str) -> None:
    if not reporter.send_file_stored(ctx, job, key, path, size, sha256):
        raise ClientError({"Error": {"Code": "SendFailed", "Message": "event not sent"}}, "SendMessage")
