"""The one source of "now" for rules that depend on time (token expiry, rate limits).

Production reads the system clock. Tests install a controllable clock with
``set_clock`` (see the ``clock`` fixture) so expiry is tested by moving time
forward, never by sleeping.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime


def _system_now() -> datetime:
    return datetime.now(UTC)


_source: Callable[[], datetime] = _system_now


def now() -> datetime:
    """The current time, timezone-aware (UTC)."""
    return _source()


def timestamp() -> float:
    """``now()`` as seconds since the epoch."""
    return now().timestamp()


def set_clock(source: Callable[[], datetime] | None) -> None:
    """Replace the time source (``None`` restores the system clock)."""
    global _source
    _source = source or _system_now
