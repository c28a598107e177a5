"""The one rate limiter: a sliding-window log per (bucket, subject) in Redis.

Each hit is a member of a sorted set scored by its time; one Lua script drops
the hits older than the window, counts the rest and records the new hit only
if it is allowed, so the check-and-record is atomic across processes. Time
comes from ``chalicelib.clock`` (not Redis's clock) so tests move it forward.

``in_flight`` is the other kind of limit: how many requests of one user this process runs at once (in
memory, per process), checked by the endpoint decorator for every signed-in request.

When Redis cannot be reached the limiter *fails open* (the request goes on, a
warning is logged) unless the caller asks for ``fail_closed=True`` (login,
register): then it answers 503 ``rate_limiter_unavailable``, because an
unlimited password-guessing endpoint is worse than a short outage.
"""

from __future__ import annotations

import hashlib
import math
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from chalicelib import cache, clock, errors
from chalicelib.cache import Keys
from chalicelib.config import RateLimit
from chalicelib.logs import get_logger

# KEYS[1] = the window's sorted set; ARGV = now_ms, window_ms, limit, member.
# Returns {allowed (0|1), retry_after_ms}.
_SCRIPT = """
local key = KEYS[1]
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
if redis.call('ZCARD', key) < limit then
  redis.call('ZADD', key, now, ARGV[4])
  redis.call('PEXPIRE', key, window)
  return {1, 0}
end
local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
return {0, tonumber(oldest[2]) + window - now}
"""

# Failures counted apart from attempts: KEYS[1]; ARGV = now_ms, window_ms.
# Returns {count, oldest_ms, newest_ms} of the hits still in the window (0s when none).
_PEEK = """
local key = KEYS[1]
local now = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - tonumber(ARGV[2]))
local n = redis.call('ZCARD', key)
if n == 0 then return {0, 0, 0} end
local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
local newest = redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')
return {n, tonumber(oldest[2]), tonumber(newest[2])}
"""


# Per user: a player polls a stream that cannot play yet once per Retry-After (1 s at the soonest); 30 in 10 s
# is a household's few players at once, and 100 players of one user (issue 58) are answered 429 before the
# database or the job's telemetry is read.
STREAM_POLLS = RateLimit(30, 10)


class LimiterUnavailable(errors.ServiceUnavailable):
    code = "rate_limiter_unavailable"


class TooManyInFlight(errors.RateLimited):
    code = "too_many_in_flight"


_in_flight: dict[object, int] = {}
_in_flight_lock = threading.Lock()


def subject_hash(value: str) -> str:
    """A stable opaque subject for values that should not sit in Redis in clear (e-mails)."""
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def check(bucket: str, subject: object, limit: int, window_seconds: int, *, fail_closed: bool = False) -> None:
    """Record one hit for ``subject`` in ``bucket``; raise ``errors.RateLimited`` past ``limit``.

    ``errors.RateLimited`` carries ``retry_after`` (seconds until the oldest hit
    in the window expires), which the HTTP edge sends as ``Retry-After``.
    """
    import redis  # lazy: redis is a slow import; loaded with the first limit checked

    key = Keys.ratelimit(bucket, subject)
    now_ms = int(clock.timestamp() * 1000)
    member = f"{now_ms}-{secrets.token_hex(4)}"
    try:
        allowed, retry_ms = cache.get_redis().eval(_SCRIPT, 1, key, now_ms, window_seconds * 1000, limit, member)
    except (redis.RedisError, OSError) as exc:
        _unavailable(bucket, exc, fail_closed)
        return
    if not allowed:
        retry_after = max(1, math.ceil(int(retry_ms) / 1000))
        get_logger().info("rate limited", extra={"action": "rate_limited", "bucket": bucket,
                                                  "retry_after": retry_after})
        raise errors.RateLimited("Too many requests; try again later", retry_after=retry_after)


@dataclass(frozen=True)
class Window:
    """The hits of one subject still inside a window (times in epoch seconds; 0 when empty)."""

    count: int
    oldest: float
    newest: float


def _unavailable(bucket: str, exc: Exception, fail_closed: bool) -> None:
    get_logger().warning("rate limiter unavailable", extra={
        "action": "ratelimit_unavailable", "bucket": bucket, "fail_closed": fail_closed,
        "error": type(exc).__name__})
    if fail_closed:
        raise LimiterUnavailable("Too many requests cannot be ruled out right now; try again shortly") from None


def peek(bucket: str, subject: object, window_seconds: int) -> Window:
    """The hits of ``subject`` in ``bucket`` within the window, recording none (fails closed)."""
    import redis  # lazy: redis is a slow import; loaded with the first limit checked

    now_ms = int(clock.timestamp() * 1000)
    try:
        count, oldest, newest = cache.get_redis().eval(_PEEK, 1, Keys.ratelimit(bucket, subject), now_ms,
                                                       window_seconds * 1000)
    except (redis.RedisError, OSError) as exc:
        _unavailable(bucket, exc, True)
    return Window(int(count), int(oldest) / 1000, int(newest) / 1000)


def record(bucket: str, subject: object, window_seconds: int) -> None:
    """Add one hit for ``subject`` (e.g. a failed login), kept for the window; fails open with a warning."""
    import redis  # lazy: redis is a slow import; loaded with the first limit checked

    key = Keys.ratelimit(bucket, subject)
    now_ms = int(clock.timestamp() * 1000)
    try:
        client = cache.get_redis()
        client.zadd(key, {f"{now_ms}-{secrets.token_hex(4)}": now_ms})
        client.pexpire(key, window_seconds * 1000)
    except (redis.RedisError, OSError) as exc:
        _unavailable(bucket, exc, False)


def check_rate(bucket: str, subject: object, rate: RateLimit, *, fail_closed: bool = False) -> None:
    """``check`` with a configured ``RateLimit`` (limit and window)."""
    check(bucket, subject, rate.limit, rate.window, fail_closed=fail_closed)


def reset(bucket: str, subject: object) -> None:
    """Forget every hit of ``subject`` in ``bucket`` (e.g. after a successful login)."""
    cache.invalidate(Keys.ratelimit(bucket, subject))


def per_user(bucket: str, user_id: object, rate: RateLimit) -> None:
    """The general per-user limit for expensive routes (search); fails open."""
    check_rate(bucket, user_id, rate)


def stream_poll(principal: Any) -> None:
    """One ask for a stream (a library file's or a download's) by one of the account's players, which poll while
    the file cannot play. Past ``STREAM_POLLS`` the answer is 429 with a Retry-After of the whole window and up to
    a window more at random: the window's oldest hit frees a slot within a second, and a herd of players refused
    together and told the same time would all come back at once, queueing everyone's requests behind them."""
    try:
        check_rate("stream_polls", principal.account_id, STREAM_POLLS)
    except errors.RateLimited as exc:
        spread = STREAM_POLLS.window + secrets.randbelow(STREAM_POLLS.window + 1)
        raise errors.RateLimited(exc.message, retry_after=spread) from None


@contextmanager
def in_flight(user_id: object, limit: int) -> Iterator[None]:
    """Hold one of ``user_id``'s ``limit`` request slots in this process for the block; ``TooManyInFlight``
    (429, Retry-After 1) when they are all held. A gunicorn worker serves a few threads' worth of requests at
    once: a user whose calls wait (a media server that sends a byte every few seconds) could hold every one, and
    everyone else's requests would queue behind them. On Lambda a process runs one request: never refused."""
    with _in_flight_lock:
        held = _in_flight.get(user_id, 0)
        if held >= limit:
            raise TooManyInFlight("You have too many requests running at once; try again in a moment",
                                  retry_after=1)
        _in_flight[user_id] = held + 1
    try:
        yield
    finally:
        with _in_flight_lock:
            held = _in_flight.pop(user_id) - 1
            if held:
                _in_flight[user_id] = held
