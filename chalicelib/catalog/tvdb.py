"""TheTVDB API v4 client: a bearer token from ``POST /login``, then series records and remote-id searches.

TVDB authenticates with a token from ``POST /login`` (``{"apikey", "pin"}``; the PIN only for a
user-supported key, and left out otherwise, as TVDB asks). The token is valid for a month: it is kept in
this process's memory (never in Redis, the database or a log line) per key, and fetched again when a
request answers 401 (expired or revoked), once. Requests go through the egress guard's pinned client
and ``upstream.request`` (rate limit, retries on 429/5xx), so TVDB failures are ``UpstreamError`` like
TMDB's and IGDB's, and the caller decides what an outage means (``catalog.tvdb_airtimes``: nothing).
"""

from __future__ import annotations

import hashlib
import threading
import time
from typing import Any
from urllib.parse import quote

import httpx

from chalicelib import egress, jsondepth
from chalicelib.catalog import upstream
from chalicelib.catalog.records import Json
from chalicelib.config import CatalogSettings
from chalicelib.egress import clients

SERVICE = "tvdb"
TOKEN_LIFETIME = 25 * 24 * 3600  # TVDB says a month: log in again a little before
MAX_RETRIES = 1  # air times are a refinement: a sync never waits through a long retry series for them
USER_AGENT = "seen/1 (+tvdb)"

_tokens: dict[str, tuple[str, float]] = {}  # hash of (key, pin) -> (token, monotonic expiry)
_tokens_lock = threading.Lock()


def forget_tokens() -> None:
    """Drop cached tokens (tests, or after TVDB revoked one)."""
    with _tokens_lock:
        _tokens.clear()


class TvdbClient:
    """``series(id)`` and ``series_ids(remote_id)``, or ``UpstreamError``."""

    def __init__(self, settings: CatalogSettings, http: httpx.Client | None = None):
        if not settings.tvdb_enabled:
            raise upstream.UpstreamNotConfigured(SERVICE, "no TVDB key (admin settings or TVDB_API_KEY)")
        self.settings = settings
        self._http = http or clients.client(allow_private=settings.tvdb_allow_private, timeout=settings.tvdb_timeout)
        self._limiter = upstream.bucket(SERVICE, settings.tvdb_rate_per_second)
        secret = f"{settings.tvdb_api_key}\x00{settings.tvdb_pin or ''}"
        self._token_key = hashlib.sha256(secret.encode()).hexdigest()

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> TvdbClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def series(self, tvdb_id: int) -> Json | None:
        """``/series/{id}/extended?short=true`` (no characters, artwork or trailers); None when TVDB has no such id."""
        return self._data(f"/series/{tvdb_id}/extended", {"short": "true"})

    def series_ids(self, remote_id: str) -> list[int]:
        """The ids of the series ``/search/remoteid/{id}`` finds for an IMDb or TMDB id (other kinds left out)."""
        found = self._data(f"/search/remoteid/{quote(remote_id, safe='')}") or []
        series = [entry.get("series") for entry in found if isinstance(entry, dict)]
        return [s["id"] for s in series if isinstance(s, dict) and isinstance(s.get("id"), int)]

    def _data(self, path: str, params: dict[str, str] | None = None) -> Any:
        """The ``data`` of a GET, logging in again once when the token was refused; None on 404."""
        for attempt in (1, 2):
            token = self._token()
            try:
                response = self._send("GET", path, params=params, headers={"Authorization": f"Bearer {token}"})
            except upstream.UpstreamError as exc:
                if exc.status == 404:
                    return None
                if exc.status != 401 or attempt == 2:
                    raise
                self._forget_token()
                continue
            return _data(response, path)
        raise AssertionError("unreachable")

    def _token(self) -> str:
        with _tokens_lock:
            cached = _tokens.get(self._token_key)
            if cached and cached[1] > time.monotonic():
                return cached[0]
        body = {"apikey": self.settings.tvdb_api_key, **({"pin": self.settings.tvdb_pin} if self.settings.tvdb_pin
                                                        else {})}
        data = _data(self._send("POST", "/login", json=body), "/login")
        token = data.get("token") if isinstance(data, dict) else None
        if not isinstance(token, str) or not token:
            raise upstream.UpstreamError(SERVICE, "login answered without a token")
        with _tokens_lock:
            _tokens[self._token_key] = (token, time.monotonic() + TOKEN_LIFETIME)
        return token

    def _forget_token(self) -> None:
        with _tokens_lock:
            _tokens.pop(self._token_key, None)

    def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {"Accept": "application/json", "User-Agent": USER_AGENT, **kwargs.pop("headers", {})}
        try:
            return upstream.request(
                self._http, method, self.settings.tvdb_base_url + path, service=SERVICE, limiter=self._limiter,
                retries=min(self.settings.retries, MAX_RETRIES), backoff=self.settings.backoff_base,
                max_retry_after=self.settings.max_retry_after, headers=headers, **kwargs)
        except egress.UrlRefused as exc:
            raise upstream.UpstreamError(SERVICE, f"the address is refused ({exc.code})") from None


def _data(response: httpx.Response, path: str) -> Any:
    """TVDB's envelope ``{"status": "success", "data": ...}`` opened."""
    try:
        body = jsondepth.loads(response.content)
    except ValueError:
        raise upstream.UpstreamError(SERVICE, f"invalid JSON on {path}") from None
    if not isinstance(body, dict) or body.get("status") != "success":
        raise upstream.UpstreamError(SERVICE, f"no success answer on {path}")
    return body.get("data")
