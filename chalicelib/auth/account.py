"""The signed-in account (whichever household profile the session acts as): its name and password."""

from __future__ import annotations

import uuid

from chalicelib import clock, db, ratelimit
from chalicelib.auth import passwords, principals, queries
from chalicelib.auth.errors import SessionRevoked, WrongCurrentPassword
from chalicelib.auth.users import Principal, User
from chalicelib.config import get_settings
from chalicelib.db import Conn
from chalicelib.logs import get_logger


def get_me(principal: Principal) -> User:
    """The caller's account."""
    with db.connection() as conn:
        row = queries.user_by_id(conn, user_id=principal.account_id)
        if row is None:  # deleted between the auth check and now
            raise SessionRevoked("This account no longer exists")
        return User.from_row(row)


def update_me(principal: Principal, display_name: str | None) -> User:
    """Set (or clear, with None) the caller's display name."""
    with db.connection() as conn:
        row = queries.update_display_name(conn, user_id=principal.account_id, display_name=display_name,
                                          now=clock.now())
        if row is None:
            raise SessionRevoked("This account no longer exists")
        return User.from_row(row)


def check_password(conn: Conn, account_id: uuid.UUID, password: str, *, field: str) -> User:
    """The account once ``password`` is its password: 403 ``invalid_credentials`` naming ``field`` otherwise.

    Attempts are rate limited like logins (closed when Redis is down), so a session cannot guess it fast.
    """
    ratelimit.check_rate("password", account_id, get_settings().auth.login_per_email, fail_closed=True)
    row = queries.user_by_id(conn, user_id=account_id)
    if row is None:
        raise SessionRevoked("This account no longer exists")
    if not passwords.verify(row["password_hash"], password):
        raise WrongCurrentPassword("The password is wrong", fields={field: "does not match"})
    return User.from_row(row)


def change_password(principal: Principal, current_password: str, new_password: str) -> int:
    """Replace the password and revoke every *other* session; returns how many were revoked.

    Raises ``WrongCurrentPassword`` (403) or ``WeakPassword``; attempts are
    rate limited like logins, so a stolen access token cannot guess passwords fast.
    """
    with db.connection() as conn:
        user = check_password(conn, principal.account_id, current_password, field="currentPassword")
        passwords.check_policy(new_password, user.email, field="newPassword")
        new_hash = passwords.hash_password(new_password)
        now = clock.now()
        with conn.transaction():
            queries.change_password(conn, user_id=user.id, password_hash=new_hash, now=now)
            revoked = queries.revoke_user_sessions(conn, user_id=user.id, reason="password_changed", now=now,
                                                   keep_session_id=principal.session_id)
        principals.forget_user(user.id)  # committed: the other sessions' access tokens stop now
        get_logger().info("password changed", extra={"action": "password_changed", "user_id": str(user.id),
                                                     "sessions_revoked": revoked})
        return revoked
