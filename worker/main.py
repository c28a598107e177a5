"""`python -m worker`: start the worker's loops and drain them on SIGTERM.

Start-up builds the engines once, resumes the jobs that were running when
the worker last stopped, then runs the heartbeat, the dispatcher (commands)
and the monitor (progress). SIGTERM/SIGINT drain: no new commands, uploads
in flight get ``SEEN_DRAIN_TIMEOUT`` to finish, torrents are paused with
their resume data saved and HTTP transfers stop keeping their partial
files. Nothing is reported as stalled: the next start continues the same
attempts, and if it never comes the control plane's reconciler notices.
"""

from __future__ import annotations

import signal
import sys
import threading
from concurrent.futures import ThreadPoolExecutor, wait
from typing import Any

from chalicelib.config import ConfigError, WorkerSettings
from chalicelib.logs import worker_logger
from worker import dispatcher, heartbeat, monitor, sweeper
from worker.context import WorkerContext
from worker.engines import build_engines
from worker.jobs import JobStore
from worker.media import loop as media
from worker.scanner import loop as library
from worker.stream import server as stream


def drain(ctx: WorkerContext, uploads: ThreadPoolExecutor, loops: list[threading.Thread]) -> None:
    for loop in loops:
        loop.join(timeout=ctx.settings.engines.command_wait + 10)
    pending = [job.upload for job in list(ctx.active_jobs.values()) if job.upload is not None]
    wait(pending, timeout=ctx.settings.engines.drain_timeout)
    uploads.shutdown(wait=False, cancel_futures=True)
    closed: set[int] = set()
    for engine in ctx.engines.values():
        if id(engine) not in closed:
            closed.add(id(engine))
            engine.close()


def _start(ctx: WorkerContext, uploads: ThreadPoolExecutor) -> list[threading.Thread]:
    targets: list[tuple[str, Any, tuple]] = [
        ("heartbeat", heartbeat.run, (ctx,)),
        ("dispatcher", dispatcher.run, (ctx,)),
        ("monitor", monitor.run, (ctx, uploads)),
        ("scanner", library.run, (ctx,)),  # the media library: scheduled scans and library.rescan
        ("sweeper", sweeper.run, (ctx,)),  # abandoned multipart uploads in the bucket
        ("media", media.run, (ctx,)),  # remux/HLS variants on demand (media.prepare), one at a time
    ]
    stream.start(ctx)  # the Range server for files still downloading (port 0: off); stops when ctx.stopping is set
    loops = [threading.Thread(target=target, args=args, name=name) for name, target, args in targets]
    for loop in loops:
        loop.start()
    return loops


def main() -> None:
    try:
        settings = WorkerSettings.from_env()
    except ConfigError as exc:
        sys.exit(f"seen worker: {exc}")
    logger = worker_logger(settings.log_level)
    ctx = WorkerContext.build(settings, logger)
    ctx.store = JobStore(settings.staging_dir)
    ctx.engines = build_engines(settings.engines, logger)
    library.install(ctx)  # before any upload can finish: completed downloads are indexed by it
    signal.signal(signal.SIGTERM, lambda *_: ctx.stopping.set())
    signal.signal(signal.SIGINT, lambda *_: ctx.stopping.set())
    uploads = ThreadPoolExecutor(max_workers=2, thread_name_prefix="upload")
    dispatcher.resume_unfinished(ctx)
    loops = _start(ctx, uploads)
    logger.info("worker started", extra={"action": "worker_started", "worker_id": settings.worker_id,
                                         "version": settings.version, "max_active": settings.engines.max_active})
    ctx.stopping.wait()
    logger.info("worker draining", extra={"action": "worker_draining", "active_jobs": len(ctx.active_jobs)})
    drain(ctx, uploads, loops)
    logger.info("worker stopped", extra={"action": "worker_stopped"})
