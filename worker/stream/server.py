"""Runs the stream app under waitress (threaded, pure Python) until the worker drains."""

from __future__ import annotations

import threading
from typing import Any

from worker.stream.app import StreamApp

THREADS = 16  # a waiting request holds a thread up to app.WAIT seconds


class StreamServer:
    def __init__(self, server: Any, ctx: Any):
        self.server = server
        self.ctx = ctx
        self.port = int(server.effective_port)
        self.thread = threading.Thread(target=server.run, name="stream", daemon=True)

    def stop(self) -> None:
        from waitress import wasyncore

        self.server.task_dispatcher.shutdown(timeout=2)
        wasyncore.close_all(self.server._map)  # the loop ends with its last socket
        self.thread.join(timeout=5)


def start(ctx: Any) -> StreamServer | None:
    """Serve ``WorkerSettings.stream`` (port 0: off); stops by itself when the worker drains."""
    settings = ctx.settings.stream
    if not settings.port:
        return None
    from waitress import create_server

    try:
        server = create_server(StreamApp(ctx, settings.secret), host=settings.host, port=settings.port,
                               threads=THREADS, ident="seen-stream", channel_timeout=60)
    except OSError as exc:  # e.g. the port is taken: downloads go on, only streaming is off
        ctx.logger.error("stream server not started", extra={"action": "stream_server_failed",
                                                             "port": settings.port, "error": str(exc)})
        return None
    running = StreamServer(server, ctx)
    running.thread.start()
    threading.Thread(target=lambda: (ctx.stopping.wait(), running.stop()), name="stream-stop", daemon=True).start()
    ctx.logger.info("stream server started", extra={"action": "stream_server_started", "host": settings.host,
                                                    "port": running.port})
    return running
