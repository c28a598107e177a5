"""IGDB API v4 client with its Twitch app access token.

IGDB authenticates with a Twitch *app access token* from the OAuth
client-credentials grant. The token is fetched here, kept in this process's
memory until shortly before it expires, and sent only to IGDB: it is never
stored in Redis or the database, logged, or returned to a browser. Queries are
IGDB's query language (apicalypse) as the POST body. IGDB allows 4 requests
per second, enforced with a token bucket.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import httpx

from chalicelib import jsondepth
from chalicelib.catalog import upstream
from chalicelib.catalog.records import Json
from chalicelib.config import CatalogSettings
from chalicelib.settings import credentials

SERVICE = "igdb"
TOKEN_MARGIN_SECONDS = 300  # refresh this long before Twitch says the token expires

_tokens: dict[str, tuple[str, float]] = {}  # client id -> (token, monotonic expiry)
_tokens_lock = threading.Lock()


def forget_tokens() -> None:
    """Drop cached app tokens (tests, or after Twitch revoked one)."""
    with _tokens_lock:
        _tokens.clear()


def _effective_settings() -> CatalogSettings:
    """The environment's settings with credentials stored through the admin API laid over them."""
    return credentials.catalog_settings()


class IgdbClient:
    """``query(endpoint, body)`` returns IGDB's JSON array or raises ``UpstreamError``."""

    def __init__(self, settings: CatalogSettings | None = None, http: httpx.Client | None = None):
        self.settings = settings or _effective_settings()
        if not self.settings.igdb_enabled:
            raise upstream.UpstreamNotConfigured(SERVICE, "IGDB_CLIENT_ID and IGDB_CLIENT_SECRET are not configured")
        self._http = http or httpx.Client(timeout=self.settings.http_timeout, follow_redirects=False)
        self._limiter = upstream.bucket(SERVICE, self.settings.igdb_rate_per_second)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> IgdbClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _send(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        return upstream.request(self._http, method, url, service=SERVICE, limiter=self._limiter,
                                retries=self.settings.retries, backoff=self.settings.backoff_base,
                                max_retry_after=self.settings.max_retry_after, **kwargs)

    def token(self) -> str:
        """The app access token, fetched with client credentials when missing or about to expire."""
        client_id = self.settings.igdb_client_id or ""
        with _tokens_lock:
            cached = _tokens.get(client_id)
            if cached and cached[1] > time.monotonic():
                return cached[0]
        response = self._send("POST", self.settings.twitch_token_url, params={
            "client_id": client_id, "client_secret": self.settings.igdb_client_secret,
            "grant_type": "client_credentials"})
        try:
            data = jsondepth.loads(response.content)
            token, expires_in = data["access_token"], float(data.get("expires_in") or 3600)
        except (ValueError, KeyError, TypeError):
            raise upstream.UpstreamError(SERVICE, "Twitch token response without an access token") from None
        with _tokens_lock:
            _tokens[client_id] = (token, time.monotonic() + max(0.0, expires_in - TOKEN_MARGIN_SECONDS))
        return token

    def query(self, endpoint: str, body: str) -> list[Json]:
        """POST an apicalypse ``body`` to ``/{endpoint}``; a rejected token is renewed once."""
        for attempt in (0, 1):
            headers = {"Client-ID": self.settings.igdb_client_id or "", "Accept": "application/json",
                       "Authorization": f"Bearer {self.token()}", "Content-Type": "text/plain"}
            try:
                response = self._send("POST", f"{self.settings.igdb_base_url}/{endpoint}", content=body.encode(),
                                      headers=headers)
            except upstream.UpstreamError as exc:
                if exc.status == 401 and attempt == 0:
                    forget_tokens()  # expired or revoked early: fetch a new one and try again
                    continue
                raise
            try:
                data = jsondepth.loads(response.content)
            except ValueError:
                raise upstream.UpstreamError(SERVICE, f"invalid JSON from /{endpoint}") from None
            if not isinstance(data, list):
                raise upstream.UpstreamError(SERVICE, f"unexpected answer from /{endpoint}")
            return data
        raise upstream.UpstreamError(SERVICE, "token rejected twice", 401)
