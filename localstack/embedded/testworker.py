"""The real worker process and the real event handlers, driven from a test or the bench.

``WorkerProcess`` runs ``python -m worker`` (no DATABASE_URL, loopback-only
BitTorrent, short poll intervals); ``Driver`` hands the worker's SQS events
to the app's ``worker_events`` handler through the local SQS pump and runs
the scheduled reconciler, exactly as Lambda would invoke them.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path


def worker_env(staging: Path, **overrides: str) -> dict[str, str]:
    """The environment of a test/bench worker: AWS from this process, no database, loopback torrents."""
    from embedded.services import ROOT

    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update({
        "PYTHONPATH": str(ROOT), "SEEN_WORKER_ID": "test-worker", "SEEN_STAGING_DIR": str(staging),
        "SEEN_HEARTBEAT_INTERVAL": "0.5", "DOWNLOAD_POLL_INTERVAL": "0.25", "SEEN_COMMAND_WAIT": "1",
        "SEEN_TORRENT_LISTEN_HOST": "127.0.0.1", "SEEN_TORRENT_LISTEN_PORT": "0", "SEEN_TORRENT_DHT": "false",
        "SEEN_TORRENT_LSD": "false", "SEEN_TORRENT_UPNP": "false", "SEEN_TORRENT_UTP": "false",
        "SEEN_DOWNLOAD_ALLOW_PRIVATE": "true", "PYTHONUNBUFFERED": "1",
    })
    env.update(overrides)
    return env


class WorkerProcess:
    """``python -m worker`` as a child process with its output in ``log``."""

    def __init__(self, staging: Path, log: Path, **env: str):
        self.env = worker_env(staging, **env)
        self.log = log
        self.proc: subprocess.Popen | None = None

    def start(self) -> WorkerProcess:
        from embedded.services import ROOT

        out = open(self.log, "ab")  # noqa: SIM115 - lives as long as the child
        self.proc = subprocess.Popen([sys.executable, "-m", "worker"], cwd=ROOT, env=self.env, stdout=out,
                                     stderr=subprocess.STDOUT)
        return self

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 60) -> int:
        if self.proc is None or self.proc.poll() is not None:
            return self.proc.returncode if self.proc else 0
        self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return self.proc.wait(10)

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


class Driver:
    """Runs the app's ``worker_events`` handler (via the local SQS pump) and its reconciler, like Lambda."""

    def __init__(self, app) -> None:
        from chalicelib import aws
        from embedded.lambdas import Scheduler, SqsPump

        stop = threading.Event()
        self.pump = SqsPump(app, aws.client("sqs"), stop, lambda *a, **k: None)
        self.scheduler = Scheduler(app, stop, lambda *a, **k: None)

    def pump_once(self) -> int:
        return sum(self.pump.run_once(config, wait_seconds=0) for config in self.pump.configs)

    def until_event(self, check, timeout: float = 60.0, what: str = "condition"):
        """Like ``until`` for what only the worker's events decide (a job's status): long-polls the events
        queue, as Lambda's event source does, so the handler runs as soon as an event arrives, and checks
        after each poll. No request every few milliseconds competes with the work being waited for."""
        from chalicelib.config import get_aws_settings

        events = next(c for c in self.pump.configs if c.queue == get_aws_settings().events_queue)
        deadline = time.monotonic() + timeout
        while True:
            value = check()
            if value:
                return value
            if time.monotonic() > deadline:
                raise TimeoutError(f"{what} not reached within {timeout:.0f}s")
            self.pump.run_once(events, wait_seconds=1)

    def reconcile(self) -> None:
        for config in self.scheduler.configs:
            if config.name == "reconcile_downloads":
                self.scheduler.invoke(config)

    def until(self, check, timeout: float = 60.0, what: str = "condition", reconcile: bool = False,
              interval: float = 0.1):
        """Pump events (and reconcile) until ``check()`` is truthy; returns its value."""
        deadline = time.monotonic() + timeout
        while True:
            self.pump_once()
            if reconcile:
                self.reconcile()
            value = check()
            if value:
                return value
            if time.monotonic() > deadline:
                raise TimeoutError(f"{what} not reached within {timeout:.0f}s")
            time.sleep(interval)
