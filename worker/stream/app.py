"""The WSGI application: ``GET|HEAD /stream/{jobId}/{fileIndex}[.vtt]?exp=&sig=``."""

from __future__ import annotations

import json
import mimetypes
import re
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs

from chalicelib import streamtoken
from worker.stream import ranges, source

PATH = re.compile(r"^/stream/([0-9A-Za-z][0-9A-Za-z-]{0,63})/(\d{1,7})(\.vtt)?$")
WAIT = 20.0  # seconds a request waits for bytes (or a magnet's file list) before a 503
CAP = 4 * 1024 * 1024  # an open-ended range gets at most this much: the player keeps asking, seeks stay cheap
CHUNK = 256 * 1024
TYPES = {".mkv": "video/x-matroska", ".mp4": "video/mp4", ".m4v": "video/mp4", ".webm": "video/webm",
         ".avi": "video/x-msvideo", ".ts": "video/mp2t", ".mov": "video/quicktime", ".srt": "application/x-subrip",
         ".vtt": "text/vtt", ".ass": "text/x-ssa", ".ssa": "text/x-ssa"}


def mime_type(path: str) -> str:
    suffix = path[path.rfind("."):].lower() if "." in path else ""
    return TYPES.get(suffix) or mimetypes.guess_type(path)[0] or "application/octet-stream"


def _json(start_response: Any, status: str, code: str, message: str, headers: list | None = None) -> list[bytes]:
    body = json.dumps({"error": {"code": code, "message": message}}).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body))),
                            ("Cache-Control", "no-store"), *(headers or [])])
    return [body]


_REASONS = {403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed", 410: "Gone", 416: "Range Not Satisfiable",
            503: "Service Unavailable"}


def _error(start_response: Any, exc: source.StreamError) -> list[bytes]:
    headers = [("Retry-After", str(exc.retry_after))] if exc.retry_after else []
    return _json(start_response, f"{exc.status} {_REASONS.get(exc.status, 'Error')}", exc.code, exc.message, headers)


class StreamApp:
    """Verifies the URL's token, then serves the file's bytes that are verified on disk."""

    def __init__(self, ctx: Any, secret: str):
        self.ctx = ctx
        self.secret = secret

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        method = environ.get("REQUEST_METHOD", "GET")
        match = PATH.match(environ.get("PATH_INFO", ""))
        if match is None:
            return _json(start_response, "404 Not Found", "not_found", "No such stream")
        if method not in ("GET", "HEAD"):
            return _json(start_response, "405 Method Not Allowed", "method_not_allowed", "GET or HEAD only",
                         [("Allow", "GET, HEAD")])
        job_id, index, vtt = match.group(1), int(match.group(2)), bool(match.group(3))
        query = parse_qs(environ.get("QUERY_STRING", ""))
        try:
            streamtoken.verify(self.secret, job_id, index, (query.get("exp") or [""])[0],
                               (query.get("sig") or [""])[0])
        except streamtoken.InvalidToken:
            return _json(start_response, "403 Forbidden", "invalid_token", "The stream URL is invalid or expired")
        deadline = time.monotonic() + WAIT
        try:
            target = source.locate(self.ctx, job_id, index, deadline)
            if vtt:
                return self._vtt(target, deadline, method, start_response)
            return self._bytes(target, environ, deadline, method, start_response)
        except source.StreamError as exc:
            return _error(start_response, exc)

    def _bytes(self, target: source.Target, environ: dict[str, Any], deadline: float, method: str,
               start_response: Any) -> Any:
        size = target.file.size
        headers = [("Accept-Ranges", "bytes"), ("Content-Type", mime_type(target.file.path)),
                   ("Cache-Control", "no-store")]
        try:
            wanted = ranges.parse(environ.get("HTTP_RANGE"), size)
        except ranges.Unsatisfiable:
            return _json(start_response, "416 Range Not Satisfiable", "range_not_satisfiable",
                         "The range is outside the file", [("Content-Range", f"bytes */{size}")])
        if wanted is None:  # the whole file: sent as its bytes are verified, chunk by chunk
            start_response("200 OK", [*headers, ("Content-Length", str(size))])
            return [] if method == "HEAD" or size == 0 else _body(target, 0, size, deadline)
        start, last = wanted
        ready = source.available(target, start, deadline, CAP)
        end = min(ready, size if last is None else last + 1)
        start_response("206 Partial Content", [*headers, ("Content-Length", str(end - start)),
                                               ("Content-Range", f"bytes {start}-{end - 1}/{size}")])
        return [] if method == "HEAD" else _read(target, start, end)

    def _vtt(self, target: source.Target, deadline: float, method: str, start_response: Any) -> Any:
        from worker.scanner.subtitles import SubtitleError, to_webvtt

        if target.file.size and source.available(target, 0, deadline, target.file.size) < target.file.size:
            raise source.NotYet("The subtitle file is not downloaded yet", retry_after=2)
        try:
            body = to_webvtt(target.file.local).encode()
        except (SubtitleError, OSError):
            raise source.Missing("This file is not a readable subtitle") from None
        start_response("200 OK", [("Content-Type", "text/vtt; charset=utf-8"), ("Content-Length", str(len(body))),
                                  ("Cache-Control", "no-store")])
        return [] if method == "HEAD" else [body]


def _read(target: source.Target, start: int, end: int) -> Iterator[bytes]:
    with open(target.file.local, "rb") as data:
        data.seek(start)
        left = end - start
        while left > 0:
            chunk = data.read(min(CHUNK, left))
            if not chunk:
                raise OSError("the file is shorter than its verified bytes")
            left -= len(chunk)
            yield chunk


def _body(target: source.Target, start: int, size: int, deadline: float) -> Iterator[bytes]:
    """A whole file while it downloads: each chunk waits for its bytes (a new deadline per chunk)."""
    position = start
    while position < size:
        end = source.available(target, position, max(deadline, time.monotonic() + WAIT), CHUNK)
        yield from _read(target, position, end)
        position = end
