"""Accounts and sessions: register, login, refresh (rotation + reuse detection), logout.

Functions take a connection in autocommit mode and open their own transaction
blocks, because some outcomes must be committed *and* reported as errors: a
reused refresh token revokes its session (committed) and then answers 401.
Slow work (argon2id) happens outside transactions and locks.
"""

from __future__ import annotations

import dataclasses
import uuid
from datetime import datetime, timedelta

from chalicelib import clock, db, ratelimit
from chalicelib.auth import passwords, principals, queries, throttle, tokens
from chalicelib.auth.errors import (
    AccountDisabled,
    EmailTaken,
    InvalidCredentials,
    InvalidToken,
    SessionRevoked,
    TokenExpired,
    Unauthenticated,
)
from chalicelib.auth.queries import RefreshTokenRow
from chalicelib.auth.users import ClientInfo, Issued, User
from chalicelib.config import get_settings
from chalicelib.db import Conn
from chalicelib.logs import get_logger


def _start_session(conn: Conn, user: User, client: ClientInfo, now: datetime) -> Issued:
    settings = get_settings().auth
    expires_at = now + timedelta(seconds=settings.refresh_ttl)
    session_id = queries.insert_session(conn, user_id=user.id, expires_at=expires_at,
                                        user_agent=client.user_agent, ip=client.ip, now=now)
    return _issue(conn, user, session_id, generation=0, now=now)


def _issue(conn: Conn, user: User, session_id: uuid.UUID, generation: int, now: datetime,
           profile_id: uuid.UUID | None = None) -> Issued:
    settings = get_settings().auth
    refresh_token, token_hash = tokens.new_refresh_token()
    queries.insert_refresh_token(conn, session_id=session_id, generation=generation, token_hash=token_hash,
                                 expires_at=now + timedelta(seconds=settings.refresh_ttl), now=now)
    profile_id = profile_id or user.id
    access = tokens.issue_access(user.id, user.role, session_id, now, profile_id)
    return Issued(user, session_id, access, settings.access_ttl, refresh_token, tokens.new_csrf_token(), profile_id)


def owner_profile_name(user: User) -> str:
    """The first profile's name: the display name, else the e-mail's local part (1-40 characters)."""
    for candidate in (user.display_name, user.email.split("@")[0], "Me"):
        name = (candidate or "").strip()[:40].strip()
        if name:
            return name
    return "Me"


def _initial_role(conn: Conn, email: str) -> str:
    admin_email = get_settings().auth.admin_email
    if admin_email is not None:
        return "admin" if email == admin_email else "user"
    return "user" if queries.any_user(conn) else "admin"


def register(conn: Conn, *, email: str, password: str, display_name: str | None, client: ClientInfo) -> Issued:
    """Create an account and log it in. The first account (or SEEN_ADMIN_EMAIL's) is admin.

    Raises ``WeakPassword`` or ``EmailTaken``; on any error no row is written.
    """
    passwords.check_policy(password, email)
    password_hash = passwords.hash_password(password)
    now = clock.now()
    with conn.transaction():
        queries.lock_registrations(conn)
        role = _initial_role(conn, email)
        row = queries.insert_user(conn, email=email, password_hash=password_hash, display_name=display_name,
                                  role=role, now=now)
        if row is None:
            raise EmailTaken("An account with this e-mail already exists", fields={"email": "already registered"})
        user = User.from_row(row)
        queries.insert_owner_profile(conn, user_id=user.id, name=owner_profile_name(user), now=now)
        issued = _start_session(conn, user, client, now)
    get_logger().info("user registered", extra={"action": "user_registered", "user_id": str(user.id),
                                                "role": role, "session_id": str(issued.session_id)})
    return issued


def register_account(*, email: str, password: str, display_name: str | None, client: ClientInfo) -> Issued:
    """``register`` on a connection of its own (the API's sign-up)."""
    with db.connection() as conn:
        return register(conn, email=email, password=password, display_name=display_name, client=client)


def login(*, email: str, password: str, client: ClientInfo) -> Issued:
    """Check the password and open a session.

    An unknown e-mail verifies against a dummy hash, so it costs the same and
    answers the same ``InvalidCredentials`` as a wrong password. Throttled by
    ``throttle`` (``errors.RateLimited``): only failures count, after the check.
    """
    with db.connection() as conn:
        throttle.before_login(email, client.ip)
        row = queries.user_by_email(conn, email=email)
        # verify runs without an account too (same time either way); then ``row is None`` only narrows the type
        if not passwords.verify(row["password_hash"] if row else None, password) or row is None:
            throttle.failed(email, client.ip)
            get_logger().info("login failed", extra={"action": "login_failed", "known_account": row is not None})
            raise InvalidCredentials("The e-mail or password is wrong")
        throttle.succeeded(email, client.ip)
        user = User.from_row(row)
        if user.disabled_at is not None:
            raise AccountDisabled("This account is disabled")
        now = clock.now()
        user = dataclasses.replace(user, last_login_at=now)
        with conn.transaction():
            if passwords.needs_rehash(row["password_hash"]):
                queries.set_password_hash(conn, user_id=user.id, password_hash=passwords.hash_password(password),
                                          now=now)
            queries.record_login(conn, user_id=user.id, now=now)
            issued = _start_session(conn, user, client, now)
        get_logger().info("login", extra={"action": "login_succeeded", "user_id": str(user.id),
                                          "session_id": str(issued.session_id)})
        return issued


def refresh(conn: Conn, refresh_token: str | None) -> Issued:
    """Rotate a refresh token: the presented one is spent, a new one is issued.

    Presenting a spent token is reuse: the whole session is revoked (committed)
    and ``SessionRevoked`` is raised. Also raises ``InvalidToken``,
    ``TokenExpired``, ``AccountDisabled``, ``errors.RateLimited``.
    """
    if not refresh_token:
        raise Unauthenticated("No refresh token was sent")
    now = clock.now()
    with conn.transaction():
        row = queries.lock_refresh_token(conn, token_hash=tokens.hash_refresh(refresh_token))
        if row is None:
            raise InvalidToken("The refresh token is not valid")
        issued = _rotate(conn, row, now)
    if issued is None:
        principals.forget_session(row["user_id"], row["session_id"])  # committed: its access tokens stop now
        get_logger().warning("refresh token reused; session revoked", extra={
            "action": "refresh_reuse_detected", "user_id": str(row["user_id"]), "session_id": str(row["session_id"])})
        raise SessionRevoked("This session was revoked: its refresh token had already been used")
    return issued


def _rotate(conn: Conn, row: RefreshTokenRow, now: datetime) -> Issued | None:
    """Rotate the locked token ``row``; None means reuse (the session is now revoked)."""
    if row["disabled_at"] is not None:
        raise AccountDisabled("This account is disabled")
    if row["revoked_at"] is not None:
        raise SessionRevoked("This session has been revoked")
    if row["rotated_at"] is not None:
        queries.revoke_session(conn, session_id=row["session_id"], reason="reuse_detected", now=now)
        return None
    if row["expires_at"] <= now:
        raise TokenExpired("The refresh token has expired; log in again")
    ratelimit.check_rate("refresh", row["session_id"], get_settings().auth.refresh_per_session)
    queries.mark_rotated(conn, token_id=row["id"], now=now)
    user_row = queries.user_by_id(conn, user_id=row["user_id"])
    assert user_row is not None  # sessions reference their user (ON DELETE CASCADE)
    # the session keeps acting as the profile it selected (POST /api/v1/me/profiles/{id}/select)
    issued = _issue(conn, User.from_row(user_row), row["session_id"], row["generation"] + 1, now, row["profile_id"])
    queries.extend_session(conn, session_id=row["session_id"], expires_at=now + timedelta(
        seconds=get_settings().auth.refresh_ttl), now=now)
    queries.touch_user(conn, user_id=row["user_id"], now=now)
    if row["profile_id"] is not None and row["profile_id"] != row["user_id"]:
        queries.touch_user(conn, user_id=row["profile_id"], now=now)  # its recommendations stay fresh
    get_logger().info("session refreshed", extra={"action": "refresh_rotated", "user_id": str(row["user_id"]),
                                                  "session_id": str(row["session_id"]),
                                                  "generation": row["generation"] + 1})
    return issued


def refresh_session(refresh_token: str | None) -> Issued:
    """``refresh`` on a connection of its own (the API's token rotation)."""
    with db.connection() as conn:
        return refresh(conn, refresh_token)


def logout(refresh_token: str | None) -> None:
    """Revoke the session the refresh token belongs to (rotated or not). Idempotent."""
    with db.connection() as conn:
        if not refresh_token:
            return
        session_id = queries.session_of_token(conn, token_hash=tokens.hash_refresh(refresh_token))
        if session_id is not None:
            queries.revoke_session(conn, session_id=session_id, reason="logout", now=clock.now())
            state = queries.session_state(conn, session_id=session_id)
            if state is not None:
                principals.forget_session(state["user_id"], session_id)
            get_logger().info("logout", extra={"action": "logout", "session_id": str(session_id)})


def logout_all(user_id: uuid.UUID) -> int:
    """Revoke every session of the user (this one included); returns how many."""
    with db.connection() as conn:
        count = queries.revoke_user_sessions(conn, user_id=user_id, reason="logout_all", now=clock.now(),
                                             keep_session_id=None)
        principals.forget_user(user_id)
        get_logger().info("logout everywhere", extra={"action": "logout_all", "user_id": str(user_id),
                                                      "sessions": count})
        return count


def act_as(conn: Conn, *, account_id: uuid.UUID, session_id: uuid.UUID, profile_id: uuid.UUID) -> Issued:
    """Make the live session act as ``profile_id`` (already checked to be one of the account's) and issue
    its access token; the refresh token is not rotated (the next refresh keeps the profile).

    The session's older access tokens stop working at once (401 ``profile_changed``). Raises
    ``SessionRevoked`` when the session ended meanwhile. ``Issued.refresh_token`` is empty: no cookie
    changes but the CSRF one.
    """
    now = clock.now()
    with conn.transaction():
        if not queries.set_session_profile(conn, session_id=session_id, user_id=account_id, profile_id=profile_id,
                                           now=now):
            raise SessionRevoked("This session has been revoked; log in again")
        queries.touch_user(conn, user_id=profile_id, now=now)
        user_row = queries.user_by_id(conn, user_id=account_id)
    if user_row is None:
        raise SessionRevoked("This account no longer exists")
    principals.forget_session(account_id, session_id)  # committed: the cached profile of this session is stale
    user = User.from_row(user_row)
    settings = get_settings().auth
    access = tokens.issue_access(user.id, user.role, session_id, now, profile_id)
    get_logger().info("profile selected", extra={"action": "profile_selected", "user_id": str(account_id),
                                                 "session_id": str(session_id), "profile_id": str(profile_id)})
    return Issued(user, session_id, access, settings.access_ttl, "", tokens.new_csrf_token(), profile_id)
