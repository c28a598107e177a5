"""Redis/Dragonfly cache: the key contract, read-through and invalidation.

The cache only ever speeds reads up. Every operation tolerates Redis being
down: the error is logged as a warning and the caller's loader (Postgres)
answers. After a failure the client backs off for a few seconds instead of
paying a connect timeout on every request.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from chalicelib.config import get_settings
from chalicelib.logs import get_logger

T = TypeVar("T")

PREFIX = "seen:v1"
BACKOFF_SECONDS = 5.0


class Ttl:
    """Time to live in seconds for each kind of key (DESIGN.md)."""

    DISCOVER = 10 * 60
    DASHBOARD = 2 * 60
    CONTINUE_WATCHING = 2 * 60
    RECOMMENDATIONS = 30 * 60
    CALENDAR = 6 * 60 * 60
    TMDB = 6 * 60 * 60
    HEALTH = 15  # a readiness check's success (health.service: AWS components)


def query_hash(value: Any) -> str:
    """A short stable hash of a query (dicts hash the same whatever their order)."""
    raw = json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


class Keys:
    """The cache key contract. Every key /seen/ writes is built here."""

    @staticmethod
    def discover(query: Any) -> str:
        return f"{PREFIX}:discover:{query_hash(query)}"

    @staticmethod
    def discover_pattern() -> str:
        return f"{PREFIX}:discover:*"

    @staticmethod
    def dashboard(user_id: Any) -> str:
        return f"{PREFIX}:dashboard:{user_id}"

    @staticmethod
    def continue_watching(user_id: Any) -> str:
        return f"{PREFIX}:continue-watching:{user_id}"

    @staticmethod
    def recommendations(user_id: Any) -> str:
        return f"{PREFIX}:recommendations:{user_id}"

    @staticmethod
    def calendar(user_id: Any, month: str) -> str:
        # v4: events carry airAt, stills, backdrops, channels and ownedOn; an older shape is not read.
        return f"{PREFIX}:calendar:{user_id}:v4:{month}"

    @staticmethod
    def calendar_pattern(user_id: Any) -> str:
        return f"{PREFIX}:calendar:{user_id}:*"

    @staticmethod
    def calendar_all_pattern() -> str:
        return f"{PREFIX}:calendar:*"

    @staticmethod
    def tmdb(path_and_params: Any) -> str:
        return f"{PREFIX}:tmdb:{query_hash(path_and_params)}"

    @staticmethod
    def tvdb_series(show_key: str) -> str:
        """TheTVDB's record of a show (air times), by its catalog key ("show:tmdb:1396")."""
        return f"{PREFIX}:tvdb:{show_key}"

    @staticmethod
    def jikan(path_and_params: Any) -> str:
        """One Jikan (MyAnimeList) answer, by path and parameters."""
        return f"{PREFIX}:jikan:{query_hash(path_and_params)}"

    @staticmethod
    def anime_mapping(media_id: int) -> str:
        """A show's anime numbering (MAL seasons, TMDB's absolute group), or that it has none."""
        return f"{PREFIX}:anime:{media_id}"

    @staticmethod
    def ratelimit(bucket: str, subject: Any) -> str:
        return f"{PREFIX}:ratelimit:{bucket}:{subject}"

    @staticmethod
    def health(component: str) -> str:
        return f"{PREFIX}:health:{component}"

    @staticmethod
    def metric_bucket(name: str, seconds: int, slot: int) -> str:
        """One metric's sums over one minute (seconds=60) or hour (3600); ``slot`` = epoch // seconds."""
        return f"{PREFIX}:metrics:{name}:{seconds}:{slot}"


_client = None
_client_lock = threading.Lock()
_down_until = 0.0


def get_redis():
    """The process's Redis client (lazy; connections are made on first command)."""
    global _client
    if _client is None:
        with _client_lock:
            if _client is None:
                import redis  # lazy: redis is a slow import; a cold start that skips the cache skips it

                settings = get_settings()
                _client = redis.Redis.from_url(
                    settings.redis_url,
                    socket_timeout=settings.redis_timeout,
                    socket_connect_timeout=settings.redis_timeout,
                    health_check_interval=30,
                )
    return _client


def reset() -> None:
    global _client, _down_until
    with _client_lock:
        if _client is not None:
            _client.close()
        _client = None
        _down_until = 0.0


def available() -> bool:
    return time.monotonic() >= _down_until


def _failed(action: str, exc: Exception) -> None:
    global _down_until
    _down_until = time.monotonic() + BACKOFF_SECONDS
    get_logger().warning(
        "cache unavailable, serving from the database",
        extra={"action": "cache_unavailable", "operation": action, "error": type(exc).__name__},
    )


def _guard(action: str, fn: Callable[[], T], default: T) -> T:
    if not available():
        return default
    import redis  # lazy: redis is a slow import; a cold start that skips the cache skips it

    try:
        return fn()
    except (redis.RedisError, OSError) as exc:
        _failed(action, exc)
        return default


def get_json(key: str) -> Any | None:
    raw = _guard("get", lambda: get_redis().get(key), None)
    return None if raw is None else json.loads(raw)


def set_json(key: str, value: Any, ttl: int) -> None:
    payload = json.dumps(value, separators=(",", ":"), default=str)
    _guard("set", lambda: get_redis().set(key, payload, ex=ttl), None)


def read_through(key: str, ttl: int, loader: Callable[[], T]) -> T:
    """Return the cached JSON value for ``key``, or load, cache and return it."""
    cached = get_json(key)
    if cached is not None:
        return cached
    value = loader()
    set_json(key, value, ttl)
    return value


def invalidate(*keys: str) -> None:
    if keys:
        _guard("delete", lambda: get_redis().delete(*keys), 0)


def invalidate_pattern(pattern: str) -> None:
    """Delete every key matching ``pattern`` (SCAN, never KEYS, so Redis stays responsive)."""

    def run() -> int:
        client = get_redis()
        batch: list[bytes] = []
        deleted = 0
        for key in client.scan_iter(match=pattern, count=500):
            batch.append(key)
            if len(batch) >= 500:
                deleted += client.unlink(*batch)
                batch.clear()
        if batch:
            deleted += client.unlink(*batch)
        return deleted

    _guard("delete_pattern", run, 0)


def ping() -> None:
    """Raise when Redis does not answer (used by the readiness check)."""
    get_redis().ping()


# Invalidation rules from the key contract: one function per kind of write.


def on_watch_later_changed(user_id: Any) -> None:
    invalidate(Keys.dashboard(user_id), Keys.recommendations(user_id))
    invalidate_pattern(Keys.calendar_pattern(user_id))


def on_progress_changed(user_id: Any) -> None:
    invalidate(Keys.continue_watching(user_id), Keys.dashboard(user_id))


def on_taste_changed(user_id: Any) -> None:
    """A rating, watch, favorite or dismissal changes what we recommend."""
    invalidate(Keys.recommendations(user_id), Keys.dashboard(user_id))


def on_follows_changed(user_id: Any) -> None:
    invalidate_pattern(Keys.calendar_pattern(user_id))
    invalidate(Keys.dashboard(user_id))


def on_collections_changed(user_id: Any) -> None:
    """Collections show on the dashboard only; they do not change taste or continue watching."""
    invalidate(Keys.dashboard(user_id))


def on_snapshot_written(user_id: Any) -> None:
    invalidate(Keys.recommendations(user_id), Keys.dashboard(user_id))


def on_catalog_synced() -> None:
    invalidate_pattern(Keys.discover_pattern())


def on_calendar_filled() -> None:
    """New release dates reach every user's calendar months (the dashboard shows upcoming ones)."""
    invalidate_pattern(Keys.calendar_all_pattern())


def on_channel_videos(user_ids: Any) -> None:
    """New videos reach their followers' calendars and dashboards ("New from channels")."""
    for user_id in user_ids:
        on_follows_changed(user_id)


def on_media_server_synced() -> None:
    """Owned airing shows are followed by default: what a media server holds changes everyone's calendar."""
    invalidate_pattern(Keys.calendar_all_pattern())
