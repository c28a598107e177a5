"""Trace spans of Get -> Play: ``catalog``, ``search``, ``score``, ``pick``, ``stream``.

In Lambda each span is a Powertools Tracer subsegment (X-Ray; Powertools turns itself off outside Lambda,
where LAMBDA_TASK_ROOT is unset, and the X-Ray SDK then hands out dummy subsegments). Elsewhere a span costs
one settings lookup: OpenTelemetry OTLP export at home is not built (its exporter pulls protobuf and requests
into the server's dependencies).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from chalicelib.config.observability import get_observability_settings

SPANS = ("catalog", "search", "score", "pick", "stream")
SERVICE = "seen-api"


@contextlib.contextmanager
def span(name: str) -> Iterator[None]:
    """Trace the block as ``name`` (one of ``SPANS``)."""
    tracer = _tracer() if get_observability_settings().in_lambda else None
    if tracer is None:
        yield
        return
    with tracer.provider.in_subsegment(name=name):
        yield


def _tracer() -> Any:
    try:
        from aws_lambda_powertools import Tracer  # lazy: the X-Ray SDK loads with the first span in Lambda
    except ImportError:  # pragma: no cover - aws-xray-sdk is pinned in requirements.txt
        return None
    # Borg: every Tracer shares one configuration; no auto-patching (boto3, httpx keep their own cost).
    return Tracer(service=SERVICE, auto_patch=False)
