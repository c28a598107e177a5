"""Upload while downloading: parts of each payload file go to the bucket as soon as their bytes are on disk.

The monitor calls ``tick`` for every running job. From the engine's
``payload`` and ``done_ranges`` the job's ``Ahead`` picks the work it can do
now and runs it on its own small pool (``SEEN_UPLOAD_CONCURRENCY`` part
uploads plus one hashing task per file), and each finished task looks for
more, so a download that runs ahead of the bucket keeps every slot busy
between ticks:

* the contiguous prefix of a file is hashed once (whole-file sha256 and the
  part digests, ``multipart.FileUpload.hash_to``) while its pages are hot;
* a part whose bytes are complete is uploaded; inside the prefix it waits
  for the hash pass (and is sent with that digest, so S3 checks the bytes
  that were hashed), outside it (a torrent's pieces in any order) it goes at
  once with its own digest and is checked against the hash pass at the end.

Hashing ahead needs bytes that are final in the file. The HTTP engine writes
a done range itself (``durable_ranges``). libtorrent marks a piece done once
its hash passed, possibly before the disk thread wrote it: the hash pass reads
a torrent's pieces back first and checks them against their v1 hashes
(``engine.durable``), and stops where one is not in the file yet. A torrent
without v1 hashes cannot be checked: its parts go ahead once they have been
complete for ``SETTLE`` seconds and the hash pass runs after the finish, when
the file is closed; every part sent ahead whose digest differs from it is sent
again.

When the engine finishes, the uploader (``uploader.store_job``) takes the
same ``FileUpload`` objects and sends only what is still missing. A bucket
error here is not fatal: the part is tried again after a back-off, and the
uploader has the last word. ``abort`` (cancel, failure) aborts the multipart
uploads; ``close`` (stall, drain) keeps them for the next try to reuse.
"""

from __future__ import annotations

import hashlib
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from worker.context import WorkerContext
from worker.engines.base import PayloadFile
from worker.jobs import ActiveJob
from worker.multipart import FileUpload, Interrupted

KEY_PREFIX = "downloads"
JOURNAL_DIR = "multipart"
MAX_BACKOFF = 30.0
SETTLE = 0.5  # seconds an unverifiable torrent part stays complete before it is read (see Ahead._settled)
RECHECK = 0.05  # seconds before the hash pass reads a verified torrent piece again that was not in the file yet
ERRORS = (BotoCoreError, ClientError, OSError)


def storage_key(job_id: str, path: str) -> str:
    return f"{KEY_PREFIX}/{job_id}/{path}"


class Ahead:
    """One job's uploads: a ``FileUpload`` per payload path and the pool that feeds them."""

    def __init__(self, ctx: WorkerContext, job: ActiveJob):
        self.ctx, self.job = ctx, job
        self.concurrency = ctx.settings.engines.upload_concurrency
        self.pool = ThreadPoolExecutor(max_workers=self.concurrency + 1, thread_name_prefix=f"ahead-{job.job_id[:8]}")
        self.files: dict[str, FileUpload] = {}
        self.busy: dict[tuple[str, int], Future] = {}  # (path, part) being uploaded; part 0 = hashing
        self.lock = threading.RLock()
        self.engine_done = False  # the engine finished: the uploader drives from here on
        self.closed = False
        self.retry_at, self.delay = 0.0, 1.0
        self.first_part_at: float | None = None  # time.time() of the first part sent while downloading
        # A done range of the HTTP engine is in the file when reported (it writes it itself); libtorrent
        # reports a piece once verified, maybe before its blocks reach the file (see the module's notes).
        self.durable_ranges = bool(getattr(job.engine, "durable_ranges", False))
        self.complete_since: dict[tuple[str, int], float] = {}
        self.recheck_at: dict[str, float] = {}  # path -> when the hash pass may look again for unwritten bytes

    def file(self, path: str, local: Path, size: int) -> FileUpload:
        with self.lock:
            upload = self.files.get(path)
            if upload is None:
                journal = self.job.spec.workdir / JOURNAL_DIR / f"{hashlib.sha256(path.encode()).hexdigest()[:32]}.json"
                upload = FileUpload(self.ctx.s3, self.ctx.settings.aws.bucket, storage_key(self.job.job_id, path),
                                    local, size, self.ctx.settings.engines.upload_part_bytes, journal)
                self.files[path] = upload
            return upload

    # --- while the engine runs -----------------------------------------------

    def schedule(self) -> None:
        """Start the hashing and part uploads that the bytes on disk allow now."""
        with self.lock:
            if self.closed or self.engine_done or self.job.cancelled or self.ctx.stopping.is_set():
                return
            if time.monotonic() < self.retry_at:
                return
            for payload in self.job.engine.payload(self.job.job_id) or []:
                self._schedule_file(payload)

    def _schedule_file(self, payload: PayloadFile) -> None:
        upload = self.file(payload.path, payload.local, payload.size)
        ranges = self.job.engine.done_ranges(self.job.job_id, payload.index)
        prefix = ranges[0][1] if ranges and ranges[0][0] == 0 else 0
        if not ranges or not upload.check(size=payload.size, prefix=prefix):
            return
        hash_ahead = self._hash_ahead()
        if hash_ahead and prefix > upload.hashed and (payload.path, 0) not in self.busy and \
                time.monotonic() >= self.recheck_at.get(payload.path, 0.0):
            self._submit(payload.path, 0, partial(self._hash, payload), upload, prefix)
        if not upload.multipart:
            return
        for number in range(1, upload.count + 1):
            if sum(1 for key in self.busy if key[1]) >= self.concurrency:
                return
            if (payload.path, number) in self.busy or number in upload.parts:
                continue
            start, end = upload.span(number)
            if not any(first <= start and end <= last for first, last in ranges):
                continue
            # Inside the prefix a part waits for the hash pass (which read final bytes); outside it, it goes
            # with its own digest, checked against the pass at the finish.
            if number in upload.digests or ((not hash_ahead or start >= prefix) and self._settled(
                    payload.path, number)):
                self._submit(payload.path, number, self._part, upload, number)

    def _hash_ahead(self) -> bool:
        """Whether the hash pass may run while downloading: the bytes it reads are known final (HTTP), or
        can be checked against the torrent's piece hashes first."""
        verifiable = getattr(self.job.engine, "verifiable", None)
        return self.durable_ranges or bool(verifiable and verifiable(self.job.job_id))

    def _final_upto(self, payload: PayloadFile, start: int, end: int) -> int:
        """How far from ``start`` (up to ``end``) the file's bytes are final: all of it for durable ranges, else
        up to the first piece that does not yet read back with its hash."""
        if self.durable_ranges:
            return end
        return self.job.engine.durable(self.job.job_id, payload.index, start, end)

    def _settled(self, path: str, number: int) -> bool:
        """True once the part has been reported complete for ``SETTLE`` seconds (at once for durable ranges).

        Only lowers how often a torrent part is read before libtorrent wrote its last blocks (and must be
        sent again at the finish); the check against the final hash pass is what keeps the object right.
        """
        if self.durable_ranges:
            return True
        first_seen = self.complete_since.setdefault((path, number), time.monotonic())
        return time.monotonic() - first_seen >= SETTLE

    def _submit(self, path: str, number: int, task: Any, upload: FileUpload, arg: int) -> None:
        future = self.pool.submit(task, upload, arg, upload.epoch)
        self.busy[(path, number)] = future
        future.add_done_callback(lambda done, key=(path, number): self._done(key, done))

    def _done(self, key: tuple[str, int], future: Future) -> None:
        with self.lock:
            self.busy.pop(key, None)
            error = None if future.cancelled() else future.exception()
            if error is None:
                self.delay = 1.0
            elif not isinstance(error, Interrupted):
                self.retry_at = time.monotonic() + self.delay
                self.ctx.logger.warning("upload ahead failed, retrying", extra={
                    "action": "upload_ahead_retry", "job_id": self.job.job_id, "error": type(error).__name__,
                    "delay": self.delay})
                self.delay = min(MAX_BACKOFF, self.delay * 2)
        if error is None and not self.engine_done:
            self.schedule()  # more may be ready: keep the pool busy between the monitor's ticks

    def _hash(self, payload: PayloadFile, upload: FileUpload, upto: int, epoch: int) -> None:
        """The hash pass up to ``upto``, a part at a time: each part is offered to the pool as soon as its digest
        is known, not when the whole pass ends or at the monitor's next tick (an HTTP download outruns the
        hashing: 256 MiB on loopback sent its first part 0.6 s after the start, the bytes there after 0.03 s).
        It stops early where the bytes are not final yet (a torrent piece not written); the next look goes on."""
        while epoch == upload.epoch and not self.closed and upload.hashed < min(upto, upload.size):
            end = self._final_upto(payload, upload.hashed,
                                   min(upto, upload.span(upload.hashed // upload.part_bytes + 1)[1]))
            if end <= upload.hashed:  # not written yet: looked at again by a later schedule, not at once
                self.recheck_at[payload.path] = time.monotonic() + RECHECK
                return
            upload.hash_to(end)
            if upload.hashed < min(upto, upload.size):
                self.schedule()  # the last part is offered by _done, when this task ends

    def _part(self, upload: FileUpload, number: int, epoch: int) -> None:
        if self.closed or self.job.cancelled or self.ctx.stopping.is_set() or epoch != upload.epoch:
            return
        upload.ensure_open()
        if upload.upload_part(number, epoch) and self.first_part_at is None:
            self.first_part_at = time.time()
            self.ctx.logger.info("first part uploaded while downloading", extra={
                "action": "upload_ahead_started", "job_id": self.job.job_id, "key": upload.key,
                "reused_parts": upload.reused})

    # --- the end -------------------------------------------------------------

    def engine_finished(self) -> None:
        """Stop following the engine and wait for the tasks in flight (the uploader goes on from here)."""
        with self.lock:
            self.engine_done = True
            running = list(self.busy.values())
        for future in running:
            try:
                future.result()
            except Exception:  # noqa: S110 - logged by _done; the uploader redoes what failed
                pass

    def abort_others(self, paths: set[str]) -> None:
        """Abort the uploads of payload files the finished job does not list (only if the engine's lists differ)."""
        for path, upload in list(self.files.items()):
            if path not in paths and upload.upload_id is not None:
                self.ctx.s3.abort_multipart_upload(Bucket=upload.bucket, Key=upload.key, UploadId=upload.upload_id)
                upload.upload_id = None
                upload.forget()

    def close(self) -> None:
        """Stop, keeping the multipart uploads (and their journal) for the next try."""
        with self.lock:
            self.closed = True
        self.pool.shutdown(wait=False, cancel_futures=True)
        for upload in list(self.files.values()):
            upload.close()

    def abort(self) -> None:
        """Stop and abort every multipart upload of the job (cancelled or failed)."""
        self.close()
        for upload in list(self.files.values()):
            with upload.lock:
                upload.aborted = True  # a create still in flight aborts what it made
            upload.forget()
        abort_uploads(self.ctx, self.job.job_id)


def abort_uploads(ctx: WorkerContext, job_id: str) -> None:
    """Abort every multipart upload under the job's prefix (this try's and any an earlier one left)."""
    bucket = ctx.settings.aws.bucket
    try:
        pages = ctx.s3.get_paginator("list_multipart_uploads").paginate(
            Bucket=bucket, Prefix=storage_key(job_id, ""))
        for upload in [upload for page in pages for upload in page.get("Uploads", [])]:
            ctx.s3.abort_multipart_upload(Bucket=bucket, Key=upload["Key"], UploadId=upload["UploadId"])
            ctx.logger.info("multipart upload aborted", extra={"action": "multipart_aborted", "job_id": job_id,
                                                               "key": upload["Key"]})
    except ERRORS as exc:  # the sweeper aborts them later
        ctx.logger.warning("multipart upload not aborted", extra={
            "action": "multipart_abort_failed", "job_id": job_id, "error": type(exc).__name__})


def tick(ctx: WorkerContext, job: ActiveJob) -> None:
    """Called by the monitor for a running job: start what can be uploaded now. Never raises."""
    try:
        if job.ahead is None:
            job.ahead = Ahead(ctx, job)
        job.ahead.schedule()
    except Exception:  # the download goes on; the uploader sends whatever was not sent here
        ctx.logger.exception("upload ahead failed", extra={"action": "upload_ahead_failed", "job_id": job.job_id})


def of(ctx: WorkerContext, job: ActiveJob) -> Ahead:
    if job.ahead is None:
        job.ahead = Ahead(ctx, job)
    return job.ahead


def abort(ctx: WorkerContext, job: ActiveJob) -> None:
    """The job was cancelled or failed: no part of it stays in the bucket's uploads."""
    if job.ahead is not None:
        job.ahead.abort()
    else:
        abort_uploads(ctx, job.job_id)


def close(job: ActiveJob) -> None:
    if job.ahead is not None:
        job.ahead.close()
