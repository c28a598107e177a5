"""What the TMDB and IGDB clients share: a token bucket and a retrying request.

Retries follow the upstreams' documented behaviour: a 429 carries
``Retry-After`` (seconds) and is retried after that long; 5xx answers and
connection errors are retried with exponential backoff; other 4xx answers are
final. Log lines name the service and the path, never the query string (TMDB
v3 keys travel there).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from chalicelib.logs import get_logger


class UpstreamError(Exception):
    """TMDB/IGDB could not answer (after retries) or answered with an error status."""

    def __init__(self, service: str, message: str, status: int | None = None):
        super().__init__(f"{service}: {message}")
        self.service = service
        self.status = status


class UpstreamNotConfigured(UpstreamError):
    """No credentials for this upstream: callers record ``skipped`` or serve what is stored."""


class TokenBucket:
    """At most ``rate`` calls per second on average, bursts up to ``capacity``.

    ``acquire`` reserves a token and sleeps outside the lock until it is due,
    so concurrent callers queue fairly instead of spinning.
    """

    def __init__(self, rate: float, capacity: float | None = None, *,
                 clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep):
        self.rate = rate
        self.capacity = capacity if capacity is not None else max(1.0, rate)
        self._tokens = self.capacity
        self._clock = clock
        self._sleep = sleep
        self._updated = clock()
        self._lock = threading.Lock()

    def acquire(self) -> float:
        """Take one token, waiting if needed; returns the seconds waited."""
        with self._lock:
            now = self._clock()
            self._tokens = min(self.capacity, self._tokens + (now - self._updated) * self.rate)
            self._updated = now
            self._tokens -= 1
            wait = -self._tokens / self.rate if self._tokens < 0 else 0.0
        if wait > 0:
            self._sleep(wait)
        return wait


_buckets: dict[str, TokenBucket] = {}
_buckets_lock = threading.Lock()


def bucket(service: str, rate: float) -> TokenBucket:
    """The process-wide bucket for ``service`` (every client instance shares it)."""
    with _buckets_lock:
        current = _buckets.get(service)
        if current is None or current.rate != rate:
            current = _buckets[service] = TokenBucket(rate)
        return current


def retry_after_seconds(response: httpx.Response, default: float) -> float:
    """``Retry-After`` as seconds (delta-seconds or an HTTP date), else ``default``."""
    raw = response.headers.get("Retry-After")
    if not raw:
        return default
    try:
        return max(0.0, float(raw))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(raw).timestamp() - time.time())
    except (TypeError, ValueError):
        return default


def request(http: httpx.Client, method: str, url: str, *, service: str, limiter: TokenBucket, retries: int,
            backoff: float, max_retry_after: float, sleep: Callable[[float], None] = time.sleep,
            **kwargs: Any) -> httpx.Response:
    """Send one request with rate limiting and retries; raise ``UpstreamError`` when it cannot succeed."""
    path = httpx.URL(url).path
    for attempt in range(retries + 1):
        limiter.acquire()
        last = attempt == retries
        try:
            response = http.request(method, url, **kwargs)
        except httpx.TransportError as exc:
            if last:
                raise UpstreamError(service, f"{type(exc).__name__} on {path}") from None
            _retrying(service, path, attempt, None, backoff * 2**attempt, sleep)
            continue
        status = response.status_code
        if status == 429:
            wait = retry_after_seconds(response, backoff * 2**attempt)
            if last or wait > max_retry_after:
                raise UpstreamError(service, f"rate limited on {path} (retry after {wait:.0f}s)", 429)
            _retrying(service, path, attempt, status, wait, sleep)
            continue
        if status >= 500:
            if last:
                raise UpstreamError(service, f"HTTP {status} on {path}", status)
            _retrying(service, path, attempt, status, backoff * 2**attempt, sleep)
            continue
        if status >= 400:
            raise UpstreamError(service, f"HTTP {status} on {path}", status)
        return response
    raise UpstreamError(service, f"no answer on {path}")  # pragma: no cover - the loop always returns or raises


def _retrying(service: str, path: str, attempt: int, status: int | None, wait: float,
              sleep: Callable[[float], None]) -> None:
    get_logger().warning("upstream request failed, retrying", extra={
        "action": "upstream_retry", "upstream": service, "path": path, "attempt": attempt + 1,
        "status": status, "wait_s": round(wait, 3)})
    sleep(wait)
