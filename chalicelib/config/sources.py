"""Source search settings: indexer timeouts, response caps, the search cache and the per-user rate."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ._env import RateLimit, _int, _rate, _seconds


@dataclass(frozen=True)
class SourceSettings:
    """How the Torznab search talks to indexers and how long its answers are kept."""

    # Each indexer gets this long per search (all of them run at once, so a search takes the slowest
    # indexer's time, at most this); one that takes longer is reported as an error, the others still count.
    indexer_timeout: float = 10.0
    max_response_bytes: int = 8 * 1024 * 1024  # one Torznab page; 100 items are ~100-300 KB
    page_size: int = 100  # Torznab's usual limit per page
    max_results: int = 300  # per indexer and search (paging stops here)
    # Answers are kept this long (10-30 min: swarms change slowly, indexers rate-limit us);
    # a partial answer (an indexer failed) only briefly, so the failed one is asked again soon.
    cache_ttl: int = 15 * 60
    partial_cache_ttl: int = 60
    # Searches that reach the indexers (cache hits are free) per user.
    rate: RateLimit = field(default_factory=lambda: RateLimit(30, 300))
    torrent_timeout: float = 15.0  # fetching a result's .torrent file

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> SourceSettings:
        return cls(
            indexer_timeout=_seconds(env, "SEEN_SOURCES_INDEXER_TIMEOUT", cls.indexer_timeout, 0.1),
            max_response_bytes=_int(env, "SEEN_SOURCES_MAX_RESPONSE_BYTES", cls.max_response_bytes, 1024),
            page_size=_int(env, "SEEN_SOURCES_PAGE_SIZE", cls.page_size, 1),
            max_results=_int(env, "SEEN_SOURCES_MAX_RESULTS", cls.max_results, 1),
            cache_ttl=min(30 * 60, max(10 * 60, _int(env, "SEEN_SOURCES_CACHE_TTL", cls.cache_ttl))),
            partial_cache_ttl=_int(env, "SEEN_SOURCES_PARTIAL_CACHE_TTL", cls.partial_cache_ttl, 1),
            rate=_rate(env, "SEEN_SOURCES_SEARCH_RATE", RateLimit(30, 300)),
            torrent_timeout=_seconds(env, "SEEN_SOURCES_TORRENT_TIMEOUT", cls.torrent_timeout, 0.1),
        )
