"""Name parsing for a scan: every distinct name once, on all cores.

guessit is CPU-bound pure Python, so threads do not help; a scan with many
new files parses them in a process pool (one process per core, each paying
guessit's import once) before anything is probed or stored. A handful of
files is parsed in this process: a pool's start-up would cost more than it
saves. Each name is parsed once per scan however many times it appears, and
always together with the other new files of its folder: siblings are evidence
(ten files with rising numbers in one folder are a season), and siblings that
differ only in their episode numbers share one guessit run
(:mod:`chalicelib.library.naming_stems`).
"""

from __future__ import annotations

import multiprocessing
import os
import posixpath
import threading
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from chalicelib.library.naming_stems import parse_many  # naming.parse_many's answer, guessit once a template

POOL_FROM = 64  # fewer distinct names than this are parsed in this process
CHUNK = 50  # names per task: the pool's pickling cost stays small next to guessit's


def _parse_chunk(names: list[str]) -> list[dict[str, Any]]:
    guesses = parse_many(names)
    return [guesses[name] for name in names]


def _chunks(names: list[str]) -> list[list[str]]:
    """About ``CHUNK`` names a task, never splitting a folder (its files are each other's evidence)."""
    folders: dict[str, list[str]] = {}
    for name in names:
        folders.setdefault(posixpath.dirname(name.replace("\\", "/")), []).append(name)
    chunks: list[list[str]] = [[]]
    for group in folders.values():
        if chunks[-1] and len(chunks[-1]) + len(group) > CHUNK:
            chunks.append([])
        chunks[-1].extend(group)
    return [chunk for chunk in chunks if chunk]


def _warm() -> None:
    """Pool initializer: import guessit (and build its rules) before the first task arrives."""
    from chalicelib.library.naming import parse  # lazy: runs in each pool process; the parent never parses

    parse("Warm.Up.S01E01.mkv")


def processes() -> int:
    """Cores this process may run on (the container's CPU set, not the host's core count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def parse_all(names: list[str], workers: int | None = None,
              stopping: threading.Event | None = None) -> dict[str, dict[str, Any]]:
    """``{name: parse(name)}`` for every distinct name; only the names parsed so far once ``stopping`` is set."""
    distinct = list(dict.fromkeys(names))
    workers = workers or processes()
    if len(distinct) < POOL_FROM or workers == 1:
        return dict(zip(distinct, _parse_chunk(distinct), strict=True))
    chunks = _chunks(distinct)
    guesses: dict[str, dict[str, Any]] = {}
    # spawn, not fork: the worker runs threads (boto3, libtorrent) that a fork would copy mid-flight.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_warm) as pool:
        futures = [(chunk, pool.submit(_parse_chunk, chunk)) for chunk in chunks]
        for chunk, future in futures:
            if stopping is not None and stopping.is_set():
                pool.shutdown(cancel_futures=True)  # the worker is stopping: the next scan parses the rest
                break
            guesses.update(zip(chunk, future.result(), strict=True))
    return guesses
