"""OMDb API client: ``title(imdb_id)`` -> OMDb's JSON, or a typed error.

OMDb answers errors as ``{"Response": "False", "Error": "..."}``: HTTP 401 for
an invalid or missing key *and* for "Request limit reached!" (the daily quota),
HTTP 200 for an unknown id ("Incorrect IMDb ID." / "Error getting data.").
No retries: the daily budget is the scarce thing, and the pass comes back in an hour.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from chalicelib import jsondepth
from chalicelib.catalog import upstream
from chalicelib.config import RatingsSettings, get_settings

SERVICE = "omdb"


class OmdbError(Exception):
    """A title could not be fetched now (network, 5xx, bad JSON): try it again after the cooldown."""


class OmdbNotFound(OmdbError):
    """OMDb does not know the id."""


class OmdbUnauthorized(OmdbError):
    """The key is missing or invalid: the pass stops."""


class OmdbLimitReached(OmdbError):
    """The key's daily quota is used up: the pass stops for the day."""


class OmdbClient:
    def __init__(self, api_key: str, settings: RatingsSettings | None = None, http: httpx.Client | None = None):
        self.settings = settings or get_settings().ratings
        self._key = api_key
        self._http = http or httpx.Client(timeout=self.settings.request_timeout, follow_redirects=False)
        self._limiter = upstream.bucket(SERVICE, self.settings.rate_per_second)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> OmdbClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def title(self, imdb_id: str) -> Mapping[str, Any]:
        """``?i=tt...``: the title with its ``Ratings``, ``imdbRating`` and ``imdbVotes``."""
        self._limiter.acquire()
        try:
            response = self._http.get(self.settings.omdb_base_url, params={"apikey": self._key, "i": imdb_id})
            data = jsondepth.loads(response.content)
        except httpx.TransportError as exc:
            raise OmdbError(f"{type(exc).__name__} talking to OMDb") from None
        except ValueError:
            raise OmdbError(f"invalid JSON from OMDb (HTTP {response.status_code})") from None
        if not isinstance(data, dict):
            raise OmdbError("unexpected OMDb answer")
        return _checked(response.status_code, data)


def _checked(status: int, data: Mapping[str, Any]) -> Mapping[str, Any]:
    error = str(data.get("Error") or "")
    if "limit" in error.lower():
        raise OmdbLimitReached(error or "Request limit reached!")
    if status == 401:
        raise OmdbUnauthorized(error or "OMDb refused the API key")
    if status >= 400:
        raise OmdbError(f"HTTP {status} from OMDb: {error}".rstrip(": "))
    if str(data.get("Response")) != "True":
        raise OmdbNotFound(error or "not found")
    return data
