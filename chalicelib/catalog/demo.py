"""The bundled demo catalog: real titles, facts only, loaded when no TMDB key is set.

The data lives in ``demo_data/*.json`` (compact, one title per line). Titles
carry their real TMDB/IGDB ids where known, so a later sync updates the same
rows. Values the data does not state exactly are derived here and named in the
row's ``extra.derived`` list: weekly episode air dates from a season premiere,
episode runtimes from the show's typical runtime, and a popularity score from
the order of the lists (there are no real popularity figures offline).
Credits (``credits.json``: cast with characters, directors, writers, composers)
use TMDB person ids, so people are shared across titles (a person page lists
their filmography) and a later sync's credits land on the same people; like
the titles, demo people carry no artwork. Episode air times follow the show's
network (``catalog.airtimes``). Titles carry their US certification (games: ESRB) as ``rating``, so a kid profile
sees a sensible demo; upcoming titles are not rated yet and stay hidden from kids.

Loading is idempotent (natural-key upserts) and runs in one transaction with a
fixed number of statements, so it takes well under two seconds.
"""

from __future__ import annotations

import functools
import json
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from chalicelib import cache, db
from chalicelib.catalog import airtimes, curated, store
from chalicelib.catalog.records import (
    CreditRecord,
    EpisodeRecord,
    FranchiseRef,
    GenreInfo,
    GenreRef,
    Json,
    MediaRecord,
    PersonRecord,
    PlatformInfo,
    PlatformRelease,
    SeasonRecord,
    parse_date,
    slugify,
)
from chalicelib.contentrating import age_of
from chalicelib.db import Conn
from chalicelib.logs import get_logger

DATA_DIR = Path(__file__).parent / "demo_data"
SECTION_POSITION = 500  # after the upstream and curated rows
DEPARTMENTS = {"Director": "Directing", "Creator": "Writing", "Screenplay": "Writing", "Writer": "Writing",
               "Story": "Writing", "Novel": "Writing", "Original Music Composer": "Sound",
               "Executive Producer": "Production", "Producer": "Production"}


@functools.cache
def _read(name: str) -> Any:
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


def genre_infos() -> list[GenreInfo]:
    """TMDB and IGDB genre lists as bundled (the same ids the APIs use)."""
    data = _read("genres.json")
    tmdb = [GenreInfo("tmdb", gid, name=name, slug=slugify(name), media_types=types)
            for gid, name, types in data["tmdb"]]
    igdb = [GenreInfo("igdb", gid, name=name, slug=slugify(name), media_types=["game"])
            for gid, name in data["igdb"]]
    return tmdb + igdb


def _popularity(index: int, total: int) -> float:
    return round(100.0 * (total - index) / total, 2)


def _status(item: Json, released_on: date | None, today: date) -> str | None:
    if item.get("status"):
        return item["status"]
    return "released" if released_on and released_on <= today else None


def _base(item: Json, media_type: str, index: int, total: int, today: date) -> MediaRecord:
    released = parse_date(item.get("date"))
    extra: Json = {"demo": True, "derived": ["popularity"]}
    if released is None and item.get("year"):
        released = date(int(item["year"]), 1, 1)
        extra["release_precision"] = "year"
        extra["derived"].append("release_date")
    if item.get("announced"):
        extra["announced"] = True
    rating = item.get("rating")  # US certification (movies, shows) or ESRB (games)
    return MediaRecord(
        content_rating=rating, min_age=age_of(rating, "US") if rating else None,
        media_type=media_type, title=item["title"], tmdb_id=item.get("tmdb"), igdb_id=item.get("igdb"),
        imdb_id=item.get("imdb"), original_title=item.get("original", item["title"]),
        overview=item.get("overview"), release_date=released, runtime_minutes=item.get("runtime"),
        popularity=_popularity(index, total), status=_status(item, released, today),
        original_language=item.get("lang"), origin_countries=item.get("countries"), is_demo=True, extra=extra,
        franchises=[FranchiseRef("local", item["franchise"], slug=slugify(item["franchise"]))]
        if item.get("franchise") else [])


def credit_records(kind: str, tmdb_id: int | None) -> list[CreditRecord] | None:
    """The bundled credits of a title (``kind`` movies | shows); None when the data has none."""
    data = _read("credits.json")
    entry = data[kind].get(str(tmdb_id)) if tmdb_id else None
    if entry is None:
        return None

    def person(person_id: int) -> PersonRecord:
        name, department = data["people"][str(person_id)]
        return PersonRecord(tmdb_id=person_id, name=name, known_for_department=department)

    cast = [CreditRecord("cast", n, person(pid), character=character) for n, (pid, character) in
            enumerate(entry["cast"])]
    crew = [CreditRecord("crew", n, person(pid), job=job, department=DEPARTMENTS.get(job)) for n, (pid, job) in
            enumerate(entry["crew"])]
    return cast + crew


def movie_records(today: date) -> list[MediaRecord]:
    items = _read("movies.json")
    records = []
    for index, item in enumerate(items):
        record = _base(item, "movie", index, len(items), today)
        record.genres = [GenreRef("tmdb", gid) for gid in item.get("genres", ())]
        record.credits = credit_records("movies", item.get("tmdb"))
        records.append(record)
    return records


def _season_parts(spec: list[Any]) -> list[tuple[int, date | None, str]]:
    """``[n, episodes, "date"(, "a")]`` or ``[n, episodes, [[count, "date"(, "a")], ...]]``."""
    if isinstance(spec[2], list):
        return [(part[0], parse_date(part[1]), part[2] if len(part) > 2 else "w") for part in spec[2]]
    return [(spec[1], parse_date(spec[2]), spec[3] if len(spec) > 3 else "w")]


def _episode_texts(show: Json) -> dict[str, list[list[str]]]:
    """Names and synopses of a show's episodes, by season (only a few demo shows have them)."""
    return _read("episodes.json").get(str(show.get("tmdb")), {})


def season_records(show: Json) -> list[SeasonRecord]:
    """Seasons with episodes whose air dates are derived: weekly from each part's
    premiere, or all on the premiere day for all-at-once releases ("a")."""
    seasons, texts = [], _episode_texts(show)
    for spec in show["seasons"]:
        number, episodes, counter = spec[0], [], 0
        named = texts.get(str(number), [])
        for count, first, mode in _season_parts(spec):
            for offset in range(count):
                counter += 1
                aired = None if first is None else first + timedelta(days=0 if mode == "a" else 7 * offset)
                name, overview = named[counter - 1] if counter <= len(named) else (None, None)
                episodes.append(EpisodeRecord(number, counter, name=name, overview=overview, air_date=aired,
                                              runtime_minutes=show.get("runtime")))
        premiere = next((e.air_date for e in episodes if e.air_date), None)
        seasons.append(SeasonRecord(number, name=f"Season {number}", air_date=premiere, episode_count=spec[1],
                                    episodes=episodes))
    return seasons


def show_records(today: date) -> list[MediaRecord]:
    items = _read("shows.json")
    records = []
    for index, item in enumerate(items):
        record = _base(item, "show", index, len(items), today)
        record.genres = [GenreRef("tmdb", gid) for gid in item.get("genres", ())]
        record.seasons = season_records(item)
        aired = [e.air_date for s in record.seasons for e in s.episodes or () if e.air_date and e.air_date <= today]
        record.last_air_date = max(aired, default=None)
        record.extra["derived"] += ["episode_air_dates", "episode_runtimes", "last_air_date"]
        record.extra["network"] = item.get("network")
        record.extra.update(airtimes.slot_for_networks([item["network"]] if item.get("network") else []))
        airtimes.stamp_episodes(record.seasons, record.extra)
        record.credits = credit_records("shows", item.get("tmdb"))
        records.append(record)
    return records


def _platforms() -> dict[str, PlatformInfo]:
    return {key: PlatformInfo(slug=slug, name=name, abbreviation=abbr, igdb_id=igdb_id)
            for key, (igdb_id, name, abbr, slug) in _read("platforms.json").items()}


def _platform_releases(specs: list[Any], default: date | None) -> list[PlatformRelease]:
    platforms = _platforms()
    releases = []
    for spec in specs:
        key, when = (spec, default) if isinstance(spec, str) else (spec[0], parse_date(spec[1]))
        releases.append(PlatformRelease(platforms[key], when, "exact" if when else "tbd"))
    return releases


def _addon(parent: MediaRecord, item: Json, today: date) -> MediaRecord:
    released = parse_date(item.get("date"))
    return MediaRecord(
        media_type="game", title=item["title"], overview=item.get("overview"), release_date=released,
        status=_status(item, released, today), is_demo=True, popularity=parent.popularity,
        extra={"demo": True, "derived": ["popularity", "platforms"], "category": item["kind"],
               "parent_title": parent.title},
        genres=parent.genres, franchises=parent.franchises,
        platforms=[PlatformRelease(p.platform, released, "exact") for p in parent.platforms or ()
                   if p.release_date and released and p.release_date <= released])


def game_records(today: date) -> list[MediaRecord]:
    items = _read("games.json")
    records = []
    for index, item in enumerate(items):
        record = _base(item, "game", index, len(items), today)
        record.genres = [GenreRef("igdb", gid) for gid in item.get("genres", ())]
        record.platforms = _platform_releases(item.get("platforms", ()), record.release_date)
        if item.get("dev"):
            record.extra["developer"] = item["dev"]
        addons = [_addon(record, dlc, today) for dlc in item.get("dlc", ())]
        record.related = {kind: [a for a in addons if a.extra["category"] == kind] for kind in ("dlc", "expansion")}
        records.append(record)
    return records


def all_records(today: date | None = None) -> list[MediaRecord]:
    today = today or date.today()
    return movie_records(today) + show_records(today) + game_records(today)


def load(conn: Conn, today: date | None = None) -> Json:
    """Upsert the whole demo catalog and its discover rows (idempotent)."""
    started = time.perf_counter()
    today = today or date.today()
    store.upsert_genres(conn, genre_infos())
    store.upsert_platforms(conn, _platforms().values())
    records = all_records(today)
    ids = store.save(conn, records)
    sections = build_sections(conn, records, ids, today)
    stats = {"titles": len(ids), "sections": sections, "ms": round((time.perf_counter() - started) * 1000)}
    get_logger().info("demo catalog loaded", extra={"action": "demo_catalog_loaded", **stats})
    return stats


def load_default() -> Json:
    """Load the demo catalog into the configured database (``make dev`` without a TMDB key)."""
    with db.transaction() as conn:
        stats = load(conn)
        curated.refresh(conn)
    cache.on_catalog_synced()
    return stats


def _ranked(records: list[MediaRecord], ids: dict[str, int], keep, key, limit: int = 20) -> list[int]:
    chosen = sorted((r for r in records if keep(r) and r.key in ids), key=key)
    return [ids[r.key] for r in chosen[:limit]]


def build_sections(conn: Conn, records: list[MediaRecord], ids: dict[str, int], today: date) -> int:
    """Discover rows made from the demo data (source ``demo``), so offline discover is not empty."""
    top = lambda r: -(r.popularity or 0)  # noqa: E731 - a sort key, named for reading
    newest = lambda r: (-(r.release_date or date.min).toordinal(), r.title)  # noqa: E731
    recent_cutoff = today - timedelta(days=3 * 365)
    rows = [
        ("demo.movies.popular", "Popular movies", "movie", lambda r: r.media_type == "movie", top),
        ("demo.shows.popular", "Popular shows", "show", lambda r: r.media_type == "show", top),
        ("demo.games.popular", "Popular games", "game",
         lambda r: r.media_type == "game" and not r.extra.get("category"), top),
        ("demo.coming_soon", "Coming soon", None,
         lambda r: r.release_date is not None and r.release_date > today,
         lambda r: (r.release_date, r.title)),
        ("demo.shows.returning", "Returning shows", "show",
         lambda r: r.media_type == "show" and r.status == "returning", top),
        ("demo.movies.recent", "Recent movies", "movie",
         lambda r: r.media_type == "movie" and r.release_date and recent_cutoff <= r.release_date <= today,
         newest),
        ("demo.games.recent", "Recently released games", "game",
         lambda r: r.media_type == "game" and r.release_date and recent_cutoff <= r.release_date <= today,
         newest),
        ("demo.movies.classics", "Classics", "movie",
         lambda r: r.media_type == "movie" and r.release_date and r.release_date.year < 1980, top),
    ]
    for position, (key, title, media_type, keep, order) in enumerate(rows):
        store.replace_section(conn, key=key, title=title, media_type=media_type, source="demo",
                              position=SECTION_POSITION + position, definition={"demo": True},
                              media_ids=_ranked(records, ids, keep, order))
    return len(rows)
