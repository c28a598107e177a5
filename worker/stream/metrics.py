"""``GET /metrics`` on the worker's Range server: download throughput and active downloads, in Prometheus text.

Only for a caller on this host or one with ``Authorization: Bearer <SEEN_METRICS_TOKEN>``; Caddy at home sends
only ``/stream/*`` here. prometheus-client renders it off the event loop (the worker's looks pool).
"""

from __future__ import annotations

import asyncio
from typing import Any

from aiohttp import web

from chalicelib.observability import access, prom
from chalicelib.observability.names import DOWNLOAD_THROUGHPUT, DOWNLOADS_ACTIVE

FORWARDING = ("X-Forwarded-For", "Forwarded", "X-Real-IP")


def gauges(ctx: Any) -> list[prom.Gauge]:
    with ctx.lock:
        running = [job for job in ctx.active_jobs.values() if job.phase == "running"]
    speed = sum(job.progress.speed_bps for job in running if job.progress is not None)
    return [(DOWNLOAD_THROUGHPUT, "Bytes per second the running downloads receive, summed", [({}, float(speed))]),
            (DOWNLOADS_ACTIVE, "Downloads this worker is running", [({}, float(len(running)))])]


def route(ctx: Any, pool: Any) -> Any:
    """The aiohttp handler of ``GET /metrics`` for this worker."""

    async def handle(request: web.Request) -> web.Response:
        return await serve(request, ctx, pool)

    return handle


async def serve(request: web.Request, ctx: Any, pool: Any) -> web.Response:
    forwarded = any(request.headers.get(name) for name in FORWARDING)
    if not access.allowed(request.remote, request.headers.get("Authorization"), forwarded):
        return web.json_response({"error": {"code": "forbidden", "message": "Metrics are for this host or the "
                                            "metrics token"}}, status=403, headers={"Cache-Control": "no-store"})
    body = await asyncio.get_running_loop().run_in_executor(pool, lambda: prom.exposition(gauges(ctx)))
    return web.Response(body=body, headers={"Content-Type": prom.CONTENT_TYPE, "Cache-Control": "no-store"})
