"""Filling ``release_events``: the scheduled fill from TMDB and IGDB, and the demo schedule.

The scheduled fill (``run_job``, every 6 hours) refreshes the titles people
track: shows someone follows (``tracking.follows.followed_show_ids``, the one
follow rule), everything on someone's watch later, games in someone's
backlog, announced and recent catalog movies and games, and the add-ons of
those games.

* TMDB: ``/movie/{id}/release_dates`` (one event per region and release type,
  for the users' regions and the default one); ``/tv/{id}`` and
  ``/tv/{id}/season/{n}`` for current and upcoming seasons, stored as
  episodes, which become episode and season-premiere events.
* IGDB: ``release_dates`` of the games and their DLC/expansions, one event
  per platform and region, with IGDB's precision (exact day, month, quarter,
  year; TBD dates are skipped).

Each title's events of a kind are replaced as a set (``calendar_replace_events``),
so a postponed date moves and a withdrawn one disappears, and real data
replaces the demo schedule. Without TMDB and IGDB credentials the run is
recorded as skipped and the demo schedule stays.

Offline, ``load_demo_events`` (called when the demo catalog is loaded) gives
announced demo titles events at their published dates, and ongoing demo shows
a next season of weekly episodes scheduled relative to the load date, all
stored with ``is_demo = true``.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from chalicelib import cache, clock, db
from chalicelib.calendar import upstream_events
from chalicelib.logs import get_logger
from chalicelib.recommendations.jobs import Skipped, run_recorded

JOB_NAME = "calendar.fill"
PAST_DAYS, FUTURE_DAYS = 60, 730  # the episode window around today
CATALOG_TITLES = 300  # announced/recent catalog titles refreshed per run
DEMO_NOTE = ("Demo schedule: these air dates were set relative to when the demo catalog was loaded; "
             "they are not real announcements.")
DEMO_EPISODES = 8
SHOW_KINDS = ["episode_air", "season_premiere"]
GAME_KINDS = ["game_release", "dlc_release"]


def q() -> Any:
    return db.queries()


def _followed_shows(conn: Any) -> set[int]:
    from chalicelib.tracking.follows import followed_show_ids

    shows: set[int] = set()
    for row in q().calendar_tracking_users(conn):
        shows |= followed_show_ids(conn, row["user_id"])
    return shows


def targets(conn: Any, today: date) -> dict[str, list[dict[str, Any]]]:
    """The titles whose release dates the fill refreshes, by media type."""
    rows = q().calendar_fill_targets(conn, show_ids=sorted(_followed_shows(conn)), today=today,
                                     row_limit=CATALOG_TITLES)
    found: dict[str, list[dict[str, Any]]] = {"movie": [], "show": [], "game": []}
    for row in rows:
        found[row["media_type"]].append(row)
    return found


def replace_events(conn: Any, media_ids: list[int], kinds: list[str], source: str, items: list[dict[str, Any]],
                   *, is_demo: bool = False) -> int:
    """Make these titles' events of these kinds exactly ``items`` (see ``calendar_replace_events``)."""
    if not media_ids:
        return 0
    from chalicelib.catalog.store import to_json

    q().calendar_replace_events(conn, media_ids=media_ids, kinds=kinds, source=source, is_demo=is_demo,
                                items=to_json(items))
    return len(items)


def episode_events(conn: Any, show_ids: list[int], today: date) -> list[dict[str, Any]]:
    """Episode-air and season-premiere events of these shows from their stored episodes."""
    if not show_ids:
        return []
    rows = q().calendar_episode_rows(conn, media_ids=show_ids, date_from=today - timedelta(days=PAST_DAYS),
                                     date_to=today + timedelta(days=FUTURE_DAYS))
    return [{"media_id": r["media_id"], "kind": "episode_air" if r["what"] == "episode" else "season_premiere",
             "season_id": r["season_id"] if r["what"] == "season" else None, "episode_id": r["episode_id"],
             "release_date": r["air_date"], "release_at": r["air_at"]} for r in rows]


def fill(today: date | None = None) -> dict[str, Any]:
    """Refresh the calendar from TMDB and IGDB (whichever is configured)."""
    today = today or clock.now().date()
    from chalicelib.settings import credentials  # a key stored by an admin counts, not only the environment's

    catalog = credentials.catalog_settings()
    if not catalog.tmdb_enabled and not catalog.igdb_enabled:
        raise Skipped("no TMDB or IGDB credentials: the calendar keeps what is stored (the demo schedule)")
    with db.connection() as conn:
        found = targets(conn, today)
    stats: dict[str, Any] = {"targets": {k: len(v) for k, v in found.items()}}
    if catalog.tmdb_enabled:
        stats["tmdb"] = upstream_events.fill_tmdb(found["movie"], found["show"], today)
    if catalog.igdb_enabled:
        stats["igdb"] = upstream_events.fill_igdb(found["game"])
    cache.on_calendar_filled()
    return stats


def run_job(trigger: str = "schedule") -> dict[str, Any]:
    """The scheduled calendar fill, recorded in sync_state as ``calendar.fill``."""
    return run_recorded(JOB_NAME, fill, trigger)


# -------------------------------------------------------------------- demo


def window_end(first: date, precision: str) -> date:
    """The last day of a release window that starts on ``first``."""
    months = {"month": 1, "quarter": 3, "year": 12}.get(precision, 0)
    if not months:
        return first
    index = first.month - 1 + months
    return date(first.year + index // 12, index % 12 + 1, 1) - timedelta(days=1)


def _demo_title_events(row: dict[str, Any], window: tuple[date, date]) -> list[dict[str, Any]]:
    def inside(day: date | None, precision: str = "exact") -> bool:
        return day is not None and day <= window[1] and window_end(day, precision) >= window[0]

    if row["media_type"] == "movie":
        return [{"media_id": row["id"], "kind": "movie_release", "release_date": row["release_date"],
                 "release_precision": row["precision"], "release_type": "theatrical"}] \
            if inside(row["release_date"], row["precision"]) else []
    if row["media_type"] != "game":
        return []
    kind = "dlc_release" if row["is_addon"] else "game_release"
    dated = [p for p in row["platforms"] if p["date"] and p["precision"] != "tbd"]
    events = [{"media_id": row["id"], "kind": kind, "platform_id": p["platform_id"],
               "release_date": date.fromisoformat(p["date"]),
               "release_precision": row["precision"] if p["date"] == str(row["release_date"]) else "exact"}
              for p in dated if inside(date.fromisoformat(p["date"]))]
    if not dated and inside(row["release_date"], row["precision"]):  # announced: a window, no platform dates
        events += [{"media_id": row["id"], "kind": kind, "platform_id": platform, "release_date": row["release_date"],
                    "release_precision": row["precision"]}
                   for platform in [p["platform_id"] for p in row["platforms"]] or [None]]
    return events


def load_demo_events(conn: Any, today: date | None = None) -> dict[str, int]:
    """Demo calendar: announced titles at their published dates, ongoing shows scheduled from ``today``.

    Idempotent; a reload on a later day moves the scheduled episodes along.
    """
    today = today or clock.now().date()
    scheduled = {r["media_id"] for r in q().calendar_demo_schedule(conn, today=today, note=DEMO_NOTE,
                                                                   episodes=DEMO_EPISODES)}
    titles = list(q().calendar_demo_titles(conn))
    window = (today - timedelta(days=PAST_DAYS), today + timedelta(days=3 * 365))
    items = [e for row in titles for e in _demo_title_events(row, window)]
    shows = [r["id"] for r in titles if r["media_type"] == "show"]
    items += episode_events(conn, shows, today)
    replace_events(conn, [r["id"] for r in titles], SHOW_KINDS + GAME_KINDS + ["movie_release"], "demo", items,
                   is_demo=True)
    stats = {"events": len(items), "scheduled_shows": len(scheduled)}
    get_logger().info("demo calendar loaded", extra={"action": "calendar_demo_loaded", **stats})
    return stats


def load_demo_default() -> dict[str, int]:
    """``load_demo_events`` on the configured database (``make dev`` after the demo catalog)."""
    with db.transaction() as conn:
        stats = load_demo_events(conn)
    cache.on_calendar_filled()
    return stats
