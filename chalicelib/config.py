"""Every setting /seen/ reads, in one place.

This is the only module that reads ``os.environ``. Settings are frozen
dataclasses built once per process by ``from_env`` (arq's
``RedisSettings.from_dsn`` is the model). The control plane and the worker get
different objects: the worker's settings have no database fields at all, so the
worker cannot hold database credentials even by accident.
"""

from __future__ import annotations

import base64
import binascii
import os
import socket
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

STAGES = ("local", "dev", "prod", "test")


class ConfigError(RuntimeError):
    """A missing or contradictory setting; the message names the variable."""


def _int(env: Mapping[str, str], name: str, default: int, minimum: int = 0) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be an integer, got {raw!r}") from None
    if value < minimum:
        raise ConfigError(f"{name} must be >= {minimum}, got {value}")
    return value


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number, got {raw!r}") from None


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name} must be true or false, got {raw!r}")


def _fernet_key(env: Mapping[str, str], name: str) -> str | None:
    raw = (env.get(name) or "").strip()
    if not raw:
        return None
    try:
        valid = len(base64.urlsafe_b64decode(raw.encode())) == 32
    except (ValueError, binascii.Error):
        valid = False
    if not valid:
        raise ConfigError(f"{name} must be a Fernet key (urlsafe base64 of 32 bytes)")
    return raw


def _list(env: Mapping[str, str], name: str, default: tuple[str, ...]) -> tuple[str, ...]:
    raw = env.get(name)
    if raw is None:
        return default
    return tuple(part.strip() for part in raw.split(",") if part.strip())


@dataclass(frozen=True)
class RateLimit:
    """At most ``limit`` hits per ``window`` seconds (parsed from ``"limit/window"``)."""

    limit: int
    window: int


def _rate(env: Mapping[str, str], name: str, default: RateLimit) -> RateLimit:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    limit, _, window = raw.partition("/")
    try:
        parsed = RateLimit(int(limit), int(window))
    except ValueError:
        raise ConfigError(f"{name} must look like LIMIT/SECONDS (e.g. 10/60), got {raw!r}") from None
    if parsed.limit < 1 or parsed.window < 1:
        raise ConfigError(f"{name} needs a limit and a window of at least 1, got {raw!r}")
    return parsed


# Signs access tokens in the local and test stages only; dev and prod refuse to
# start without SEEN_JWT_SECRET, so this value can never sign a real token.
DEV_JWT_SECRET = "seen-local-development-only-jwt-signing-key"  # noqa: S105 - deliberately public
MIN_JWT_SECRET_BYTES = 32


@dataclass(frozen=True)
class AuthSettings:
    """Accounts and sessions: token signing and lifetimes, argon2id cost, rate limits."""

    jwt_secret: str = field(default=DEV_JWT_SECRET, repr=False)  # never in a log line or traceback
    access_ttl: int = 15 * 60
    refresh_ttl: int = 30 * 24 * 60 * 60
    admin_email: str | None = None  # this e-mail becomes admin instead of the first account
    cookie_secure: bool = False
    trusted_proxy_hops: int = 0  # X-Forwarded-For entries to trust (0: the connection's address)
    # argon2id: RFC 9106's second recommended option (t=3, 64 MiB, p=4).
    argon2_time_cost: int = 3
    argon2_memory_kib: int = 64 * 1024
    argon2_parallelism: int = 4
    login_per_ip: RateLimit = RateLimit(20, 300)
    login_per_email: RateLimit = RateLimit(10, 900)
    register_per_ip: RateLimit = RateLimit(10, 3600)
    refresh_per_session: RateLimit = RateLimit(12, 60)
    search_per_user: RateLimit = RateLimit(60, 60)

    @classmethod
    def from_env(cls, env: Mapping[str, str], stage: str) -> AuthSettings:
        secret = env.get("SEEN_JWT_SECRET") or ""
        if not secret:
            if stage not in ("local", "test"):
                raise ConfigError("SEEN_JWT_SECRET is required outside the local and test stages")
            secret = DEV_JWT_SECRET
        if len(secret.encode()) < MIN_JWT_SECRET_BYTES:
            raise ConfigError(f"SEEN_JWT_SECRET must be at least {MIN_JWT_SECRET_BYTES} bytes")
        cookie_secure = _bool(env, "SEEN_COOKIE_SECURE", stage not in ("local", "test"))
        if stage == "prod" and not cookie_secure:
            raise ConfigError("SEEN_COOKIE_SECURE cannot be false in the prod stage")
        admin_email = (env.get("SEEN_ADMIN_EMAIL") or "").strip().lower() or None
        return cls(
            jwt_secret=secret,
            access_ttl=_int(env, "SEEN_ACCESS_TOKEN_TTL", cls.access_ttl, 60),
            refresh_ttl=_int(env, "SEEN_REFRESH_TOKEN_TTL", cls.refresh_ttl, 3600),
            admin_email=admin_email,
            cookie_secure=cookie_secure,
            trusted_proxy_hops=_int(env, "SEEN_TRUSTED_PROXY_HOPS", cls.trusted_proxy_hops),
            argon2_time_cost=_int(env, "SEEN_ARGON2_TIME_COST", cls.argon2_time_cost, 1),
            argon2_memory_kib=_int(env, "SEEN_ARGON2_MEMORY_KIB", cls.argon2_memory_kib, 8 * 1024),
            argon2_parallelism=_int(env, "SEEN_ARGON2_PARALLELISM", cls.argon2_parallelism, 1),
            login_per_ip=_rate(env, "SEEN_RATE_LOGIN_IP", cls.login_per_ip),
            login_per_email=_rate(env, "SEEN_RATE_LOGIN_EMAIL", cls.login_per_email),
            register_per_ip=_rate(env, "SEEN_RATE_REGISTER_IP", cls.register_per_ip),
            refresh_per_session=_rate(env, "SEEN_RATE_REFRESH_SESSION", cls.refresh_per_session),
            search_per_user=_rate(env, "SEEN_RATE_SEARCH_USER", cls.search_per_user),
        )


@dataclass(frozen=True)
class AwsSettings:
    """The AWS resources both sides use. Names are the one source of truth."""

    region: str = "us-east-1"
    endpoint_url: str | None = None  # moto server / LocalStack; None on real AWS
    bucket: str = "seen-media"
    commands_queue: str = "seen-download-commands"
    events_queue: str = "seen-worker-events"
    telemetry_table: str = "seen-download-telemetry"
    heartbeat_table: str = "seen-worker-heartbeats"

    @property
    def queues(self) -> tuple[str, ...]:
        return (self.commands_queue, self.events_queue)

    @property
    def tables(self) -> tuple[str, ...]:
        return (self.telemetry_table, self.heartbeat_table)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> AwsSettings:
        return cls(
            region=env.get("AWS_DEFAULT_REGION") or env.get("AWS_REGION") or cls.region,
            endpoint_url=env.get("AWS_ENDPOINT_URL") or None,
            bucket=env.get("SEEN_BUCKET", cls.bucket),
            commands_queue=env.get("SEEN_COMMANDS_QUEUE", cls.commands_queue),
            events_queue=env.get("SEEN_EVENTS_QUEUE", cls.events_queue),
            telemetry_table=env.get("SEEN_TELEMETRY_TABLE", cls.telemetry_table),
            heartbeat_table=env.get("SEEN_HEARTBEAT_TABLE", cls.heartbeat_table),
        )


def _seconds(env: Mapping[str, str], name: str, default: float, minimum: float = 0.0) -> float:
    value = _float(env, name, default)
    if value < minimum:
        raise ConfigError(f"{name} must be >= {minimum:g} seconds, got {value:g}")
    return value


@dataclass(frozen=True)
class DownloadSettings:
    """Control-plane side of the download manager: input limits, retries, staleness."""

    max_torrent_bytes: int = 2 * 1024 * 1024
    # SSRF guard: HTTP(S) downloads to private, loopback or link-local addresses
    # are refused unless this is on (local development and tests).
    allow_private: bool = False
    retry_backoff: float = 15.0  # stalled -> retrying after this long
    heartbeat_stale: float = 90.0  # a running job whose worker is silent this long is stalled
    resend_after: float = 30.0  # a queued job still owed its command after this long is re-sent

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> DownloadSettings:
        return cls(
            max_torrent_bytes=_int(env, "SEEN_DOWNLOAD_MAX_TORRENT_BYTES", cls.max_torrent_bytes, 1024),
            allow_private=_bool(env, "SEEN_DOWNLOAD_ALLOW_PRIVATE", cls.allow_private),
            retry_backoff=_seconds(env, "DOWNLOAD_RETRY_BACKOFF", cls.retry_backoff),
            heartbeat_stale=_seconds(env, "DOWNLOAD_HEARTBEAT_STALE", cls.heartbeat_stale, 1),
            resend_after=_seconds(env, "DOWNLOAD_RESEND_AFTER", cls.resend_after),
        )


@dataclass(frozen=True)
class EngineSettings:
    """Worker side of the download manager: slots, polling, engines, uploads."""

    max_active: int = 3
    poll_interval: float = 3.0  # monitor tick: telemetry, state events, cancel flags
    stall_timeout: float = 300.0  # no payload progress this long -> stalled (retried by the API)
    command_wait: int = 5  # SQS long-poll seconds; also bounds how long a drain waits for it
    allow_private: bool = False  # same SSRF rule as the API, applied to every redirect
    http_timeout: float = 30.0
    http_retries: int = 3  # in-place Range resumes after a dropped connection before "stalled"
    listen_host: str = "0.0.0.0"  # noqa: S104 - a BitTorrent client accepts incoming peers
    listen_port: int = 6881  # 0 = any free port
    dht: bool = True
    lsd: bool = True
    upnp: bool = True  # UPnP and NAT-PMP port mapping
    utp: bool = True  # off on loopback for full speed
    upload_part_bytes: int = 16 * 1024 * 1024
    upload_concurrency: int = 4
    telemetry_ttl: int = 24 * 3600
    drain_timeout: float = 20.0
    # Staging of a stalled job waits this long for the control plane's retry; after that
    # the job has failed or been cancelled, and its partial data is deleted.
    parked_retention: float = 72 * 3600.0

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> EngineSettings:
        return cls(
            max_active=_int(env, "DOWNLOAD_MAX_ACTIVE", cls.max_active, 1),
            poll_interval=_seconds(env, "DOWNLOAD_POLL_INTERVAL", cls.poll_interval, 0.05),
            stall_timeout=_seconds(env, "DOWNLOAD_STALL_TIMEOUT", cls.stall_timeout, 1),
            command_wait=min(20, _int(env, "SEEN_COMMAND_WAIT", cls.command_wait)),
            allow_private=_bool(env, "SEEN_DOWNLOAD_ALLOW_PRIVATE", cls.allow_private),
            http_timeout=_seconds(env, "SEEN_HTTP_TIMEOUT", cls.http_timeout, 1),
            http_retries=_int(env, "SEEN_HTTP_RETRIES", cls.http_retries),
            listen_host=env.get("SEEN_TORRENT_LISTEN_HOST") or cls.listen_host,
            listen_port=_int(env, "SEEN_TORRENT_LISTEN_PORT", cls.listen_port),
            dht=_bool(env, "SEEN_TORRENT_DHT", cls.dht),
            lsd=_bool(env, "SEEN_TORRENT_LSD", cls.lsd),
            upnp=_bool(env, "SEEN_TORRENT_UPNP", cls.upnp),
            utp=_bool(env, "SEEN_TORRENT_UTP", cls.utp),
            upload_part_bytes=_int(env, "SEEN_UPLOAD_PART_BYTES", cls.upload_part_bytes, 5 * 1024 * 1024),
            upload_concurrency=_int(env, "SEEN_UPLOAD_CONCURRENCY", cls.upload_concurrency, 1),
            telemetry_ttl=_int(env, "SEEN_TELEMETRY_TTL", cls.telemetry_ttl, 60),
            drain_timeout=_seconds(env, "SEEN_DRAIN_TIMEOUT", cls.drain_timeout, 1),
            parked_retention=_seconds(env, "SEEN_PARKED_RETENTION", cls.parked_retention, 60),
        )


@dataclass(frozen=True)
class CatalogSettings:
    """Catalog: TMDB and IGDB/Twitch credentials and endpoints, limits, search, lazy details.

    Without a TMDB key (v3 ``TMDB_API_KEY`` or v4 ``TMDB_READ_TOKEN``) or
    without both Twitch credentials the matching sync jobs record ``skipped``
    and the app runs on whatever is stored (the bundled demo catalog).
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
            http_timeout=_seconds(env, "SEEN_CATALOG_HTTP_TIMEOUT", cls.http_timeout, 0.1),
            retries=_int(env, "SEEN_CATALOG_RETRIES", cls.retries),
            backoff_base=_seconds(env, "SEEN_CATALOG_BACKOFF", cls.backoff_base),
            max_retry_after=_seconds(env, "SEEN_CATALOG_MAX_RETRY_AFTER", cls.max_retry_after),
            sync_pages=_int(env, "SEEN_CATALOG_SYNC_PAGES", cls.sync_pages, 1),
            details_cooldown=_int(env, "SEEN_CATALOG_DETAILS_COOLDOWN", cls.details_cooldown),
            search_similarity=similarity,
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


@dataclass(frozen=True)
class Settings:
    """Control-plane settings (HTTP routes, scheduled and SQS functions)."""

    stage: str = "local"
    database_url: str = "postgresql://postgres@127.0.0.1:5432/seen"
    # In AWS the password lives in Secrets Manager ({"username", "password"} JSON), not in the URL.
    database_secret_arn: str | None = None
    db_pool_size: int = 5  # 0 = one self-healing connection (Lambda)
    db_connect_timeout: int = 5
    redis_url: str = "redis://127.0.0.1:6379/0"
    redis_timeout: float = 0.5
    aws: AwsSettings = field(default_factory=AwsSettings)
    s3_public_endpoint: str | None = None  # host the browser uses for presigned URLs
    max_body_bytes: int = 1024 * 1024
    cors_origins: tuple[str, ...] = ()
    auth: AuthSettings = field(default_factory=AuthSettings)
    downloads: DownloadSettings = field(default_factory=DownloadSettings)
    catalog: CatalogSettings = field(default_factory=CatalogSettings)
    library: LibrarySettings = field(default_factory=LibrarySettings)
    log_level: str = "INFO"
    version: str = "0.1.0"
    # Fernet key (urlsafe base64, 32 bytes) encrypting instance-setting secrets; None = secrets cannot be set.
    settings_key: str | None = field(default=None, repr=False)
    cleanup_event_retention_days: int = 30
    cleanup_snapshot_retention_days: int = 14

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        stage = env.get("SEEN_STAGE", cls.stage)
        if stage not in STAGES:
            raise ConfigError(f"SEEN_STAGE must be one of {', '.join(STAGES)}, got {stage!r}")
        in_lambda = bool(env.get("AWS_LAMBDA_FUNCTION_NAME"))
        database_url = env.get("DATABASE_URL", "" if stage == "prod" else cls.database_url)
        if not database_url:
            raise ConfigError("DATABASE_URL is required outside the local and test stages")
        return cls(
            stage=stage,
            database_url=database_url,
            database_secret_arn=env.get("SEEN_DATABASE_SECRET_ARN") or None,
            db_pool_size=_int(env, "SEEN_DB_POOL_SIZE", 0 if in_lambda else cls.db_pool_size),
            db_connect_timeout=_int(env, "SEEN_DB_CONNECT_TIMEOUT", cls.db_connect_timeout, 1),
            redis_url=env.get("REDIS_URL", cls.redis_url),
            redis_timeout=_float(env, "SEEN_REDIS_TIMEOUT", cls.redis_timeout),
            aws=AwsSettings.from_env(env),
            s3_public_endpoint=env.get("SEEN_S3_PUBLIC_ENDPOINT") or None,
            max_body_bytes=_int(env, "SEEN_MAX_BODY_BYTES", cls.max_body_bytes, 1),
            cors_origins=_list(env, "SEEN_CORS_ORIGINS", ()),
            auth=AuthSettings.from_env(env, stage),
            downloads=DownloadSettings.from_env(env),
            catalog=CatalogSettings.from_env(env),
            library=LibrarySettings.from_env(env),
            log_level=env.get("LOG_LEVEL", cls.log_level).upper(),
            version=env.get("SEEN_VERSION", cls.version),
            settings_key=_fernet_key(env, "SEEN_SETTINGS_KEY"),
            cleanup_event_retention_days=_int(env, "SEEN_CLEANUP_EVENT_RETENTION_DAYS",
                                              cls.cleanup_event_retention_days, 1),
            cleanup_snapshot_retention_days=_int(env, "SEEN_CLEANUP_SNAPSHOT_RETENTION_DAYS",
                                                 cls.cleanup_snapshot_retention_days, 1),
        )


@dataclass(frozen=True)
class WorkerSettings:
    """Home-server worker settings. Deliberately without any database field."""

    worker_id: str = "worker"
    aws: AwsSettings = field(default_factory=AwsSettings)
    staging_dir: str = ".data/staging"
    heartbeat_interval: float = 5.0
    heartbeat_ttl_seconds: int = 3600
    engines: EngineSettings = field(default_factory=EngineSettings)
    library: ScannerSettings = field(default_factory=ScannerSettings)
    log_level: str = "INFO"
    version: str = "0.1.0"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> WorkerSettings:
        env = os.environ if env is None else env
        return cls(
            worker_id=env.get("SEEN_WORKER_ID") or socket.gethostname(),
            aws=AwsSettings.from_env(env),
            staging_dir=env.get("SEEN_STAGING_DIR", cls.staging_dir),
            heartbeat_interval=_float(env, "SEEN_HEARTBEAT_INTERVAL", cls.heartbeat_interval),
            heartbeat_ttl_seconds=_int(env, "SEEN_HEARTBEAT_TTL", cls.heartbeat_ttl_seconds, 60),
            engines=EngineSettings.from_env(env),
            library=ScannerSettings.from_env(env),
            log_level=env.get("LOG_LEVEL", cls.log_level).upper(),
            version=env.get("SEEN_VERSION", cls.version),
        )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's control-plane settings (read once, then reused)."""
    return Settings.from_env()


@lru_cache(maxsize=1)
def get_aws_settings() -> AwsSettings:
    """AWS names alone, for modules both sides share (telemetry, messages)."""
    return AwsSettings.from_env(os.environ)
