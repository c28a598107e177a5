"""The HTTP application (aiohttp): ``GET|HEAD /stream/{jobId}/{fileIndex}[.vtt]?exp=[&u=]&sig=``.

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
from worker.stream import metrics, ranges, source
from worker.stream.mimes import mime_type
from worker.stream.waits import Waits
from worker.subtitles import SubtitleError, to_webvtt

PATH = re.compile(r"^/stream/([0-9A-Za-z][0-9A-Za-z-]{0,63})/(\d{1,7})(\.vtt)?$")
CAP = 4 * 1024 * 1024  # an open-ended range gets at most this much: the player keeps asking, seeks stay cheap
CHUNK = 256 * 1024
SERVER = "seen-stream"
CONFIG = web.AppKey("config", dict)


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
    return app


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
    wait = source.Wait(config["ctx"], config["pool"], functools.partial(config["waits"].hold, signature, user),
                       config["wait"])
    try:
        target = await source.locate(wait, job_id, index)
        if vtt:
            return await _vtt(wait, target)
        return await _bytes(request, wait, target)
    except source.StreamError as exc:
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
        return await _send(request, web.StreamResponse(status=200, headers=headers), size,
                           _whole(wait, target, size))
    start, last = wanted
    ready = await source.available(wait, target, start, CAP)
    end = min(ready, size if last is None else last + 1)
    response = web.StreamResponse(status=206, headers={**headers, "Content-Range": f"bytes {start}-{end - 1}/{size}"})
    return await _send(request, response, end - start, _read(wait, target, start, end))


async def _send(request: web.Request, response: web.StreamResponse, length: int,
                body: AsyncGenerator[bytes, None]) -> web.StreamResponse:
    response.content_length = length
    async with contextlib.aclosing(body):  # its file is closed also when the player hangs up mid-body
        await response.prepare(request)
        try:
            if request.method != "HEAD" and length:
                async for chunk in body:
                    await response.write(chunk)
        except source.StreamError:  # the headers are out: cut the body short, the player asks again
            if request.transport is not None:
                request.transport.close()
            return response
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


async def _read(wait: source.Wait, target: source.Target, start: int, end: int) -> AsyncGenerator[bytes, None]:
    """The file's bytes ``[start, end)``, read on the pool (a slow disk never stalls the loop)."""
    fd = await wait.run(lambda: os.open(target.file.local, os.O_RDONLY))
    try:
        position = start
        while position < end:
            chunk = await wait.run(functools.partial(os.pread, fd, min(CHUNK, end - position), position))
            if not chunk:
                raise OSError("the file is shorter than its verified bytes")
            position += len(chunk)
            yield chunk
    finally:
        os.close(fd)


async def _whole(wait: source.Wait, target: source.Target, size: int) -> AsyncGenerator[bytes, None]:
    """A whole file while it downloads: each chunk waits for its bytes (a new deadline per chunk)."""
    position = 0
    while position < size:
        end = await source.available(wait, target, position, CHUNK,
                                     max(wait.deadline, time.monotonic() + wait.seconds))
        async for chunk in _read(wait, target, position, end):
            yield chunk
        position = end
