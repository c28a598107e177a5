"""Typed account and principal objects, built where rows are read."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from chalicelib import contentrating
from chalicelib.contentrating import Limit

ROLES = ("user", "admin")


@dataclass(frozen=True)
class ActingProfile:
    """The household profile a session acts as, as the per-request check needs it (kept in the principal cache)."""

    id: uuid.UUID
    kind: str = "adult"
    limit: Limit | None = None

    @classmethod
    def of(cls, profile_id: uuid.UUID, kind: str | None, max_rating: str | None,
           allowed_collections: Any) -> ActingProfile:
        """From stored columns; a missing profiles row is an adult (an account made before its profile row)."""
        kind = kind or "adult"
        collections = tuple(allowed_collections or ())
        try:
            limit = contentrating.limit_for(kind, max_rating, collections)
        except ValueError:  # a label the rating tables no longer know: the strictest default, never none
            limit = contentrating.limit_for(kind, None, collections)
        return cls(profile_id, kind, limit)

    def encode(self) -> str:
        """``<id>|<kind>|<max age>|<collection,...>``: no spaces (the cache value is space separated)."""
        if self.limit is None:
            return f"{self.id}|{self.kind}||"
        return f"{self.id}|{self.kind}|{self.limit.max_age}|{','.join(str(c) for c in self.limit.collections)}"

    @classmethod
    def decode(cls, text: str) -> ActingProfile | None:
        """The inverse of ``encode``; None for anything else (an entry written before profiles)."""
        try:
            raw_id, kind, age, collections = text.split("|")
            limit = None if kind == "adult" else Limit(
                int(age), tuple(uuid.UUID(c) for c in collections.split(",") if c))
            return cls(uuid.UUID(raw_id), kind, limit) if kind in contentrating.PROFILE_KINDS else None
        except ValueError:
            return None


@dataclass(frozen=True)
class Principal:
    """Who is calling: passed to views as ``principal=``. ``role`` is read per request.

    ``user_id`` is the ACTING PROFILE's id: every user-owned row (history, progress, ratings, watch later,
    follows, recommendations, preferences, collections, playback) is scoped to the profile by it.
    ``account_id`` is the signed-in account (the owner profile's id too): household things (instance,
    indexer and credential settings, media-server links, downloads) and the account itself use it.
    ``limit`` is what a kid profile may see (None for adults); ``chalicelib.contentrating`` defines it.
    """

    user_id: uuid.UUID
    role: str
    session_id: uuid.UUID
    account_id: uuid.UUID
    profile_kind: str = "adult"
    limit: Limit | None = None

    @property
    def is_owner(self) -> bool:
        """Acting as the account's own (first) profile."""
        return self.user_id == self.account_id

    @property
    def is_kid(self) -> bool:
        return self.profile_kind == "kid"

    @property
    def is_admin(self) -> bool:
        """An admin account acting as its owner profile (never another profile of the household)."""
        return self.role == "admin" and self.is_owner


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
    profile_id: uuid.UUID | None = None  # the profile the access token acts as (None: the account's own)
