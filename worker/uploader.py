"""Finished downloads -> the bucket: multipart uploads with a sha256 per file.

Each file is hashed first (the sha256 goes into the object's metadata and
the ``download.file_stored`` event), then uploaded with boto3's managed
multipart transfer (per-part SHA256 checksums, so S3 verifies every part).
An object that already holds the same bytes (a retry after a crash) is not
uploaded again, and the multipart uploads an earlier try left on the key are
aborted first. A bucket that is briefly away is retried with back-off; the
staging copy is deleted only after every file is stored and reported and the
job's ``completed`` event is sent.
"""

from __future__ import annotations

import hashlib
import mimetypes
import time
from pathlib import Path
from typing import Any

from boto3.s3.transfer import TransferConfig
from botocore.exceptions import BotoCoreError, ClientError
from s3transfer.exceptions import S3UploadFailedError

from worker import reporter
from worker.context import WorkerContext
from worker.engines.base import Progress, StagedFile
from worker.jobs import ActiveJob

KEY_PREFIX = "downloads"
HASH_CHUNK = 4 * 1024 * 1024
MAX_BACKOFF = 30.0
UPLOAD_ERRORS = (BotoCoreError, ClientError, S3UploadFailedError, OSError)


class Interrupted(Exception):
    """The worker is stopping or the job was cancelled while uploading."""


def storage_key(job_id: str, path: str) -> str:
    return f"{KEY_PREFIX}/{job_id}/{path}"


def sha256_of(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as source:
        while chunk := source.read(HASH_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _already_stored(ctx: WorkerContext, key: str, sha256: str, size: int) -> bool:
    try:
        head = ctx.s3.head_object(Bucket=ctx.settings.aws.bucket, Key=key)
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
            return False
        raise
    return head.get("ContentLength") == size and head.get("Metadata", {}).get("sha256") == sha256


def _abort_leftovers(ctx: WorkerContext, key: str) -> None:
    """Abort the multipart uploads an earlier try left on ``key`` (a killed worker, an abort that never arrived).

    The key belongs to this job and one upload thread runs per job, so no live upload is lost.
    """
    bucket = ctx.settings.aws.bucket
    for upload in ctx.s3.list_multipart_uploads(Bucket=bucket, Prefix=key).get("Uploads", []):
        if upload["Key"] == key:
            ctx.s3.abort_multipart_upload(Bucket=bucket, Key=key, UploadId=upload["UploadId"])
            ctx.logger.info("leftover multipart upload aborted", extra={"action": "multipart_leftover_aborted",
                                                                        "key": key})


def upload_file(ctx: WorkerContext, job: ActiveJob, staged: StagedFile) -> tuple[str, int]:
    """Store one file under the job's prefix; returns (sha256, size)."""
    sha256, size = sha256_of(staged.local)
    key = storage_key(job.job_id, staged.path)
    if _already_stored(ctx, key, sha256, size):
        return sha256, size
    _abort_leftovers(ctx, key)
    part = ctx.settings.engines.upload_part_bytes
    config = TransferConfig(multipart_threshold=part, multipart_chunksize=part,
                            max_concurrency=ctx.settings.engines.upload_concurrency)

    def interrupt(_bytes: int) -> None:  # s3transfer aborts the multipart upload on an exception here
        if ctx.stopping.is_set() or job.cancelled:
            raise Interrupted()

    extra = {"Metadata": {"sha256": sha256}, "ChecksumAlgorithm": "SHA256",
             "ContentType": mimetypes.guess_type(staged.path)[0] or "application/octet-stream"}
    ctx.s3.upload_file(str(staged.local), ctx.settings.aws.bucket, key, ExtraArgs=extra, Config=config,
                       Callback=interrupt)
    return sha256, size


def _with_backoff(ctx: WorkerContext, job: ActiveJob, action: Any) -> Any:
    delay = 1.0
    while True:
        if ctx.stopping.is_set() or job.cancelled:
            raise Interrupted()
        try:
            return action()
        except Interrupted:
            raise
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
    from worker.scanner import loop as library  # here: the scanner imports this module

    library.index_download(ctx, job)  # into the media library while the staging copy is still here
    total = sum(staged.local.stat().st_size for staged in job.files)
    job.final = ("completed", Progress("finished", total, total), None, None)
    job.phase = "reporting"


def _report(ctx: WorkerContext, job: ActiveJob, key: str, path: str, size: int, sha256: str) -> None:
    if not reporter.send_file_stored(ctx, job, key, path, size, sha256):
        raise ClientError({"Error": {"Code": "SendFailed", "Message": "event not sent"}}, "SendMessage")
