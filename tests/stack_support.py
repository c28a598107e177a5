"""A private `make dev` stack (``python -m embedded``) for a test, and what tests drive it with.

The browser tests' shared stack (tests/e2e/conftest.py), the isolation fault test (which kills processes, so
it gets a stack of its own), the supervisor test and the RSS bench start the supervisor the same way: free
ports, their own database, Redis db, moto server, library root and staging directory, settings as `make dev`
has them (none of the in-process test session's).

- ``launch``/``stop`` (or ``running`` as a context manager); ``app_processes``: the stack's processes by role.
- ``call``/``register``: the JSON API over HTTP (a connection per call: one per thread).
- ``Origin``: an HTTP file server on 127.0.0.1 with a byte rate per path, Range support and a tail that can
  be withheld; it counts full GETs and records when each response's last byte left.
"""

from __future__ import annotations

import json
import os
import signal
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

API = "/api/v1"
PASSWORD = "correct horse battery staple"
ROLES = ("api", "events", "imports", "worker", "edge")
# Settings the test session sets for in-process tests that would make the stack unlike `make dev`.
NOT_INHERITED = ("AWS_ENDPOINT_URL", "SEEN_STAGE", "SEEN_DB_POOL_SIZE", "SEEN_STREAM_PORT")


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

    @property
    def log_dir(self) -> Path:
        """Each of the stack's processes logs here (api.log, worker.log, ...): its own, not .data/logs."""
        return Path(self.env["SEEN_LOG_DIR"])


def stack_env(database: str, work: Path, redis_db: int, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    redis_url = os.environ["REDIS_URL"].rsplit("/", 1)[0] + f"/{redis_db}"
    # A fresh cache: rate-limit windows from an earlier run (same IP) must not carry over.
    redis.Redis.from_url(redis_url).flushdb()
    env.update(DATABASE_URL=database, REDIS_URL=redis_url,
               PYTHONPATH=f"{ROOT}{os.pathsep}{ROOT / 'localstack'}", SEEN_HEARTBEAT_INTERVAL="1",
               # Tests download from servers on 127.0.0.1, which the SSRF guard refuses unless told otherwise
               # (`make dev` itself keeps the guard on).
               SEEN_DOWNLOAD_ALLOW_PRIVATE="true", DOWNLOAD_POLL_INTERVAL="0.5",
               LIBRARY_ROOTS=str(work / "library"), SEEN_STAGING_DIR=str(work / "staging"),
               LIBRARY_SCAN_INTERVAL="0", SEEN_LOG_DIR=str(work / "logs"),
               # Every peer here is a TCP-only seeder on loopback (embedded.testpeers): uTP would only add
               # libtorrent's ~4 s uTP connect timeout to each new peer before it falls back to TCP.
               SEEN_TORRENT_UTP="false", **extra)
    (work / "library").mkdir(parents=True, exist_ok=True)
    return env


def web_dist(work: Path) -> Path:
    """The built SPA when there is one; else a one-page stand-in (for tests of the API and processes only)."""
    built = ROOT / "frontend" / "dist"
    if (built / "index.html").exists():
        return built
    (work / "dist").mkdir(parents=True, exist_ok=True)
    (work / "dist" / "index.html").write_text('<!doctype html><div id="root"></div>')
    return work / "dist"


def launch(template_url: str, work: Path, log: Path, *, redis_db: int, dist: Path | None = None,
           args: tuple[str, ...] = (), timeout: float = 120, **extra_env: str) -> Stack:
    """Start the supervisor and wait until the API is ready (the caller stops it with ``stop``)."""
    gateway, api, aws_port = services.free_port(), services.free_port(), services.free_port()
    # A database of its own, created and migrated by the supervisor as `make dev` does (not copied from the
    # template: a copy fails while any in-process test holds a connection to it).
    database = services.with_database(template_url, f"seen_stack_{uuid.uuid4().hex[:8]}")
    env = stack_env(database, work, redis_db, **extra_env)
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "wb") as out:  # the child keeps its own descriptor
        proc = subprocess.Popen([sys.executable, "-m", "embedded", "--gateway-port", str(gateway),
                                 "--api-port", str(api), "--aws-port", str(aws_port),
                                 "--web-dist", str(dist or web_dist(work)),
                                 "--stream-port", "0", *args],  # the worker's Range server on a free port
                                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    stack = Stack(f"http://127.0.0.1:{gateway}", proc, [gateway, api, aws_port], f"http://127.0.0.1:{aws_port}",
                  database, work / "library", env["REDIS_URL"], log, env)
    deadline = time.monotonic() + timeout
    while call(stack.base, "GET", f"{API}/health/ready")[0] != 200:
        if proc.poll() is not None or time.monotonic() > deadline:
            stop(stack)
            raise RuntimeError(f"make dev did not come up:\n{log.read_text(errors='replace')[-3000:]}")
        time.sleep(0.5)
    return stack


def stop(stack: Stack) -> None:
    """Ctrl-C, as a person stops `make dev`; its database is dropped."""
    if stack.proc.poll() is None:
        stack.proc.send_signal(signal.SIGINT)
        try:
            stack.proc.wait(45)
        except subprocess.TimeoutExpired:
            stack.proc.kill()
    services.drop_database(stack.database)


@contextmanager
def running(template_url: str, work: Path, **kwargs: Any) -> Iterator[Stack]:
    """``launch`` until the block ends (its log in ``work``)."""
    stack = launch(template_url, work, work / "stack.log", **kwargs)
    try:
        yield stack
    finally:
        stop(stack)


def role_of(cmdline: list[str]) -> str | None:
    """Which app process a direct child of the supervisor is (None: moto server and other helpers)."""
    line = " ".join(cmdline)
    if "-m server" in line:
        return "api"
    if "-m embedded.edge" in line:
        return "edge"  # the asyncio front door on the public ports (/stream/ to the worker, the rest to api)
    if "embedded.pump" in line:
        return "imports" if "--queues imports" in line else "events"  # one pump without --queues does both
    if "-m worker" in line:
        return "worker"
    return None


def app_processes(supervisor_pid: int) -> dict[str, list[psutil.Process]]:
    """Each role's processes: the supervisor's child first, then all of its descendants (the API's
    gunicorn workers, the worker's ffmpeg)."""
    roles: dict[str, list[psutil.Process]] = {role: [] for role in ROLES}
    for child in psutil.Process(supervisor_pid).children():
        try:
            role = role_of(child.cmdline())
            if role is not None:
                roles[role] += [child, *child.children(recursive=True)]
        except psutil.Error:  # it died between the listing and the look: the next sample sees its successor
            continue
    return roles


def call(base: str, method: str, path: str, body: Any = None, token: str = "",
         timeout: float = 30) -> tuple[int, Any]:
    """``(status, JSON body)``; status 0 when the server could not be reached."""
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


def register(stack: Stack, prefix: str = "stack") -> dict[str, Any]:
    """A new account through the register route (the first of a stack is its admin): the session body.
    The register rate limit is per address, and every account here comes from one: it is cleared first."""
    cache = redis.Redis.from_url(stack.redis_url)
    for key in cache.scan_iter("seen:v1:ratelimit:register*"):
        cache.delete(key)
    email = f"{prefix}-{uuid.uuid4().hex[:10]}@seen.test"
    status, body = call(stack.base, "POST", f"{API}/auth/register", {"email": email, "password": PASSWORD})
    assert status in (200, 201), (status, body)
    return body


def letterboxd_csv(rows: int, titles: list[tuple[str, int]]) -> bytes:
    """A Letterboxd ``watched.csv`` of ``rows`` lines over ``titles`` (title, year)."""
    lines = ["Date,Name,Year,Letterboxd URI"]
    lines += [f"2024-03-{1 + n % 28:02d},\"{titles[n % len(titles)][0]}\",{titles[n % len(titles)][1]},"
              f"https://boxd.it/{n}" for n in range(rows)]
    return ("\n".join(lines) + "\n").encode()


@dataclass
class Served:
    size: int
    rate: float  # bytes per second; 0: as fast as the socket takes them
    stall_after: int | None = None  # stop sending (hold the connection) after this many bytes
    gets: int = 0
    finished_at: list[float] = field(default_factory=list)


class Origin:
    """Files of zero bytes (any content does for a download), each served at its own rate."""

    def __init__(self) -> None:
        self.files: dict[str, Served] = {}
        self.stop_event = threading.Event()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def add(self, path: str, size: int, rate: float = 0, stall_after: int | None = None) -> str:
        self.files[path] = Served(size, rate, stall_after)
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def send(self, out: Any, served: Served, start: int) -> None:
        chunk = bytes(64 * 1024)
        position, began = start, time.monotonic()
        try:
            while position < served.size and not self.stop_event.is_set():
                if served.stall_after is not None and position >= served.stall_after:
                    self.stop_event.wait(600)  # the tail never comes
                    return
                piece = chunk[:served.size - position]
                out.write(piece)
                position += len(piece)
                if served.rate:
                    time.sleep(max(0.0, (position - start) / served.rate - (time.monotonic() - began)))
            out.flush()
            served.finished_at.append(time.monotonic())
        except OSError:
            pass

    def close(self) -> None:
        self.stop_event.set()
        self.server.shutdown()
        self.server.server_close()


def _handler(origin: Origin) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:
            pass

        def do_HEAD(self) -> None:
            served = origin.files.get(self.path)
            if served is None:
                self.send_error(404)
                return
            self._headers(200, served.size, served.size)

        def do_GET(self) -> None:
            served = origin.files.get(self.path)
            if served is None:
                self.send_error(404)
                return
            start = _range_start(self.headers.get("Range"))
            if start == 0:
                served.gets += 1
            self._headers(206 if start else 200, served.size - start, served.size, start)
            origin.send(self.wfile, served, start)

        def _headers(self, status: int, length: int, size: int, start: int = 0) -> None:
            self.send_response(status)
            self.send_header("Content-Length", str(length))
            self.send_header("Accept-Ranges", "bytes")
            self.send_header("Content-Type", "application/octet-stream")
            if status == 206:
                self.send_header("Content-Range", f"bytes {start}-{size - 1}/{size}")
            self.end_headers()

    return Handler


def _range_start(header: str | None) -> int:
    if not header or not header.startswith("bytes=") or header[6:7] == "-":
        return 0
    return int(header[6:].split("-", 1)[0] or 0)


class Trickle:
    """A server that answers every request 200 with a JSON body it sends one byte every ``every`` seconds: a
    linked media server that is up but never finishes an answer (each call to it holds its caller)."""

    def __init__(self, every: float = 3.0, size: int = 1024) -> None:
        self.every, self.size, self.requests = every, size, 0
        self.stop_event = threading.Event()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _trickle_handler(self))
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self) -> None:
        self.stop_event.set()
        self.server.shutdown()
        self.server.server_close()


def _trickle_handler(trickle: Trickle) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            trickle.requests += 1
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(trickle.size))
            self.end_headers()
            try:
                for _ in range(trickle.size):
                    self.wfile.write(b" ")
                    self.wfile.flush()
                    if trickle.stop_event.wait(trickle.every):
                        return
            except OSError:
                pass

        do_POST = do_GET

    return Handler
