"""Engagement events: one title view or collection click per user, day and target (7-day window).

A repeat view the same day costs no SQL: a Redis ``SET NX`` key per user, day
and title answers "already counted" first. The key only saves work; when
Redis is down the INSERT runs anyway and its ``ON CONFLICT DO NOTHING`` keeps
the count right. Rows older than ``RETENTION_DAYS`` are purged by the daily
cleanup (``purge``). Discover orders curated collections by these counts and
the ``popular_here`` sort ranks titles by views (both through the discover
cache, so they lag by its TTL).
"""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

from chalicelib import cache, clock, db
from chalicelib.db import Conn
from chalicelib.engagement import queries
from chalicelib.errors import NotFound, ValidationFailed
from chalicelib.logs import get_logger
from chalicelib.profiles import guard as content_guard

RETENTION_DAYS = 7
DEDUPE_TTL = 2 * 24 * 3600  # outlives the day it is for, whatever the time zone


class SectionNotFound(NotFound):
    code = "section_not_found"


def dedupe_key(kind: str, day: date, user_id: UUID | str, target: int) -> str:
    return f"{cache.PREFIX}:engagement:{kind}:{day.isoformat()}:{user_id}:{target}"


def _first_today(key: str) -> bool:
    """True unless Redis says this event was already counted today (Redis down: True, the SQL dedupes)."""
    if not cache.available():
        return True
    import redis  # lazy: ~100 ms of import, loaded by cache.get_redis only when the cache is on

    try:
        return bool(cache.get_redis().set(key, b"1", nx=True, ex=DEDUPE_TTL))
    except (redis.RedisError, OSError) as exc:
        get_logger().warning("engagement dedupe unavailable, inserting", extra={
            "action": "engagement_dedupe_unavailable", "error": type(exc).__name__})
        return True


def log_view(user_id: UUID | str, media_id: int) -> bool:
    """Count a title view (once per user and day); True when this call recorded it. Never raises on
    a title that vanished meanwhile: a view is not worth an error page."""
    day = clock.now().date()
    if not _first_today(dedupe_key("view", day, user_id, media_id)):
        return False
    with db.connection() as conn:
        return queries.log(conn, day=day, user_id=user_id, kind="title_view", media_id=media_id, section_id=None)


def log_click(user_id: UUID | str, section_key: str, media_id: int | None, principal: object = None) -> None:
    """Count a click on a discover row (and a view of the title opened from it; a title out of a kid
    profile's reach is as unknown as one that does not exist)."""
    with db.connection() as conn:
        section_id = queries.section_id(conn, key=section_key)
        if section_id is None:
            raise SectionNotFound(f"No discover row {section_key!r}")
        if media_id is not None and not (queries.media_exists(conn, media_id=media_id)
                                         and content_guard.media_allowed(conn, principal, media_id)):
            raise ValidationFailed("No such title", fields={"mediaId": "not found"})
    day = clock.now().date()
    if _first_today(dedupe_key("click", day, user_id, section_id)):
        with db.connection() as conn:
            queries.log(conn, day=day, user_id=user_id, kind="collection_click", media_id=None,
                        section_id=section_id)
    if media_id is not None:
        log_view(user_id, media_id)


def purge(conn: Conn, today: date) -> int:
    """Delete events older than the window; returns how many (a cleanup step)."""
    return queries.purge(conn, before=today - timedelta(days=RETENTION_DAYS - 1))
