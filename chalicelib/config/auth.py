"""Accounts and sessions settings."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass, field

from ._env import ConfigError, RateLimit, _bool, _int, _list, _rate, _seconds

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
# `make dev` and the tests run the production server on loopback (python -m server).
LOCAL_PROXIES = ("127.0.0.1/32", "::1/128")


def _networks(env: Mapping[str, str], name: str, default: tuple[str, ...]) -> tuple[Network, ...]:
    try:
        return tuple(ipaddress.ip_network(part) for part in _list(env, name, default))
    except ValueError as exc:
        raise ConfigError(f"{name} must be a comma-separated list of CIDR networks: {exc}") from None

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
    # Proxies whose X-Forwarded-For entries are believed (walked from the right); none: the connection's address.
    trusted_proxies: tuple[Network, ...] = ()
    # argon2id: RFC 9106's second recommended option (t=3, 64 MiB, p=4).
    argon2_time_cost: int = 3
    argon2_memory_kib: int = 64 * 1024
    argon2_parallelism: int = 4
    login_per_ip: RateLimit = RateLimit(20, 300)
    login_per_account_ip: RateLimit = RateLimit(5, 900)  # failures for one account from one address: 429
    # Failures for one account from anywhere before its failing clients slow down (also: password changes).
    login_per_email: RateLimit = RateLimit(10, 900)
    login_slowdown_max: float = 10.0  # the slowdown doubles per failure up to this many seconds
    register_per_ip: RateLimit = RateLimit(10, 3600)
    refresh_per_session: RateLimit = RateLimit(30, 60)  # every page load and tab refreshes once
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
            trusted_proxies=_networks(env, "SEEN_TRUSTED_PROXIES", LOCAL_PROXIES if stage in ("local", "test") else ()),
            argon2_time_cost=_int(env, "SEEN_ARGON2_TIME_COST", cls.argon2_time_cost, 1),
            argon2_memory_kib=_int(env, "SEEN_ARGON2_MEMORY_KIB", cls.argon2_memory_kib, 8 * 1024),
            argon2_parallelism=_int(env, "SEEN_ARGON2_PARALLELISM", cls.argon2_parallelism, 1),
            login_per_ip=_rate(env, "SEEN_RATE_LOGIN_IP", cls.login_per_ip),
            login_per_account_ip=_rate(env, "SEEN_RATE_LOGIN_ACCOUNT_IP", cls.login_per_account_ip),
            login_per_email=_rate(env, "SEEN_RATE_LOGIN_EMAIL", cls.login_per_email),
            login_slowdown_max=_seconds(env, "SEEN_LOGIN_SLOWDOWN_MAX", cls.login_slowdown_max, 1),
            register_per_ip=_rate(env, "SEEN_RATE_REGISTER_IP", cls.register_per_ip),
            refresh_per_session=_rate(env, "SEEN_RATE_REFRESH_SESSION", cls.refresh_per_session),
            search_per_user=_rate(env, "SEEN_RATE_SEARCH_USER", cls.search_per_user),
        )
