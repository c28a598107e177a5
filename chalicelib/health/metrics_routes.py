"""Metrics (``chalicelib.observability``) over HTTP: ``GET /api/v1/admin/metrics`` (the admin Health page)
and ``POST /api/v1/playback/events`` (the player's reports)."""

from __future__ import annotations

from typing import Literal

from chalice import Blueprint
from pydantic import Field

from chalicelib import ratelimit
from chalicelib.api import endpoint
from chalicelib.auth import Principal
from chalicelib.config import RateLimit
from chalicelib.models import ApiModel, RequestModel
from chalicelib.observability import service

bp = Blueprint(__name__)
PLAYBACK_EVENTS = RateLimit(120, 60)  # per user: a player stuck in a stall loop must not flood the counters


class MetricsQuery(RequestModel):
    window: Literal["1h", "24h", "7d"] = "24h"


class AdminMetrics(ApiModel):
    metrics: dict[str, dict[str, float]] = Field(description=(
        "Every metric by name: latencies {count, sum, avg, p50, p95} in ms, counters {total}, "
        "ratios {ratio, total}; zeros when nothing happened"))


class PlaybackEvent(RequestModel):
    kind: Literal["first_byte", "buffer", "fallback", "resume_ok"]
    ms: float | None = Field(default=None, ge=0, le=600_000, description="first_byte: Play to first frame")


@endpoint(bp, "/api/v1/admin/metrics", summary="Key numbers over a window (the admin Health page)",
          tags=("admin",), query=MetricsQuery, response=AdminMetrics, auth="admin", errors_=(401, 403, 422))
def admin_metrics(query: MetricsQuery, principal: Principal) -> AdminMetrics:
    return AdminMetrics(metrics=service.summary(query.window))


@endpoint(bp, "/api/v1/playback/events", "POST", summary="The player reports first frame, stalls, fallbacks, resumes",
          tags=("playback",), body=PlaybackEvent, status=204, auth="user", errors_=(401, 413, 422, 429))
def playback_event(body: PlaybackEvent, principal: Principal) -> None:
    ratelimit.per_user("playback_events", principal.user_id, PLAYBACK_EVENTS)
    service.record_playback_event(body.kind, body.ms)
