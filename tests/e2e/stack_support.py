"""Starting a private `make dev` stack (``python -m embedded``) for a test, and finding its processes.

The shared browser stack (conftest.py ``dev_stack``) and the isolation fault test (which kills processes, so it
gets a stack of its own) start the supervisor the same way: free ports, their own database, Redis db, moto
server, library root and staging directory.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import redis
from e2e_support import fetch

from embedded import services
from embedded.services import ROOT


@dataclass
class Stack:
    base: str
    proc: subprocess.Popen
    ports: list[int]
    aws_endpoint: str
    database: str = ""  # the stack's own database (a test may add catalog rows the demo lacks)
    library: Path | None = None  # its library root (LIBRARY_ROOTS); the worker scans on request only
    redis_url: str = ""
    log: Path | None = None
    env: dict[str, str] = field(default_factory=dict)


def stack_env(database: str, work: Path, redis_db: int, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("AWS_ENDPOINT_URL", "SEEN_STAGE")}
    redis_url = os.environ["REDIS_URL"].rsplit("/", 1)[0] + f"/{redis_db}"
    # A fresh cache: rate-limit windows from an earlier run (same IP) must not carry over.
    redis.Redis.from_url(redis_url).flushdb()
    env.update(DATABASE_URL=database, REDIS_URL=redis_url,
               PYTHONPATH=f"{ROOT}{os.pathsep}{ROOT / 'localstack'}", SEEN_HEARTBEAT_INTERVAL="1",
               # Tests download from servers on 127.0.0.1, which the SSRF guard refuses unless told otherwise
               # (`make dev` itself keeps the guard on).
               SEEN_DOWNLOAD_ALLOW_PRIVATE="true", DOWNLOAD_POLL_INTERVAL="0.5",
               LIBRARY_ROOTS=str(work / "library"), SEEN_STAGING_DIR=str(work / "staging"),
               LIBRARY_SCAN_INTERVAL="0", **extra)
    (work / "library").mkdir(parents=True, exist_ok=True)
    return env


def launch(template_url: str, work: Path, log: Path, *, redis_db: int, dist: Path, args: tuple[str, ...] = (),
           timeout: float = 120, **extra_env: str) -> Stack:
    """Start the supervisor and wait until the API is ready (the caller stops it with ``stop``)."""
    gateway, api, aws_port = services.free_port(), services.free_port(), services.free_port()
    database = services.with_database(template_url, f"seen_e2e_{uuid.uuid4().hex[:8]}")
    env = stack_env(database, work, redis_db, **extra_env)
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "wb") as out:  # the child keeps its own descriptor
        proc = subprocess.Popen([sys.executable, "-m", "embedded", "--gateway-port", str(gateway),
                                 "--api-port", str(api), "--aws-port", str(aws_port), "--web-dist", str(dist),
                                 "--stream-port", "0", *args],  # the worker's Range server on a free port
                                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    stack = Stack(f"http://127.0.0.1:{gateway}", proc, [gateway, api, aws_port], f"http://127.0.0.1:{aws_port}",
                  database, work / "library", env["REDIS_URL"], log, env)
    deadline = time.monotonic() + timeout
    while fetch(stack.base + "/api/v1/health/ready")[0] != 200:
        if proc.poll() is not None or time.monotonic() > deadline:
            stop(stack)
            raise RuntimeError(f"make dev did not come up:\n{log.read_text(errors='replace')[-3000:]}")
        time.sleep(0.5)
    return stack


def stop(stack: Stack) -> None:
    if stack.proc.poll() is None:
        stack.proc.send_signal(signal.SIGINT)
        try:
            stack.proc.wait(30)
        except subprocess.TimeoutExpired:
            stack.proc.kill()
    services.drop_database(stack.database)
