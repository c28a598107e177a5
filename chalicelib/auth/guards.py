"""``require_user`` / ``require_adult`` / ``require_admin``: the authenticators every protected route uses.

Per request: verify the JWT (signature, shape, expiry), then check the
session and its user, so a revoked session, a disabled account or a changed
role takes effect on the very next request rather than when the access token
expires. A successful check is cached in Redis (``principals``: one HMGET on
the warm path, invalidated by whatever ends a session or changes a user);
a miss reads the session and its user by primary key.

The principal acts as the household profile its session selected (``Principal.user_id``); the
account stays in ``Principal.account_id``.
"""

from __future__ import annotations

from typing import Any

from chalicelib import db
from chalicelib.auth import principals, queries, tokens
from chalicelib.auth.errors import (
    AccountDisabled,
    AdminRequired,
    NotForKids,
    ProfileChanged,
    SessionRevoked,
    Unauthenticated,
)
from chalicelib.auth.users import ActingProfile, Principal


def bearer_token(request: Any) -> str:
    header = (request.headers.get("authorization") or "").strip()
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("An access token is required (Authorization: Bearer <token>)")
    return token.strip()


def principal_for(token: str) -> Principal:
    """Authenticate an access token against the live session state.

    The token's ``pid`` must be the profile its session acts as now: selecting another profile makes the
    session's older access tokens answer 401 ``profile_changed`` (a refresh brings one for the new profile).
    """
    claims = tokens.decode_access(token)
    seen = principals.lookup(claims.user_id, claims.session_id)
    if seen.role is not None:
        cached = ActingProfile.decode(seen.profile)
        if cached is not None and cached.id == claims.profile_id:
            return _principal(claims, seen.role, cached)
    with db.connection() as conn:
        state = queries.session_state(conn, session_id=claims.session_id)
    if state is None or state["user_id"] != claims.user_id:
        raise SessionRevoked("This session has been revoked; log in again")
    if state["disabled_at"] is not None:
        raise AccountDisabled("This account is disabled")
    if state["revoked_at"] is not None:
        raise SessionRevoked("This session has been revoked; log in again")
    acting = ActingProfile.of(state["profile_id"], state["kind"], state["max_rating"], state["allowed_collections"])
    if acting.id != claims.profile_id:
        raise ProfileChanged("This session now acts as another profile; refresh the access token")
    principals.remember(claims.user_id, claims.session_id, state["role"], seen, acting.encode())
    return _principal(claims, state["role"], acting)


def _principal(claims: tokens.AccessClaims, role: str, acting: ActingProfile) -> Principal:
    return Principal(user_id=acting.id, role=role, session_id=claims.session_id, account_id=claims.user_id,
                     profile_kind=acting.kind, limit=acting.limit)


def require_user(request: Any) -> Principal:
    """The authenticated caller, or 401 (``unauthorized``, ``invalid_token``, ``token_expired``,
    ``session_revoked``) / 403 (``account_disabled``)."""
    return principal_for(bearer_token(request))


def require_adult(request: Any) -> Principal:
    """Like ``require_user``, and 403 ``not_for_kids`` when the session acts as a kid profile (Get,
    downloads, settings, imports, media-server links)."""
    principal = require_user(request)
    if principal.is_kid:
        raise NotForKids("This is not available to a kid profile")
    return principal


def require_admin(request: Any) -> Principal:
    """Like ``require_user``, and 403 ``forbidden`` unless the caller is an admin acting as its own
    (owner) profile; a kid profile gets 403 ``not_for_kids``."""
    principal = require_adult(request)
    if not principal.is_admin:
        raise AdminRequired("This needs an admin account")
    return principal
