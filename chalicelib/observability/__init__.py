"""Metrics (and the trace spans of Get -> Play) for /seen/, recorded through one small API.

    observe("search_latency_ms", 182.4)            a latency in milliseconds
    count("buffer_events_total")                    a counter
    ratio("prefetch_hit_ratio", hit=True)           one try of a ratio
    @timed("score_latency_ms")                      a function's duration (and its trace span)
    @traced("pick")                                 a trace span (``tracing``) alone

Each record goes to CloudWatch as EMF on stdout in Lambda (``emf``), to a prometheus-client registry in the
long-running processes (``prom``; ``/metrics``), and into Redis per-minute/per-hour buckets the admin view
reads across processes and Lambdas (``window``). Nothing here makes a network call on the caller's path (the
Redis buckets are written by a background flush) and nothing raises: a metric that cannot be recorded is
dropped. The metric names live in ``names``.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Sequence
from typing import Any, TypeVar, cast

from chalicelib.config.observability import get_observability_settings
from chalicelib.logs import get_logger
from chalicelib.observability import tracing
from chalicelib.observability.names import BY_NAME, HTTP_ERRORS, HTTP_LATENCY, HTTP_REQUESTS, SPAN_OF, Metric

F = TypeVar("F", bound=Callable[..., Any])

__all__ = ["count", "http_request", "observe", "ratio", "timed", "traced"]


def observe(name: str, ms: float, /, **labels: str) -> None:
    """Record one latency (milliseconds) of ``name``."""
    _record(BY_NAME[name], float(ms), labels)


def count(name: str, n: float = 1, /, **labels: str) -> None:
    """Add ``n`` to the counter ``name``."""
    _record(BY_NAME[name], float(n), labels)


def ratio(name: str, *, hit: bool) -> None:
    """One try of the ratio ``name`` (a hit or a miss)."""
    _record(BY_NAME[name], 1.0 if hit else 0.0, {})


# The methods a metric is labelled with; any other token a client sends is "other". The edge passes any method
# token through, and a label per token would grow the metrics without bound.
HTTP_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def http_request(route: str, method: str, status: int, ms: float) -> None:
    """One API request: its latency and count by route, and an error when it answered 5xx."""
    # Every request pays this: its records go in one pass (one settings read, one lock), not one by one.
    records = [(HTTP_LATENCY, float(ms)), (HTTP_REQUESTS, 1.0)]
    if status >= 500:
        records.append((HTTP_ERRORS, 1.0))
    _record_all(records, {"route": route, "method": method if method in HTTP_METHODS else "other"})


def timed(name: str) -> Callable[[F], F]:
    """Decorate a function: its duration is observed as ``name`` (also when it raises), inside its trace span
    when ``names.SPAN_OF`` names one."""
    span_name = SPAN_OF.get(name)

    def decorator(fn: F) -> F:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                if span_name is None:
                    return fn(*args, **kwargs)
                with tracing.span(span_name):
                    return fn(*args, **kwargs)
            finally:
                observe(name, (time.perf_counter() - started) * 1000)

        return cast(F, wrapper)

    return decorator


def traced(span_name: str) -> Callable[[F], F]:
    """Decorate a function: it runs inside the trace span ``span_name`` (one of ``tracing.SPANS``)."""
    if span_name not in tracing.SPANS:
        raise ValueError(f"unknown span {span_name!r}")

    def decorator(fn: F) -> F:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with tracing.span(span_name):
                return fn(*args, **kwargs)

        return cast(F, wrapper)

    return decorator


def _record(metric: Metric, value: float, labels: dict[str, str]) -> None:
    _record_all(((metric, value),), labels)


def _record_all(records: Sequence[tuple[Metric, float]], labels: dict[str, str]) -> None:
    try:
        write, add = _writers(get_observability_settings().in_lambda)
        for metric, value in records:
            write(metric, value, labels)
        add(records)
    except Exception as exc:  # a metric never breaks the request that records it
        get_logger().warning("metric dropped", extra={"action": "metric_dropped", "metric": records[0][0].name,
                                                      "error": type(exc).__name__})


Writer = Callable[[Metric, float, dict[str, str]], None]


@functools.cache
def _writers(in_lambda: bool) -> tuple[Writer, Callable[[Sequence[tuple[Metric, float]]], None]]:
    """Where a record goes (EMF or prometheus-client, then the Redis buckets), imported on the first record and
    kept: every API request records, and import statements per record cost more than the records (make bench)."""
    if in_lambda:
        from chalicelib.observability import emf  # lazy: Powertools' metrics load on the first record only

        write: Writer = emf.emit
    else:
        from chalicelib.observability import prom  # lazy: prometheus-client loads on the first record only

        write = prom.record
    from chalicelib.observability import window  # lazy: pulls in the cache client, which the worker lacks

    return write, window.add_all
