"""Resident memory of each app process of a running `make dev` stack, idle and busy (issue 33 item 8).

``make bench`` (tests/bench/test_stack_rss.py) reports the figures; an integration smoke test runs the same
scenario quickly so it always runs cleanly. The stack is tests/stack_support.py's private `make dev`.

A role's memory is its process plus every descendant (the API is gunicorn's master and its workers; the
worker may run ffmpeg): RSS summed, which counts pages forked workers share once per worker, and PSS, which
splits shared pages between their users (the fair share of the host's memory).
"""

from __future__ import annotations

import base64
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil

from tests.stack_support import (  # noqa: F401 - ROLES, app_processes, role_of and call are re-exported
    API,
    ROLES,
    Origin,
    Stack,
    app_processes,
    call,
    letterboxd_csv,
    register,
    role_of,
    running,
)

MB = 1024 * 1024
BROWSE = ("/api/v1/health/live", "/api/v1/auth/me", "/api/v1/dashboard", "/api/v1/discover?page=1&pageSize=12",
          "/api/v1/movies?page=1&pageSize=24", "/api/v1/shows?page=1&pageSize=24", "/app/dashboard")
THINK = 0.2  # seconds between one user's requests (search has a per-user rate limit of its own: left out)


@dataclass
class Usage:
    rss: int = 0
    pss: int = 0
    processes: int = 0
    largest: int = 0  # the RSS of its largest single process (one gunicorn worker, say)

    def as_mb(self) -> dict[str, float | int]:
        return {"rss_mb": round(self.rss / MB, 1), "pss_mb": round(self.pss / MB, 1), "processes": self.processes,
                "largest_mb": round(self.largest / MB, 1)}


def sample(supervisor_pid: int) -> dict[str, Usage]:
    """RSS and PSS of each role now."""
    usage = {role: Usage() for role in ROLES}
    for role, procs in app_processes(supervisor_pid).items():
        for proc in procs:
            try:
                info = proc.memory_full_info()
            except psutil.Error:
                continue
            usage[role].rss += info.rss
            usage[role].pss += info.pss
            usage[role].processes += 1
            usage[role].largest = max(usage[role].largest, info.rss)
    return usage


class PeakSampler:
    """Samples every ``every`` seconds in a thread; keeps each role's highest RSS and PSS."""

    def __init__(self, supervisor_pid: int, every: float = 0.5) -> None:
        self.pid, self.every = supervisor_pid, every
        self.peak = {role: Usage() for role in ROLES}
        self.samples = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self.stop.is_set():
            for role, now in sample(self.pid).items():
                peak = self.peak[role]
                peak.rss, peak.pss = max(peak.rss, now.rss), max(peak.pss, now.pss)
                peak.processes, peak.largest = max(peak.processes, now.processes), max(peak.largest, now.largest)
            self.samples += 1
            self.stop.wait(self.every)

    def __enter__(self) -> PeakSampler:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(30)


# --- the stack ------------------------------------------------------------------------------------------


def running_stack(template_url: str, work: Path, *, redis_db: int, timeout: float = 180) -> Any:
    """`make dev` on free ports until the block ends (Ctrl-C, as a person stops it)."""
    return running(template_url, work, redis_db=redis_db, args=("--no-demo-indexer",), timeout=timeout)


def all_roles_up(stack: Stack) -> bool:
    roles = app_processes(stack.proc.pid)
    return all(roles[role] for role in ("api", "events", "worker"))


# --- the busy part: browsing, an import, a download -----------------------------------------------------


@dataclass
class Busy:
    requests: int = 0
    failures: list[tuple[str, int]] = field(default_factory=list)
    import_id: str = ""
    job_id: str = ""


def browse(stack: Stack, token: str, users: int, seconds: float, busy: Busy) -> None:
    """``users`` threads requesting a page every ``THINK`` seconds for ``seconds``."""
    deadline, lock = time.monotonic() + seconds, threading.Lock()

    def user(n: int) -> None:
        step = n
        while time.monotonic() < deadline:
            path = BROWSE[step % len(BROWSE)]
            step += 1
            status, _ = call(stack.base, "GET", path, token=token)
            with lock:
                busy.requests += 1
                if status != 200:
                    busy.failures.append((path, status))
            time.sleep(THINK)

    threads = [threading.Thread(target=user, args=(n,), daemon=True) for n in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 60)


def start_work(stack: Stack, token: str, download_url: str, rows: int) -> Busy:
    """Start an import of ``rows`` Letterboxd rows and a download from ``origin``."""
    busy = Busy()
    status, movies = call(stack.base, "GET", f"{API}/movies?page=1&pageSize=50", token=token)
    assert status == 200, (status, movies)
    titles = sorted({(m["title"], m["year"]) for m in movies["items"] if m.get("year")}) or [("Nothing", 2000)]
    content = base64.b64encode(letterboxd_csv(rows, titles)).decode()
    status, body = call(stack.base, "POST", f"{API}/imports",
                        {"format": "letterboxd", "filename": "watched.csv", "content": content}, token=token)
    assert status in (200, 201, 202), (status, body)
    busy.import_id = body["id"]
    status, body = call(stack.base, "POST", f"{API}/downloads", {"sourceType": "http", "source": download_url},
                        token=token)
    assert status in (200, 201, 202), (status, body)
    busy.job_id = body["id"]
    return busy


def status_of(stack: Stack, token: str, what: str, ident: str) -> str:
    status, body = call(stack.base, "GET", f"{API}/{what}/{ident}", token=token)
    return body.get("status", f"http {status}") if isinstance(body, dict) else f"http {status}"


def measure(stack: Stack, *, users: int, seconds: float, rows: int, size: int, rate: float,
            settle: float) -> dict[str, Any]:
    """Idle RSS after ``settle`` seconds, then the peak while ``users`` browse, an import and a download run."""
    deadline = time.monotonic() + 60
    while not all_roles_up(stack):
        assert time.monotonic() < deadline, "the stack's processes did not all start"
        time.sleep(0.2)
    time.sleep(settle)
    idle = sample(stack.proc.pid)
    token, origin = register(stack, "rss")["accessToken"], Origin()
    download_url = origin.add("/rss-bench.bin", size, rate)
    try:
        with PeakSampler(stack.proc.pid) as peak:
            busy = start_work(stack, token, download_url, rows)
            browse(stack, token, users, seconds, busy)
        after = sample(stack.proc.pid)
        return {"idle": idle, "busy": peak.peak, "after": after, "samples": peak.samples, "work": busy,
                "import_status": status_of(stack, token, "imports", busy.import_id),
                "job_status": status_of(stack, token, "downloads", busy.job_id),
                "origin_gets": origin.files["/rss-bench.bin"].gets}
    finally:
        origin.close()
