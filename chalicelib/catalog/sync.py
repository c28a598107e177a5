"""Scheduled catalog sync jobs: TMDB movie and TV rows, TMDB genres, IGDB games, curated rows.

Each job is its own ``@app.schedule`` function (see ``app.py``) and goes
through ``run_job``, which records the run in ``sync_state``/``sync_runs``
(ok, failed, or skipped when the upstream has no credentials) and drops the
discover cache after a run that changed rows.

A section is replaced only after its whole list was fetched, inside the same
transaction as the titles' upserts: a failed or partial fetch leaves the
previous items in place, and an empty answer is not allowed to empty a row.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import NotRequired, TypedDict

from chalicelib import cache, db
from chalicelib.catalog import curated, igdb_map, store, tmdb_map, upstream
from chalicelib.catalog.igdb import IgdbClient
from chalicelib.catalog.records import MediaRecord
from chalicelib.catalog.tmdb import MOVIE_LISTS, TV_LISTS, TmdbClient
from chalicelib.jobruns import queries as jobruns_queries
from chalicelib.logs import get_logger

MAX_ERROR_LENGTH = 500
POSITIONS = {"movie": 100, "show": 120, "game": 200}

Stats = Mapping[str, object]
"""A run's figures, stored as JSON in ``sync_runs.stats`` for the admin view."""
Section = tuple[str, str | None, list[MediaRecord]]
"""A fetched section: its title, the upstream path it came from (TMDB) and its titles in order."""


class SectionsStats(TypedDict):
    sections: dict[str, int | str]  # titles stored, or "empty" (the previous items were kept)
    titles: int
    failed: NotRequired[dict[str, str]]


class JobOutcome(TypedDict):
    job: str
    status: str
    stats: Stats
    error: str | None


class SyncFailed(Exception):
    """Some sections could not be refreshed; the others were. Carries the run's stats."""

    def __init__(self, message: str, stats: SectionsStats):
        super().__init__(message)
        self.stats = stats


def _sections_run(fetchers: dict[str, Callable[[], Section]], source: str, media_type: str | None) -> SectionsStats:
    """Fetch each section, then store it with its titles in one transaction per section."""
    stats: SectionsStats = {"sections": {}, "titles": 0}
    failures: dict[str, str] = {}
    for position, (key, fetch) in enumerate(fetchers.items()):
        try:
            title, path, records = fetch()
        except upstream.UpstreamError as exc:
            failures[key] = str(exc)
            get_logger().warning("catalog section not refreshed, keeping its items", extra={
                "action": "catalog_section_failed", "section": key, "error": str(exc)})
            continue
        if not records:
            stats["sections"][key] = "empty"  # keep the previous items rather than blank the row
            continue
        with db.transaction() as conn:
            ids = store.save(conn, records)
            store.replace_section(conn, key=key, title=title, media_type=media_type, source=source,
                                  position=POSITIONS.get(media_type or "", 150) + position,
                                  definition={"upstream": path}, media_ids=[ids[r.key] for r in records])
        stats["sections"][key] = len(records)
        stats["titles"] += len(records)
    if stats["titles"]:
        with db.transaction() as conn:
            curated.refresh(conn)
    if failures:
        stats["failed"] = failures
        details = "; ".join(f"{key} ({error})" for key, error in failures.items())
        raise SyncFailed(f"{len(failures)} of {len(fetchers)} sections failed: {details}", stats)
    return stats


def _store_tmdb_genres(client: TmdbClient) -> int:
    infos = tmdb_map.genre_infos(client.genres("movie"), client.genres("tv"))
    with db.transaction() as conn:
        store.upsert_genres(conn, infos)
    return len(infos)


def sync_tmdb_genres() -> Stats:
    """TMDB's movie and TV genre lists, and the image configuration."""
    with TmdbClient() as client:
        client.configuration()
        return {"genres": _store_tmdb_genres(client)}


def _tmdb_sections(kind: str) -> SectionsStats:
    lists, media_type, mapper = (MOVIE_LISTS, "movie", tmdb_map.movie_summary) if kind == "movie" else \
        (TV_LISTS, "show", tmdb_map.show_summary)
    with TmdbClient() as client:
        _store_tmdb_genres(client)  # list items carry genre ids only; cached upstream calls
        pages = client.settings.sync_pages

        def fetcher(path: str, title: str) -> Callable[[], Section]:
            def fetch() -> Section:
                records: list[MediaRecord] = []
                seen: set[str] = set()
                for page in range(1, pages + 1):
                    data = client.list_page(path, page)
                    for record in filter(None, map(mapper, data.get("results") or ())):
                        if record.key not in seen:
                            seen.add(record.key)
                            records.append(record)
                    if page >= int(data.get("total_pages") or 1):
                        break
                return title, path, records
            return fetch

        fetchers = {f"tmdb.{media_type}.{name}": fetcher(path, title) for name, (path, title) in lists.items()}
        return _sections_run(fetchers, "tmdb", media_type)


def sync_tmdb_movies() -> Stats:
    """Movie rows: trending (day, week), popular, top rated, upcoming, now playing."""
    return _tmdb_sections("movie")


def sync_tmdb_shows() -> Stats:
    """Show rows: trending (day, week), popular, top rated, airing today, on the air."""
    return _tmdb_sections("tv")


def sync_igdb_games() -> Stats:
    """IGDB genres, themes and platforms, then the game rows (recently released, most anticipated, popular)."""
    with IgdbClient() as client:
        genres = igdb_map.genre_infos(client.query("genres", igdb_map.LIST_QUERY)) + \
            igdb_map.genre_infos(client.query("themes", igdb_map.LIST_QUERY), "theme")
        platforms = [igdb_map.platform_info(p) for p in client.query("platforms", igdb_map.PLATFORM_QUERY)
                     if p.get("id") and p.get("name")]
        with db.transaction() as conn:
            store.upsert_genres(conn, genres)
            store.upsert_platforms(conn, platforms)

        def fetcher(title: str, body: str) -> Callable[[], Section]:
            def fetch() -> Section:
                games = client.query("games", body)
                with db.transaction() as conn:
                    store.upsert_genres(conn, igdb_map.genres_in(games))
                return title, None, [r for r in map(igdb_map.game, games) if r]
            return fetch

        fetchers = {f"igdb.game.{key}": fetcher(title, body)
                    for key, (title, body) in igdb_map.section_queries(int(time.time())).items()}
        stats = _sections_run(fetchers, "igdb", "game")
        return {**stats, "genres": len(genres), "platforms": len(platforms)}


def refresh_curated() -> Stats:
    """Recompute the curated YAML rows from the stored catalog."""
    with db.transaction() as conn:
        return {"sections": curated.refresh(conn)}


JOBS: dict[str, Callable[[], Stats]] = {
    "catalog.tmdb_genres": sync_tmdb_genres,
    "catalog.tmdb_movies": sync_tmdb_movies,
    "catalog.tmdb_shows": sync_tmdb_shows,
    "catalog.igdb_games": sync_igdb_games,
    "catalog.curated": refresh_curated,
}


def run_job(name: str, trigger: str = "schedule") -> JobOutcome:
    """Run one catalog job and record its outcome; never raises (a failure is data, not a crash)."""
    with db.connection() as conn:
        run_id = jobruns_queries.started(conn, job_name=name, trigger=trigger)
    started = time.monotonic()
    status, error = "ok", None
    stats: Stats = {}
    try:
        stats = JOBS[name]()
    except upstream.UpstreamNotConfigured as exc:
        status, stats = "skipped", {"reason": str(exc)}
    except SyncFailed as exc:
        status, error, stats = "failed", str(exc), exc.stats
    except upstream.UpstreamError as exc:
        status, error = "failed", str(exc)
        get_logger().warning("catalog job failed upstream", extra={"action": "catalog_sync_failed", "job": name,
                                                                   "error": error})
    except Exception as exc:  # recorded in sync_state for the admin view, and logged with its traceback
        status, error = "failed", f"{type(exc).__name__}: {exc}"
        get_logger().exception("catalog job crashed", extra={"action": "catalog_sync_crashed", "job": name})
    duration_ms = round((time.monotonic() - started) * 1000)
    with db.connection() as conn:
        jobruns_queries.finished(conn, run_id=run_id, job_name=name, status=status,
                                 error=error[:MAX_ERROR_LENGTH] if error else None, duration_ms=duration_ms,
                                 stats=store.to_json(stats))
    if status == "ok" or stats.get("titles"):
        cache.on_catalog_synced()
    get_logger().info("catalog job finished", extra={"action": "catalog_sync_finished", "job": name,
                                                      "status": status, "duration_ms": duration_ms,
                                                      "error": error})
    return {"job": name, "status": status, "stats": stats, "error": error}
