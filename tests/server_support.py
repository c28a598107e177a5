"""The production server (``python -m server``) as the tests start it: a real gunicorn on a free port."""

from __future__ import annotations

import os
import sys
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from embedded import services
from embedded.services import ROOT


@dataclass
class Running:
    base_url: str
    port: int
    proc: object
    log: Path


def live(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@contextmanager
def production_server(log: Path, *args: str, env: dict[str, str] | None = None, workers: int = 2,
                      port: int | None = None) -> Iterator[Running]:
    """``python -m server`` with ``args`` (e.g. ``--dist``, ``--edge``) until the block ends (SIGTERM)."""
    port = port or services.free_port()
    env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'localstack'}", **(env or {})}
    started = services.Started()
    proc = services.spawn([sys.executable, "-m", "server", "--bind", f"127.0.0.1:{port}", "--workers",
                           str(workers), "--threads", "4", *args], env=env, log=log)
    started.processes.append(proc)
    base_url = f"http://127.0.0.1:{port}"
    try:
        services.wait_until(lambda: live(base_url + "/api/v1/health/live"), "the production server", 60, proc)
        yield Running(base_url, port, proc, log)
    finally:
        started.stop()
