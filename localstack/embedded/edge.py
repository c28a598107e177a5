"""`make dev`'s front door: ``/stream/`` to the worker, everything else to the production server.

At home Caddy sends ``/stream/`` straight to the worker's Range server, so a stream that waits for pieces
never holds a request thread of the API (issue 33). This is the same split for ``make dev``, on one asyncio
loop: a waiting stream costs a coroutine and two sockets here, none of gunicorn's threads, however many wait
(the worker's own caps answer 429 beyond them).

What it does to a request, as Caddy's ``reverse_proxy`` does: the status, headers and body pass through as
they are and are streamed both ways chunk by chunk (nothing is buffered whole; a slow reader slows the
upstream), Range/If-Range and HEAD included; hop-by-hop headers are dropped; a client's own forwarding headers
are dropped and ``X-Forwarded-For`` is set to the connection's address (the API's rate limits walk it, trusting
loopback); when the client hangs up, the upstream connection is closed. An upstream that does not answer is a
503 JSON envelope with ``Retry-After``, never a hang.

A body larger than its API route's limit (``chalicelib/routes.json``, else ``--max-body-bytes``: the limits the
server enforces) is the API's 413 envelope from the edge itself, before anything is sent on: by its
Content-Length, or, sent chunked, once the bytes relayed pass the limit. The server answers such a body before
reading it, and a proxy still sending it then raced the server's close (a reset lost the 413, and the edge said
"restarting": issue 58).

    python -m embedded.edge --bind 127.0.0.1:8080 --bind 127.0.0.1:8000 --api-port 8001 --stream-port 8090
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

from aiohttp import (
    ClientConnectionError,
    ClientPayloadError,
    ClientSession,
    ClientTimeout,
    DummyCookieJar,
    TCPConnector,
    web,
)
from aiohttp.streams import StreamReader
from multidict import CIMultiDict, CIMultiDictProxy
from yarl import URL

from chalicelib.config import Settings
from server.wsgi import Routes, target_path, too_large

ROUTES_FILE = Path(__file__).resolve().parents[2] / "chalicelib" / "routes.json"  # read, not imported: no app here

HOP_BY_HOP = frozenset({"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection",
                        "te", "trailer", "trailers", "transfer-encoding", "upgrade", "expect"})
# Said by the client about itself: only the edge may say where a request came from.
FORWARDING = frozenset({"x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "forwarded", "x-real-ip"})
# Left as the client sent them (or absent): aiohttp would otherwise add its own.
NOT_ADDED = ("User-Agent", "Accept", "Accept-Encoding", "Content-Type")
CHUNK = 256 * 1024
RETRY_AFTER = "2"
DOWN = {"stream": "The worker is not running: try again in a moment",
        "api": "The server is restarting: try again in a moment"}


@dataclass(frozen=True)
class Upstreams:
    api: int  # the production server (gunicorn) on 127.0.0.1
    stream: int = 0  # the worker's Range server; 0: no worker, /stream/ goes to the API (its 404)

    def pick(self, method: str, path: str) -> tuple[str, int]:
        if self.stream and path.startswith("/stream/") and method in ("GET", "HEAD"):
            return "stream", self.stream
        return "api", self.api


@dataclass(frozen=True)
class BodyLimits:
    """The API's body limit for a request, as the server finds it (``server.wsgi.ApiAdapter``): its route's
    own, else the default; none for a path that is no route (the server's 404, or the SPA)."""

    default: int
    limits: dict[tuple[str, str], int]
    routes: Routes

    @classmethod
    def load(cls, default: int, table: Path = ROUTES_FILE) -> BodyLimits:
        rows = json.loads(table.read_text())
        limits = {(row["path"], row["method"]): row["max_body_bytes"] for row in rows if row["max_body_bytes"]}
        return cls(default, limits, Routes({row["path"] for row in rows}))

    def of(self, method: str, target: str) -> int | None:
        path = target_path(target)
        matched = self.routes.match(path) if path is not None else None
        return None if matched is None else self.limits.get((matched[0], method.upper()), self.default)


class BodyTooLarge(Exception):
    """A chunked body went past its limit while it was relayed."""


UPSTREAMS = web.AppKey("upstreams", Upstreams)
LIMITS = web.AppKey("limits", BodyLimits)
SESSION = web.AppKey("session", ClientSession)


def hop_by_hop(headers: CIMultiDictProxy[str]) -> frozenset[str]:
    """RFC 9110 7.6.1: the connection's own headers, and the ones its Connection header names."""
    named = {token.strip().lower() for value in headers.getall("Connection", []) for token in value.split(",")}
    return HOP_BY_HOP | named


def request_headers(request: web.Request) -> CIMultiDict[str]:
    """The client's headers less hop-by-hop and forwarding ones, with X-Forwarded-For/-Proto from the
    connection itself."""
    dropped = hop_by_hop(request.headers) | FORWARDING
    headers = CIMultiDict((name, value) for name, value in request.headers.items() if name.lower() not in dropped)
    headers["X-Forwarded-For"] = request.remote or ""
    headers["X-Forwarded-Proto"] = request.scheme
    return headers


def unavailable(which: str) -> web.Response:
    body = json.dumps({"error": {"code": "service_unavailable", "message": DOWN[which]}})
    return web.Response(status=503, body=body.encode(), content_type="application/json",
                        headers={"Retry-After": RETRY_AFTER, "Cache-Control": "no-store"})


def payload_too_large(limit: int) -> web.Response:
    return web.Response(status=413, body=too_large(limit), content_type="application/json",
                        headers={"Cache-Control": "no-store"})


async def counted(content: StreamReader, limit: int) -> AsyncIterator[bytes]:
    """A chunked body as it comes, ending in ``BodyTooLarge`` once it passes ``limit`` bytes."""
    sent = 0
    async for chunk in content.iter_chunked(CHUNK):
        sent += len(chunk)
        if sent > limit:
            raise BodyTooLarge(limit)
        yield chunk


async def proxy(request: web.Request) -> web.StreamResponse:
    upstreams, session = request.app[UPSTREAMS], request.app[SESSION]
    which, port = upstreams.pick(request.method, request.path)
    url = URL(f"http://127.0.0.1:{port}{request.raw_path}", encoded=True)
    body: StreamReader | AsyncIterator[bytes] | None = request.content if request.body_exists else None
    limit = request.app[LIMITS].of(request.method, request.raw_path) if which == "api" and body is not None else None
    if limit is not None and request.content_length is not None and request.content_length > limit:
        return payload_too_large(limit)  # aiohttp reads the unread body before it closes (lingering)
    if limit is not None and request.content_length is None:
        body = counted(request.content, limit)
    try:
        upstream = await session.request(request.method, url, headers=request_headers(request), data=body,
                                         allow_redirects=False)
    except ClientConnectionError as exc:
        if isinstance(exc.__cause__, BodyTooLarge):  # aiohttp wraps what the body's iterator raised
            return payload_too_large(exc.__cause__.args[0])
        return unavailable(which)
    except (TimeoutError, OSError):
        return unavailable(which)
    async with upstream:
        response = web.StreamResponse(status=upstream.status, reason=upstream.reason)
        dropped = hop_by_hop(upstream.headers)
        for name, value in upstream.headers.items():
            if name.lower() not in dropped:
                response.headers.add(name, value)
        await response.prepare(request)
        if request.method != "HEAD":
            try:
                async for chunk in upstream.content.iter_chunked(CHUNK):
                    await response.write(chunk)  # waits while the client is slower than the upstream
            except (ClientPayloadError, ClientConnectionError):
                # The upstream broke off mid-body: end the client's connection too, so it sees a cut body
                # (a clean end would pass a truncated file off as whole).
                if request.transport is not None:
                    request.transport.close()
                return response
        await response.write_eof()
    return response


async def _session(app: web.Application):
    # A connection per request to each upstream: nothing to go stale between gunicorn's keep-alive and ours.
    connector = TCPConnector(force_close=True, limit=0)
    timeout = ClientTimeout(total=None, sock_connect=5, sock_read=300)
    app[SESSION] = ClientSession(connector=connector, timeout=timeout, auto_decompress=False,
                                 skip_auto_headers=NOT_ADDED, cookie_jar=DummyCookieJar())  # cookies pass as headers
    yield
    await app[SESSION].close()


def make_app(upstreams: Upstreams, limits: BodyLimits) -> web.Application:
    app = web.Application()
    app[UPSTREAMS] = upstreams
    app[LIMITS] = limits
    app.cleanup_ctx.append(_session)
    app.router.add_route("*", "/{tail:.*}", proxy)
    return app


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m embedded.edge")
    parser.add_argument("--bind", action="append", required=True, help="HOST:PORT, repeatable")
    parser.add_argument("--api-port", type=int, required=True, help="the production server on 127.0.0.1")
    parser.add_argument("--stream-port", type=int, default=0, help="the worker's Range server (0: none)")
    parser.add_argument("--max-body-bytes", type=int, default=Settings.max_body_bytes,
                        help="the API's body limit for a route without its own (SEEN_MAX_BODY_BYTES)")
    return parser.parse_args(argv)


async def serve(binds: list[str], upstreams: Upstreams, limits: BodyLimits, stop: asyncio.Event) -> None:
    # The handler is cancelled when its client hangs up, so a stream waiting for pieces lets go of the worker.
    # Bodies pass as they came (a gzip request body stays gzip for the API to refuse or take).
    runner = web.AppRunner(make_app(upstreams, limits), access_log=None, handler_cancellation=True,
                           auto_decompress=False)
    await runner.setup()
    for bind in binds:
        host, _, port = bind.rpartition(":")
        await web.TCPSite(runner, host, int(port), backlog=1024, shutdown_timeout=5).start()
    try:
        await stop.wait()
    finally:
        await runner.cleanup()


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)

    async def run() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        await serve(args.bind, Upstreams(args.api_port, args.stream_port), BodyLimits.load(args.max_body_bytes), stop)

    asyncio.run(run())


if __name__ == "__main__":
    main()
