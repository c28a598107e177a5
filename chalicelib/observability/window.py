"""The admin view's numbers, across processes and Lambdas: per-minute and per-hour buckets in Redis.

A record only adds to this process's pending sums; a daemon thread writes them every ``FLUSH_SECONDS`` in one
pipeline (HINCRBY/HINCRBYFLOAT on the minute's and the hour's hash, each with a TTL). Redis down: the sums
are dropped, never an error. At exit the thread is stopped and joined before a last flush: a daemon thread
frozen by interpreter shutdown while it holds the Redis pool's lock hung the process for ever in the pool's
``__del__`` (seen in test and bench runs). Latencies keep count, sum and a count per histogram bucket
(p50/p95 are read from the buckets); counters a total; ratios hits and tries.
"""

from __future__ import annotations

import atexit
import bisect
import os
import threading
import time
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from chalicelib import cache
from chalicelib.observability.names import BY_NAME, LATENCY_BUCKETS_MS, WINDOWED, Metric

FLUSH_SECONDS = 5.0
EXIT_JOIN_SECONDS = 2.0  # a flush stuck longer (Redis gone) is abandoned: exiting matters more than its sums
MINUTE_TTL = 2 * 3600
HOUR_TTL = 8 * 24 * 3600
# window -> (bucket seconds, how many buckets)
WINDOWS = {"1h": (60, 60), "24h": (3600, 24), "7d": (3600, 168)}

_lock = threading.Lock()
_pending: defaultdict[tuple[str, int], defaultdict[str, float]] = defaultdict(lambda: defaultdict(float))
_flusher_pid = 0
_BUCKET_FIELDS = tuple(f"b{i}" for i in range(len(LATENCY_BUCKETS_MS) + 1))


def _add(sums: defaultdict[str, float], metric: Metric, value: float) -> None:
    if metric.kind == "latency":
        sums["count"] += 1
        sums["sum"] += value
        sums[_BUCKET_FIELDS[bisect.bisect_left(LATENCY_BUCKETS_MS, value)]] += 1
    elif metric.kind == "ratio":
        sums["hit"] += value
        sums["n"] += 1
    else:
        sums["total"] += value


def add(metric: Metric, value: float) -> None:
    """Add one record to this process's pending sums (the flush thread writes them)."""
    add_all(((metric, value),))


def add_all(records: Sequence[tuple[Metric, float]]) -> None:
    """Add records (one request's) to this process's pending sums under one lock."""
    minute = int(time.time() // 60)
    with _lock:
        for metric, value in records:
            _add(_pending[(metric.name, minute)], metric, value)
    _ensure_flusher()


def _ensure_flusher() -> None:
    global _flusher_pid
    if _flusher_pid == os.getpid():
        return
    with _lock:
        if _flusher_pid == os.getpid():  # a forked child (gunicorn) starts its own: threads do not survive fork
            return
        _flusher_pid = os.getpid()
    stop = threading.Event()  # this process's own: one copied by fork may be copied mid-wait, locked
    thread = threading.Thread(target=_loop, args=(stop,), name="metrics-flush", daemon=True)
    thread.start()
    atexit.register(_stop_flusher, thread, stop)


def _loop(stop: threading.Event) -> None:
    while not stop.wait(FLUSH_SECONDS):
        try:
            flush()
        except Exception:  # noqa: S110 - metrics are best effort: this thread must outlive a bad flush
            pass


def _stop_flusher(thread: threading.Thread, stop: threading.Event) -> None:
    """At exit, before daemon threads are frozen: stop the flush thread, wait for it, flush what is left."""
    if thread.ident is None or not thread.is_alive():
        return  # not this process's thread (a forked child inherits its parent's exit handlers)
    stop.set()
    thread.join(EXIT_JOIN_SECONDS)
    if not thread.is_alive():
        try:
            flush()
        except Exception:  # noqa: S110 - best effort, as the thread's own flushes
            pass


def flush() -> None:
    """Write the pending sums to Redis now (dropped when Redis is down)."""
    global _pending
    with _lock:
        pending, _pending = _pending, defaultdict(lambda: defaultdict(float))
    if not pending:
        return

    def write() -> None:
        pipe = cache.get_redis().pipeline(transaction=False)
        for (name, minute), sums in pending.items():
            for key, ttl in ((cache.Keys.metric_bucket(name, 60, minute), MINUTE_TTL),
                             (cache.Keys.metric_bucket(name, 3600, minute // 60), HOUR_TTL)):
                for field, amount in sums.items():
                    if field == "sum":
                        pipe.hincrbyfloat(key, field, amount)
                    else:
                        pipe.hincrby(key, field, int(amount))
                pipe.expire(key, ttl)
        pipe.execute()

    cache._guard("metrics_flush", write, None)


def summary(window: str) -> dict[str, dict[str, float]]:
    """Every windowed metric over the last ``window`` (1h, 24h, 7d), zeros when nothing happened."""
    seconds, buckets = WINDOWS[window]
    flush()  # this process's own latest records count too
    now = int(time.time() // seconds)
    slots = range(now - buckets + 1, now + 1)

    def read() -> list[Any]:
        pipe = cache.get_redis().pipeline(transaction=False)
        for metric in WINDOWED:
            for slot in slots:
                pipe.hgetall(cache.Keys.metric_bucket(metric.name, seconds, slot))
        return pipe.execute()

    rows = cache._guard("metrics_read", read, None) or [{}] * (len(WINDOWED) * len(slots))
    result = {}
    for index, metric in enumerate(WINDOWED):
        sums: dict[str, float] = defaultdict(float)
        for row in rows[index * len(slots):(index + 1) * len(slots)]:
            for field, amount in row.items():
                sums[field.decode() if isinstance(field, bytes) else field] += float(amount)
        result[metric.name] = _shape(BY_NAME[metric.name], sums)
    return result


def _shape(metric: Metric, sums: dict[str, float]) -> dict[str, float]:
    if metric.kind == "ratio":
        tries = sums.get("n", 0)
        return {"ratio": round(sums.get("hit", 0) / tries, 4) if tries else 0.0, "total": int(tries)}
    if metric.kind == "counter":
        return {"total": int(sums.get("total", 0))}
    count, total = int(sums.get("count", 0)), sums.get("sum", 0.0)
    counts = [int(sums.get(f"b{i}", 0)) for i in range(len(LATENCY_BUCKETS_MS) + 1)]
    return {"count": count, "sum": round(total, 2), "avg": round(total / count, 2) if count else 0.0,
            "p50": percentile(counts, 0.5), "p95": percentile(counts, 0.95)}


def percentile(counts: list[int], q: float) -> float:
    """The ``q`` quantile from histogram bucket counts (linear inside the bucket, as Prometheus does)."""
    total = sum(counts)
    if not total:
        return 0.0
    rank, seen = q * total, 0
    for index, n in enumerate(counts):
        if n and seen + n >= rank:
            lower = LATENCY_BUCKETS_MS[index - 1] if index else 0.0
            if index >= len(LATENCY_BUCKETS_MS):  # past the last bound: the bound is all we know
                return float(LATENCY_BUCKETS_MS[-1])
            return round(lower + (LATENCY_BUCKETS_MS[index] - lower) * (rank - seen) / n, 2)
        seen += n
    return float(LATENCY_BUCKETS_MS[-1])
