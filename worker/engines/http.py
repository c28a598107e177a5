"""The httpx engine: one streamed GET per job, resumed with Range after any interruption.

The payload is written straight to ``workdir/data/<file name from the URL>``;
``workdir/http.json`` remembers the validator (ETag / Last-Modified) and the
announced length so a resume asks ``Range: bytes=<have>-`` with ``If-Range``
and a server whose file changed answers with the whole new file. A transfer
is complete only when the bytes on disk match the announced length.
Redirects are followed by hand so every hop passes the egress guard, and every
connection goes to the address the guard checked (``egress.guarded_transport``).
"""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import httpx

from chalicelib import egress
from chalicelib.config import EngineSettings
from worker.engines.base import (
    EngineError,
    JobSpec,
    PayloadFile,
    PermanentError,
    Phase,
    Progress,
    ThreadPerJob,
    TransientError,
    safe_name,
)
from worker.engines.egress import guarded_transport

CHUNK = 1024 * 1024  # network reads are gathered into writes of this size
MAX_REDIRECTS = 5
META_FILE = "http.json"
CONTENT_RANGE = re.compile(r"bytes (\d+)-(\d+)/(\d+|\*)")


class _Restart(Exception):
    """The server cannot resume (changed file, bad range): start over from byte 0."""


@dataclass
class _Transfer:
    spec: JobSpec
    path: Path
    stop: threading.Event = field(default_factory=threading.Event)
    thread: threading.Thread | None = None
    phase: Phase = "preparing"
    bytes_done: int = 0
    bytes_total: int | None = None
    speed: float = 0.0
    error: EngineError | None = None
    requests: int = 0
    window_start: float = field(default_factory=time.monotonic)  # speed: bytes over the last second or so
    window_bytes: int = 0


def file_name(url: str) -> str:
    return safe_name(PurePosixPath(unquote(urlsplit(url).path)).name)


class HttpEngine(ThreadPerJob[_Transfer]):
    kinds = ("http", "direct")
    durable_ranges = True  # done_ranges covers bytes already written to the file (upload_ahead hashes them)

    def __init__(self, settings: EngineSettings, logger: Any):
        self.settings = settings
        self.logger = logger
        self._jobs: dict[str, _Transfer] = {}
        self._lock = threading.Lock()
        timeout = httpx.Timeout(settings.http_timeout, connect=min(10.0, settings.http_timeout))
        self.client = httpx.Client(timeout=timeout, follow_redirects=False, headers={"User-Agent": "seen-worker"},
                                   transport=guarded_transport(allow_private=settings.allow_private))

    def add(self, spec: JobSpec) -> None:
        spec.data_dir.mkdir(parents=True, exist_ok=True)
        self._start(_Transfer(spec, spec.data_dir / file_name(spec.source or "")), "http", self._run)

    def status(self, job_id: str) -> Progress:
        transfer = self._jobs[job_id]
        if transfer.error is not None:
            raise transfer.error
        return Progress(transfer.phase, transfer.bytes_done, transfer.bytes_total, transfer.speed)

    def payload(self, job_id: str) -> list[PayloadFile] | None:
        """The one file, once the server announced its length."""
        transfer = self._jobs.get(job_id)
        if transfer is None or transfer.bytes_total is None:
            return None
        return [PayloadFile(0, transfer.path.name, transfer.path, transfer.bytes_total)]

    def done_ranges(self, job_id: str, index: int) -> list[tuple[int, int]]:
        """The file grows from byte 0: ``[0, bytes written)``; a restart from 0 is a new file (a new inode)."""
        transfer = self._jobs.get(job_id)
        if transfer is None or index != 0 or transfer.phase == "preparing":
            return []
        return [(0, transfer.bytes_done)]

    def _discard(self, spec: JobSpec) -> None:
        # Only the job's own state: the client serves every job of every user, and closes with the engine.
        (spec.workdir / META_FILE).unlink(missing_ok=True)

    def close(self) -> None:
        super().close()
        self.client.close()

    # --- the transfer thread ------------------------------------------------

    def _run(self, transfer: _Transfer) -> None:
        failures = 0
        while not transfer.stop.is_set():
            before = _size(transfer.path)
            try:
                if self._fetch(transfer):
                    transfer.phase = "finished"
                    transfer.speed = 0.0
                    return
            except _Restart:
                transfer.path.unlink(missing_ok=True)
                _forget(transfer.spec)
                failures += 1
            except (httpx.TransportError, OSError, TransientError) as exc:
                # Only interruptions that got nowhere count towards giving up.
                failures = 1 if _size(transfer.path) > before else failures + 1
                if failures > self.settings.http_retries:
                    transfer.error = exc if isinstance(exc, EngineError) else _transport_error(exc)
                    return
                self.logger.info("http transfer interrupted, resuming", extra={
                    "action": "http_resume", "job_id": transfer.spec.job_id, "bytes_done": transfer.bytes_done,
                    "error": type(exc).__name__})
                transfer.stop.wait(min(2.0**failures * 0.25, 5.0))
            except EngineError as exc:
                transfer.error = exc
                return
            except Exception as exc:  # a bug must end the job visibly, not leave it hanging
                self.logger.exception("http transfer crashed", extra={"action": "http_crashed",
                                                                      "job_id": transfer.spec.job_id})
                transfer.error = TransientError("http_error", f"Unexpected {type(exc).__name__}")
                return
            if failures > self.settings.http_retries + 2:  # restarts that never converge
                transfer.error = TransientError("http_restart_loop", "The server kept restarting the transfer")
                return

    def _open(self, url: str, headers: dict[str, str]) -> httpx.Response:
        for _ in range(MAX_REDIRECTS + 1):
            try:
                # The check gives a clear reason up front; the transport re-checks the address it connects to.
                egress.check_url(url, allow_private=self.settings.allow_private)
                response = self.client.send(self.client.build_request("GET", url, headers=headers), stream=True)
            except egress.UrlRefused as exc:
                raise PermanentError(exc.code, str(exc)) from None
            if response.status_code not in (301, 302, 303, 307, 308):
                return response
            location = response.headers.get("location")
            response.close()
            if not location:
                raise PermanentError("http_bad_redirect", "A redirect without a Location header")
            url = urljoin(url, location)
        raise PermanentError("too_many_redirects", f"More than {MAX_REDIRECTS} redirects")

    def _fetch(self, transfer: _Transfer) -> bool:
        """One request; True when the file is complete, False when stopped (partial data kept)."""
        have = _size(transfer.path)
        meta = _load_meta(transfer.spec)
        headers = {"Accept-Encoding": "identity"}
        if have and meta.get("validator"):
            headers.update({"Range": f"bytes={have}-", "If-Range": meta["validator"]})
        transfer.requests += 1
        response = self._open(transfer.spec.source or "", headers)
        try:
            offset, total = _plan(response, have, meta)
            if offset is None:  # 416 for a file we already have in full
                transfer.bytes_done = transfer.bytes_total = have
                return True
            _save_meta(transfer.spec, response, total)
            transfer.bytes_total = total
            transfer.phase = "downloading"
            return self._stream(transfer, response, offset, total)
        finally:
            response.close()

    def _stream(self, transfer: _Transfer, response: httpx.Response, offset: int, total: int | None) -> bool:
        transfer.bytes_done = offset
        if offset == 0:
            # Starting over: a new file, not the old one truncated, so a reader of the old bytes
            # (upload-ahead holds it open) sees the change by its inode.
            transfer.path.unlink(missing_ok=True)
        with open(transfer.path, "r+b" if offset else "wb", buffering=0) as out:
            out.seek(offset)
            out.truncate()
            pending = bytearray()  # written in CHUNK-sized writes, not one per network read
            try:
                for piece in response.iter_raw():
                    pending += piece
                    if len(pending) >= CHUNK:
                        _flush(transfer, out, pending)
                    if transfer.stop.is_set():
                        return False
            finally:  # whatever ended the body, the bytes that arrived are kept for the resume
                _flush(transfer, out, pending)
        if total is not None and transfer.bytes_done != total:
            # The connection ended early (or the server sent too much): resume/verify again.
            raise TransientError("http_length_mismatch",
                                 f"Got {transfer.bytes_done} of {total} bytes")
        return True


def _flush(transfer: _Transfer, out: Any, pending: bytearray) -> None:
    """Write ``pending`` and count it done (after the write: done_ranges never covers unwritten bytes)."""
    if not pending:
        return
    _write_all(out, pending)
    transfer.bytes_done += len(pending)
    now = time.monotonic()
    transfer.window_bytes += len(pending)
    if now - transfer.window_start >= 1.0:
        transfer.speed = transfer.window_bytes / (now - transfer.window_start)
        transfer.window_start, transfer.window_bytes = now, 0
    pending.clear()


def _write_all(out: Any, data: bytes | bytearray) -> None:
    view = memoryview(data)
    while view:
        view = view[out.write(view):]


def _plan(response: httpx.Response, have: int, meta: dict) -> tuple[int | None, int | None]:
    """Where the body starts in the file and the file's full length, from the status line."""
    status = response.status_code
    if status == 206:
        match = CONTENT_RANGE.match(response.headers.get("content-range", ""))
        if not match or int(match.group(1)) != have:
            raise _Restart()
        return have, None if match.group(3) == "*" else int(match.group(3))
    if status == 200:
        length = response.headers.get("content-length")
        return 0, int(length) if length and length.isdigit() else None
    if status == 416:
        if have and meta.get("total") == have:
            return None, have
        raise _Restart()
    if status in (408, 425, 429) or status >= 500:
        raise TransientError(f"http_{status}", f"The server answered {status}")
    raise PermanentError(f"http_{status}", f"The server answered {status}")


def _transport_error(exc: Exception) -> TransientError:
    if isinstance(exc, httpx.TimeoutException):
        return TransientError("http_timeout", "The server stopped answering")
    if isinstance(exc, httpx.ConnectError):
        return TransientError("http_connect_failed", "The server cannot be reached")
    if isinstance(exc, OSError):
        return TransientError("disk_error", f"Writing the download failed: {exc.strerror or exc}")
    return TransientError("http_connection_lost", "The connection was lost")


def _load_meta(spec: JobSpec) -> dict:
    try:
        return json.loads((spec.workdir / META_FILE).read_text())
    except (OSError, ValueError):
        return {}


def _save_meta(spec: JobSpec, response: httpx.Response, total: int | None) -> None:
    validator = response.headers.get("etag") or response.headers.get("last-modified")
    if response.headers.get("etag", "").startswith("W/"):
        validator = response.headers.get("last-modified")  # weak ETags may not be used with If-Range
    (spec.workdir / META_FILE).write_text(json.dumps({"validator": validator, "total": total}))


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _forget(spec: JobSpec) -> None:
    (spec.workdir / META_FILE).unlink(missing_ok=True)
