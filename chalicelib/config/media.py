"""Catalog, library and scanner settings."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ._env import ConfigError, _bool, _float, _int, _list, _seconds


@dataclass(frozen=True)
class CatalogSettings:
    """Catalog: TMDB and IGDB/Twitch credentials and endpoints, limits, search, lazy details.

    Without a TMDB key (v3 ``TMDB_API_KEY`` or v4 ``TMDB_READ_TOKEN``) or
    without both Twitch credentials the matching sync jobs record ``skipped``
    and the app runs on whatever is stored (the bundled demo catalog). A TVDB
    v4 key (``TVDB_API_KEY``, with ``TVDB_PIN`` for a subscriber key) only
    sharpens shows' air times; without one they are the network's usual slot.
    """

    tmdb_api_key: str | None = field(default=None, repr=False)
    tmdb_read_token: str | None = field(default=None, repr=False)
    tmdb_base_url: str = "https://api.themoviedb.org/3"
    tmdb_image_base_url: str = "https://image.tmdb.org/t/p/"
    tmdb_language: str = "en-US"
    tmdb_rate_per_second: float = 40.0
    igdb_client_id: str | None = None
    igdb_client_secret: str | None = field(default=None, repr=False)
    igdb_base_url: str = "https://api.igdb.com/v4"
    twitch_token_url: str = "https://id.twitch.tv/oauth2/token"  # noqa: S105 - a URL, not a secret
    igdb_image_base_url: str = "https://images.igdb.com/igdb/image/upload/"
    igdb_rate_per_second: float = 4.0
    tvdb_api_key: str | None = field(default=None, repr=False)
    tvdb_pin: str | None = field(default=None, repr=False)
    tvdb_base_url: str = "https://api4.thetvdb.com/v4"
    # TVDB may answer on a private address only for a self-hosted mirror or the tests' fake.
    tvdb_allow_private: bool = False
    tvdb_timeout: float = 5.0  # per request: a catalog sync never waits long on air times
    tvdb_rate_per_second: float = 10.0
    # Jikan (MyAnimeList, keyless) numbers anime seasons; an empty JIKAN_BASE_URL turns the lookups off.
    jikan_base_url: str | None = "https://api.jikan.moe/v4"
    http_timeout: float = 10.0
    retries: int = 3  # per request, for 429 and 5xx answers
    backoff_base: float = 0.5  # seconds; doubles per 5xx retry
    max_retry_after: float = 30.0  # a longer 429 Retry-After fails the request instead of sleeping
    sync_pages: int = 1  # pages (20 items each) fetched per TMDB section
    details_cooldown: int = 6 * 3600  # seconds before a failed lazy detail fetch is tried again
    search_similarity: float = 0.5  # pg_trgm word_similarity threshold for fuzzy matches

    @property
    def tmdb_enabled(self) -> bool:
        return bool(self.tmdb_api_key or self.tmdb_read_token)

    @property
    def igdb_enabled(self) -> bool:
        return bool(self.igdb_client_id and self.igdb_client_secret)

    @property
    def tvdb_enabled(self) -> bool:
        return bool(self.tvdb_api_key)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> CatalogSettings:
        similarity = _float(env, "SEEN_SEARCH_SIMILARITY", cls.search_similarity)
        if not 0 < similarity <= 1:
            raise ConfigError(f"SEEN_SEARCH_SIMILARITY must be in (0, 1], got {similarity:g}")
        return cls(
            tmdb_api_key=env.get("TMDB_API_KEY") or None,
            tmdb_read_token=env.get("TMDB_READ_TOKEN") or None,
            tmdb_base_url=(env.get("TMDB_BASE_URL") or cls.tmdb_base_url).rstrip("/"),
            tmdb_image_base_url=env.get("TMDB_IMAGE_BASE_URL") or cls.tmdb_image_base_url,
            tmdb_language=env.get("TMDB_LANGUAGE") or cls.tmdb_language,
            tmdb_rate_per_second=_seconds(env, "TMDB_RATE_LIMIT", cls.tmdb_rate_per_second, 0.1),
            igdb_client_id=env.get("IGDB_CLIENT_ID") or env.get("TWITCH_CLIENT_ID") or None,
            igdb_client_secret=env.get("IGDB_CLIENT_SECRET") or env.get("TWITCH_CLIENT_SECRET") or None,
            igdb_base_url=(env.get("IGDB_BASE_URL") or cls.igdb_base_url).rstrip("/"),
            twitch_token_url=env.get("TWITCH_TOKEN_URL") or cls.twitch_token_url,
            igdb_image_base_url=env.get("IGDB_IMAGE_BASE_URL") or cls.igdb_image_base_url,
            igdb_rate_per_second=_seconds(env, "IGDB_RATE_LIMIT", cls.igdb_rate_per_second, 0.1),
            tvdb_api_key=env.get("TVDB_API_KEY") or None,
            tvdb_pin=env.get("TVDB_PIN") or None,
            tvdb_base_url=(env.get("TVDB_BASE_URL") or cls.tvdb_base_url).rstrip("/"),
            tvdb_allow_private=_bool(env, "TVDB_ALLOW_PRIVATE", cls.tvdb_allow_private),
            tvdb_timeout=_seconds(env, "TVDB_TIMEOUT", cls.tvdb_timeout, 0.1),
            tvdb_rate_per_second=_seconds(env, "TVDB_RATE_LIMIT", cls.tvdb_rate_per_second, 0.1),
            jikan_base_url=env.get("JIKAN_BASE_URL", cls.jikan_base_url or "").rstrip("/") or None,
            http_timeout=_seconds(env, "SEEN_CATALOG_HTTP_TIMEOUT", cls.http_timeout, 0.1),
            retries=_int(env, "SEEN_CATALOG_RETRIES", cls.retries),
            backoff_base=_seconds(env, "SEEN_CATALOG_BACKOFF", cls.backoff_base),
            max_retry_after=_seconds(env, "SEEN_CATALOG_MAX_RETRY_AFTER", cls.max_retry_after),
            sync_pages=_int(env, "SEEN_CATALOG_SYNC_PAGES", cls.sync_pages, 1),
            details_cooldown=_int(env, "SEEN_CATALOG_DETAILS_COOLDOWN", cls.details_cooldown),
            search_similarity=similarity,
        )


@dataclass(frozen=True)
class ChannelSettings:
    """YouTube channels: their public Atom feeds (no key) and the channel pages a handle resolves through."""

    youtube_base_url: str = "https://www.youtube.com"
    # Only the tests' fake (or a self-hosted mirror) answers on a private address.
    youtube_allow_private: bool = False
    timeout: float = 10.0
    refresh_minutes: int = 30  # a channel's feed is read at most this often
    max_feed_bytes: int = 2 * 1024 * 1024  # a feed holds the 15 newest videos: ~40 KB
    max_page_bytes: int = 4 * 1024 * 1024  # a channel page, read once to resolve a handle
    max_follows: int = 500  # per user

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> ChannelSettings:
        return cls(
            youtube_base_url=(env.get("YOUTUBE_BASE_URL") or cls.youtube_base_url).rstrip("/"),
            youtube_allow_private=_bool(env, "YOUTUBE_ALLOW_PRIVATE", cls.youtube_allow_private),
            timeout=_seconds(env, "YOUTUBE_TIMEOUT", cls.timeout, 0.1),
            refresh_minutes=_int(env, "SEEN_CHANNEL_REFRESH_MINUTES", cls.refresh_minutes, 1),
        )


@dataclass(frozen=True)
class LibrarySettings:
    """Control-plane side of the media library: matching and streaming URLs."""

    # A presigned URL must outlive playback: the <video> element keeps issuing
    # Range requests against the same URL until the film ends.
    stream_url_ttl: int = 6 * 3600
    match_threshold: float = 0.8  # confidence at or above which a file is matched automatically
    tmdb_match: bool = True  # search TMDB when the local catalog has no match (only with a TMDB key)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> LibrarySettings:
        ttl = _int(env, "SEEN_STREAM_URL_TTL", cls.stream_url_ttl, 60)
        if ttl > 7 * 24 * 3600:
            raise ConfigError(f"SEEN_STREAM_URL_TTL must be at most 604800 (7 days, SigV4's limit), got {ttl}")
        threshold = _float(env, "SEEN_LIBRARY_MATCH_THRESHOLD", cls.match_threshold)
        if not 0 < threshold <= 1:
            raise ConfigError(f"SEEN_LIBRARY_MATCH_THRESHOLD must be in (0, 1], got {threshold:g}")
        return cls(stream_url_ttl=ttl, match_threshold=threshold,
                   tmdb_match=_bool(env, "SEEN_LIBRARY_TMDB_MATCH", cls.tmdb_match))


@dataclass(frozen=True)
class ScannerSettings:
    """Worker side of the media library: roots, schedule, import mode, ffmpeg."""

    roots: tuple[str, ...] = ()
    scan_interval: float = 300.0  # seconds between scheduled scans; 0 = on demand only
    settle_seconds: float = 5.0  # a file modified this recently may still be copying: next scan
    import_mode: str = "copy"  # copy: the source stays; move: deleted once stored and reported
    concurrency: int = 2  # files probed/remuxed/uploaded at once
    probe_timeout: float = 60.0
    remux: bool = True  # MP4 stream-copy variants of MKV/AVI/TS files with browser codecs
    remux_timeout: float = 3600.0
    index_downloads: bool = True  # completed downloads are indexed into the library
    ffprobe: str = "ffprobe"
    ffmpeg: str = "ffmpeg"

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> ScannerSettings:
        mode = (env.get("LIBRARY_IMPORT_MODE") or cls.import_mode).strip().lower()
        if mode not in ("copy", "move"):
            raise ConfigError(f"LIBRARY_IMPORT_MODE must be copy or move, got {mode!r}")
        return cls(
            roots=_list(env, "LIBRARY_ROOTS", cls.roots),
            scan_interval=_seconds(env, "LIBRARY_SCAN_INTERVAL", cls.scan_interval),
            settle_seconds=_seconds(env, "LIBRARY_SETTLE_SECONDS", cls.settle_seconds),
            import_mode=mode,
            concurrency=_int(env, "LIBRARY_INDEX_CONCURRENCY", cls.concurrency, 1),
            probe_timeout=_seconds(env, "LIBRARY_PROBE_TIMEOUT", cls.probe_timeout, 1),
            remux=_bool(env, "LIBRARY_REMUX", cls.remux),
            remux_timeout=_seconds(env, "LIBRARY_REMUX_TIMEOUT", cls.remux_timeout, 1),
            index_downloads=_bool(env, "LIBRARY_INDEX_DOWNLOADS", cls.index_downloads),
            ffprobe=env.get("FFPROBE_BIN") or cls.ffprobe,
            ffmpeg=env.get("FFMPEG_BIN") or cls.ffmpeg,
        )
