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
from collections.abc import Callable, Mapping, Sequence
from datetime import timedelta
from typing import TypedDict
from uuid import UUID

from pydantic import BaseModel

from chalicelib import cache, clock, db
from chalicelib.calendar import service as calendar
from chalicelib.calendar.models import CalendarFilters
from chalicelib.catalog.service import summary
from chalicelib.channels import videos as channels
from chalicelib.contentrating import Limit
from chalicelib.dashboard import queries
from chalicelib.dashboard.models import Dashboard
from chalicelib.dashboard.queries import DiscoverRow
from chalicelib.db import Conn
from chalicelib.downloads import titles
from chalicelib.downloads.models import Download
from chalicelib.logs import get_logger
from chalicelib.recommendations.service import snapshot_rows
from chalicelib.tracking import backlog, history, progress, watchlist
from chalicelib.tracking import queries as tracking
from chalicelib.tracking.schemas import Backlog

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


JsonObject = dict[str, object]
Items = Sequence[Mapping[str, object]]


class Widget(TypedDict):
    items: Items
    error: str | None


class _Memo(TypedDict, total=False):
    """What two widgets share, read once per build, and the build's kid-profile limit (absent: an adult)."""

    backlog: Backlog
    discover: DiscoverRow
    limit: Limit


def _dump(model: BaseModel) -> JsonObject:
    return model.model_dump(mode="json", by_alias=True)


def continue_watching(conn: Conn, user_id: UUID) -> list[JsonObject]:
    return [_dump(item) for item in progress.continue_watching(conn, user_id).items[:LIMIT]]


def watch_later(conn: Conn, user_id: UUID) -> list[JsonObject]:
    # The list endpoint's rows and cards, without its total (a count the dashboard never shows).
    rows = tracking.watch_later_list(conn, user_id=user_id, media_type=None, limit=LIMIT, offset=0)
    return [_dump(watchlist._watch_later_item(row)) for row in rows]


def _backlog(conn: Conn, user_id: UUID, memo: _Memo) -> Backlog:
    # Two widgets read the backlog: load it once per build.
    if "backlog" not in memo:
        memo["backlog"] = backlog.backlog(conn, user_id)
    return memo["backlog"]


def game_backlog(conn: Conn, user_id: UUID, memo: _Memo) -> list[JsonObject]:
    found = _backlog(conn, user_id, memo)
    return [_dump(entry) for entry in (found.active + found.paused + found.wishlist)[:LIMIT]]


def recently_played_games(conn: Conn, user_id: UUID, memo: _Memo) -> list[JsonObject]:
    found = _backlog(conn, user_id, memo)
    played = [(e.last_played_at, e) for group in (found.active, found.paused, found.completed, found.dropped)
              for e in group if e.last_played_at is not None]
    played.sort(key=lambda pair: pair[0], reverse=True)
    return [_dump(entry) for _, entry in played[:LIMIT]]


def active_downloads(conn: Conn, user_id: UUID, memo: _Memo) -> list[JsonObject]:
    from chalicelib.telemetry import DownloadTelemetry  # lazy: pynamodb models, only while downloads run

    if "limit" in memo:  # a kid profile cannot reach Downloads
        return []
    rows = queries.active_downloads(conn, user_id=user_id, limit=LIMIT)
    running = sorted(str(r["id"]) for r in rows if r["status"] != "queued")
    # Unlike the downloads list, a telemetry failure raises here: the widget says "unavailable".
    live = {item.job_id: item for item in DownloadTelemetry.batch_get(running)} if running else {}
    jobs = []
    for row in rows:
        item = live.get(str(row["id"]))
        usable = item is not None and int(item.attempt or 0) == row["attempt"]
        job = Download.from_row(dict(row), item if usable else None)
        jobs.append(_dump(titles.titled(job, row["title_media"], row["title_parsed"])))
    return jobs


def refresh_live(widget: Widget) -> Widget:
    """A cached active-downloads widget with the newest telemetry merged in ("unavailable" when DynamoDB fails)."""
    from chalicelib.downloads.live import DYNAMO_ERRORS  # lazy: botocore's errors, only for a live merge
    from chalicelib.telemetry import DownloadTelemetry  # lazy: pynamodb models, only for a live merge

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


def recommendations(conn: Conn, user_id: UUID, memo: _Memo) -> list[JsonObject]:
    """The newest snapshot's items, recomputed first when the user's taste changed since it was made (a rating,
    a watch or a dismissal shows here on the next view, as on the recommendations page)."""
    rows = snapshot_rows(conn, user_id, memo.get("limit"))
    return [{"media": _dump(summary(row)), "score": row["item"]["score"], "reasons": row["item"]["reasons"]}
            for row in rows if row["id"] is not None][:LIMIT]


def upcoming_releases(conn: Conn, user_id: UUID, memo: _Memo) -> Items:
    today = clock.now().date()
    found = calendar.events(user_id, CalendarFilters(), today, today + timedelta(days=UPCOMING_DAYS), conn,
                            memo.get("limit"))
    return found[:LIMIT]


def _discover(conn: Conn, user_id: UUID, memo: _Memo) -> DiscoverRow:
    # Two widgets read the catalog rows (trending, from people you follow): one statement per build.
    if "discover" not in memo:
        memo["discover"] = queries.discover(conn, user_id=user_id, size=LIMIT, limit=memo.get("limit"))
    return memo["discover"]


def trending(conn: Conn, user_id: UUID, memo: _Memo) -> list[JsonObject]:
    return [_dump(summary(row)) for row in _discover(conn, user_id, memo)["trending"]]


def from_people_you_follow(conn: Conn, user_id: UUID, memo: _Memo) -> list[JsonObject]:
    """Titles of people the user follows, newest release first, without what they watched or dismissed."""

    return [{"media": _dump(summary(row)), "people": row["people"]}
            for row in _discover(conn, user_id, memo)["from_people"]]


def recently_watched(conn: Conn, user_id: UUID) -> list[JsonObject]:
    # The history endpoint's first page, without its total.
    rows = tracking.history_list(conn, user_id=user_id, media_type=None, media_id=None, since=None, until=None,
                                 limit=LIMIT, offset=0)
    return [_dump(history._entry(row)) for row in rows]


def new_from_channels(conn: Conn, user_id: UUID, memo: _Memo) -> list[JsonObject]:
    if "limit" in memo:  # a kid profile: YouTube videos carry no content rating (and channels are adult-only)
        return []
    return [_dump(video) for video in channels.new_videos(conn, user_id)]


SOURCES: dict[str, Callable[..., Items]] = {
    "continue_watching": continue_watching, "watch_later": watch_later, "game_backlog": game_backlog,
    "recently_played_games": recently_played_games, "active_downloads": active_downloads,
    "recommendations": recommendations, "upcoming_releases": upcoming_releases, "trending": trending,
    "recently_watched": recently_watched, "from_people_you_follow": from_people_you_follow,
    "new_from_channels": new_from_channels,
}
MEMO_SOURCES = {"game_backlog", "recently_played_games", "trending", "from_people_you_follow", "active_downloads",
                "recommendations", "upcoming_releases", "new_from_channels"}


def _widget(name: str, conn: Conn, user_id: UUID, memo: _Memo) -> Widget:
    source = SOURCES[name]
    try:
        items = source(conn, user_id, memo) if name in MEMO_SOURCES else source(conn, user_id)
        return {"items": items, "error": None}
    except Exception as exc:  # one failing source degrades its widget only
        get_logger().warning("dashboard widget unavailable", extra={
            "action": "dashboard_widget_unavailable", "widget": name, "error": type(exc).__name__})
        return {"items": [], "error": "unavailable"}


def build(user_id: UUID, limit: Limit | None = None) -> dict[str, Widget]:
    """Every widget by its Python name, built now (one connection; each source a fixed number of statements);
    a kid profile's ``limit`` filters the catalog widgets (trending, people, recommendations, upcoming)."""
    memo: _Memo = {} if limit is None else {"limit": limit}
    with db.connection() as conn:
        return {name: _widget(name, conn, user_id, memo) for name in SOURCES}


def _pack(text: str, widgets: Mapping[str, Widget]) -> bytes:
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


def dashboard(user_id: UUID, limit: Limit | None = None) -> str:
    """The dashboard as JSON text, read through ``Keys.dashboard`` (2 min; the tracking/downloads/recs writes
    invalidate it). Warm: one GET, the cached text returned as is. A degraded build is served but not cached.
    A kid profile's (``limit``) is built each time: the key is the user's, and a kid must never be served an
    unfiltered entry.
    """
    if limit is not None:
        return Dashboard.model_validate(build(user_id, limit)).model_dump_json(by_alias=True)
    key = cache.Keys.dashboard(user_id)
    raw = cache._guard("get", lambda: cache.get_redis().get(key), None)
    entry = _unpack(raw) if isinstance(raw, bytes) else None  # the client answers bytes (no decoding)
    if isinstance(raw, bytes) and entry is not None:
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
