"""Scheduled jobs an admin can see and run now: the same functions the schedules in app.py call.

Each runner records its own outcome in sync_state (the catalog, recommendations,
calendar and cleanup jobs all do), so "run now" shows up in the sync-jobs view
exactly like a scheduled run, with trigger ``manual``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID


def _catalog(name: str) -> Callable[[UUID], Any]:
    def run(user_id: UUID) -> Any:
        from chalicelib.catalog import sync

        return sync.run_job(name, trigger="manual")

    return run


def _recommendations(user_id: UUID) -> Any:
    from chalicelib.recommendations import service

    return service.run_job(trigger="manual")


def _calendar(user_id: UUID) -> Any:
    from chalicelib.calendar import fill

    return fill.run_job(trigger="manual")


def _cleanup(user_id: UUID) -> Any:
    from chalicelib.cleanup import service

    return service.run_job(trigger="manual", requested_by=user_id)


def _monitor(user_id: UUID) -> Any:
    from chalicelib.picks import monitor

    return monitor.run_job(trigger="manual")


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
}
