"""argon2id password hashing (argon2-cffi) and the password policy.

Parameters come from ``AuthSettings`` (default: RFC 9106's second recommended
option, t=3, m=64 MiB, p=4). They are encoded in every hash, so changing them
keeps old hashes verifiable and ``needs_rehash`` upgrades a hash at the next
successful login.
"""

from __future__ import annotations

import secrets
from functools import lru_cache

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

from chalicelib.auth.errors import WeakPassword
from chalicelib.config import AuthSettings, get_settings

MIN_LENGTH = 10
MAX_LENGTH = 256


@lru_cache(maxsize=4)
def _hasher(time_cost: int, memory_kib: int, parallelism: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism, type=Type.ID)


def hasher(settings: AuthSettings | None = None) -> PasswordHasher:
    """The argon2id hasher for ``settings`` (the process's settings by default)."""
    settings = settings or get_settings().auth
    return _hasher(settings.argon2_time_cost, settings.argon2_memory_kib, settings.argon2_parallelism)


@lru_cache(maxsize=4)
def _dummy_hash(ph: PasswordHasher) -> str:
    # A hash of a random password nobody knows, with the live parameters, so an
    # unknown e-mail costs one full verification like a wrong password does.
    return ph.hash(secrets.token_urlsafe(32))


def hash_password(password: str) -> str:
    return hasher().hash(password)


def verify(password_hash: str | None, password: str) -> bool:
    """True when ``password`` matches; a missing hash still pays for one verification."""
    ph = hasher()
    try:
        return ph.verify(password_hash or _dummy_hash(ph), password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return hasher().check_needs_rehash(password_hash)


def check_policy(password: str, email: str, field: str = "password") -> None:
    """Raise ``WeakPassword`` unless 10-256 characters and not the e-mail address."""
    if len(password) < MIN_LENGTH:
        problem = f"must be at least {MIN_LENGTH} characters"
    elif len(password) > MAX_LENGTH:
        problem = f"must be at most {MAX_LENGTH} characters"
    elif password.strip().lower() == email.strip().lower():
        problem = "must not be your e-mail address"
    else:
        return
    raise WeakPassword(f"The password {problem}", fields={field: problem})
