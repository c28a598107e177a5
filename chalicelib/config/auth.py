"""Accounts and sessions settings."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ._env import ConfigError, RateLimit, _bool, _int, _rate

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
