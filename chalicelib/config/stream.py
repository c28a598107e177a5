"""Playing a download while it downloads: the worker's Range server and the tokens the API mints for it.

Both sides hold ``SEEN_STREAM_SECRET`` (HMAC-SHA256 key, at least 32 bytes):
the API signs (job, file, expiry) and the worker verifies without a database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ._env import ConfigError, _int, _seconds

DEV_STREAM_SECRET = "seen-dev-stream-secret-not-for-production-0000"  # noqa: S105 - local and test stages only
MIN_STREAM_SECRET_BYTES = 32


def _secret(env: Mapping[str, str], stage: str) -> str:
    secret = env.get("SEEN_STREAM_SECRET") or ""
    if not secret:
        if stage in ("prod", "dev"):
            raise ConfigError("SEEN_STREAM_SECRET is required outside the local and test stages")
        return DEV_STREAM_SECRET
    if len(secret.encode()) < MIN_STREAM_SECRET_BYTES:
        raise ConfigError(f"SEEN_STREAM_SECRET must be at least {MIN_STREAM_SECRET_BYTES} bytes")
    return secret


@dataclass(frozen=True)
class StreamSettings:
    """Control plane: minting progressive-stream URLs."""

    secret: str = field(default=DEV_STREAM_SECRET, repr=False)
    # Where the browser reaches the worker's Range server; "" = same origin (the gateway/nginx proxy /stream/).
    public_base: str = ""
    token_ttl: int = 6 * 3600  # seconds a progressive URL stays valid

    @classmethod
    def from_env(cls, env: Mapping[str, str], stage: str = "local") -> StreamSettings:
        return cls(
            secret=_secret(env, stage),
            public_base=(env.get("SEEN_STREAM_PUBLIC_BASE") or "").rstrip("/"),
            token_ttl=_int(env, "SEEN_STREAM_TOKEN_TTL", cls.token_ttl, 60),
        )


@dataclass(frozen=True)
class StreamServerSettings:
    """Worker: the Range server for files still downloading."""

    secret: str = field(default=DEV_STREAM_SECRET, repr=False)
    host: str = "127.0.0.1"
    port: int = 8090  # 0 = off
    # Requests waiting for bytes (or a file list) at once: per signed URL, per user (the URL's signed user
    # tag) and in all. Beyond them the answer is 429 at once. A player has one or two requests in flight.
    wait_per_url: int = 4
    wait_per_user: int = 8
    wait_total: int = 64
    wait_seconds: float = 20.0  # how long a request waits for its bytes (or a magnet's file list) before a 503

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> StreamServerSettings:
        return cls(
            secret=_secret(env, env.get("SEEN_STAGE", "local")),
            host=env.get("SEEN_STREAM_HOST") or cls.host,
            port=_int(env, "SEEN_STREAM_PORT", cls.port, 0),
            wait_per_url=_int(env, "SEEN_STREAM_WAIT_PER_URL", cls.wait_per_url, 1),
            wait_per_user=_int(env, "SEEN_STREAM_WAIT_PER_USER", cls.wait_per_user, 1),
            wait_total=_int(env, "SEEN_STREAM_WAIT_TOTAL", cls.wait_total, 1),
            wait_seconds=_seconds(env, "SEEN_STREAM_WAIT_SECONDS", cls.wait_seconds, 1.0),
        )
