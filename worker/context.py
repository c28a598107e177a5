"""Clients built once at start-up and passed to every part (arq's ``ctx`` idea)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from chalicelib import aws
from chalicelib.config import WorkerSettings


@dataclass
class WorkerContext:
    settings: WorkerSettings
    s3: Any
    sqs: Any
    logger: Any
    stopping: threading.Event = field(default_factory=threading.Event)
    # job id -> worker.jobs.ActiveJob; compound changes hold ``lock``
    active_jobs: dict[str, Any] = field(default_factory=dict)
    lock: threading.RLock = field(default_factory=threading.RLock)
    engines: dict[str, Any] = field(default_factory=dict)  # source type -> engine
    store: Any = None  # worker.jobs.JobStore

    @classmethod
    def build(cls, settings: WorkerSettings, logger: Any) -> WorkerContext:
        return cls(settings=settings, s3=aws.client("s3", transfers=True), sqs=aws.client("sqs"), logger=logger)

    def free_slots(self) -> int:
        return max(0, self.settings.engines.max_active - len(self.active_jobs))
