"""The HTTP application (aiohttp): ``GET|HEAD /stream/{jobId}/{fileIndex}[.vtt]?exp=[&u=]&sig=[&session=]``.

``session`` (the player's playback session, a UUID; not signed, so a player may append it to a signed URL) is
only written on the request's log lines, with the job, its info hash and the file; a malformed one is a 400.

asyncio, so a request waiting for its bytes holds no thread: a hundred of them
cost a hundred sleeping tasks, and a request whose bytes are there is answered
at once whatever else waits. Waits are capped per URL, per user and in all
(``waits.Waits``: 429 beyond them).
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import time
from collections.abc import AsyncGenerator
from concurrent.futures import Executor
from typing import Any

from aiohttp import web

from chalicelib import streamtoken
from chalicelib.logs import add_stream_fields, stream_fields
from chalicelib.observability import tracing
from worker.stream import fields, metrics, ranges, source
from worker.stream.mimes import mime_type
from worker.stream.waits import Waits
from worker.subtitles import SubtitleError, to_webvtt

PATH = re.compile(r"^/stream/([0-9A-Za-z][0-9A-Za-z-]{0,63})/(\d{1,7})(\.vtt)?$")
CAP = 4 * 1024 * 1024  # an open-ended range gets at most this much: the player keeps asking, seeks stay cheap
CHUNK = 256 * 1024
SERVER = "seen-stream"
CONFIG = web.AppKey("config", dict)
# On every answer (media, subtitles, errors): nothing served here may run, be framed or be sniffed into a type
# that runs (a file named .mp4 may hold HTML).
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox; frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",
}


def _json(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> web.Response:
    body = json.dumps({"error": {"code": code, "message": message}}).encode()
    return web.Response(status=status, body=body, headers={
        "Content-Type": "application/json", "Cache-Control": "no-store", "Server": SERVER, **(headers or {})})


def _error(exc: source.StreamError) -> web.Response:
    return _json(exc.status, exc.code, exc.message, {"Retry-After": str(exc.retry_after)} if exc.retry_after else {})


def build(ctx: Any, secret: str, waits: Waits, pool: Executor, wait_seconds: float) -> web.Application:
    """The app: verifies each URL's token, then serves the file's bytes that are verified on disk, waiting
    up to ``wait_seconds`` for them."""
    app = web.Application()
    app[CONFIG] = {"ctx": ctx, "secret": secret, "waits": waits, "pool": pool, "wait": wait_seconds}
    app.router.add_get("/metrics", metrics.route(ctx, pool))  # this host or the metrics token only
    app.router.add_route("*", "/{tail:.*}", handle)
    app.on_response_prepare.append(_secure)
    return app


async def _secure(request: web.Request, response: web.StreamResponse) -> None:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)


async def handle(request: web.Request) -> web.StreamResponse:
    match = PATH.match(request.path)
    if match is None:
        return _json(404, "not_found", "No such stream")
    if request.method not in ("GET", "HEAD"):
        return _json(405, "method_not_allowed", "GET or HEAD only", {"Allow": "GET, HEAD"})
    config = request.app[CONFIG]
    job_id, index, vtt = match.group(1), int(match.group(2)), bool(match.group(3))
    query = request.query
    signature, user = query.get("sig", ""), query.get("u", "")
    try:
        streamtoken.verify(config["secret"], job_id, index, query.get("exp", ""), signature, user=user)
    except streamtoken.InvalidToken:
        return _json(403, "invalid_token", "The stream URL is invalid or expired")
    known, session = fields.session_of(query.get("session"))
    if not known:  # refused, and its value never logged
        return _json(400, "invalid_session", "session must be a UUID")
    wait = source.Wait(config["ctx"], config["pool"], functools.partial(config["waits"].hold, signature, user),
                       config["wait"])
    traced = {"fileIndex": index, **({"sessionId": str(session)} if session else {})}
    with stream_fields(session_id=session, job_id=job_id, file_index=index), tracing.span("stream", **traced):
        return await _serve(request, wait, job_id, index, vtt)


async def _serve(request: web.Request, wait: source.Wait, job_id: str, index: int, vtt: bool) -> web.StreamResponse:
    try:
        target = await source.locate(wait, job_id, index)
        add_stream_fields(infohash=fields.infohash(target.job))
        if vtt:
            return await _vtt(wait, target)
        return await _bytes(request, wait, target)
    except source.StreamError as exc:
        wait.ctx.logger.info("stream not served", extra={"action": "stream_not_served", "status": exc.status,
                                                         "code": exc.code})
        return _error(exc)


async def _bytes(request: web.Request, wait: source.Wait, target: source.Target) -> web.StreamResponse:
    size = target.file.size
    headers = {"Accept-Ranges": "bytes", "Content-Type": mime_type(target.file.path), "Cache-Control": "no-store",
               "Server": SERVER}
    try:
        wanted = ranges.parse(request.headers.get("Range"), size)
    except ranges.Unsatisfiable:
        return _json(416, "range_not_satisfiable", "The range is outside the file",
                     {"Content-Range": f"bytes */{size}"})
    if wanted is None:  # the whole file: sent as its bytes are verified, chunk by chunk
        fd = await _open_early(wait, target)
        return await _send(request, web.StreamResponse(status=200, headers=headers), size,
                           _whole(wait, target, fd, size), fd)
    start, last = wanted
    ready = await source.available(wait, target, start, CAP)
    end = min(ready, size if last is None else last + 1)
    wait.ctx.logger.debug("stream range", extra={"action": "stream_range", "start": start, "end": end})
    response = web.StreamResponse(status=206, headers={**headers, "Content-Range": f"bytes {start}-{end - 1}/{size}"})
    fd = await _open(wait, target)
    return await _send(request, response, end - start, _read(wait, fd, start, end), fd)


async def _open(wait: source.Wait, target: source.Target) -> int:
    """The file, opened before any header goes out: a download that completes and leaves while it is answered
    (its staging file removed once stored) is still read whole from the open descriptor, where opening it after
    the headers cut the answer at 0 bytes; one already gone is a 410, and the player asks the API again."""
    try:
        return await wait.run(lambda: os.open(target.file.local, os.O_RDONLY))
    except FileNotFoundError:
        raise source.Gone("The file has left this worker: ask for its stream again") from None


async def _open_early(wait: source.Wait, target: source.Target) -> int | None:
    """The file if it is there; None while its download has not written a first byte (the file does not exist
    yet: the body opens it when its bytes arrive, and a HEAD answers at once)."""
    try:
        return await _open(wait, target)
    except source.Gone:
        if target.complete():
            raise
        return None


async def _send(request: web.Request, response: web.StreamResponse, length: int,
                body: AsyncGenerator[bytes, None], fd: int | None) -> web.StreamResponse:
    """Headers, then ``body`` (read from ``fd``, which is closed here however the answer ends)."""
    response.content_length = length
    try:
        async with contextlib.aclosing(body):  # the body stops also when the player hangs up mid-body
            await response.prepare(request)
            try:
                if request.method != "HEAD" and length:
                    async for chunk in body:
                        await response.write(chunk)
            except source.StreamError:  # the headers are out: cut the body short, the player asks again
                if request.transport is not None:
                    request.transport.close()
                return response
    finally:
        if fd is not None:
            os.close(fd)
    await response.write_eof()
    return response


async def _vtt(wait: source.Wait, target: source.Target) -> web.Response:
    size = target.file.size
    if size and await source.available(wait, target, 0, size) < size:
        raise source.NotYet("The subtitle file is not downloaded yet", retry_after=2)
    try:
        text = await wait.run(lambda: to_webvtt(target.file.local))
    except (SubtitleError, OSError):
        raise source.Missing("This file is not a readable subtitle") from None
    # aiohttp leaves a HEAD's body out and keeps its Content-Length
    return web.Response(status=200, body=text.encode(), headers={
        "Content-Type": "text/vtt; charset=utf-8", "Cache-Control": "no-store", "Server": SERVER})


async def _read(wait: source.Wait, fd: int, start: int, end: int) -> AsyncGenerator[bytes, None]:
    """The file's bytes ``[start, end)`` from ``fd``, read on the pool (a slow disk never stalls the loop)."""
    position = start
    while position < end:
        chunk = await wait.run(functools.partial(os.pread, fd, min(CHUNK, end - position), position))
        if not chunk:
            raise OSError("the file is shorter than its verified bytes")
        position += len(chunk)
        yield chunk


async def _whole(wait: source.Wait, target: source.Target, fd: int | None,
                 size: int) -> AsyncGenerator[bytes, None]:
    """A whole file while it downloads: each chunk waits for its bytes (a new deadline per chunk). Without
    ``fd`` (no byte was written when the answer began) the file is opened at its first bytes, and closed here."""
    own = None
    try:
        position = 0
        while position < size:
            end = await source.available(wait, target, position, CHUNK,
                                         max(wait.deadline, time.monotonic() + wait.seconds))
            if fd is None:
                fd = own = await _open(wait, target)
            async for chunk in _read(wait, fd, position, end):
                yield chunk
            position = end
    finally:
        if own is not None:
            os.close(own)
