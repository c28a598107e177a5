"""gunicorn, configured for /seen/: threaded workers, graceful shutdown, JSON access lines.

Several worker processes (``gthread``: each handles ``threads`` requests at
once; the Chalice app's per-request state is thread-local, see server.wsgi).
SIGTERM stops accepting and lets requests in flight finish for
``graceful_timeout`` seconds; a worker silent for ``timeout`` seconds is killed
and replaced. Proxy headers (X-Forwarded-Proto/For) are believed only from
``SEEN_TRUSTED_PROXIES``, the same list the app walks X-Forwarded-For with.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from gunicorn import util
from gunicorn.app.base import BaseApplication
from gunicorn.glogging import Logger
from gunicorn.workers.gthread import ThreadWorker

SHM = "/dev/shm"  # noqa: S108 - a memory filesystem for heartbeat files, not temporary data


class JsonLogger(Logger):
    """gunicorn's access log as JSON lines in the app's shape (Powertools' keys). The path is logged without
    its query string: signed URLs carry their signature there."""

    def access(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> None:
        if not self.access_log_enabled:
            return
        status = resp.status.split(None, 1)[0] if isinstance(resp.status, str) else resp.status
        line = {
            "level": "INFO", "location": "access", "message": "access",
            "timestamp": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S,%f")[:-3] + "+0000", "service": "seen-web",
            "action": "http_access", "method": environ.get("REQUEST_METHOD"), "path": environ.get("PATH_INFO"),
            "status": int(status), "bytes": getattr(resp, "sent", None), "remote": environ.get("REMOTE_ADDR"),
            "duration_ms": round(request_time.total_seconds() * 1000, 2), "pid": os.getpid(),
        }
        self.access_log.info(json.dumps(line, separators=(",", ":")))


# gunicorn's own refusals by status (a malformed request line or header, refused before the app runs).
ERROR_CODES = {400: "bad_request", 403: "forbidden", 414: "uri_too_long", 417: "expectation_failed",
               431: "headers_too_large", 500: "internal_error", 501: "not_implemented"}


def write_json_error(sock: Any, status_int: int, reason: str, mesg: str) -> None:
    """gunicorn's error answer in the API's JSON envelope instead of its HTML page (same status, closed after)."""
    body = json.dumps({"error": {"code": ERROR_CODES.get(status_int, "bad_request"),
                                 "message": mesg or reason}}).encode()
    head = (f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode("latin-1")
    util.write_nonblock(sock, head + body)


class JsonErrorWorker(ThreadWorker):
    """``gthread`` whose refusals of malformed requests (gunicorn answers those itself, before the app) are JSON
    like every other error of the API, not gunicorn's HTML page."""

    def init_process(self) -> None:
        # handle_error calls util.write_error through the module: in this worker process (forked for the API
        # alone) every refusal goes out as JSON. Set once here, never swapped per request (threads share it).
        util.write_error = write_json_error
        super().init_process()


def options(binds: list[str], workers: int, threads: int, trusted_proxies: str, *,
            timeout: int = 120, graceful_timeout: int = 30) -> dict[str, Any]:
    return {
        "bind": binds,
        "workers": workers,
        "worker_class": "server.serve.JsonErrorWorker",  # gthread, answering malformed requests in JSON
        "threads": threads,
        "timeout": timeout,
        "graceful_timeout": graceful_timeout,
        "keepalive": 5,
        "preload_app": True,  # import once in the master; workers fork with the app loaded
        "forwarded_allow_ips": trusted_proxies or "127.0.0.1,::1",
        "proxy_allow_ips": trusted_proxies or "127.0.0.1,::1",
        "limit_request_line": 8190,
        "limit_request_fields": 100,
        "accesslog": "-",
        "errorlog": "-",
        "logger_class": JsonLogger,
        "access_log_format": "%(m)s %(U)s %(s)s",
        # Worker heartbeat files in memory: works on read-only root filesystems (gunicorn docs advise it).
        "worker_tmp_dir": SHM if os.path.isdir(SHM) else None,
        # No control socket (gunicorn >= 25's runtime control through gunicornc): nothing here uses it, and its
        # default place, ~/.gunicorn, is on the read-only root of the API container, so every start warned.
        "control_socket_disable": True,
        "proc_name": "seen-web",
    }


class Server(BaseApplication):
    def __init__(self, factory: Callable[[], Any], settings: dict[str, Any]) -> None:
        self.factory = factory
        self.settings = settings
        super().__init__()

    def load_config(self) -> None:
        for name, value in self.settings.items():
            if value is not None:
                self.cfg.set(name, value)

    def load(self) -> Any:
        return self.factory()
