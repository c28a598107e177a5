"""`python -m worker`: start the worker's loops and drain them on SIGTERM."""

from __future__ import annotations

import signal
import sys
import threading

from chalicelib.config import ConfigError, WorkerSettings
from chalicelib.logs import worker_logger
from worker import heartbeat
from worker.context import WorkerContext


def main() -> None:
    try:
        settings = WorkerSettings.from_env()
    except ConfigError as exc:
        sys.exit(f"seen worker: {exc}")
    logger = worker_logger(settings.log_level)
    ctx = WorkerContext.build(settings, logger)
    signal.signal(signal.SIGTERM, lambda *_: ctx.stopping.set())
    signal.signal(signal.SIGINT, lambda *_: ctx.stopping.set())
    loops = [threading.Thread(target=heartbeat.run, args=(ctx,), name="heartbeat")]
    for loop in loops:
        loop.start()
    logger.info("worker started", extra={"action": "worker_started", "worker_id": settings.worker_id,
                                         "version": settings.version})
    ctx.stopping.wait()
    logger.info("worker draining", extra={"action": "worker_draining", "active_jobs": len(ctx.active_jobs)})
    for loop in loops:
        loop.join(timeout=30)
    logger.info("worker stopped", extra={"action": "worker_stopped"})
