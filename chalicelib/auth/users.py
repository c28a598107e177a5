"""Typed account and principal objects, built where rows are read."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

ROLES = ("user", "admin")


@dataclass(frozen=True)
class Principal:
    """Who is calling: passed to views as ``principal=``. ``role`` is read per request."""

    user_id: uuid.UUID
    role: str
    session_id: uuid.UUID

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


@dataclass(frozen=True)
class User:
    id: uuid.UUID
    email: str
    display_name: str | None
    role: str
    disabled_at: datetime | None
    created_at: datetime
    last_login_at: datetime | None

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> User:
        return cls(row["id"], row["email"], row["display_name"], row["role"], row["disabled_at"],
                   row["created_at"], row["last_login_at"])


@dataclass(frozen=True)
class ClientInfo:
    """Where a login comes from, recorded on the session (ip may be None)."""

    ip: str | None = None
    user_agent: str | None = None


@dataclass(frozen=True)
class Issued:
    """A fresh access token plus the refresh/CSRF pair that goes into cookies."""

    user: User
    session_id: uuid.UUID
    access_token: str
    expires_in: int
    refresh_token: str
    csrf_token: str
