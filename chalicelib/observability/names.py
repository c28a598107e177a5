"""Every metric /seen/ records, named once: CloudWatch (EMF), Prometheus and the admin view use these names."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["latency", "counter", "ratio"]


@dataclass(frozen=True)
class Metric:
    name: str
    kind: Kind
    help: str
    labels: tuple[str, ...] = ()

    @property
    def unit(self) -> str:
        """CloudWatch's unit (EMF)."""
        return "Milliseconds" if self.kind == "latency" else "Count"


SEARCH_LATENCY = Metric("search_latency_ms", "latency", "A source search (indexers, cache, ranking)")
SCORE_LATENCY = Metric("score_latency_ms", "latency", "Ranking the candidates of one search")
START_TO_FIRST_BYTE = Metric("start_to_first_byte_ms", "latency", "From Play to the first frame (player report)")
BUFFER_EVENTS = Metric("buffer_events_total", "counter", "Times the player stalled waiting for data")
FALLBACK_SWITCHES = Metric("fallback_switch_total", "counter",
                           "Switches to another release (a stalled stream) or play mode (direct -> remux -> HLS)")
PREFETCH_HIT_RATIO = Metric("prefetch_hit_ratio", "ratio", "Next episodes ready (or on their way) when asked")
RESUME_SUCCESS = Metric("resume_success_total", "counter", "Plays that resumed at the stored position")
HTTP_LATENCY = Metric("http_request_latency_ms", "latency", "API requests by route", ("route", "method"))
HTTP_REQUESTS = Metric("http_requests_total", "counter", "API requests by route", ("route", "method"))
HTTP_ERRORS = Metric("http_request_errors_total", "counter", "API answers >= 500 by route", ("route", "method"))

# What the admin view answers, in this order; every one is always present.
WINDOWED: tuple[Metric, ...] = (SEARCH_LATENCY, SCORE_LATENCY, START_TO_FIRST_BYTE, BUFFER_EVENTS,
                                FALLBACK_SWITCHES, PREFETCH_HIT_RATIO, RESUME_SUCCESS, HTTP_LATENCY,
                                HTTP_REQUESTS, HTTP_ERRORS)
BY_NAME = {metric.name: metric for metric in WINDOWED}

# The trace span a timed metric's function runs in (tracing.SPANS).
SPAN_OF = {SEARCH_LATENCY.name: "search", SCORE_LATENCY.name: "score"}

# Read when /metrics is scraped (gauges), not recorded.
QUEUE_DEPTH = "queue_depth"  # {queue}: SQS ApproximateNumberOfMessages
DOWNLOAD_THROUGHPUT = "download_bytes_per_second"  # the worker's summed download rate
DOWNLOADS_ACTIVE = "downloads_active"

# Upper bounds (ms) of the latency histograms: Prometheus buckets and the admin view's p50/p95 alike.
LATENCY_BUCKETS_MS: tuple[float, ...] = (5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000)
