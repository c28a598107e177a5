"""Every setting /seen/ reads, in one place.

This is the only package that reads ``os.environ``. Settings are frozen
dataclasses built once per process by ``from_env`` (arq's
``RedisSettings.from_dsn`` is the model). The control plane and the worker get
different objects: the worker's settings have no database fields at all, so the
worker cannot hold database credentials even by accident.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urlsplit

from ._env import (
    SECRET_FILE_VARS,
    WORKER_SECRET_FILE_VARS,
    ConfigError,
    RateLimit,
    _fernet_key,
    _float,
    _int,
    _list,
    with_secret_files,
)
from .auth import DEV_JWT_SECRET, MIN_JWT_SECRET_BYTES, AuthSettings
from .aws import AwsSettings
from .downloads import DownloadSettings, EngineSettings
from .lists import ListSettings
from .media import CatalogSettings, ChannelSettings, LibrarySettings, ScannerSettings
from .notifications import NotifySettings
from .playback import PlaybackSettings
from .ratings import RatingsSettings
from .sources import SourceSettings
from .stream import StreamServerSettings, StreamSettings
from .subtitles import SubtitleSettings
from .transcode import TranscodeSettings

__all__ = [
    "DEV_JWT_SECRET",
    "LAMBDA_MAX_BODY_BYTES",
    "MIN_JWT_SECRET_BYTES",
    "SECRET_FILE_VARS",
    "STAGES",
    "WORKER_SECRET_FILE_VARS",
    "AuthSettings",
    "AwsSettings",
    "CatalogSettings",
    "ChannelSettings",
    "ConfigError",
    "DownloadSettings",
    "EngineSettings",
    "LibrarySettings",
    "ListSettings",
    "NotifySettings",
    "PlaybackSettings",
    "RateLimit",
    "RatingsSettings",
    "ScannerSettings",
    "Settings",
    "SourceSettings",
    "StreamServerSettings",
    "StreamSettings",
    "SubtitleSettings",
    "TranscodeSettings",
    "WorkerSettings",
    "get_aws_settings",
    "get_settings",
    "with_secret_files",
]

STAGES = ("local", "dev", "prod", "test")
# The largest request body any route may accept, as the Lambda event carries it (base64 bodies encoded):
# Lambda takes at most 6 MiB per synchronous event, and the event's headers and context need some of it.
LAMBDA_MAX_BODY_BYTES = 6 * 1024 * 1024 - 64 * 1024


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
    # The site's address (https://seen.example.com): links the API hands out (iCal feed, media-server webhooks)
    # are built on it, never on a request's Host header. Unset (make dev, tests): the request's Host.
    public_url: str | None = None
    max_body_bytes: int = 1024 * 1024
    # Requests of one user an API process runs at once (gunicorn's threads are 8 a worker): past it the user's
    # next request is a 429 at once, so one user's waiting calls never hold every thread. Six, not fewer: a
    # browser tab opens at most six connections to a site, so a page's burst of requests is never refused, and
    # two threads of each process stay free for everyone else.
    user_in_flight: int = 6
    cors_origins: tuple[str, ...] = ()
    auth: AuthSettings = field(default_factory=AuthSettings)
    downloads: DownloadSettings = field(default_factory=DownloadSettings)
    catalog: CatalogSettings = field(default_factory=CatalogSettings)
    channels: ChannelSettings = field(default_factory=ChannelSettings)
    library: LibrarySettings = field(default_factory=LibrarySettings)
    sources: SourceSettings = field(default_factory=SourceSettings)
    stream: StreamSettings = field(default_factory=StreamSettings)
    subtitles: SubtitleSettings = field(default_factory=SubtitleSettings)
    notifications: NotifySettings = field(default_factory=NotifySettings)
    playback: PlaybackSettings = field(default_factory=PlaybackSettings)
    transcode: TranscodeSettings = field(default_factory=TranscodeSettings)  # caps of media.prepare
    ratings: RatingsSettings = field(default_factory=RatingsSettings)
    lists: ListSettings = field(default_factory=ListSettings)  # lists as collections (issue 38)
    log_level: str = "INFO"
    version: str = "0.1.0"
    # Fernet key (urlsafe base64, 32 bytes) encrypting instance-setting secrets; None = secrets cannot be set.
    settings_key: str | None = field(default=None, repr=False)
    cleanup_event_retention_days: int = 30
    cleanup_snapshot_retention_days: int = 14

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = with_secret_files(os.environ if env is None else env)
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
            public_url=_public_url(env),
            max_body_bytes=_body_limit(env),
            user_in_flight=_int(env, "SEEN_USER_IN_FLIGHT", cls.user_in_flight, 1),
            cors_origins=_list(env, "SEEN_CORS_ORIGINS", ()),
            auth=AuthSettings.from_env(env, stage),
            downloads=DownloadSettings.from_env(env),
            catalog=CatalogSettings.from_env(env),
            channels=ChannelSettings.from_env(env),
            library=LibrarySettings.from_env(env),
            sources=SourceSettings.from_env(env),
            stream=StreamSettings.from_env(env, stage),
            subtitles=SubtitleSettings.from_env(env),
            notifications=NotifySettings.from_env(env),
            playback=PlaybackSettings.from_env(env),
            transcode=TranscodeSettings.from_env(env),
            ratings=RatingsSettings.from_env(env),
            lists=ListSettings.from_env(env),
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
    stream: StreamServerSettings = field(default_factory=StreamServerSettings)
    transcode: TranscodeSettings = field(default_factory=TranscodeSettings)
    log_level: str = "INFO"
    version: str = "0.1.0"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> WorkerSettings:
        env = with_secret_files(os.environ if env is None else env, WORKER_SECRET_FILE_VARS)
        return cls(
            worker_id=env.get("SEEN_WORKER_ID") or socket.gethostname(),
            aws=AwsSettings.from_env(env),
            staging_dir=env.get("SEEN_STAGING_DIR", cls.staging_dir),
            heartbeat_interval=_float(env, "SEEN_HEARTBEAT_INTERVAL", cls.heartbeat_interval),
            heartbeat_ttl_seconds=_int(env, "SEEN_HEARTBEAT_TTL", cls.heartbeat_ttl_seconds, 60),
            engines=EngineSettings.from_env(env),
            library=ScannerSettings.from_env(env),
            stream=StreamServerSettings.from_env(env),
            transcode=TranscodeSettings.from_env(env),
            log_level=env.get("LOG_LEVEL", cls.log_level).upper(),
            version=env.get("SEEN_VERSION", cls.version),
        )


def _public_url(env: Mapping[str, str]) -> str | None:
    """SEEN_PUBLIC_URL: an http(s) origin, kept without a trailing slash."""
    value = (env.get("SEEN_PUBLIC_URL") or "").strip().rstrip("/")
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise ConfigError(f"SEEN_PUBLIC_URL must be the site's http(s) address, got {value!r}")
    return value


def _body_limit(env: Mapping[str, str]) -> int:
    value = _int(env, "SEEN_MAX_BODY_BYTES", Settings.max_body_bytes, 1)
    if value > LAMBDA_MAX_BODY_BYTES:  # the same limit must hold in AWS, where Lambda refuses more
        raise ConfigError(f"SEEN_MAX_BODY_BYTES must be <= {LAMBDA_MAX_BODY_BYTES}, got {value}")
    return value


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's control-plane settings (read once, then reused)."""
    return Settings.from_env()


@lru_cache(maxsize=1)
def get_aws_settings() -> AwsSettings:
    """AWS names alone, for modules both sides share (telemetry, messages)."""
    return AwsSettings.from_env(os.environ)
