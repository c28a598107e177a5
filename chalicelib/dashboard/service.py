"""The dashboard aggregate: one connection, a fixed number of statements, per-widget degradation.

Each widget source is called once with the shared connection (no per-item
queries). A source that raises degrades its widget to
``{"items": [], "error": "unavailable"}``; the rest of the response stands.
A degraded dashboard is not cached, so the next request retries the source.

Warm, the response is the cached JSON text itself: one Redis GET, no parsing,
no validation, no SQL (the cached entry is ``b"dash1 <live due>\n" + JSON``).
Download progress moves every few seconds, faster than the 2-minute cache:
while the entry holds running downloads, a read more than ``LIVE_SECONDS``
after the last merge gets the newest telemetry merged in (one DynamoDB batch
read, no SQL) and writes the entry back (compare-and-set, so an invalidation
in between wins). Statuses stay right because every accepted state change
drops the user's dashboard entry; between merges the dashboard page polls the
downloads list for live progress anyway.
"""

from __future__ import annotations

import json
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
LIVE_SECONDS = 5  # the longest a cached dashboard's running downloads go without a telemetry merge
HEADER = b"dash1 "
# KEYS[1] the entry; ARGV: the value read, its replacement. Keeps the entry's remaining lifetime.
_REPLACE = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
local ttl = redis.call('PTTL', KEYS[1])
if ttl > 0 then redis.call('SET', KEYS[1], ARGV[2], 'PX', ttl) end
return 1
"""


def _dump(model: Any) -> dict[str, Any]:
    return model.model_dump(mode="json", by_alias=True)


def continue_watching(conn: Any, user_id: UUID) -> list[dict[str, Any]]:
    from chalicelib.tracking import progress

    return [_dump(item) for item in progress.continue_watching(conn, user_id).items[:LIMIT]]


def watch_later(conn: Any, user_id: UUID) -> list[dict[str, Any]]:
    from chalicelib.tracking import watchlist

    # The list endpoint's rows and cards, without its total (a count the dashboard never shows).
    rows = db.queries().tracking_watch_later_list(conn, user_id=user_id, media_type=None, limit=LIMIT, offset=0)
    return [_dump(watchlist._watch_later_item(row)) for row in rows]


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
    found = calendar.events(user_id, CalendarFilters(), today, today + timedelta(days=UPCOMING_DAYS), conn)
    return found[:LIMIT]


def _discover(conn: Any, user_id: UUID, memo: dict[str, Any]) -> dict[str, Any]:
    # Two widgets read the catalog rows (trending, from people you follow): one statement per build.
    if "discover" not in memo:
        memo["discover"] = db.queries().dashboard_discover(conn, user_id=user_id, limit=LIMIT)
    return memo["discover"]


def trending(conn: Any, user_id: UUID, memo: dict[str, Any]) -> list[dict[str, Any]]:
    from chalicelib.catalog.service import summary

    return [_dump(summary(row)) for row in _discover(conn, user_id, memo)["trending"]]


def from_people_you_follow(conn: Any, user_id: UUID, memo: dict[str, Any]) -> list[dict[str, Any]]:
    """Titles of people the user follows, newest release first, without what they watched or dismissed."""
    from chalicelib.catalog.service import summary

    return [{"media": _dump(summary(row)), "people": row["people"]}
            for row in _discover(conn, user_id, memo)["from_people"]]


def recently_watched(conn: Any, user_id: UUID) -> list[dict[str, Any]]:
    from chalicelib.tracking import history

    # The history endpoint's first page, without its total.
    rows = db.queries().tracking_history_list(conn, user_id=user_id, media_type=None, media_id=None, since=None,
                                              until=None, limit=LIMIT, offset=0)
    return [_dump(history._entry(row)) for row in rows]


SOURCES: dict[str, Callable[..., list[dict[str, Any]]]] = {
    "continue_watching": continue_watching, "watch_later": watch_later, "game_backlog": game_backlog,
    "recently_played_games": recently_played_games, "active_downloads": active_downloads,
    "recommendations": recommendations, "upcoming_releases": upcoming_releases, "trending": trending,
    "recently_watched": recently_watched, "from_people_you_follow": from_people_you_follow,
}
MEMO_SOURCES = {"game_backlog", "recently_played_games", "trending", "from_people_you_follow"}


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
    """Every widget by its Python name, built now (one connection; each source a fixed number of statements)."""
    memo: dict[str, Any] = {}
    with db.connection() as conn:
        return {name: _widget(name, conn, user_id, memo) for name in SOURCES}


def _pack(text: str, widgets: dict[str, Any]) -> bytes:
    """The cache entry: a header saying when running downloads need fresh telemetry (0: never), then the JSON."""
    running = any(job["status"] != "queued" for job in widgets["active_downloads"]["items"])
    due = clock.timestamp() + LIVE_SECONDS if running else 0.0
    return HEADER + f"{due:.3f}\n".encode() + text.encode()


def _unpack(raw: bytes | None) -> tuple[float, bytes] | None:
    """(live due, JSON) of an entry; None for a missing or foreign value (rebuilt and overwritten)."""
    if raw is None or not raw.startswith(HEADER):
        return None
    head, _, body = raw.partition(b"\n")
    try:
        return float(head[len(HEADER):]), body
    except ValueError:
        return None


def _refreshed(key: str, raw: bytes, body: bytes) -> str:
    """A cached dashboard with the newest telemetry merged in, written back unless it changed meanwhile."""
    data = json.loads(body)
    data["activeDownloads"] = refresh_live(data["activeDownloads"])
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    if data["activeDownloads"]["error"] is None:
        entry = _pack(text, {"active_downloads": data["activeDownloads"]})
        cache._guard("set", lambda: cache.get_redis().eval(_REPLACE, 1, key, raw, entry), None)
    return text


def dashboard(user_id: UUID) -> str:
    """The dashboard as JSON text, read through ``Keys.dashboard`` (2 min; the tracking/downloads/recs writes
    invalidate it). Warm: one GET, the cached text returned as is. A degraded build is served but not cached.
    """
    key = cache.Keys.dashboard(user_id)
    raw = cache._guard("get", lambda: cache.get_redis().get(key), None)
    entry = _unpack(raw)
    if entry is not None:
        due, body = entry
        if not due or clock.timestamp() < due:
            return body.decode()
        return _refreshed(key, raw, body)
    widgets = build(user_id)
    text = Dashboard.model_validate(widgets).model_dump_json(by_alias=True)
    if not any(widget["error"] for widget in widgets.values()):
        entry_bytes = _pack(text, widgets)
        cache._guard("set", lambda: cache.get_redis().set(key, entry_bytes, ex=cache.Ttl.DASHBOARD), None)
    return text
