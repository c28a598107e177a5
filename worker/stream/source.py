"""Where a streamed file's bytes are: the running engine (partial, verified ranges) or staging (complete).

A job's payload list is remembered on the job by the reporter while the
engine runs (``ActiveJob.payload``), so its files stay addressable by index
after the engine let go of it (uploading) until staging is deleted.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from worker.engines.base import PayloadFile

POLL = 0.05  # seconds between looks at the engine's verified ranges while a request waits
REWANT = 2.0  # ask the engine again this often while waiting (a restart or a seek elsewhere may reset it)


class StreamError(Exception):
    status = 500
    code = "stream_error"

    def __init__(self, message: str, retry_after: int | None = None):
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


class Missing(StreamError):
    status, code = 404, "not_found"


class Gone(StreamError):
    status, code = 410, "gone"


class NotYet(StreamError):
    status, code = 503, "not_ready"


@dataclass(frozen=True)
class Target:
    job: Any  # worker.jobs.ActiveJob
    file: PayloadFile

    def complete(self) -> bool:
        """The engine let go of the finished job: every byte is in staging."""
        return (self.job.phase != "running" and self.job.final is None) or (
            self.job.final is not None and self.job.final[0] == "completed")


def _files_of(job: Any) -> list[PayloadFile] | None:
    if job.phase == "running":
        files = job.engine.payload(job.job_id)
        if files is not None:
            job.payload = files
        return files
    return job.payload


def locate(ctx: Any, job_id: str, index: int, deadline: float) -> Target:
    """The job's file ``index``; waits (to ``deadline``) for a magnet's metadata, raises ``StreamError``."""
    while True:
        with ctx.lock:
            job = ctx.active_jobs.get(job_id)
        if job is None:
            if ctx.store is not None and ctx.store.workdir(job_id).is_dir():
                raise NotYet("The download is not running on this worker right now", retry_after=5)
            raise Gone("The download left this worker: ask for a new stream URL")
        if (job.final is not None and job.final[0] != "completed") or job.cancelled:
            raise Gone("The download ended without this file")
        files = _files_of(job)
        if files is not None:
            found = next((f for f in files if f.index == index), None)
            if found is None:
                raise Missing("No such file in this download")
            return Target(job, found)
        if time.monotonic() >= deadline:
            raise NotYet("The download has not found its file list yet", retry_after=2)
        time.sleep(POLL)


def _durable(job: Any, file: PayloadFile, start: int, end: int) -> int:
    """Where the engine's verified bytes from ``start`` are also in the file (libtorrent may lag writing)."""
    check = getattr(job.engine, "durable", None)
    return end if check is None else check(job.job_id, file.index, start, end)


def available(target: Target, start: int, deadline: float, limit: int) -> int:
    """The end (exclusive, at most ``start + limit``) of the verified bytes on disk from ``start``, waiting for them.

    Asks the engine for the bytes from ``start`` on first (urgent: someone is
    watching), then polls its verified ranges; raises ``NotYet`` at ``deadline``.
    """
    job, file = target.job, target.file
    asked = 0.0
    while True:
        if target.complete():
            return min(file.size, start + limit)
        if job.phase != "running":  # the job ended in another way meanwhile
            raise Gone("The download ended without this file")
        for begin, end in job.engine.done_ranges(job.job_id, file.index):
            if begin <= start < end:
                if not asked:
                    job.engine.want(job.job_id, file.index, start, urgent=True)  # keep the window ahead
                    asked = time.monotonic()
                ready = _durable(job, file, start, min(end, start + limit))
                if ready > start:
                    return ready
        now = time.monotonic()
        if now - asked >= REWANT:
            job.engine.want(job.job_id, file.index, start, urgent=True)
            asked = now
        if now >= deadline:
            raise NotYet("These bytes are not downloaded yet", retry_after=2)
        time.sleep(POLL)
