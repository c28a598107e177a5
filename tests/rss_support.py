"""Resident memory of each app process of a running `make dev` stack, idle and busy (issue 33 item 8).

``make bench`` (tests/bench/test_stack_rss.py) reports the figures; an integration smoke test runs the same
scenario quickly so it always runs cleanly. The stack is the supervisor ``python -m embedded`` on free ports
with its own database (a copy of the migrated template), Redis db, moto server, library root and staging.

A role's memory is its process plus every descendant (the API is gunicorn's master and its workers; the
worker may run ffmpeg): RSS summed, which counts pages forked workers share once per worker, and PSS, which
splits shared pages between their users (the fair share of the host's memory).
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import psutil
import redis

from embedded import services
from embedded.services import ROOT

ROLES = ("api", "events", "imports", "worker")
MB = 1024 * 1024
API = "/api/v1"
BROWSE = ("/api/v1/health/live", "/api/v1/auth/me", "/api/v1/dashboard", "/api/v1/discover?page=1&pageSize=12",
          "/api/v1/movies?page=1&pageSize=24", "/api/v1/shows?page=1&pageSize=24", "/app/dashboard")
THINK = 0.2  # seconds between one user's requests (search has a per-user rate limit of its own: left out)
# Settings the test session sets for in-process tests that would make the stack unlike `make dev`.
NOT_INHERITED = ("AWS_ENDPOINT_URL", "SEEN_STAGE", "SEEN_DB_POOL_SIZE", "SEEN_STREAM_PORT")


def role_of(cmdline: list[str]) -> str | None:
    """Which app process a direct child of the supervisor is (None: moto server and other helpers)."""
    line = " ".join(cmdline)
    if "-m server" in line:
        return "api"
    if "embedded.pump" in line:
        return "imports" if "--queues imports" in line else "events"  # one pump without --queues does both
    if "-m worker" in line:
        return "worker"
    return None


def app_processes(supervisor_pid: int) -> dict[str, list[psutil.Process]]:
    """Each role's processes: the supervisor's child and all of its descendants."""
    roles: dict[str, list[psutil.Process]] = {role: [] for role in ROLES}
    for child in psutil.Process(supervisor_pid).children():
        try:
            role = role_of(child.cmdline())
            if role is not None:
                roles[role] += [child, *child.children(recursive=True)]
        except psutil.Error:  # it died between the listing and the look: the next sample sees its successor
            continue
    return roles


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


@dataclass
class Stack:
    base: str
    proc: subprocess.Popen
    redis_url: str
    log: Path


def stack_env(database: str, work: Path, redis_db: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    redis_url = os.environ["REDIS_URL"].rsplit("/", 1)[0] + f"/{redis_db}"
    redis.Redis.from_url(redis_url).flushdb()  # rate-limit windows of an earlier run must not carry over
    env.update(DATABASE_URL=database, REDIS_URL=redis_url, PYTHONPATH=f"{ROOT}{os.pathsep}{ROOT / 'localstack'}",
               SEEN_HEARTBEAT_INTERVAL="1", DOWNLOAD_POLL_INTERVAL="0.5", LIBRARY_SCAN_INTERVAL="0",
               # The download comes from a file server on 127.0.0.1, which the egress guard refuses by default.
               SEEN_DOWNLOAD_ALLOW_PRIVATE="true", LIBRARY_ROOTS=str(work / "library"),
               SEEN_STAGING_DIR=str(work / "staging"))
    (work / "library").mkdir(parents=True, exist_ok=True)
    return env


def web_dist(work: Path) -> Path:
    """The built SPA when there is one; else a one-page stand-in (the API's memory is what is measured)."""
    built = ROOT / "frontend" / "dist"
    if (built / "index.html").exists():
        return built
    (work / "dist").mkdir(parents=True, exist_ok=True)
    (work / "dist" / "index.html").write_text('<!doctype html><div id="root"></div>')
    return work / "dist"


@contextmanager
def running_stack(template_url: str, work: Path, *, redis_db: int, timeout: float = 180) -> Iterator[Stack]:
    """`make dev` on free ports until the block ends (Ctrl-C, as a person stops it)."""
    gateway, api, aws_port = services.free_port(), services.free_port(), services.free_port()
    database = services.with_database(template_url, f"seen_rss_{uuid.uuid4().hex[:8]}")
    services.create_database(database, template=services.database_name(template_url))
    env, log = stack_env(database, work, redis_db), work / "stack.log"
    with open(log, "wb") as out:  # the child keeps its own descriptor
        proc = subprocess.Popen([sys.executable, "-m", "embedded", "--gateway-port", str(gateway), "--api-port",
                                 str(api), "--aws-port", str(aws_port), "--web-dist", str(web_dist(work)),
                                 "--stream-port", "0", "--no-demo-indexer"],
                                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    stack = Stack(f"http://127.0.0.1:{gateway}", proc, env["REDIS_URL"], log)
    try:
        _wait_ready(stack, timeout)
        yield stack
    finally:
        if proc.poll() is None:
            proc.send_signal(2)  # SIGINT
            try:
                proc.wait(45)
            except subprocess.TimeoutExpired:
                proc.kill()
        services.drop_database(database)


def _wait_ready(stack: Stack, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while call(stack.base, "GET", "/api/v1/health/ready")[0] != 200:
        if stack.proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"make dev did not come up:\n{stack.log.read_text(errors='replace')[-3000:]}")
        time.sleep(0.5)


def all_roles_up(stack: Stack) -> bool:
    roles = app_processes(stack.proc.pid)
    return all(roles[role] for role in ("api", "events", "worker"))


# --- the busy part: browsing, an import, a download -----------------------------------------------------


def call(base: str, method: str, path: str, body: Any = None, token: str = "",
         timeout: float = 30) -> tuple[int, Any]:
    headers = {"Accept": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})}
    data = None
    if body is not None:
        headers["Content-Type"] = "application/json"
        data = json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as exc:
        status, raw = exc.code, exc.read()
    except OSError:
        return 0, {}
    try:
        return status, json.loads(raw) if raw else {}
    except ValueError:
        return status, {}


def register(stack: Stack) -> str:
    """A new account's access token (the register rate limit is per address: cleared first)."""
    cache = redis.Redis.from_url(stack.redis_url)
    for key in cache.scan_iter("seen:v1:ratelimit:register*"):
        cache.delete(key)
    email = f"rss-{uuid.uuid4().hex[:10]}@seen.test"
    status, body = call(stack.base, "POST", f"{API}/auth/register",
                        {"email": email, "password": "correct horse battery staple"})
    assert status in (200, 201), (status, body)
    return body["accessToken"]


class Origin:
    """One file of zero bytes served over HTTP on 127.0.0.1 at ``rate`` bytes a second (a download to run)."""

    def __init__(self, size: int, rate: float) -> None:
        self.gets = 0
        origin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_HEAD(self) -> None:
                self._headers()

            def do_GET(self) -> None:
                origin.gets += 1
                self._headers()
                chunk, sent, began = bytes(64 * 1024), 0, time.monotonic()
                try:
                    while sent < size:
                        piece = chunk[:size - sent]
                        self.wfile.write(piece)
                        sent += len(piece)
                        time.sleep(max(0.0, sent / rate - (time.monotonic() - began)))
                except OSError:
                    pass

            def _headers(self) -> None:
                self.send_response(200)
                self.send_header("Content-Length", str(size))
                self.send_header("Content-Type", "application/octet-stream")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/rss-bench.bin"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def letterboxd_csv(rows: int, titles: list[tuple[str, int]]) -> bytes:
    lines = ["Date,Name,Year,Letterboxd URI"]
    lines += [f"2024-03-{1 + n % 28:02d},\"{titles[n % len(titles)][0]}\",{titles[n % len(titles)][1]},"
              f"https://boxd.it/rss{n}" for n in range(rows)]
    return ("\n".join(lines) + "\n").encode()


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


def start_work(stack: Stack, token: str, origin: Origin, rows: int) -> Busy:
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
    status, body = call(stack.base, "POST", f"{API}/downloads", {"sourceType": "http", "source": origin.url},
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
    token, origin = register(stack), Origin(size, rate)
    try:
        with PeakSampler(stack.proc.pid) as peak:
            busy = start_work(stack, token, origin, rows)
            browse(stack, token, users, seconds, busy)
        after = sample(stack.proc.pid)
        return {"idle": idle, "busy": peak.peak, "after": after, "samples": peak.samples, "work": busy,
                "import_status": status_of(stack, token, "imports", busy.import_id),
                "job_status": status_of(stack, token, "downloads", busy.job_id), "origin_gets": origin.gets}
    finally:
        origin.close()
