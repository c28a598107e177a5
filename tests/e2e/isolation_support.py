"""What the isolation fault test (test_isolation_faults.py) drives the stack with.

- ``Origin``: an HTTP file server on 127.0.0.1 with a byte rate per path and Range support; it counts full
  GETs and records when each response's last byte left, so a test can see a retried download (two GETs) and
  how long the API took to learn that a download finished.
- ``Client``: the JSON API over HTTP as one signed-up user (its own connection per call: a thread each).
- hostile and heavy import files, tiny non-browser videos for transcodes, and the stack's processes by role.
"""

from __future__ import annotations

import base64
import io
import json
import subprocess
import threading
import time
import urllib.error
import urllib.request
import uuid
import zipfile
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import psutil
import redis

API = "/api/v1"
PASSWORD = "correct horse battery staple"


@dataclass
class Served:
    size: int
    rate: float  # bytes per second; 0: as fast as the socket takes them
    stall_after: int | None = None  # stop sending (hold the connection) after this many bytes
    gets: int = 0
    finished_at: list[float] = field(default_factory=list)


class Origin:
    """Files of zero bytes (any content does for a download), served at a chosen rate."""

    def __init__(self) -> None:
        self.files: dict[str, Served] = {}
        self.stop_event = threading.Event()
        origin = self

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

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def add(self, path: str, size: int, rate: float = 0, stall_after: int | None = None) -> str:
        self.files[path] = Served(size, rate, stall_after)
        return self.url(path)

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
                    ahead = (position - start) / served.rate - (time.monotonic() - began)
                    if ahead > 0:
                        time.sleep(ahead)
            out.flush()
            served.finished_at.append(time.monotonic())
        except OSError:
            pass

    def close(self) -> None:
        self.stop_event.set()
        self.server.shutdown()
        self.server.server_close()


def _range_start(header: str | None) -> int:
    if not header or not header.startswith("bytes=") or header[6:7] == "-":
        return 0
    return int(header[6:].split("-", 1)[0] or 0)


class Client:
    """One signed-up user of the stack's JSON API."""

    def __init__(self, base: str, token: str = "", user_id: str = "") -> None:
        self.base, self.token, self.user_id = base, token, user_id

    def call(self, method: str, path: str, body: Any = None, timeout: float = 30) -> tuple[int, Any]:
        headers = {"Accept": "application/json"}
        data = None
        if body is not None:
            headers["Content-Type"] = "application/json"
            data = json.dumps(body).encode()
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        url = path if path.startswith("http") else self.base + (path if path.startswith("/") else f"{API}/{path}")
        request = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as exc:
            status, raw = exc.code, exc.read()
        try:
            return status, json.loads(raw) if raw else {}
        except ValueError:
            return status, raw

    def ok(self, method: str, path: str, body: Any = None) -> Any:
        status, payload = self.call(method, path, body)
        assert 200 <= status < 300, (method, path, status, payload)
        return payload


def register(base: str, redis_url: str, count: int) -> list[Client]:
    """``count`` accounts through the register route (the first is the instance's admin)."""
    cache = redis.Redis.from_url(redis_url)
    clients = []
    for _ in range(count):
        email = f"iso-{uuid.uuid4().hex[:10]}@seen.test"
        for key in cache.scan_iter("seen:v1:ratelimit:register*"):  # one address registers them all
            cache.delete(key)
        session = Client(base).ok("POST", "auth/register", {"email": email, "password": PASSWORD})
        clients.append(Client(base, session["accessToken"], session["user"]["id"]))
    return clients


def nested_seen_export(depth: int = 100_000) -> bytes:
    """A /seen/ export whose ``media`` is nested ``depth`` levels deep (~2 bytes a level)."""
    return (b'{"format":"seen-tracking-export","media":' + b"[" * depth + b"]" * depth + b"}")


def trakt_history(rows: int, titles: list[tuple[str, int]]) -> bytes:
    """A Trakt ``watched-history.json`` of ``rows`` movie watches over ``titles`` (title, year)."""
    entries = [{"watched_at": f"2024-01-{1 + n % 28:02d}T20:00:00.000Z", "type": "movie",
                "movie": {"title": titles[n % len(titles)][0], "year": titles[n % len(titles)][1],
                          "ids": {"tmdb": None, "imdb": None}}} for n in range(rows)]
    return json.dumps(entries).encode()


def zipped(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def zip_bomb(decompressed: int = 512 * 1024 * 1024) -> bytes:
    """A Trakt-looking zip whose one member inflates to ``decompressed`` bytes of JSON whitespace."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive, \
            archive.open("watched-history.json", "w", force_zip64=True) as member:
        member.write(b"[")
        block = b" " * (8 * 1024 * 1024)
        for _ in range(decompressed // len(block)):
            member.write(block)
        member.write(b"]")
    return out.getvalue()


def letterboxd_watched(rows: int, titles: list[tuple[str, int]]) -> bytes:
    lines = ["Date,Name,Year,Letterboxd URI"]
    lines += [f"2024-02-{1 + n % 28:02d},\"{titles[n % len(titles)][0]}\",{titles[n % len(titles)][1]},"
              f"https://boxd.it/{n}" for n in range(rows)]
    return ("\n".join(lines) + "\n").encode()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def make_clips(folder: Path, count: int) -> list[Path]:
    """``count`` distinct 2-second MPEG-4 Part 2 + MP2 AVIs: no browser plays them (a full HLS transcode)."""
    folder.mkdir(parents=True, exist_ok=True)
    clips = []
    for n in range(count):
        path = folder / f"Isolation Clip {n:02d} (2001).avi"
        if not path.exists():
            subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
                            "testsrc2=size=160x120:rate=10:duration=2", "-f", "lavfi", "-i",
                            f"sine=frequency={300 + n * 10}:duration=2", "-c:v", "mpeg4", "-c:a", "mp2",
                            "-metadata", f"title=clip {n}", str(path)], check=True, timeout=60)
        clips.append(path)
    return clips


def processes(supervisor_pid: int) -> dict[str, list[psutil.Process]]:
    """The stack's app processes by role: api (gunicorn master), api_worker, events, imports, worker."""
    roles: dict[str, list[psutil.Process]] = {"api": [], "api_worker": [], "events": [], "imports": [],
                                              "worker": []}
    for proc in psutil.Process(supervisor_pid).children(recursive=True):
        try:
            line = " ".join(proc.cmdline())
        except psutil.Error:
            continue
        if "-m server" in line or "seen-web" in line:
            parent = proc.parent()
            is_worker = parent is not None and "-m server" in " ".join(parent.cmdline())
            roles["api_worker" if is_worker else "api"].append(proc)
        elif "embedded.pump" in line:
            roles["imports" if "imports" in line.split("embedded.pump", 1)[1] else "events"].append(proc)
        elif "-m worker" in line:
            roles["worker"].append(proc)
    return roles


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]
