"""Local stand-ins for internet services (TMDB, IGDB + Twitch OAuth).

Each fake is a small threaded HTTP server that speaks the documented JSON of
the real API, so the real client code runs over real HTTP offline: in tests
and, optionally, behind ``make dev`` (``python -m embedded.fakes.tmdb``).
Tests can inject failures (``fail``: 429 with Retry-After, 5xx) and read the
requests the server received (``requests``).
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: str
    at: float = field(default_factory=time.monotonic)


@dataclass
class Failure:
    prefix: str
    status: int
    remaining: int
    retry_after: str | None = None
    body: Any = None


@dataclass
class Reply:
    """``body`` is sent as JSON, or as it is when it is ``bytes`` (give its Content-Type in ``headers``)."""

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


class FakeServer:
    """Subclasses implement ``handle(request) -> Reply``."""

    name = "fake"

    def __init__(self, host: str = "127.0.0.1", port: int = 0):
        self.requests: list[Recorded] = []
        self._failures: list[Failure] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer((host, port), self._handler_class())
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> FakeServer:
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name=f"{self.name}-fake", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread:
            self._thread.join(timeout=5)

    def __enter__(self) -> FakeServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def fail(self, prefix: str, status: int, times: int = 1, *, retry_after: str | int | None = None,
             body: Any = None) -> None:
        """Answer the next ``times`` requests whose path starts with ``prefix`` with ``status``."""
        with self._lock:
            self._failures.append(Failure(prefix, status, times, None if retry_after is None else str(retry_after),
                                          body))

    def clear_failures(self) -> None:
        with self._lock:
            self._failures.clear()

    def paths(self, prefix: str = "") -> list[str]:
        return [r.path for r in self.requests if r.path.startswith(prefix)]

    def _take_failure(self, path: str) -> Failure | None:
        with self._lock:
            for failure in self._failures:
                if path.startswith(failure.prefix) and failure.remaining > 0:
                    failure.remaining -= 1
                    return failure
        return None

    def error_body(self, status: int) -> Any:
        return {"status": status, "message": "injected failure"}

    def handle(self, request: Recorded) -> Reply:  # pragma: no cover - interface
        raise NotImplementedError

    def _dispatch(self, request: Recorded) -> Reply:
        with self._lock:
            self.requests.append(request)
        failure = self._take_failure(request.path)
        if failure is not None:
            headers = {"Retry-After": failure.retry_after} if failure.retry_after is not None else {}
            return Reply(failure.status, failure.body if failure.body is not None else self.error_body(failure.status),
                         headers)
        try:
            return self.handle(request)
        except Exception as exc:  # a bug in the fake must show up as a 500, not a hung client
            return Reply(500, {"message": f"fake error: {exc!r}"})

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _serve(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
                query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
                reply = fake._dispatch(Recorded(self.command, parts.path, query,
                                                {k.lower(): v for k, v in self.headers.items()}, body))
                raw = isinstance(reply.body, bytes)  # media bytes, HTML error pages: sent as they are
                payload = reply.body if raw else json.dumps(reply.body).encode()
                self.send_response(reply.status)
                if not raw:
                    self.send_header("Content-Type", "application/json;charset=utf-8")
                self.send_header("Content-Length", str(len(payload)))
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = _serve

        return Handler
