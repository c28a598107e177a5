"""``require_user`` / ``require_admin``: the authenticators every protected route uses.

Per request: verify the JWT (signature, shape, expiry), then check the
session and its user, so a revoked session, a disabled account or a changed
role takes effect on the very next request rather than when the access token
expires. A successful check is cached in Redis (``principals``: one HMGET on
the warm path, invalidated by whatever ends a session or changes a user);
a miss reads the session and its user by primary key.
"""

from __future__ import annotations

from typing import Any

from chalicelib import db
from chalicelib.auth import principals, queries, tokens
from chalicelib.auth.errors import AccountDisabled, AdminRequired, SessionRevoked, Unauthenticated
from chalicelib.auth.users import Principal


def bearer_token(request: Any) -> str:
    header = (request.headers.get("authorization") or "").strip()
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("An access token is required (Authorization: Bearer <token>)")
    return token.strip()


def principal_for(token: str) -> Principal:
    """Authenticate an access token against the live session state."""
    claims = tokens.decode_access(token)
    seen = principals.lookup(claims.user_id, claims.session_id)
    if seen.role is not None:
        return Principal(user_id=claims.user_id, role=seen.role, session_id=claims.session_id)
    with db.connection() as conn:
        state = queries.session_state(conn, session_id=claims.session_id)
    if state is None or state["user_id"] != claims.user_id:
        raise SessionRevoked("This session has been revoked; log in again")
    if state["disabled_at"] is not None:
        raise AccountDisabled("This account is disabled")
    if state["revoked_at"] is not None:
        raise SessionRevoked("This session has been revoked; log in again")
    principals.remember(claims.user_id, claims.session_id, state["role"], seen)
    return Principal(user_id=claims.user_id, role=state["role"], session_id=claims.session_id)


def require_user(request: Any) -> Principal:
    """The authenticated caller, or 401 (``unauthorized``, ``invalid_token``, ``token_expired``,
    ``session_revoked``) / 403 (``account_disabled``)."""
    return principal_for(bearer_token(request))


def require_admin(request: Any) -> Principal:
    """Like ``require_user``, and 403 ``forbidden`` unless the caller is an admin."""
    principal = require_user(request)
    if not principal.is_admin:
        raise AdminRequired("This needs an admin account")
    return principal
