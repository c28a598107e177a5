"""TMDB API v3 client: authentication, rate limit, retries and the Redis response cache.

Authentication is a v4 read access token (``Authorization: Bearer``, preferred)
or a v3 API key (``api_key`` query parameter). The key never reaches a cache
key or a log line. Responses are cached under ``cache.Keys.tmdb(...)``; sync
jobs pass ``fresh=True`` to skip reading the cache (they exist to refresh) but
still write it, so a detail view right after a sync costs nothing upstream.
"""

from __future__ import annotations

import httpx

from chalicelib import cache, jsondepth
from chalicelib.catalog import tmdb_absolute, upstream
from chalicelib.catalog.images import image_config_key
from chalicelib.catalog.records import Json
from chalicelib.config import CatalogSettings
from chalicelib.logs import get_logger
from chalicelib.settings import credentials

SERVICE = "tmdb"

# Cache lifetimes (seconds): lists move daily, details and genres rarely.
TTL_LIST = 30 * 60
TTL_DETAILS = 24 * 3600
TTL_STATIC = 24 * 3600
IMAGE_CONFIG_TTL = 7 * 24 * 3600

MOVIE_LISTS = {
    "trending_day": ("/trending/movie/day", "Trending movies today"),
    "trending_week": ("/trending/movie/week", "Trending movies this week"),
    "popular": ("/movie/popular", "Popular movies"),
    "top_rated": ("/movie/top_rated", "Top rated movies"),
    "upcoming": ("/movie/upcoming", "Upcoming movies"),
    "now_playing": ("/movie/now_playing", "Now playing in theatres"),
}
TV_LISTS = {
    "trending_day": ("/trending/tv/day", "Trending shows today"),
    "trending_week": ("/trending/tv/week", "Trending shows this week"),
    "popular": ("/tv/popular", "Popular shows"),
    "top_rated": ("/tv/top_rated", "Top rated shows"),
    "airing_today": ("/tv/airing_today", "Airing today"),
    "on_the_air": ("/tv/on_the_air", "On the air this week"),
}
# TMDB accepts at most 20 appended sub-requests per call.
MAX_APPEND = 20
MOVIE_APPEND = "similar,recommendations,external_ids,credits,images,release_dates"
SHOW_APPEND = "similar,recommendations,external_ids,aggregate_credits,images,content_ratings"
# Appended images: English and language-less ones only (logos are wordmarks in a language).
IMAGE_LANGUAGES = "en,null"


def _effective_settings() -> CatalogSettings:
    """The environment's settings with credentials stored through the admin API laid over them."""
    return credentials.catalog_settings()


class TmdbClient:
    """A thin client: ``get(path, params)`` returns TMDB's JSON or raises ``UpstreamError``."""

    def __init__(self, settings: CatalogSettings | None = None, http: httpx.Client | None = None):
        self.settings = settings or _effective_settings()
        if not self.settings.tmdb_enabled:
            raise upstream.UpstreamNotConfigured(SERVICE, "no TMDB_API_KEY or TMDB_READ_TOKEN configured")
        self._http = http or httpx.Client(timeout=self.settings.http_timeout, follow_redirects=False)
        self._limiter = upstream.bucket(SERVICE, self.settings.tmdb_rate_per_second)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> TmdbClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _auth(self, params: Json) -> tuple[Json, dict[str, str]]:
        headers = {"Accept": "application/json"}
        if self.settings.tmdb_read_token:
            headers["Authorization"] = f"Bearer {self.settings.tmdb_read_token}"
        else:
            params = {**params, "api_key": self.settings.tmdb_api_key}
        return params, headers

    def get(self, path: str, params: Json | None = None, *, ttl: int = TTL_DETAILS,
            fresh: bool = False) -> Json:
        """GET ``path`` (e.g. ``/movie/603``) through the cache."""
        params = {"language": self.settings.tmdb_language, **(params or {})}
        key = cache.Keys.tmdb({"path": path, "params": params})
        if not fresh:
            cached = cache.get_json(key)
            if cached is not None:
                return cached
        query, headers = self._auth(params)
        response = upstream.request(
            self._http, "GET", self.settings.tmdb_base_url + path, params=query, headers=headers,
            service=SERVICE, limiter=self._limiter, retries=self.settings.retries,
            backoff=self.settings.backoff_base, max_retry_after=self.settings.max_retry_after)
        try:
            data = jsondepth.loads(response.content)
        except ValueError:
            raise upstream.UpstreamError(SERVICE, f"invalid JSON on {path}") from None
        cache.set_json(key, data, ttl)
        return data

    def configuration(self) -> Json:
        """/configuration; also remembers the image base URL for building artwork URLs."""
        data = self.get("/configuration", ttl=TTL_STATIC)
        images = data.get("images") or {}
        base = images.get("secure_base_url") or images.get("base_url")
        if base:
            cache.set_json(image_config_key(), {"base": base}, IMAGE_CONFIG_TTL)
        return data

    def genres(self, kind: str) -> list[Json]:
        """``kind`` is ``movie`` or ``tv``."""
        return self.get(f"/genre/{kind}/list", ttl=TTL_STATIC).get("genres") or []

    def list_page(self, path: str, page: int = 1) -> Json:
        return self.get(path, {"page": page}, ttl=TTL_LIST, fresh=True)

    def movie(self, tmdb_id: int) -> Json:
        """Movie details with similar, recommendations, external ids, credits and images."""
        return self.get(f"/movie/{tmdb_id}", {"append_to_response": MOVIE_APPEND,
                                              "include_image_language": IMAGE_LANGUAGES})

    def show(self, tmdb_id: int) -> Json:
        """Show details with every season's episodes (appended in batches of ``MAX_APPEND``)."""
        first = self.get(f"/tv/{tmdb_id}", {"append_to_response": SHOW_APPEND,
                                            "include_image_language": IMAGE_LANGUAGES})
        numbers = [s.get("season_number") for s in first.get("seasons") or () if s.get("season_number") is not None]
        merged = dict(first)
        for start in range(0, len(numbers), MAX_APPEND):
            chunk = ",".join(f"season/{n}" for n in numbers[start:start + MAX_APPEND])
            extra = self.get(f"/tv/{tmdb_id}", {"append_to_response": chunk})
            merged.update({k: v for k, v in extra.items() if k.startswith("season/")})
        tmdb_absolute.fill_missing_seasons(merged, lambda: self._absolute_episodes(tmdb_id, merged))
        return merged

    def episode_groups(self, tmdb_id: int) -> list[Json]:
        """/tv/{id}/episode_groups: ``results`` of ``{id, name, type, episode_count, group_count}``."""
        return [g for g in self.get(f"/tv/{tmdb_id}/episode_groups").get("results") or () if isinstance(g, dict)]

    def episode_group(self, group_id: str) -> Json:
        """/tv/episode_group/{id}: its ``groups``, each with ``order`` and ``episodes`` (with their ``order``)."""
        return self.get(f"/tv/episode_group/{group_id}")

    def absolute_group(self, tmdb_id: int) -> Json | None:
        """The show's episode group of type 2 ("Absolute"), in full; None when it has none."""
        found = next((g for g in self.episode_groups(tmdb_id) if g.get("type") == tmdb_absolute.ABSOLUTE_TYPE
                      and isinstance(g.get("id"), str)), None)
        return self.episode_group(found["id"]) if found else None

    def _absolute_episodes(self, tmdb_id: int, show: Json) -> list[Json]:
        """Every regular episode in absolute order: the absolute group, else a flat first season."""
        try:
            group = self.absolute_group(tmdb_id)
        except upstream.UpstreamError as exc:  # the retry refines the details: without it they are served as they are
            get_logger().warning("absolute episode group unavailable", extra={
                "action": "tmdb_absolute_group_unavailable", "tmdb_id": tmdb_id, "status": exc.status})
            group = None
        return tmdb_absolute.group_episodes(group) if group else tmdb_absolute.flat_first_season(show)

    def season(self, tmdb_id: int, season_number: int) -> Json:
        return self.get(f"/tv/{tmdb_id}/season/{season_number}")

    def find_imdb(self, imdb_id: str) -> Json:
        """/find/{imdb_id}?external_source=imdb_id: ``movie_results``, ``tv_results``, ... (lists)."""
        return self.get(f"/find/{imdb_id}", {"external_source": "imdb_id"})

    def person(self, tmdb_id: int) -> Json:
        """/person/{id}: name, biography, birthday, deathday, profile_path, imdb_id, ..."""
        return self.get(f"/person/{tmdb_id}")
