"""Access tokens (HS256 JWT) and refresh/CSRF tokens (random, urlsafe).

Access token claims: ``sub`` (the account's user id), ``role``, ``sid``
(session id), ``pid`` (the household profile the session acts as; absent in
tokens issued before profiles, meaning the account's own profile), ``iat``,
``exp``, ``typ`` = "access". Expiry is checked against
``chalicelib.clock`` rather than pyjwt's own clock so tests can move time.
A refresh token is 32 random bytes; only its sha256 is stored.

Every request verifies its access token, and a client sends the same one for
minutes: a verified token's claims are kept in process (keyed by the secret
and the token), so later requests skip the HMAC and JSON work. Expiry is still
checked on every use.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime

import jwt

from chalicelib import clock
from chalicelib.auth.errors import InvalidToken, TokenExpired
from chalicelib.config import get_settings

ALGORITHM = "HS256"
ACCESS_TYPE = "access"
_REQUIRED = ["sub", "sid", "role", "iat", "exp", "typ"]


@dataclass(frozen=True)
class AccessClaims:
    user_id: uuid.UUID
    session_id: uuid.UUID
    role: str
    expires_at: float
    profile_id: uuid.UUID  # the acting profile; the account's own id (= user_id) for its owner profile


def issue_access(user_id: uuid.UUID, role: str, session_id: uuid.UUID, now: datetime | None = None,
                 profile_id: uuid.UUID | None = None) -> str:
    """A signed access token for one session acting as ``profile_id`` (default: the account's own profile),
    valid for ``access_ttl`` seconds."""
    settings = get_settings().auth
    issued = int((now or clock.now()).timestamp())
    claims = {"sub": str(user_id), "sid": str(session_id), "pid": str(profile_id or user_id), "role": role,
              "typ": ACCESS_TYPE, "iat": issued, "exp": issued + settings.access_ttl}
    return jwt.encode(claims, settings.jwt_secret, algorithm=ALGORITHM)


_VERIFIED: dict[tuple[str, str], AccessClaims] = {}
_VERIFIED_MAX = 4096


def decode_access(token: str) -> AccessClaims:
    """Verify signature, shape and expiry; raise ``InvalidToken`` or ``TokenExpired``."""
    key = (get_settings().auth.jwt_secret, token)
    parsed = _VERIFIED.get(key)
    if parsed is None:
        parsed = _verify(token)
        if len(_VERIFIED) >= _VERIFIED_MAX:
            _VERIFIED.clear()
        _VERIFIED[key] = parsed
    if parsed.expires_at <= clock.timestamp():
        raise TokenExpired("The access token has expired")
    return parsed


def _verify(token: str) -> AccessClaims:
    """Signature and shape (not expiry) of an access token; ``InvalidToken`` when wrong."""
    try:
        claims = jwt.decode(token, get_settings().auth.jwt_secret, algorithms=[ALGORITHM],
                            options={"require": _REQUIRED, "verify_exp": False, "verify_iat": False})
        user_id = uuid.UUID(claims["sub"])
        profile_id = uuid.UUID(claims["pid"]) if "pid" in claims else user_id
        parsed = AccessClaims(user_id, uuid.UUID(claims["sid"]), str(claims["role"]), float(claims["exp"]),
                              profile_id)
    except (jwt.InvalidTokenError, ValueError, TypeError, AttributeError):
        raise InvalidToken("The access token is not valid") from None
    if claims["typ"] != ACCESS_TYPE:
        raise InvalidToken("The access token is not valid")
    return parsed


def new_refresh_token() -> tuple[str, bytes]:
    """A new refresh token and the sha256 digest that is stored in its place."""
    token = secrets.token_urlsafe(32)
    return token, hash_refresh(token)


def hash_refresh(token: str) -> bytes:
    # High-entropy random value: a fast hash is enough, a slow one buys nothing.
    return hashlib.sha256(token.encode()).digest()


def new_csrf_token() -> str:
    return secrets.token_urlsafe(24)
