"""Abandoned multipart uploads: aborted once older than ``SEEN_MULTIPART_MAX_AGE``.

An upload's parts are stored (and billed) until it is completed or aborted.
boto3's managed transfer aborts its upload when a part fails for good, and
the uploader aborts what an earlier try left on the same key, but a worker
killed mid-upload, or a bucket that was away when the abort was sent, leaves
one behind. This loop lists the bucket's uploads under the download prefix
every ``SEEN_MULTIPART_SWEEP_EVERY`` seconds and aborts the old ones.

It runs in the worker rather than as a scheduled function: the worker is the
only writer of these uploads, it already holds the bucket credentials (no new
permission for a Lambda), and it knows which uploads are live — those of the
jobs it is running are never aborted, whatever their age.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from botocore.exceptions import BotoCoreError, ClientError

from worker.context import WorkerContext
from worker.uploader import KEY_PREFIX, storage_key


def stale_uploads(uploads: Iterable[dict], now: datetime, max_age: float, live_jobs: Iterable[str]) -> list[dict]:
    """The uploads initiated more than ``max_age`` seconds before ``now`` that no live job owns."""
    live = tuple(storage_key(job_id, "") for job_id in live_jobs)
    return [upload for upload in uploads
            if (now - upload["Initiated"]).total_seconds() > max_age
            and not (live and upload["Key"].startswith(live))]


def _uploads(ctx: WorkerContext) -> list[dict]:
    paginator = ctx.s3.get_paginator("list_multipart_uploads")
    pages = paginator.paginate(Bucket=ctx.settings.aws.bucket, Prefix=f"{KEY_PREFIX}/")
    return [upload for page in pages for upload in page.get("Uploads", [])]


def sweep(ctx: WorkerContext) -> int:
    """Abort every abandoned upload under the download prefix; returns how many were aborted."""
    with ctx.lock:
        live = list(ctx.active_jobs)
    stale = stale_uploads(_uploads(ctx), datetime.now(UTC), ctx.settings.engines.multipart_max_age, live)
    for upload in stale:
        ctx.s3.abort_multipart_upload(Bucket=ctx.settings.aws.bucket, Key=upload["Key"],
                                      UploadId=upload["UploadId"])
    if stale:
        ctx.logger.info("abandoned multipart uploads aborted", extra={
            "action": "multipart_swept", "uploads": len(stale), "keys": sorted({u["Key"] for u in stale})})
    return len(stale)


def run(ctx: WorkerContext) -> None:
    """Sweep at start, then every ``SEEN_MULTIPART_SWEEP_EVERY`` seconds until the worker stops."""
    while not ctx.stopping.is_set():
        try:
            sweep(ctx)
        except (BotoCoreError, ClientError) as exc:  # the bucket is away: the next round tries again
            ctx.logger.warning("multipart sweep failed", extra={"action": "multipart_sweep_failed",
                                                                "error": type(exc).__name__})
        ctx.stopping.wait(ctx.settings.engines.multipart_sweep_every)
