"""Where a streamed file's bytes are: the running engine (partial, verified ranges) or staging (complete).

A job's payload list is remembered on the job by the reporter while the
engine runs (``ActiveJob.payload``), so its files stay addressable by index
after the engine let go of it (uploading) until staging is deleted.

A request that has to wait sleeps on the event loop (no thread of its own);
each look at the engine or the disk runs on the server's small pool, since
the engine's lock and a piece's hash check may take a while.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from concurrent.futures import Executor
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

from worker.engines.base import PayloadFile

POLL = 0.1  # seconds between looks at the engine's verified ranges while a request waits
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


@dataclass
class Wait:
    """One request's way to wait: the worker's context, the pool for looks, its place under the caps."""

    ctx: Any
    pool: Executor
    hold: Callable[[], AbstractContextManager[None]]  # raises (429) when this request may not wait now
    seconds: float  # how long one wait may last
    deadline: float = 0.0  # the request's: set from ``seconds`` when it starts

    def __post_init__(self) -> None:
        self.deadline = self.deadline or time.monotonic() + self.seconds

    async def run(self, look: Callable[[], Any]) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self.pool, look)


async def _until(wait: Wait, look: Callable[[], Any], late: str, deadline: float) -> Any:
    """``look()`` until it returns something, every ``POLL`` seconds to ``deadline``; counted as waiting
    (under the caps) only once the first look came back empty."""
    found = await wait.run(look)
    if found is not None:
        return found
    with wait.hold():
        while True:
            if time.monotonic() >= deadline:
                raise NotYet(late, retry_after=2)
            await asyncio.sleep(POLL)
            found = await wait.run(look)
            if found is not None:
                return found


def _find(ctx: Any, job_id: str, index: int) -> Target | None:
    with ctx.lock:
        job = ctx.active_jobs.get(job_id)
    if job is None:
        if ctx.store is not None and ctx.store.workdir(job_id).is_dir():
            raise NotYet("The download is not running on this worker right now", retry_after=5)
        raise Gone("The download left this worker: ask for a new stream URL")
    if (job.final is not None and job.final[0] != "completed") or job.cancelled:
        raise Gone("The download ended without this file")
    files = _files_of(job)
    if files is None:
        return None
    found = next((f for f in files if f.index == index), None)
    if found is None:
        raise Missing("No such file in this download")
    return Target(job, found)


async def locate(wait: Wait, job_id: str, index: int) -> Target:
    """The job's file ``index``; waits (to the deadline) for a magnet's metadata, raises ``StreamError``."""
    return await _until(wait, lambda: _find(wait.ctx, job_id, index),
                        "The download has not found its file list yet", wait.deadline)


def _durable(job: Any, file: PayloadFile, start: int, end: int) -> int:
    """Where the engine's verified bytes from ``start`` are also in the file (libtorrent may lag writing)."""
    check = getattr(job.engine, "durable", None)
    return end if check is None else check(job.job_id, file.index, start, end)


class _Look:
    """One look for the verified bytes on disk from ``start``; asks the engine for them (urgent: someone is
    watching) on the first look and again every ``REWANT`` seconds."""

    def __init__(self, target: Target, start: int, limit: int):
        self.target, self.start, self.limit = target, start, limit
        self.asked = 0.0

    def __call__(self) -> int | None:
        job, file, start = self.target.job, self.target.file, self.start
        if self.target.complete():
            return min(file.size, start + self.limit)
        if job.phase != "running":  # the job ended in another way meanwhile
            raise Gone("The download ended without this file")
        for begin, end in job.engine.done_ranges(job.job_id, file.index):
            if begin <= start < end:
                if not self.asked:
                    job.engine.want(job.job_id, file.index, start, urgent=True)  # keep the window ahead
                    self.asked = time.monotonic()
                ready = _durable(job, file, start, min(end, start + self.limit))
                if ready > start:
                    return ready
        now = time.monotonic()
        if now - self.asked >= REWANT:
            job.engine.want(job.job_id, file.index, start, urgent=True)
            self.asked = now
        return None


async def available(wait: Wait, target: Target, start: int, limit: int, deadline: float | None = None) -> int:
    """The end (exclusive, at most ``start + limit``) of the verified bytes on disk from ``start``, waiting for
    them; raises ``NotYet`` at ``deadline`` (default: the request's)."""
    return await _until(wait, _Look(target, start, limit), "These bytes are not downloaded yet",
                        wait.deadline if deadline is None else deadline)
