"""Lists as collections: where public Trakt, Letterboxd and IMDb lists are read, and the bounds of a sync."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ._env import _bool, _int, _seconds


@dataclass(frozen=True)
class ListSettings:
    """Base URLs (the tests' fakes, or a mirror, replace them), the Trakt app's client id and the caps."""

    trakt_api_url: str = "https://api.trakt.tv"
    # A Trakt API app's client id (the ``trakt-api-key`` header); unset: Trakt lists cannot be imported.
    trakt_client_id: str | None = field(default=None, repr=False)
    letterboxd_base_url: str = "https://letterboxd.com"
    imdb_base_url: str = "https://www.imdb.com"
    # Only the tests' fakes (or a self-hosted mirror) answer on a private address.
    allow_private: bool = False
    timeout: float = 15.0
    max_entries: int = 2000  # a longer list is refused, not half-imported
    max_pages: int = 25  # pages of a paged list (Trakt: 100 items a page, Letterboxd: 100 films a page)
    max_page_bytes: int = 4 * 1024 * 1024  # one page, one film page, one CSV export
    max_film_pages: int = 150  # Letterboxd film pages read per sync (the rest wait for the next sync)
    max_lookups: int = 150  # titles looked up on TMDB per sync (the rest wait for the next sync)
    max_lists: int = 50  # imported collections per user
    max_active: int = 3  # syncs queued or running per user
    sync_hours: int = 6  # the schedule syncs each imported collection this often

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> ListSettings:
        return cls(
            trakt_api_url=(env.get("TRAKT_API_URL") or cls.trakt_api_url).rstrip("/"),
            trakt_client_id=env.get("TRAKT_CLIENT_ID") or None,
            letterboxd_base_url=(env.get("LETTERBOXD_BASE_URL") or cls.letterboxd_base_url).rstrip("/"),
            imdb_base_url=(env.get("IMDB_LIST_BASE_URL") or cls.imdb_base_url).rstrip("/"),
            allow_private=_bool(env, "SEEN_LISTS_ALLOW_PRIVATE", cls.allow_private),
            timeout=_seconds(env, "SEEN_LISTS_TIMEOUT", cls.timeout, 0.1),
            max_entries=_int(env, "SEEN_LIST_MAX_ENTRIES", cls.max_entries, 1),
            max_pages=_int(env, "SEEN_LIST_MAX_PAGES", cls.max_pages, 1),
            max_page_bytes=_int(env, "SEEN_LIST_MAX_PAGE_BYTES", cls.max_page_bytes, 1024),
            max_film_pages=_int(env, "SEEN_LIST_MAX_FILM_PAGES", cls.max_film_pages, 0),
            max_lookups=_int(env, "SEEN_LIST_MAX_LOOKUPS", cls.max_lookups, 0),
            max_lists=_int(env, "SEEN_LIST_MAX_PER_USER", cls.max_lists, 1),
            max_active=_int(env, "SEEN_LIST_MAX_ACTIVE", cls.max_active, 1),
            sync_hours=_int(env, "SEEN_LIST_SYNC_HOURS", cls.sync_hours, 1),
        )
