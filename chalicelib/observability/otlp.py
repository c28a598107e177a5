"""OpenTelemetry at home: the trace spans over OTLP/HTTP (protobuf) to ``SEEN_OTLP_ENDPOINT``, when it is set.

Imported only when that setting is set (``tracing`` imports it on the first span), so the SDK, protobuf and
requests stay out of a process that exports nothing. One tracer provider per process: gunicorn forks its workers
after the app is loaded, and a provider's export thread does not survive a fork, so a process builds its own on
its first span. Spans are batched and sent by the SDK's thread (``BatchSpanProcessor``): a request never waits
for the collector, and a collector that is down costs dropped spans, never an error.
"""

from __future__ import annotations

import os
import threading

from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.trace import Tracer

SCOPE = "seen"
TRACES_PATH = "/v1/traces"
EXPORT_TIMEOUT_S = 5.0

_lock = threading.Lock()
_built: tuple[tuple[int, str, str], TracerProvider, Tracer] | None = None  # ((pid, endpoint, service), ...)


def traces_url(endpoint: str) -> str:
    """The collector's traces URL from its base (OTEL_EXPORTER_OTLP_ENDPOINT's rule), or the traces URL itself."""
    base = endpoint.rstrip("/")
    return base if base.endswith(TRACES_PATH) else base + TRACES_PATH


def tracer(endpoint: str, service: str) -> Tracer:
    """This process's tracer exporting to ``endpoint`` as ``service`` (built on first use, again after a fork)."""
    built = _built
    if built is not None and built[0] == (os.getpid(), endpoint, service):
        return built[2]
    return _build(endpoint, service)


def _build(endpoint: str, service: str) -> Tracer:
    global _built
    key = (os.getpid(), endpoint, service)
    with _lock:
        if _built is not None and _built[0] == key:
            return _built[2]
        if _built is not None and _built[0][0] == key[0]:
            _built[1].shutdown()  # another endpoint (tests): the old provider's last spans go where they were
        # Not the SDK's global provider: that may be set once per process, this one follows the settings.
        provider = TracerProvider(resource=Resource.create({"service.name": service}))
        exporter = OTLPSpanExporter(endpoint=traces_url(endpoint), timeout=EXPORT_TIMEOUT_S)
        provider.add_span_processor(BatchSpanProcessor(exporter))
        _built = (key, provider, provider.get_tracer(SCOPE))
        return _built[2]


def flush(timeout_s: float = EXPORT_TIMEOUT_S) -> bool:
    """Send the spans still batched now (the worker's drain; tests); True when all went out or none waited."""
    built = _built
    if built is None or built[0][0] != os.getpid():
        return True
    return built[1].force_flush(int(timeout_s * 1000))


def shutdown() -> None:
    """Send what is batched and stop this process's exporter (tests; the next span builds a new one)."""
    global _built
    with _lock:
        built, _built = _built, None
    if built is not None and built[0][0] == os.getpid():
        built[1].shutdown()
