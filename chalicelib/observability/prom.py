"""The long-running processes' metrics (home server, worker, ``make dev``) as Prometheus text on ``/metrics``.

The home server runs several gunicorn worker processes: with ``SEEN_METRICS_DIR`` set (the server sets it to a
directory of its own before forking) prometheus-client's multiprocess mode keeps each process's values in files
there and a scrape sums them. Without it a process keeps its own registry. Every named metric exists from the
first record or scrape on, so a scrape always lists all of them (zeros until something happens).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from chalicelib.config.observability import get_observability_settings
from chalicelib.observability.names import LATENCY_BUCKETS_MS, PREFETCH_HIT_RATIO, WINDOWED, Metric

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
Gauge = tuple[str, str, list[tuple[dict[str, str], float]]]  # (name, help, [(labels, value)])

_lock = threading.Lock()
_metrics: dict[str, Any] = {}
# (metric, label values) -> its child: prometheus-client's labels() takes a lock and checks the values each call.
_children: dict[tuple[str, tuple[tuple[str, str], ...]], Any] = {}


def _hits(name: str) -> str:
    return f"{name}_hits"


def _tries(name: str) -> str:
    return f"{name}_tries"


def _build() -> dict[str, Any]:
    if _metrics:
        return _metrics
    with _lock:
        if _metrics:
            return _metrics
        directory = get_observability_settings().metrics_dir
        if directory:  # prometheus-client picks multiprocess mode from this variable when it is first imported
            Path(directory).mkdir(parents=True, exist_ok=True)
            os.environ["PROMETHEUS_MULTIPROC_DIR"] = directory
        import prometheus_client as pc  # lazy: only the long-running processes load it, on first use

        built: dict[str, Any] = {}
        for metric in WINDOWED:
            if metric.kind == "latency":
                built[metric.name] = pc.Histogram(metric.name, metric.help, metric.labels,
                                                  buckets=(*LATENCY_BUCKETS_MS, float("inf")))
            elif metric.kind == "counter":  # prometheus-client adds "_total" itself
                built[metric.name] = pc.Counter(metric.name.removesuffix("_total"), metric.help, metric.labels)
            else:
                built[_hits(metric.name)] = pc.Counter(_hits(metric.name), f"{metric.help}: hits")
                built[_tries(metric.name)] = pc.Counter(_tries(metric.name), f"{metric.help}: tries")
        _metrics.update(built)
    return _metrics


def record(metric: Metric, value: float, labels: dict[str, str]) -> None:
    metrics = _build()
    if metric.kind == "ratio":
        metrics[_tries(metric.name)].inc()
        if value:
            metrics[_hits(metric.name)].inc()
        return
    instrument = metrics[metric.name]
    if metric.labels:
        key = (metric.name, tuple(labels.items()))
        child = _children.get(key)
        if child is None:  # a route and method seen first: its child is kept (routes are a fixed set)
            child = _children.setdefault(key, instrument.labels(*(labels.get(name, "") for name in metric.labels)))
        instrument = child
    if metric.kind == "latency":
        instrument.observe(value)
    else:
        instrument.inc(value)


def mark_process_dead(pid: int) -> None:
    """gunicorn's child_exit: a dead worker's live gauges are dropped (its counters stay summed)."""
    directory = get_observability_settings().metrics_dir
    if directory:
        from prometheus_client import multiprocess  # lazy: only the home server's master calls this

        multiprocess.mark_process_dead(pid, directory)


def exposition(gauges: Iterable[Gauge] = ()) -> bytes:
    """The Prometheus text of every metric (summed over the processes), the ratios and ``gauges``."""
    _build()
    import prometheus_client as pc  # loaded by _build already

    directory = get_observability_settings().metrics_dir
    if directory:
        from prometheus_client import multiprocess  # lazy: multiprocess mode only

        families = list(multiprocess.MultiProcessCollector(None, directory).collect())
    else:
        families = list(pc.REGISTRY.collect())
    extra = [*_ratios(families), *(_gauge(pc, *gauge) for gauge in gauges)]
    registry = pc.CollectorRegistry()
    registry.register(_Families([*families, *extra]))  # type: ignore[arg-type]
    return pc.generate_latest(registry)


class _Families:
    def __init__(self, families: list[Any]) -> None:
        self.families = families

    def collect(self) -> list[Any]:
        return self.families


def _ratios(families: list[Any]) -> list[Any]:
    from prometheus_client.core import GaugeMetricFamily  # loaded by _build already

    totals = {sample.name: sample.value for family in families for sample in family.samples}
    name = PREFETCH_HIT_RATIO.name
    tries = totals.get(f"{_tries(name)}_total", 0.0)
    value = totals.get(f"{_hits(name)}_total", 0.0) / tries if tries else 0.0
    return [GaugeMetricFamily(name, PREFETCH_HIT_RATIO.help, value=value)]


def _gauge(pc: Any, name: str, help_text: str, values: list[tuple[dict[str, str], float]]) -> Any:
    labels = sorted({key for sample_labels, _ in values for key in sample_labels})
    family = pc.core.GaugeMetricFamily(name, help_text, labels=labels)
    for sample_labels, value in values:
        family.add_metric([sample_labels.get(label, "") for label in labels], value)
    return family
