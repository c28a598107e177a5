"""The OpenSubtitles REST API v1 client: search (``GET /subtitles``) and download (``POST /download``).

Every request carries the ``Api-Key`` and a ``User-Agent`` (the API refuses calls without one) and goes
through the egress guard's pinned client, the download link too (it is whatever the API answers).
Query parameters are sent sorted and lowercase, the API's canonical form (it redirects anything else,
and redirects are not followed). 429 and 5xx get one short back-off (``Retry-After`` when given, within
the caller's deadline); anything else fails the call with ``OpenSubtitlesFailed``, whose message never
holds the key.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import httpx

from chalicelib import egress, jsondepth
from chalicelib.config import SubtitleSettings
from chalicelib.egress import clients

USER_AGENT = "seen v0.1"
MAX_JSON_BYTES = 2 * 1024 * 1024
RETRY_STATUSES = {429, 500, 502, 503, 504}
MAX_BACKOFF = 2.0


class OpenSubtitlesFailed(Exception):
    """A request failed or ran out of time; the message is safe to log."""


@dataclass(frozen=True)
class Query:
    """One search: a file's hash, or the ids of a movie or an episode (with its show's ids)."""

    languages: tuple[str, ...]
    moviehash: str | None = None
    imdb_id: str | None = None
    tmdb_id: int | None = None
    season_number: int | None = None
    episode_number: int | None = None
    parent_imdb_id: str | None = None
    parent_tmdb_id: int | None = None

    def params(self) -> dict[str, str]:
        values: dict[str, object] = {
            "languages": ",".join(sorted(lang.lower() for lang in self.languages)), "moviehash": self.moviehash,
            "imdb_id": _imdb(self.imdb_id), "tmdb_id": self.tmdb_id, "season_number": self.season_number,
            "episode_number": self.episode_number, "parent_imdb_id": _imdb(self.parent_imdb_id),
            "parent_tmdb_id": self.parent_tmdb_id}
        return {name: str(value).lower() for name, value in sorted(values.items()) if value not in (None, "")}


def _imdb(value: str | None) -> str | None:
    digits = (value or "").lower().removeprefix("tt").lstrip("0")
    return digits if digits.isdigit() else None


@dataclass(frozen=True)
class Found:
    """One downloadable subtitle file of a search result."""

    file_id: int
    language: str
    download_count: int = 0
    moviehash_match: bool = False
    file_name: str | None = None
    release: str | None = None


@dataclass
class Client:
    """One conversation with the API, bounded by ``deadline`` (``time.monotonic()``)."""

    api_key: str = field(repr=False)
    settings: SubtitleSettings
    http: httpx.Client
    deadline: float
    requests: int = 0

    def search(self, query: Query) -> list[Found]:
        """Every subtitle file of the first page of results (the API sorts by relevance)."""
        data = self._json("GET", "/subtitles", params=query.params())
        return parse_results(data)

    def download(self, file_id: int) -> bytes:
        """The subtitle file's bytes: ``POST /download`` gives a link, which is fetched."""
        data = self._json("POST", "/download", json={"file_id": file_id})
        link = data.get("link") if isinstance(data, dict) else None
        if not isinstance(link, str) or not link.startswith(("https://", "http://")):
            raise OpenSubtitlesFailed("the download answer has no link")
        return self._request("GET", link, self.settings.max_subtitle_bytes, headers={})

    def _json(self, method: str, path: str, **kwargs: Any) -> Any:
        headers = {"Api-Key": self.api_key, "Accept": "application/json"}
        body = self._request(method, self.settings.opensubtitles_base_url + path, MAX_JSON_BYTES, headers=headers,
                             **kwargs)
        try:
            return jsondepth.loads(body)
        except ValueError:
            raise OpenSubtitlesFailed(f"{path} answered something that is not JSON") from None

    def _request(self, method: str, url: str, cap: int, *, headers: dict[str, str], **kwargs: Any) -> bytes:
        for attempt in (1, 2):
            remaining = self.deadline - time.monotonic()
            if remaining <= 0.05:
                raise OpenSubtitlesFailed("out of time")
            status, body, wait = self._once(method, url, cap, min(remaining, self.settings.request_timeout),
                                            headers=headers, **kwargs)
            if status == 200:
                return body
            if status not in RETRY_STATUSES or attempt == 2 or time.monotonic() + wait >= self.deadline:
                raise OpenSubtitlesFailed(f"OpenSubtitles answered HTTP {status}")
            time.sleep(wait)
        raise AssertionError("unreachable")

    def _once(self, method: str, url: str, cap: int, timeout: float, *, headers: dict[str, str],
              **kwargs: Any) -> tuple[int, bytes, float]:
        self.requests += 1
        try:
            with self.http.stream(method, url, headers={"User-Agent": USER_AGENT, **headers}, timeout=timeout,
                                  **kwargs) as response:
                if response.status_code != 200:
                    return response.status_code, b"", _backoff(response.headers.get("retry-after"))
                return 200, clients.read_capped(response, cap), 0.0
        except clients.TooLarge as exc:
            raise OpenSubtitlesFailed(str(exc)) from None
        except egress.UrlRefused as exc:
            raise OpenSubtitlesFailed(f"the address is refused ({exc.code})") from None
        except httpx.TimeoutException:
            raise OpenSubtitlesFailed(f"no answer within {timeout:.1f} s") from None
        except httpx.HTTPError as exc:
            raise OpenSubtitlesFailed(f"cannot reach OpenSubtitles ({type(exc).__name__})") from None


def _backoff(retry_after: str | None) -> float:
    try:
        return min(MAX_BACKOFF, max(0.0, float(retry_after))) if retry_after else 0.5
    except ValueError:
        return 0.5


def parse_results(data: Any) -> list[Found]:
    """The files of a ``GET /subtitles`` answer; malformed entries are skipped."""
    found: list[Found] = []
    for entry in data.get("data") or () if isinstance(data, dict) else ():
        attributes = entry.get("attributes") if isinstance(entry, dict) else None
        if not isinstance(attributes, dict) or not isinstance(attributes.get("language"), str):
            continue
        count = attributes.get("download_count")
        for item in attributes.get("files") or ():
            file_id = item.get("file_id") if isinstance(item, dict) else None
            if isinstance(file_id, int) and not isinstance(file_id, bool):
                found.append(Found(file_id=file_id, language=attributes["language"],
                                   download_count=count if isinstance(count, int) else 0,
                                   moviehash_match=attributes.get("moviehash_match") is True,
                                   file_name=item.get("file_name"), release=attributes.get("release")))
    return found


def client(settings: SubtitleSettings) -> httpx.Client:
    """The pinned HTTP client (private addresses only when the settings allow them)."""
    return clients.client(allow_private=settings.allow_private, timeout=settings.request_timeout)
