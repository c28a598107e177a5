"""Runs the stream app (aiohttp, one event loop in a thread of its own) until the worker drains."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from chalicelib.observability import tracing

LOOK_THREADS = 4  # looks at the engine and disk reads; a waiting request holds none of them while it sleeps


class StreamServer:
    def __init__(self, app: Any, sock: socket.socket):
        self.app, self.sock = app, sock
        self.port = int(sock.getsockname()[1])
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="stream", daemon=True)
        self.runner: Any = None

    async def _start(self) -> None:
        from aiohttp import web  # lazy: aiohttp loads only when streaming is on

        # handler_cancellation: a player that hangs up (a seek) ends its wait and frees its place under the caps.
        self.runner = web.AppRunner(self.app, handle_signals=False, access_log=None, handler_cancellation=True,
                                    shutdown_timeout=2)
        await self.runner.setup()
        await web.SockSite(self.runner, self.sock).start()

    def start(self) -> None:
        self.thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self.loop).result(timeout=30)

    def stop(self) -> None:
        if self.runner is not None:
            with contextlib.suppress(TimeoutError, RuntimeError):  # stopping anyway: the process is draining
                asyncio.run_coroutine_threadsafe(self.runner.cleanup(), self.loop).result(timeout=10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=5)


def start(ctx: Any) -> StreamServer | None:
    """Serve ``WorkerSettings.stream`` (port 0: off); stops by itself when the worker drains."""
    settings = ctx.settings.stream
    if not settings.port:
        return None
    tracing.use_service("seen-worker")  # its "stream" spans, when SEEN_OTLP_ENDPOINT exports them
    from worker.stream.app import build  # lazy: aiohttp loads only when streaming is on
    from worker.stream.waits import Waits  # lazy: loads only when streaming is on

    try:
        family = socket.AF_INET6 if ":" in settings.host else socket.AF_INET
        sock = socket.create_server((settings.host, settings.port), family=family)
    except OSError as exc:  # e.g. the port is taken: downloads go on, only streaming is off
        ctx.logger.error("stream server not started", extra={"action": "stream_server_failed",
                                                             "port": settings.port, "error": str(exc)})
        return None
    waits = Waits(settings.wait_per_url, settings.wait_per_user, settings.wait_total)
    pool = ThreadPoolExecutor(LOOK_THREADS, thread_name_prefix="stream-look")
    running = StreamServer(build(ctx, settings.secret, waits, pool, settings.wait_seconds), sock)
    running.start()
    threading.Thread(target=lambda: (ctx.stopping.wait(), running.stop(), pool.shutdown(wait=False),
                                     tracing.flush()), name="stream-stop", daemon=True).start()
    ctx.logger.info("stream server started", extra={"action": "stream_server_started", "host": settings.host,
                                                    "port": running.port})
    return running
