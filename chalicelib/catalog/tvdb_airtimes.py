"""A show's exact air time from TheTVDB, when an admin stored a TVDB key (``catalog.airtimes`` says how it is used).

Asked wherever a TMDB show record is built with its episodes (``tmdb_map.show_details``: lazy details, the
calendar fill, the library's TMDB matching), so every path stores the same air time and none undoes
another's (``tmdb_map.show_record`` is the same mapping without this lookup: no I/O). Without a key this
costs one cached settings read and nothing else.

The show's TVDB id comes from TMDB's external ids, else from TVDB's remote-id search (its IMDb id, then its
TMDB id, which must be listed among the found series' remote ids: a bare number can be another site's id).
TVDB's answer is kept in Redis per show: fresh for ``FRESH_SECONDS`` (a sync of many shows asks TVDB about
each at most once a day), and kept ``KEEP_SECONDS`` to stand in while TVDB is down. A TVDB failure never
fails what asked: it is logged, this process leaves TVDB alone for ``PAUSE_SECONDS``, and the last answer
(or, without one, the network's approximation) is used.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from chalicelib import cache
from chalicelib.catalog import airtimes
from chalicelib.catalog.records import Json, MediaRecord
from chalicelib.config import CatalogSettings
from chalicelib.logs import get_logger
from chalicelib.settings import credentials

if TYPE_CHECKING:
    from chalicelib.catalog.tvdb import TvdbClient

FRESH_SECONDS = 24 * 3600
KEEP_SECONDS = 14 * 24 * 3600
PAUSE_SECONDS = 300.0
CANDIDATES = 2  # series a remote-id search may offer that are checked (each costs a request)

_paused_until = 0.0


def forget() -> None:
    """End a pause after a failure and drop TVDB tokens (tests, or after the key changed)."""
    from chalicelib.catalog import tvdb  # lazy: httpx, only when TVDB was used

    global _paused_until
    _paused_until = 0.0
    tvdb.forget_tokens()


def apply(record: MediaRecord) -> None:
    """Lay the show's TVDB air time over the network's and stamp its episodes again (in place); without a key
    or a usable answer the record stays as it is."""
    found = slot(record, list(record.extra.get("networks") or ()))
    if found:
        record.extra.update(found)
        airtimes.stamp_episodes(record.seasons, record.extra)


def slot(record: MediaRecord, networks: list[str]) -> dict[str, str]:
    """The ``extra`` keys of the show's TVDB air time; {} without a key or a usable answer."""
    if record.media_type != "show":
        return {}
    settings = credentials.catalog_settings()
    if not settings.tvdb_enabled:
        return {}
    series = _series(settings, record)
    return airtimes.slot_from_tvdb(series, networks) if series else {}


def _series(settings: CatalogSettings, record: MediaRecord) -> Json | None:
    """TVDB's record of the show (only what air times need): cached, else fetched, else the stale one."""
    global _paused_until
    key = cache.Keys.tvdb_series(record.key)
    stored = cache.get_json(key)
    if stored and time.time() - stored["at"] < FRESH_SECONDS:
        return stored["series"]
    if time.monotonic() < _paused_until:
        return stored["series"] if stored else None
    from chalicelib.catalog import upstream  # lazy: httpx, only when TVDB is asked (a key is set)

    try:
        series = _fetch(settings, record, known_id=(stored.get("series") or {}).get("id") if stored else None)
    except upstream.UpstreamError as exc:
        _paused_until = time.monotonic() + PAUSE_SECONDS
        get_logger().warning("tvdb unavailable, keeping the last known air time", extra={
            "action": "tvdb_unavailable", "show": record.key, "status": exc.status, "error": str(exc),
            "stale": bool(stored)})
        return stored["series"] if stored else None
    cache.set_json(key, {"at": time.time(), "series": series}, KEEP_SECONDS)
    return series


def _fetch(settings: CatalogSettings, record: MediaRecord, known_id: int | None) -> Json | None:
    """The series by its TVDB id (TMDB's, or the one found before: the calendar's records carry no external
    ids), else by a remote-id search."""
    from chalicelib.catalog.tvdb import TvdbClient  # lazy: httpx and the egress client, only with a TVDB key

    tvdb_id = record.tvdb_id or known_id
    with TvdbClient(settings) as client:
        if tvdb_id:
            return _trimmed(client.series(tvdb_id))
        for remote_id in filter(None, (record.imdb_id, str(record.tmdb_id or ""))):
            found = _found(client, remote_id)
            if found is not None:
                return _trimmed(found)
    return None


def _found(client: TvdbClient, remote_id: str) -> Json | None:
    """The first series the remote-id search finds that lists ``remote_id`` as its own."""
    for tvdb_id in client.series_ids(remote_id)[:CANDIDATES]:
        series = client.series(tvdb_id)
        if series and lists_remote_id(series, remote_id):
            return series
    return None


def lists_remote_id(series: Json, remote_id: str) -> bool:
    """Whether a series record names ``remote_id`` among its remote ids (a number only as TMDB's)."""
    for entry in series.get("remoteIds") or ():
        if not isinstance(entry, dict) or str(entry.get("id")) != remote_id:
            continue
        if not remote_id.isdigit() or "themoviedb" in str(entry.get("sourceName") or "").lower():
            return True
    return False


def _trimmed(series: Json | None) -> Json | None:
    """What air times need of a series record (the rest of ``extended`` is not kept)."""
    if not series:
        return None
    network = series.get("originalNetwork")
    network = {k: network.get(k) for k in ("name", "country")} if isinstance(network, dict) else None
    return {"id": series.get("id"), "airsTime": series.get("airsTime"), "originalNetwork": network,
            "originalCountry": series.get("originalCountry"), "country": series.get("country")}
