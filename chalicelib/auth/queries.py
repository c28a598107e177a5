"""Auth's SQL: the named queries of ``db/queries/auth.sql``, typed."""

from __future__ import annotations

from datetime import datetime
from typing import TypedDict
from uuid import UUID

from chalicelib import db
from chalicelib.db import Conn


class UserRow(TypedDict):
    id: UUID
    email: str
    display_name: str | None
    role: str
    disabled_at: datetime | None
    created_at: datetime
    last_login_at: datetime | None


class RefreshTokenRow(TypedDict):
    id: int
    session_id: UUID
    generation: int
    expires_at: datetime
    rotated_at: datetime | None
    user_id: UUID
    revoked_at: datetime | None
    role: str
    disabled_at: datetime | None
    profile_id: UUID | None


class SessionStateRow(TypedDict):
    user_id: UUID
    revoked_at: datetime | None
    role: str
    disabled_at: datetime | None
    profile_id: UUID
    kind: str | None
    max_rating: str | None
    allowed_collections: list[UUID] | None


class UserWithPasswordRow(TypedDict):
    id: UUID
    email: str
    password_hash: str
    display_name: str | None
    role: str
    disabled_at: datetime | None
    created_at: datetime
    last_login_at: datetime | None


def any_user(conn: Conn) -> bool:
    return db.queries().auth_any_user(conn)


def change_password(conn: Conn, *, user_id: UUID, password_hash: str, now: datetime) -> None:
    db.queries().auth_change_password(conn, user_id=user_id, password_hash=password_hash, now=now)


def extend_session(conn: Conn, *, session_id: UUID, expires_at: datetime, now: datetime) -> None:
    db.queries().auth_extend_session(conn, session_id=session_id, expires_at=expires_at, now=now)


def insert_owner_profile(conn: Conn, *, user_id: UUID, name: str, now: datetime) -> None:
    db.queries().auth_insert_owner_profile(conn, user_id=user_id, name=name, now=now)


def insert_refresh_token(conn: Conn, *, session_id: UUID, generation: int, token_hash: bytes,
                         expires_at: datetime, now: datetime) -> None:
    db.queries().auth_insert_refresh_token(conn, session_id=session_id, generation=generation,
                                                  token_hash=token_hash, expires_at=expires_at, now=now)


def insert_session(conn: Conn, *, user_id: UUID, expires_at: datetime, user_agent: str | None, ip: str | None,
                   now: datetime) -> UUID:
    return db.queries().auth_insert_session(conn, user_id=user_id, expires_at=expires_at, user_agent=user_agent, ip=ip,
                                            now=now)


def insert_user(conn: Conn, *, email: str, password_hash: str, display_name: str | None, role: str,
                now: datetime) -> UserRow | None:
    return db.queries().auth_insert_user(conn, email=email, password_hash=password_hash, display_name=display_name,
                                         role=role, now=now)


def lock_refresh_token(conn: Conn, *, token_hash: bytes) -> RefreshTokenRow | None:
    return db.queries().auth_lock_refresh_token(conn, token_hash=token_hash)


def lock_registrations(conn: Conn) -> None:
    db.queries().auth_lock_registrations(conn)


def mark_rotated(conn: Conn, *, token_id: int, now: datetime) -> None:
    db.queries().auth_mark_rotated(conn, token_id=token_id, now=now)


def record_login(conn: Conn, *, user_id: UUID, now: datetime) -> None:
    db.queries().auth_record_login(conn, user_id=user_id, now=now)


def revoke_session(conn: Conn, *, session_id: UUID, reason: str, now: datetime) -> None:
    db.queries().auth_revoke_session(conn, session_id=session_id, reason=reason, now=now)


def revoke_user_sessions(conn: Conn, *, user_id: UUID, reason: str, now: datetime,
                         keep_session_id: UUID | None) -> int:
    return db.queries().auth_revoke_user_sessions(conn, user_id=user_id, reason=reason, now=now,
                                                  keep_session_id=keep_session_id)


def session_of_token(conn: Conn, *, token_hash: bytes) -> UUID | None:
    return db.queries().auth_session_of_token(conn, token_hash=token_hash)


def session_state(conn: Conn, *, session_id: UUID) -> SessionStateRow | None:
    return db.queries().auth_session_state(conn, session_id=session_id)


def set_session_profile(conn: Conn, *, session_id: UUID, user_id: UUID, profile_id: UUID, now: datetime) -> bool:
    return db.queries().auth_set_session_profile(conn, session_id=session_id, user_id=user_id, profile_id=profile_id,
                                                 now=now) is not None


def set_password_hash(conn: Conn, *, user_id: UUID, password_hash: str, now: datetime) -> None:
    db.queries().auth_set_password_hash(conn, user_id=user_id, password_hash=password_hash, now=now)


def touch_user(conn: Conn, *, user_id: UUID, now: datetime) -> None:
    db.queries().auth_touch_user(conn, user_id=user_id, now=now)


def update_display_name(conn: Conn, *, user_id: UUID, display_name: str | None, now: datetime) -> UserRow | None:
    return db.queries().auth_update_display_name(conn, user_id=user_id, display_name=display_name, now=now)


def user_by_email(conn: Conn, *, email: str) -> UserWithPasswordRow | None:
    return db.queries().auth_user_by_email(conn, email=email)


def user_by_id(conn: Conn, *, user_id: UUID) -> UserWithPasswordRow | None:
    return db.queries().auth_user_by_id(conn, user_id=user_id)
