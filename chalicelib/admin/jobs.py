"""Scheduled jobs an admin can see and run now: the same functions the schedules in app.py call.

Each runner records its own outcome in sync_state (the catalog, recommendations,
calendar and cleanup jobs all do), so "run now" shows up in the sync-jobs view
exactly like a scheduled run, with trigger ``manual``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from chalicelib.settings import credentials


def _catalog(name: str) -> Callable[[UUID], Any]:
    def run(user_id: UUID) -> Any:
        from chalicelib.catalog import sync  # lazy: a job's stack loads only when an admin runs it

        return sync.run_job(name, trigger="manual")

    return run


def _recommendations(user_id: UUID) -> Any:
    from chalicelib.recommendations import service  # lazy: a job's stack loads only when an admin runs it

    return service.run_job(trigger="manual")


def _calendar(user_id: UUID) -> Any:
    from chalicelib.calendar import fill  # lazy: a job's stack loads only when an admin runs it

    return fill.run_job(trigger="manual")


def _cleanup(user_id: UUID) -> Any:
    from chalicelib.cleanup import service  # lazy: a job's stack loads only when an admin runs it

    return service.run_job(trigger="manual", requested_by=user_id)


def _monitor(user_id: UUID) -> Any:
    from chalicelib.picks import monitor  # lazy: a job's stack loads only when an admin runs it

    return monitor.run_job(trigger="manual")


def _channels(user_id: UUID) -> Any:
    from chalicelib.channels import service  # lazy: a job's stack loads only when an admin runs it

    return service.run_job(trigger="manual")


# job name (as recorded in sync_state) -> (schedule, runner)
JOBS: dict[str, tuple[str, Callable[[UUID], Any]]] = {
    "catalog.tmdb_genres": ("rate(1 day)", _catalog("catalog.tmdb_genres")),
    "catalog.tmdb_movies": ("rate(6 hours)", _catalog("catalog.tmdb_movies")),
    "catalog.tmdb_shows": ("rate(6 hours)", _catalog("catalog.tmdb_shows")),
    "catalog.igdb_games": ("rate(12 hours)", _catalog("catalog.igdb_games")),
    "catalog.curated": ("rate(1 hour)", _catalog("catalog.curated")),
    "recommendations.snapshots": ("rate(10 minutes)", _recommendations),
    "calendar.fill": ("rate(6 hours)", _calendar),
    "cleanup.daily": ("rate(1 day)", _cleanup),
    "picks.monitor": ("rate(15 minutes)", _monitor),
    "channels.refresh": ("rate(10 minutes)", _channels),
}


# The outside service whose key a job cannot run without (the catalog syncs); the others need nothing.
NEEDS_KEY: dict[str, str] = {
    "catalog.tmdb_genres": "tmdb", "catalog.tmdb_movies": "tmdb", "catalog.tmdb_shows": "tmdb",
    "catalog.igdb_games": "igdb",
}


def missing_keys() -> set[str]:
    """The services of NEEDS_KEY with no key, in the environment or stored through Settings -> Instance."""
    catalog = credentials.catalog_settings()
    return {name for name, ok in (("tmdb", catalog.tmdb_enabled), ("igdb", catalog.igdb_enabled)) if not ok}
