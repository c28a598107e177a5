"""Every setting /seen/ reads, in one place.

This is the only module that reads ``os.environ``. Settings are frozen
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


def _list(env: Mapping[str, str], name: str, default: tuple[str, ...]) -> tuple[str, ...]:
    raw = env.get(name)
    if raw is None:
        return default
    return tuple(part.strip() for part in raw.split(",") if part.strip())


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
    log_level: str = "INFO"
    version: str = "0.1.0"

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
            log_level=env.get("LOG_LEVEL", cls.log_level).upper(),
            version=env.get("SEEN_VERSION", cls.version),
        )


@dataclass(frozen=True)
class WorkerSettings:
    """Home-server worker settings. Deliberately without any database field."""

    worker_id: str = "worker"
    aws: AwsSettings = field(default_factory=AwsSettings)
    staging_dir: str = ".data/staging"
    heartbeat_interval: float = 5.0
    heartbeat_ttl_seconds: int = 3600
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
