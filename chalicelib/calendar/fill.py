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

from chalicelib import cache, clock, db
from chalicelib.calendar import queries, upstream_events
from chalicelib.calendar.queries import DemoTitle, EventItem, FillTarget
from chalicelib.calendar.release_events import (
    GAME_KINDS,
    PAST_DAYS,
    SHOW_KINDS,
    episode_events,
    owned_show_events,
    replace_events,
)
from chalicelib.db import Conn
from chalicelib.jobruns import JobRun, Skipped, run_recorded
from chalicelib.logs import get_logger
from chalicelib.settings import credentials
from chalicelib.tracking.follows import followed_shows_by_user

JOB_NAME = "calendar.fill"
CATALOG_TITLES = 300  # announced/recent catalog titles refreshed per run
DEMO_NOTE = ("Demo schedule: these air dates were set relative to when the demo catalog was loaded; "
             "they are not real announcements.")
DEMO_EPISODES = 8


def targets(conn: Conn, today: date) -> dict[str, list[FillTarget]]:
    """The titles whose release dates the fill refreshes, by media type."""
    shows = set().union(*followed_shows_by_user(conn).values())
    rows = queries.fill_targets(conn, show_ids=sorted(shows), today=today, row_limit=CATALOG_TITLES)
    found: dict[str, list[FillTarget]] = {"movie": [], "show": [], "game": []}
    for row in rows:
        found[row["media_type"]].append(row)
    return found


def fill(today: date | None = None) -> dict[str, object]:
    """Refresh the calendar from TMDB and IGDB (whichever is configured)."""
    today = today or clock.now().date()
    catalog = credentials.catalog_settings()
    if not catalog.tmdb_enabled and not catalog.igdb_enabled:
        raise Skipped("no TMDB or IGDB credentials: the calendar keeps what is stored (the demo schedule)")
    with db.connection() as conn:
        found = targets(conn, today)
    stats: dict[str, object] = {"targets": {k: len(v) for k, v in found.items()}}
    if catalog.tmdb_enabled:
        stats["tmdb"] = upstream_events.fill_tmdb(found["movie"], found["show"], today)
    if catalog.igdb_enabled:
        stats["igdb"] = upstream_events.fill_igdb(found["game"])
    cache.on_calendar_filled()
    return stats


def owned_shows(today: date | None = None) -> dict[str, int]:
    """Owned shows' episodes onto the calendar (after a media server sync); everyone's months are dropped."""
    with db.transaction() as conn:
        stats = owned_show_events(conn, today or clock.now().date())
    cache.on_calendar_filled()
    return stats


def run_job(trigger: str = "schedule") -> JobRun:
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


def _demo_title_events(row: DemoTitle, window: tuple[date, date]) -> list[EventItem]:
    def inside(day: date, precision: str = "exact") -> bool:
        return day <= window[1] and window_end(day, precision) >= window[0]

    announced = row["release_date"]
    if row["media_type"] == "movie":
        if announced is None or not inside(announced, row["precision"]):
            return []
        return [EventItem(media_id=row["id"], kind="movie_release", release_date=announced,
                          release_precision=row["precision"], release_type="theatrical")]
    if row["media_type"] != "game":
        return []
    kind = "dlc_release" if row["is_addon"] else "game_release"
    dated = [(p, date.fromisoformat(p["date"])) for p in row["platforms"] if p["date"] and p["precision"] != "tbd"]
    events = [EventItem(media_id=row["id"], kind=kind, platform_id=p["platform_id"], release_date=day,
                        release_precision=row["precision"] if p["date"] == str(announced) else "exact")
              for p, day in dated if inside(day)]
    if not dated and announced is not None and inside(announced, row["precision"]):  # a window, no platform dates
        events += [EventItem(media_id=row["id"], kind=kind, platform_id=platform, release_date=announced,
                             release_precision=row["precision"])
                   for platform in [p["platform_id"] for p in row["platforms"]] or [None]]
    return events


def load_demo_events(conn: Conn, today: date | None = None) -> dict[str, int]:
    """Demo calendar: announced titles at their published dates, ongoing shows scheduled from ``today``.

    Idempotent; a reload on a later day moves the scheduled episodes along.
    """
    today = today or clock.now().date()
    scheduled = queries.demo_schedule(conn, today=today, note=DEMO_NOTE, episodes=DEMO_EPISODES)
    titles = queries.demo_titles(conn)
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
