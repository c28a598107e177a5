"""Trace spans of Get -> Play: ``catalog``, ``search``, ``score``, ``pick``, ``stream``.

In Lambda each span is a Powertools Tracer subsegment (X-Ray; Powertools turns itself off outside Lambda,
where LAMBDA_TASK_ROOT is unset, and the X-Ray SDK then hands out dummy subsegments). At home (the server's
processes, the worker's Range server) the same spans go to an OpenTelemetry collector over OTLP/HTTP when
``SEEN_OTLP_ENDPOINT`` is set (``otlp``, imported only then). Otherwise, the default, a span costs one settings
lookup.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from chalicelib.config.observability import get_observability_settings

SPANS = ("catalog", "search", "score", "pick", "stream")
SERVICE = "seen-api"

_service = SERVICE  # what this process's OTLP spans name as their service (use_service)


def use_service(name: str) -> None:
    """Name this process's OTLP spans' service (the worker: "seen-worker"); before its first span."""
    global _service
    _service = name


@contextlib.contextmanager
def span(name: str, **attributes: str | int) -> Iterator[None]:
    """Trace the block as ``name`` (one of ``SPANS``); ``attributes`` go on an OTLP span (X-Ray: not kept)."""
    settings = get_observability_settings()
    if settings.in_lambda:
        tracer = _tracer()
        if tracer is None:
            yield
            return
        with tracer.provider.in_subsegment(name=name):
            yield
        return
    if settings.otlp_endpoint is None:
        yield
        return
    from chalicelib.observability import otlp  # lazy: the OpenTelemetry SDK loads only when export is on

    with otlp.tracer(settings.otlp_endpoint, _service).start_as_current_span(name, attributes=attributes):
        yield


def _tracer() -> Any:
    try:
        from aws_lambda_powertools import Tracer  # lazy: the X-Ray SDK loads with the first span in Lambda
    except ImportError:  # pragma: no cover - aws-xray-sdk is pinned in requirements.txt
        return None
    # Borg: every Tracer shares one configuration; no auto-patching (boto3, httpx keep their own cost).
    return Tracer(service=SERVICE, auto_patch=False)


def flush() -> None:
    """Send this process's batched OTLP spans now (a draining worker; tests); nothing when export is off."""
    if get_observability_settings().otlp_endpoint is not None:
        from chalicelib.observability import otlp  # lazy: the OpenTelemetry SDK loads only when export is on

        otlp.flush()
