"""When an episode airs: ``episodes.air_at`` from the air date and the show's air time.

TMDB gives an episode's ``air_date`` only, never the time, and /seen/ has no
TVDB client (TVDB's ``airsTime``). So the rule is deliberately small:

1. The show's ``extra.airTime`` ("HH:MM") and ``extra.airTimezone`` (an IANA
   zone), when a source that knows them stored them, win.
2. Otherwise the show's first network decides: a streaming service (Netflix,
   Prime Video, Disney+, Apple TV+, Hulu, Max, ...) releases whole episodes at
   no particular time of day, so ``air_at`` stays NULL and the calendar shows
   "Anytime"; a broadcast or cable network in ``NETWORK_SLOTS`` gives its usual
   prime-time slot in its home time zone. That slot is an approximation (a show
   may air at 22:00 instead of 21:00), so it is stored with
   ``extra.airTimeSource = "network"`` to say so.
3. Any other network (or none): unknown, NULL, "Anytime".

``air_at`` is the air date at that wall-clock time in that zone, as an aware
UTC moment (daylight saving handled by ``zoneinfo``).
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

STREAMING = frozenset({
    "netflix", "prime video", "amazon prime video", "amazon", "disney+", "apple tv+", "apple tv", "hulu",
    "max", "hbo max", "paramount+", "peacock", "youtube premium", "youtube", "bbc iplayer", "crunchyroll",
    "star+", "bbc three", "freevee", "amazon freevee", "roku channel", "the roku channel", "quibi",
})
_ET, _PT, _UK, _JP = "America/New_York", "America/Los_Angeles", "Europe/London", "Asia/Tokyo"
# Broadcast and cable networks: their usual prime-time slot (local wall-clock time) and home zone.
NETWORK_SLOTS: dict[str, tuple[str, str]] = {
    "abc": ("21:00", _ET), "nbc": ("20:00", _ET), "cbs": ("20:00", _ET), "fox": ("20:00", _ET),
    "the cw": ("20:00", _ET), "the wb": ("20:00", _ET), "upn": ("20:00", _ET), "pbs": ("21:00", _ET),
    "hbo": ("21:00", _ET), "amc": ("21:00", _ET), "fx": ("22:00", _ET), "fxx": ("22:00", _ET),
    "showtime": ("21:00", _ET), "starz": ("21:00", _ET), "usa network": ("22:00", _ET),
    "paramount network": ("20:00", _ET), "history": ("21:00", _ET), "adult swim": ("23:30", _ET),
    "comedy central": ("22:00", _ET), "nickelodeon": ("19:00", _ET), "cartoon network": ("19:00", _ET),
    "syfy": ("21:00", _ET), "tnt": ("21:00", _ET), "tbs": ("22:00", _ET), "cinemax": ("22:00", _ET),
    "bbc one": ("21:00", _UK), "bbc two": ("21:00", _UK), "itv": ("21:00", _UK), "itv1": ("21:00", _UK),
    "channel 4": ("21:00", _UK), "sky atlantic": ("21:00", _UK), "sky one": ("21:00", _UK),
    "nippon tv": ("23:00", _JP), "tv tokyo": ("23:00", _JP), "mbs": ("23:30", _JP), "fuji tv": ("23:00", _JP),
    "tokyo mx": ("23:00", _JP), "abc (jp)": ("23:00", _JP),
}
del _PT


def slot_for_networks(networks: list[str]) -> dict[str, Any]:
    """The ``extra`` keys the first network implies: an air time and zone, or an explicit "anytime"."""
    if not networks:
        return {}
    first = networks[0].strip().lower()
    if first in STREAMING:
        return {"airTime": None, "airTimezone": None, "airTimeSource": "streaming"}
    if first in NETWORK_SLOTS:
        at, zone = NETWORK_SLOTS[first]
        return {"airTime": at, "airTimezone": zone, "airTimeSource": "network"}
    return {}


def _clock(value: Any) -> time | None:
    if not isinstance(value, str):
        return None
    try:
        return time.fromisoformat(value)
    except ValueError:
        return None


def _zone(name: Any) -> ZoneInfo | None:
    if not isinstance(name, str) or not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def air_at(air_date: date | None, extra: dict[str, Any] | None) -> datetime | None:
    """The moment an episode dated ``air_date`` airs for a show with ``extra``; None = "Anytime"."""
    if air_date is None or not extra:
        return None
    at, zone = _clock(extra.get("airTime")), _zone(extra.get("airTimezone"))
    if at is None or zone is None:
        return None
    return datetime.combine(air_date, at, tzinfo=zone)


def stamp_episodes(seasons: list[Any] | None, extra: dict[str, Any]) -> None:
    """Set ``air_at`` on every episode record of ``seasons`` from the show's air time (in place)."""
    for season in seasons or ():
        for episode in season.episodes or ():
            episode.air_at = air_at(episode.air_date, extra)
