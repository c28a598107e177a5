"""Admin user management: list and search, change role, disable and enable."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from chalicelib import clock, db
from chalicelib.admin import queries
from chalicelib.admin.queries import ManagedUserRow
from chalicelib.auth import queries as auth_queries
from chalicelib.auth.errors import SelfModification, UserNotFound
from chalicelib.auth.users import Principal
from chalicelib.logs import get_logger


@dataclass(frozen=True)
class ManagedUser:
    id: uuid.UUID
    email: str
    display_name: str | None
    role: str
    disabled_at: datetime | None
    created_at: datetime
    last_login_at: datetime | None
    last_active_at: datetime | None

    @classmethod
    def from_row(cls, row: ManagedUserRow) -> ManagedUser:
        return cls(**{name: row[name] for name in cls.__dataclass_fields__})


def _like_pattern(search: str | None) -> str:
    if not search:
        return "%"
    escaped = search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def list_users(*, search: str | None, page: int, page_size: int) -> tuple[list[ManagedUser], int]:
    """One page of accounts (oldest first) whose e-mail contains ``search``, and the total."""
    pattern = _like_pattern(search.lower() if search else None)
    with db.connection() as conn:
        rows = queries.list_users(conn, pattern=pattern, limit=page_size, offset=(page - 1) * page_size)
        total = queries.count_users(conn, pattern=pattern)
    return [ManagedUser.from_row(row) for row in rows], total


def _parse_id(user_id: str) -> uuid.UUID:
    try:
        return uuid.UUID(user_id)
    except ValueError:
        raise UserNotFound("No such user") from None


def _not_self(admin: Principal, target: uuid.UUID, what: str) -> None:
    # Refusing self-demotion and self-disable also guarantees at least one
    # active admin remains: whoever acts is one.
    if target == admin.user_id:
        raise SelfModification(f"You cannot {what} your own account")


def set_role(admin: Principal, user_id: str, role: str) -> ManagedUser:
    """Make a user an admin or a plain user; takes effect on their next request."""
    target = _parse_id(user_id)
    _not_self(admin, target, "change the role of")
    with db.connection() as conn:
        row = queries.set_role(conn, user_id=target, role=role, now=clock.now())
    if row is None:
        raise UserNotFound("No such user")
    get_logger().info("role changed", extra={"action": "user_role_changed", "user_id": str(target),
                                             "role": role, "by": str(admin.user_id)})
    return ManagedUser.from_row(row)


def set_disabled(admin: Principal, user_id: str, disabled: bool) -> ManagedUser:
    """Disable (every session revoked at once) or re-enable an account."""
    target = _parse_id(user_id)
    _not_self(admin, target, "disable" if disabled else "enable")
    now = clock.now()
    with db.transaction() as conn:
        row = queries.set_disabled(conn, user_id=target, disabled_at=now if disabled else None, now=now)
        if row is None:
            raise UserNotFound("No such user")
        if disabled:
            auth_queries.revoke_user_sessions(conn, user_id=target, reason="user_disabled", now=now,
                                              keep_session_id=None)
    get_logger().info("account disabled" if disabled else "account enabled", extra={
        "action": "user_disabled" if disabled else "user_enabled", "user_id": str(target),
        "by": str(admin.user_id)})
    return ManagedUser.from_row(row)
