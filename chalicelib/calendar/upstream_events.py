"""TMDB and IGDB release data -> release_events rows (used by the scheduled fill).

TMDB release types (``/movie/{id}/release_dates``): 1 premiere, 2 limited
theatrical, 3 theatrical, 4 digital, 5 physical, 6 TV. IGDB release dates
carry a date format (``date_format``, formerly ``category``): 0 exact day,
1 month, 2 year, 3-6 a quarter, 7 TBD; and a region (``release_region``,
formerly ``region``). A title whose fetch fails keeps its stored events; the
failure is counted and logged, and the other titles go on.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from chalicelib import db
from chalicelib.calendar import DEFAULT_REGION, queries
from chalicelib.calendar.queries import EventItem, FillTarget
from chalicelib.calendar.release_events import GAME_KINDS, SHOW_KINDS, episode_events, replace_events
from chalicelib.catalog import store, tmdb_map, upstream
from chalicelib.catalog.igdb import IgdbClient
from chalicelib.catalog.records import MediaRecord
from chalicelib.catalog.tmdb import TmdbClient
from chalicelib.logs import get_logger

TMDB_RELEASE_TYPES = {1: "premiere", 2: "theatrical_limited", 3: "theatrical", 4: "digital", 5: "physical", 6: "tv"}
IGDB_REGIONS = {1: "europe", 2: "north_america", 3: "australia", 4: "new_zealand", 5: "japan", 6: "china",
                7: "asia", 8: "worldwide", 9: "korea", 10: "brazil"}
IGDB_BATCH = 100  # games per release_dates query (IGDB answers at most 500 rows)
RELEASE_FIELDS = "fields game,platform,date,y,m,category,date_format,region,release_region,human"


def _failed(service: str, media_id: int, exc: Exception) -> None:
    get_logger().warning("calendar source unavailable for a title, keeping its events", extra={
        "action": "calendar_fill_title_failed", "upstream": service, "media_id": media_id, "error": str(exc)})


# -------------------------------------------------------------------- TMDB


def movie_events(media_id: int, data: Mapping[str, Any], regions: set[str]) -> list[EventItem]:
    """Events from a /movie/{id}/release_dates answer, for the wanted regions only."""
    events: dict[tuple[str, str], EventItem] = {}
    for country in data.get("results") or ():
        region = country.get("iso_3166_1")
        if region not in regions:
            continue
        for entry in country.get("release_dates") or ():
            kind = TMDB_RELEASE_TYPES.get(entry.get("type"))
            day = _iso_day(entry.get("release_date"))
            if kind is None or day is None:
                continue
            key = (region, kind)
            if key not in events or day < events[key]["release_date"]:
                events[key] = {"media_id": media_id, "kind": "movie_release", "release_date": day,
                               "release_type": kind, "region": region}
    return list(events.values())


def _iso_day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _show_record(client: TmdbClient, show: FillTarget, today: date) -> MediaRecord | None:
    """The show with its current and upcoming seasons' episodes, as a catalog record."""
    tmdb_id = show["tmdb_id"]
    data = dict(client.get(f"/tv/{tmdb_id}", fresh=True))  # the seasons are added to it below
    current = {(data.get(k) or {}).get("season_number") for k in ("last_episode_to_air", "next_episode_to_air")}
    recent = today - timedelta(days=60)
    for season in data.get("seasons") or ():
        number = season.get("season_number")
        aired = _iso_day(season.get("air_date"))
        if number and (number in current or aired is None or aired >= recent):
            data[f"season/{number}"] = client.get(f"/tv/{tmdb_id}/season/{number}", fresh=True)
    record = tmdb_map.show_details(data)
    if record is not None:
        # Only seasons and episodes are the point here: leave the title's stored
        # similar/recommended links and its lazy-detail state alone.
        record.related, record.details = None, False
    return record


def fill_tmdb(movies: list[FillTarget], shows: list[FillTarget], today: date) -> dict[str, int]:
    """Movie release dates and show episodes from TMDB, then their events."""
    stats = {"movies": 0, "shows": 0, "events": 0, "failed": 0}
    with db.connection() as conn:
        regions = queries.regions(conn, default_region=DEFAULT_REGION)
    with TmdbClient() as client:
        for movie in movies:
            try:
                data = client.get(f"/movie/{movie['tmdb_id']}/release_dates", fresh=True)
            except upstream.UpstreamError as exc:
                stats["failed"] += 1
                _failed("tmdb", movie["id"], exc)
                continue
            with db.transaction() as conn:
                stats["events"] += replace_events(conn, [movie["id"]], ["movie_release"], "tmdb",
                                                       movie_events(movie["id"], data, regions))
            stats["movies"] += 1
        for show in shows:
            try:
                record = _show_record(client, show, today)
            except upstream.UpstreamError as exc:
                stats["failed"] += 1
                _failed("tmdb", show["id"], exc)
                continue
            with db.transaction() as conn:
                if record is not None:
                    store.save(conn, [record])
                stats["events"] += replace_events(conn, [show["id"]], SHOW_KINDS, "tmdb",
                                                       episode_events(conn, [show["id"]], today))
            stats["shows"] += 1
    return stats


# -------------------------------------------------------------------- IGDB


def _quarter_start(year: int, quarter: int) -> date:
    return date(year, 3 * (quarter - 1) + 1, 1)


def release_window(entry: Mapping[str, Any]) -> tuple[date, str] | None:
    """(first day, precision) of an IGDB release date; None for TBD or unusable entries."""
    fmt = entry.get("date_format", entry.get("category"))
    fmt = fmt.get("id") if isinstance(fmt, dict) else fmt
    year, month = entry.get("y"), entry.get("m")
    try:
        if fmt in (None, 0) and entry.get("date") is not None:
            return datetime.fromtimestamp(int(entry["date"]), UTC).date(), "exact"
        if fmt == 1 and year and month:
            return date(int(year), int(month), 1), "month"
        if fmt == 2 and year:
            return date(int(year), 1, 1), "year"
        if fmt in (3, 4, 5, 6) and year:
            return _quarter_start(int(year), fmt - 2), "quarter"
    except (TypeError, ValueError, OverflowError):
        return None
    return None


def _region(entry: Mapping[str, Any]) -> str | None:
    raw = entry.get("release_region", entry.get("region"))
    raw = raw.get("id") if isinstance(raw, dict) else raw
    return IGDB_REGIONS.get(raw) if isinstance(raw, int) else None


def _id(value: object) -> int | None:
    """An IGDB reference, expanded (``{"id": ...}``) or not."""
    value = value.get("id") if isinstance(value, dict) else value
    return value if isinstance(value, int) else None


def game_events(entries: Sequence[Mapping[str, Any]], games: Mapping[int, FillTarget],
                platforms: dict[int, int]) -> list[EventItem]:
    """Events from IGDB release_dates rows (``games``: IGDB id -> target row)."""
    events: list[EventItem] = []
    for entry in entries:
        game_id, platform = _id(entry.get("game")), _id(entry.get("platform"))
        game = games.get(game_id) if game_id is not None else None
        window = release_window(entry)
        if game is None or window is None:
            continue
        events.append(EventItem(media_id=game["id"], kind="dlc_release" if game["is_addon"] else "game_release",
                                platform_id=platforms.get(platform) if platform is not None else None,
                                release_date=window[0], release_precision=window[1], region=_region(entry)))
    return events


def fill_igdb(games: list[FillTarget]) -> dict[str, int]:
    """Game, DLC and expansion release dates per platform from IGDB."""
    stats = {"games": 0, "events": 0, "failed": 0}
    with IgdbClient() as client:
        for start in range(0, len(games), IGDB_BATCH):
            batch = {g["igdb_id"]: g for g in games[start:start + IGDB_BATCH] if g["igdb_id"] is not None}
            body = f"{RELEASE_FIELDS}; where game = ({','.join(map(str, sorted(batch)))}); limit 500;"
            try:
                entries = client.query("release_dates", body)
            except upstream.UpstreamError as exc:
                stats["failed"] += len(batch)
                _failed("igdb", next(iter(batch.values()))["id"], exc)
                continue
            igdb_platforms = sorted({e["platform"] for e in entries if isinstance(e.get("platform"), int)})
            with db.transaction() as conn:
                platforms = queries.platforms_by_igdb(conn, igdb_ids=igdb_platforms)
                items = game_events(entries, batch, platforms)
                stats["events"] += replace_events(conn, [g["id"] for g in batch.values()], GAME_KINDS, "igdb", items)
            stats["games"] += len(batch)
    return stats
