"""Jikan API v4 (an unofficial, keyless MyAnimeList API): search, an entry with its relations, its episodes.

Jikan publishes its limits as 3 requests per second and 60 per minute. One process-wide token bucket (1 per
second on average, bursts of 2: with the next refill never more than 3 in any second) keeps under both, and
a 429 (with ``Retry-After``) is retried by ``upstream.request`` like TMDB's. Answers are cached in Redis
(``cache.Keys.jikan``) for a day: a sequel chain walked again (another show of the franchise) costs nothing
upstream.
"""

from __future__ import annotations

from typing import Any

import httpx

from chalicelib import cache, jsondepth
from chalicelib.catalog import upstream
from chalicelib.catalog.records import Json
from chalicelib.config import CatalogSettings

SERVICE = "jikan"
RATE_PER_SECOND = 1.0  # 60 a minute
BURST = 2.0  # a burst of 3 plus the token refilled a second later would be 4 in one second
TTL = 24 * 3600
MAX_EPISODE_PAGES = 20  # 100 episodes a page: 2000 episodes is more than any TV anime has
USER_AGENT = "seen/1 (+jikan)"

_limiter = upstream.TokenBucket(RATE_PER_SECOND, BURST)


def limiter() -> upstream.TokenBucket:
    """The process-wide bucket every Jikan client shares."""
    return _limiter


class JikanClient:
    """``search``, ``full`` and ``episodes``, or ``UpstreamError`` (``UpstreamNotConfigured`` when turned off)."""

    def __init__(self, settings: CatalogSettings, http: httpx.Client | None = None):
        if not settings.jikan_base_url:
            raise upstream.UpstreamNotConfigured(SERVICE, "JIKAN_BASE_URL is empty: anime lookups are off")
        self.base_url = settings.jikan_base_url
        self.settings = settings
        self._http = http or httpx.Client(timeout=settings.http_timeout, follow_redirects=False, trust_env=False)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> JikanClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def search(self, title: str, limit: int = 10) -> list[Json]:
        """``GET /anime?q=&type=tv``: TV entries whose titles match, best first (Jikan's order)."""
        data = self._get("/anime", {"q": title[:200], "type": "tv", "limit": limit, "sfw": "true"})
        return [e for e in (data or {}).get("data") or () if isinstance(e, dict) and isinstance(e.get("mal_id"), int)]

    def full(self, mal_id: int) -> Json | None:
        """``GET /anime/{id}/full``: the entry with its ``relations``; None when MAL has no such id."""
        data = self._get(f"/anime/{mal_id}/full")
        entry = (data or {}).get("data")
        return entry if isinstance(entry, dict) else None

    def episodes(self, mal_id: int) -> list[Json]:
        """Every page of ``GET /anime/{id}/episodes`` (``pagination.has_next_page``), in order."""
        found: list[Json] = []
        for page in range(1, MAX_EPISODE_PAGES + 1):
            data = self._get(f"/anime/{mal_id}/episodes", {"page": page}) or {}
            found.extend(e for e in data.get("data") or () if isinstance(e, dict))
            if not (data.get("pagination") or {}).get("has_next_page"):
                break
        return found

    def _get(self, path: str, params: dict[str, Any] | None = None) -> Json | None:
        key = cache.Keys.jikan({"base": self.base_url, "path": path, "params": params or {}})
        cached = cache.get_json(key)
        if cached is not None:
            return cached
        try:
            response = upstream.request(
                self._http, "GET", self.base_url + path, params=params, service=SERVICE, limiter=_limiter,
                retries=self.settings.retries, backoff=self.settings.backoff_base,
                max_retry_after=self.settings.max_retry_after,
                headers={"Accept": "application/json", "User-Agent": USER_AGENT})
        except upstream.UpstreamError as exc:
            if exc.status == 404:
                return None
            raise
        try:
            data = jsondepth.loads(response.content)
        except ValueError:
            raise upstream.UpstreamError(SERVICE, f"invalid JSON on {path}") from None
        if not isinstance(data, dict):
            raise upstream.UpstreamError(SERVICE, f"no object on {path}")
        cache.set_json(key, data, TTL)
        return data
