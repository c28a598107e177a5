"""Reading a server's listing a few pages ahead, on a thread of its own, while the sync stores what came.

A page is mostly waiting: on the server to build it and on the socket. Without this the sync waits for
each page, then stores it while the server sits idle. With it, the next pages are fetched and read while
the current one is matched and written (Postgres's work, which releases the GIL while it runs).
"""

from __future__ import annotations

import contextvars
import queue
import threading
from collections.abc import Generator, Iterator
from typing import TypeVar, cast

T = TypeVar("T")
POLL_SECONDS = 0.1  # how often a producer blocked on a full queue looks whether the reader gave up


def chunks(source: Iterator[T], size: int) -> Iterator[list[T]]:
    """``source`` in lists of ``size`` (the last one shorter)."""
    chunk: list[T] = []
    for value in source:
        chunk.append(value)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def ahead(source: Iterator[T], depth: int = 2) -> Generator[T, None, None]:
    """``source``'s values in order, produced by a thread up to ``depth`` values ahead of the reader. An
    error in ``source`` is raised to the reader where it happened; a reader that stops early stops the
    thread (it is joined before this generator ends, so nothing reads the server after the sync moved on)."""
    box: queue.Queue[tuple[bool, object]] = queue.Queue(depth)
    stop = threading.Event()

    def put(entry: tuple[bool, object]) -> bool:
        while not stop.is_set():
            try:
                box.put(entry, timeout=POLL_SECONDS)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for value in source:
                if not put((True, value)):
                    return
            put((False, None))
        except BaseException as exc:  # handed to the reader, which raises it where it reads
            put((False, exc))
        finally:
            close = getattr(source, "close", None)
            if close is not None:  # a generator stopped early: its own cleanup runs here, on its thread
                close()

    # In a copy of the reader's context: what is set for the sync (the egress guard's pin, log fields) holds there.
    context = contextvars.copy_context()
    thread = threading.Thread(target=context.run, args=(produce,), name="media-server-listing", daemon=True)
    thread.start()
    try:
        while True:
            more, value = box.get()
            if not more:
                if isinstance(value, BaseException):
                    raise value
                return
            yield cast(T, value)
    finally:
        stop.set()
        thread.join()
