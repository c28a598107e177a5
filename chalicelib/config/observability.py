"""Metrics and traces: who may scrape ``/metrics``, where the home server's processes share counters, OTLP."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from ._env import ConfigError, with_secret_files

MIN_METRICS_TOKEN_BYTES = 16


@dataclass(frozen=True)
class ObservabilitySettings:
    """Both sides. ``/metrics`` answers loopback callers, or any caller with ``Bearer <metrics_token>``."""

    metrics_token: str | None = field(default=None, repr=False)
    # prometheus-client's multiprocess directory: every process of the home server (gunicorn's workers, the
    # pump) writes its counters there and one scrape sums them. None: this process keeps its own counters.
    metrics_dir: str | None = None
    in_lambda: bool = False  # metrics go to CloudWatch as EMF on stdout, traces to X-Ray
    # Outside Lambda: the OpenTelemetry collector that takes the trace spans over OTLP/HTTP (its base URL, as
    # OTEL_EXPORTER_OTLP_ENDPOINT; /v1/traces is added). None: no spans are exported (the default).
    otlp_endpoint: str | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> ObservabilitySettings:
        token = env.get("SEEN_METRICS_TOKEN") or None
        if token is not None and len(token.encode()) < MIN_METRICS_TOKEN_BYTES:
            raise ConfigError(f"SEEN_METRICS_TOKEN must be at least {MIN_METRICS_TOKEN_BYTES} bytes")
        otlp = (env.get("SEEN_OTLP_ENDPOINT") or "").strip() or None
        if otlp is not None and not otlp.startswith(("http://", "https://")):
            raise ConfigError("SEEN_OTLP_ENDPOINT must be an http:// or https:// URL (OTLP/HTTP)")
        return cls(metrics_token=token,
                   metrics_dir=env.get("SEEN_METRICS_DIR") or env.get("PROMETHEUS_MULTIPROC_DIR") or None,
                   in_lambda=bool(env.get("AWS_LAMBDA_FUNCTION_NAME")), otlp_endpoint=otlp)


@lru_cache(maxsize=1)
def get_observability_settings() -> ObservabilitySettings:
    """Both the control plane and the worker read this (neither's other settings are needed)."""
    return ObservabilitySettings.from_env(with_secret_files(os.environ, ("SEEN_METRICS_TOKEN",)))
