"""Clients built once at start-up and passed to every part (arq's ``ctx`` idea)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from chalicelib import aws
from chalicelib.config import WorkerSettings
from worker.engines.base import Engine
from worker.jobs import ActiveJob


@dataclass
class WorkerContext:
    settings: WorkerSettings
    s3: Any
    sqs: Any
    logger: Any
    stopping: threading.Event = field(default_factory=threading.Event)
    active_jobs: dict[str, ActiveJob] = field(default_factory=dict)  # by job id; compound changes hold ``lock``
    lock: threading.RLock = field(default_factory=threading.RLock)
    engines: dict[str, Engine] = field(default_factory=dict)  # by source type
    store: Any = None  # a worker.jobs.JobStore, set by main before any job runs

    @classmethod
    def build(cls, settings: WorkerSettings, logger: Any) -> WorkerContext:
        return cls(settings=settings, s3=aws.client("s3", transfers=True), sqs=aws.client("sqs"), logger=logger)

    def free_slots(self) -> int:
        return max(0, self.settings.engines.max_active - len(self.active_jobs))
