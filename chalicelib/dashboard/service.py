"""The dashboard aggregate: one connection, a fixed number of statements, per-widget degradation.

Each widget source is called once with the shared connection (no per-item
queries). A source that raises degrades its widget to
``{"items": [], "error": "unavailable"}``; the rest of the response stands.
A degraded dashboard is not cached, so the next request retries the source.

Download progress moves every few seconds, faster than the 2-minute cache: a
cached dashboard gets the newest telemetry merged into its active downloads
on every read (one DynamoDB batch read, no SQL). Their statuses stay right
because every accepted state change drops the user's dashboard entry.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any
from uuid import UUID

from chalicelib import cache, clock, db
from chalicelib.dashboard.models import Dashboard
from chalicelib.logs import get_logger

LIMIT = 12
UPCOMING_DAYS = 14
ACTIVE_STATUSES = ("queued", "preparing", "downloading", "stalled", "retrying")


def _dump(model: Any) -> dict[str, Any]:
    return model.model_dump(mode="json", by_alias=True)


def continue_watching(conn: Any, user_id: UUID) -> list[dict[str, Any]]:
    from chalicelib.tracking import progress

    return [_dump(item) for item in progress.continue_watching(conn, user_id).items[:LIMIT]]


def watch_later(conn: Any, user_id: UUID) -> list[dict[str, Any]]:
    from chalicelib.tracking import watchlist

    items, _total = watchlist.list_watch_later(conn, user_id, None, LIMIT, 0)
    return [_dump(item) for item in items]


def _backlog(conn: Any, user_id: UUID, memo: dict[str, Any]) -> Any:
    # Two widgets read the backlog: load it once per build.
    if "backlog" not in memo:
        from chalicelib.tracking import backlog

        memo["backlog"] = backlog.backlog(conn, user_id)
    return memo["backlog"]


def game_backlog(conn: Any, user_id: UUID, memo: dict[str, Any]) -> list[dict[str, Any]]:
    found = _backlog(conn, user_id, memo)
    return [_dump(entry) for entry in (found.active + found.paused + found.wishlist)[:LIMIT]]


def recently_played_games(conn: Any, user_id: UUID, memo: dict[str, Any]) -> list[dict[str, Any]]:
    found = _backlog(conn, user_id, memo)
    entries = [e for group in (found.active, found.paused, found.completed, found.dropped) for e in group
               if e.last_played_at is not None]
    entries.sort(key=lambda e: e.last_played_at, reverse=True)
    return [_dump(entry) for entry in entries[:LIMIT]]


def active_downloads(conn: Any, user_id: UUID) -> list[dict[str, Any]]:
    from chalicelib.downloads.models import Download
    from chalicelib.telemetry import DownloadTelemetry

    rows = list(db.queries().dashboard_active_downloads(conn, user_id=user_id, limit=LIMIT))
    running = sorted(str(r["id"]) for r in rows if r["status"] != "queued")
    # Unlike the downloads list, a telemetry failure raises here: the widget says "unavailable".
    live = {item.job_id: item for item in DownloadTelemetry.batch_get(running)} if running else {}
    jobs = []
    for row in rows:
        item = live.get(str(row["id"]))
        usable = item is not None and int(item.attempt or 0) == row["attempt"]
        jobs.append(_dump(Download.from_row(row, item if usable else None)))
    return jobs


def refresh_live(widget: dict[str, Any]) -> dict[str, Any]:
    """A cached active-downloads widget with the newest telemetry merged in ("unavailable" when DynamoDB fails)."""
    from chalicelib.downloads.live import DYNAMO_ERRORS
    from chalicelib.downloads.models import Download
    from chalicelib.telemetry import DownloadTelemetry

    jobs = [Download.model_validate(item) for item in widget["items"]]
    running = sorted(str(job.id) for job in jobs if job.status != "queued")
    if widget["error"] is not None or not running:
        return widget
    try:
        live = {item.job_id: item for item in DownloadTelemetry.batch_get(running)}
    except DYNAMO_ERRORS as exc:
        get_logger().warning("dashboard widget unavailable", extra={
            "action": "dashboard_widget_unavailable", "widget": "active_downloads", "error": type(exc).__name__})
        return {"items": [], "error": "unavailable"}
    merged = []
    for job in jobs:
        item = live.get(str(job.id))
        usable = item is not None and job.status != "queued" and int(item.attempt or 0) == job.attempt
        merged.append(_dump(job.with_live(item)) if usable else _dump(job))
    return {"items": merged, "error": None}


def recommendations(conn: Any, user_id: UUID) -> list[dict[str, Any]]:
    """The newest snapshot's items (never computes one: the schedule and the recommendations page do)."""
    from chalicelib.catalog.service import summary

    rows = db.queries().recs_snapshot_items(conn, user_id=user_id)
    return [{"media": _dump(summary(row)), "score": row["item"]["score"], "reasons": row["item"]["reasons"]}
            for row in rows if row["id"] is not None][:LIMIT]


def upcoming_releases(conn: Any, user_id: UUID) -> list[dict[str, Any]]:
    from chalicelib.calendar import service as calendar
    from chalicelib.calendar.models import CalendarFilters

    today = clock.now().date()
    found = calendar.events(user_id, CalendarFilters(), today, today + timedelta(days=UPCOMING_DAYS))
    return found[:LIMIT]


def trending(conn: Any, user_id: UUID) -> list[dict[str, Any]]:
    from chalicelib.catalog.service import summary

    return [_dump(summary(row)) for row in db.queries().dashboard_trending(conn, limit=LIMIT)]


def recently_watched(conn: Any, user_id: UUID) -> list[dict[str, Any]]:
    from chalicelib.tracking import history
    from chalicelib.tracking.schemas import HistoryQuery

    entries, _total = history.list_history(conn, user_id, HistoryQuery(page_size=LIMIT))
    return [_dump(entry) for entry in entries]


SOURCES: dict[str, Callable[..., list[dict[str, Any]]]] = {
    "continue_watching": continue_watching, "watch_later": watch_later, "game_backlog": game_backlog,
    "recently_played_games": recently_played_games, "active_downloads": active_downloads,
    "recommendations": recommendations, "upcoming_releases": upcoming_releases, "trending": trending,
    "recently_watched": recently_watched,
}
MEMO_SOURCES = {"game_backlog", "recently_played_games"}


def _widget(name: str, conn: Any, user_id: UUID, memo: dict[str, Any]) -> dict[str, Any]:
    source = SOURCES[name]
    try:
        items = source(conn, user_id, memo) if name in MEMO_SOURCES else source(conn, user_id)
        return {"items": items, "error": None}
    except Exception as exc:  # one failing source degrades its widget only
        get_logger().warning("dashboard widget unavailable", extra={
            "action": "dashboard_widget_unavailable", "widget": name, "error": type(exc).__name__})
        return {"items": [], "error": "unavailable"}


def build(user_id: UUID) -> dict[str, Any]:
    """Every widget, built now (one connection; each source issues a fixed number of statements)."""
    memo: dict[str, Any] = {}
    with db.connection() as conn:
        widgets = {name: _widget(name, conn, user_id, memo) for name in SOURCES}
    return Dashboard.model_validate(widgets).model_dump(mode="json", by_alias=True)


def dashboard(user_id: UUID) -> dict[str, Any]:
    """The dashboard, read through ``Keys.dashboard`` (2 min; the tracking/downloads/recs writes invalidate it).

    A degraded build is served but not cached.
    """
    key = cache.Keys.dashboard(user_id)
    cached = cache.get_json(key)
    if cached is not None:
        cached["activeDownloads"] = refresh_live(cached["activeDownloads"])
        return cached
    built = build(user_id)
    if not any(widget["error"] for widget in built.values()):
        cache.set_json(key, built, cache.Ttl.DASHBOARD)
    return built
