"""What the isolation fault tests (test_isolation_faults.py, test_isolation_players.py) drive the stack with.

The stack, its processes by role, the file server (``Origin``) and the API calls are tests/stack_support.py's.

- ``Client``: the JSON API over HTTP as one signed-up user (its own connection per call: a thread each).
- hostile and heavy import files, tiny non-browser videos for transcodes, and the stack's processes by role.
- ``wait_for``: a check polled until it holds (the test fails after ``timeout``).
"""

from __future__ import annotations

import base64
import io
import json
import subprocess
import time
import zipfile
from pathlib import Path
from typing import Any

import psutil
import pytest

from tests.stack_support import API, Stack, app_processes, call, register


class Client:
    """One signed-up user of the stack's JSON API."""

    def __init__(self, base: str, token: str = "", user_id: str = "") -> None:
        self.base, self.token, self.user_id = base, token, user_id

    def call(self, method: str, path: str, body: Any = None, timeout: float = 30) -> tuple[int, Any]:
        """``path``: absolute (``/app/dashboard``) or under the API (``downloads/ID``); status 0: unreachable."""
        return call(self.base, method, path if path.startswith("/") else f"{API}/{path}", body, self.token, timeout)

    def ok(self, method: str, path: str, body: Any = None) -> Any:
        status, payload = self.call(method, path, body)
        assert 200 <= status < 300, (method, path, status, payload)
        return payload


def register_clients(stack: Stack, count: int) -> list[Client]:
    """``count`` accounts through the register route (the first is the instance's admin)."""
    sessions = [register(stack, "iso") for _ in range(count)]
    return [Client(stack.base, session["accessToken"], session["user"]["id"]) for session in sessions]


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
    """The stack's processes by role, with the API's gunicorn master (``api``) apart from its workers."""
    roles = app_processes(supervisor_pid)
    roles["api"], roles["api_worker"] = roles["api"][:1], roles["api"][1:]
    return roles


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def wait_for(what: str, check: Any, timeout: float, every: float = 0.5) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(every)
    pytest.fail(f"{what}: not within {timeout:.0f} s")
