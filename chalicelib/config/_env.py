"""Parsers for environment values: each failure names its variable."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


class ConfigError(RuntimeError):
    """A missing or contradictory setting; the message names the variable."""


# Secrets that may come from a file (Docker/compose secrets, systemd LoadCredential=): X_FILE names the file.
SECRET_FILE_VARS = ("SEEN_JWT_SECRET", "SEEN_STREAM_SECRET", "SEEN_SETTINGS_KEY", "DATABASE_URL", "REDIS_URL")
# The worker never holds database or cache credentials, not even from a file.
WORKER_SECRET_FILE_VARS = ("SEEN_STREAM_SECRET",)


def with_secret_files(env: Mapping[str, str], names: tuple[str, ...] = SECRET_FILE_VARS) -> Mapping[str, str]:
    """``env`` with each unset ``X`` in ``names`` read from the file ``X_FILE`` names.

    Secrets then stay out of the process environment listing and out of images;
    a set ``X`` wins over its file. One trailing newline (what ``echo`` and
    editors add) is dropped. The error names the variable and the file, never the value.
    """
    filled: dict[str, str] = {}
    for name in names:
        path = env.get(f"{name}_FILE")
        if not path or env.get(name):
            continue
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            reason = getattr(exc, "strerror", None) or type(exc).__name__
            raise ConfigError(f"{name}_FILE: cannot read {path} ({reason})") from None
        filled[name] = text.removesuffix("\n").removesuffix("\r")
    return {**env, **filled} if filled else env


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


def _seconds(env: Mapping[str, str], name: str, default: float, minimum: float = 0.0) -> float:
    value = _float(env, name, default)
    if value < minimum:
        raise ConfigError(f"{name} must be >= {minimum:g} seconds, got {value:g}")
    return value
