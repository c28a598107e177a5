"""What the player reports and what the admin's Health page reads."""

from __future__ import annotations

from typing import Literal

from chalicelib import errors
from chalicelib.observability import count, observe, window

EventKind = Literal["first_byte", "buffer", "fallback", "resume_ok"]
COUNTED = {"buffer": "buffer_events_total", "fallback": "fallback_switch_total", "resume_ok": "resume_success_total"}


def record_playback_event(kind: EventKind, ms: float | None) -> None:
    """One player event: Play to first frame (``ms`` required), a stall, a fallback switch, a resume that held.

    Raises ``ValidationFailed`` (422) for a first_byte without ``ms``."""
    if kind == "first_byte":
        if ms is None:
            raise errors.ValidationFailed("first_byte needs ms", fields={"ms": "Required for first_byte"})
        observe("start_to_first_byte_ms", ms)
        return
    count(COUNTED[kind])


def summary(window_name: str) -> dict[str, dict[str, float]]:
    """Every metric over the last ``window_name`` (1h, 24h, 7d), from the Redis buckets all processes write;
    zeros when nothing happened or Redis is down."""
    return window.summary(window_name)
