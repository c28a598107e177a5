"""When an episode airs: ``episodes.air_at`` from the air date and the show's air time.

TMDB gives an episode's ``air_date`` only, never the time. The rule:

1. When an admin stored a TheTVDB v4 key, the show's series record there
   decides (``catalog.tvdb_airtimes`` fetches it, :func:`slot_from_tvdb` reads
   it): ``airsTime`` is the wall-clock time, and TVDB states it in the US
   Eastern zone for US series and in the zone of the country's capital or most
   populous city for the others, so the zone comes from the original network's
   country, else the series' ``originalCountry`` (``COUNTRY_ZONES``), else the
   network's home zone below. Stored as ``extra.airTime`` / ``airTimezone``
   with ``extra.airTimeSource = "tvdb"``: exact, not approximate.
2. Otherwise (no key, no TVDB record, no ``airsTime``, TVDB down) the show's
   first network decides: a streaming service (Netflix, Prime Video, Disney+,
   Apple TV+, Hulu, Max, ...) releases whole episodes at no particular time of
   day, so ``air_at`` stays NULL and the calendar shows "Anytime"; a broadcast
   or cable network in ``NETWORK_SLOTS`` gives its usual prime-time slot in its
   home time zone. That slot is an approximation (a show may air at 22:00
   instead of 21:00), so it is stored with ``extra.airTimeSource = "network"``
   to say so.
3. Any other network (or none): unknown, NULL, "Anytime".

``air_at`` is the air date at that wall-clock time in that zone, as an aware
UTC moment (daylight saving handled by ``zoneinfo``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
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
# TVDB's country codes (ISO 3166-1 alpha-3) -> the zone TVDB states air times in: US Eastern for US series,
# else the zone of the country's capital or most populous city.
COUNTRY_ZONES: dict[str, str] = {
    "usa": _ET, "can": "America/Toronto", "mex": "America/Mexico_City", "bra": "America/Sao_Paulo",
    "arg": "America/Argentina/Buenos_Aires", "col": "America/Bogota", "chl": "America/Santiago",
    "gbr": _UK, "irl": "Europe/Dublin", "fra": "Europe/Paris", "deu": "Europe/Berlin", "esp": "Europe/Madrid",
    "ita": "Europe/Rome", "nld": "Europe/Amsterdam", "bel": "Europe/Brussels", "che": "Europe/Zurich",
    "aut": "Europe/Vienna", "swe": "Europe/Stockholm", "nor": "Europe/Oslo", "dnk": "Europe/Copenhagen",
    "fin": "Europe/Helsinki", "isl": "Atlantic/Reykjavik", "pol": "Europe/Warsaw", "cze": "Europe/Prague",
    "prt": "Europe/Lisbon", "grc": "Europe/Athens", "tur": "Europe/Istanbul", "rus": "Europe/Moscow",
    "ukr": "Europe/Kiev", "isr": "Asia/Jerusalem", "egy": "Africa/Cairo", "zaf": "Africa/Johannesburg",
    "nga": "Africa/Lagos", "ind": "Asia/Kolkata", "chn": "Asia/Shanghai", "hkg": "Asia/Hong_Kong",
    "twn": "Asia/Taipei", "jpn": _JP, "kor": "Asia/Seoul", "tha": "Asia/Bangkok", "phl": "Asia/Manila",
    "idn": "Asia/Jakarta", "mys": "Asia/Kuala_Lumpur", "sgp": "Asia/Singapore", "aus": "Australia/Sydney",
    "nzl": "Pacific/Auckland",
}
_TVDB_CLOCK = re.compile(r"(\d{1,2}):(\d{2})(?::\d{2})?\s*([AP]\.?M\.?)?")


def slot_for_networks(networks: list[str]) -> dict[str, str | None]:
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


def tvdb_clock(value: Any) -> time | None:
    """TVDB's ``airsTime``: "21:00" (v4), and the "9:00 PM" older records still carry; None when unusable."""
    match = _TVDB_CLOCK.fullmatch(value.strip().upper()) if isinstance(value, str) else None
    if match is None:
        return None
    hour, minute, half = int(match[1]), int(match[2]), match[3]
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half.startswith("P") else 0)
    return time(hour, minute) if hour < 24 and minute < 60 else None


def tvdb_zone(series: Mapping[str, Any], networks: list[str]) -> str | None:
    """The zone a TVDB series' ``airsTime`` is in: by the original network's country (where it airs), the
    series' country, else the network's home zone (TVDB's network, then TMDB's)."""
    network: Mapping[str, Any] = series.get("originalNetwork") or {}
    network = network if isinstance(network, Mapping) else {}
    for country in (network.get("country"), series.get("originalCountry"), series.get("country")):
        if isinstance(country, str) and country.lower() in COUNTRY_ZONES:
            return COUNTRY_ZONES[country.lower()]
    for name in (network.get("name"), *networks):
        if isinstance(name, str) and name.strip().lower() in NETWORK_SLOTS:
            return NETWORK_SLOTS[name.strip().lower()][1]
    return None


def slot_from_tvdb(series: Mapping[str, Any], networks: list[str]) -> dict[str, str]:
    """The ``extra`` keys a TVDB series record gives, or {} when it has no usable time: then the network's
    approximation stays. (``airsDays`` adds nothing: TMDB dates every episode.)"""
    at, zone = tvdb_clock(series.get("airsTime")), tvdb_zone(series, networks)
    if at is None or zone is None:
        return {}
    return {"airTime": at.strftime("%H:%M"), "airTimezone": zone, "airTimeSource": "tvdb"}


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


def air_at(air_date: date | None, extra: Mapping[str, Any] | None) -> datetime | None:
    """The moment an episode dated ``air_date`` airs for a show with ``extra``; None = "Anytime"."""
    if air_date is None or not extra:
        return None
    at, zone = _clock(extra.get("airTime")), _zone(extra.get("airTimezone"))
    if at is None or zone is None:
        return None
    return datetime.combine(air_date, at, tzinfo=zone)


def stamp_episodes(seasons: list[Any] | None, extra: Mapping[str, Any]) -> None:
    """Set ``air_at`` on every episode record of ``seasons`` from the show's air time (in place)."""
    for season in seasons or ():
        for episode in season.episodes or ():
            episode.air_at = air_at(episode.air_date, extra)
