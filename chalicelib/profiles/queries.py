"""Profiles' SQL: the named queries of ``db/queries/profiles.sql``, typed."""

from __future__ import annotations

from datetime import datetime
from typing import TypedDict
from uuid import UUID

from chalicelib import db
from chalicelib.db import Conn


class ProfileRow(TypedDict):
    id: UUID
    account_id: UUID
    name: str
    kind: str
    max_rating: str | None
    allowed_collections: list[UUID]
    pin_hash: str | None
    avatar: str | None
    color: str | None
    theme: str
    created_at: datetime
    updated_at: datetime


def ensure_owner(conn: Conn, *, account_id: UUID, now: datetime) -> None:
    db.queries().profiles_ensure_owner(conn, account_id=account_id, now=now)


def lock_account(conn: Conn, *, account_id: UUID) -> None:
    db.queries().profiles_lock_account(conn, account_id=account_id)


def list_profiles(conn: Conn, *, account_id: UUID) -> list[ProfileRow]:
    return list(db.queries().profiles_list(conn, account_id=account_id))


def get(conn: Conn, *, account_id: UUID, profile_id: UUID) -> ProfileRow | None:
    return db.queries().profiles_get(conn, account_id=account_id, profile_id=profile_id)


def count(conn: Conn, *, account_id: UUID) -> int:
    return db.queries().profiles_count(conn, account_id=account_id)


def has_kid(conn: Conn, *, account_id: UUID) -> bool:
    return bool(db.queries().profiles_has_kid(conn, account_id=account_id))


def name_taken(conn: Conn, *, account_id: UUID, name: str, except_id: UUID | None) -> bool:
    return db.queries().profiles_name_taken(conn, account_id=account_id, name=name, except_id=except_id)


def foreign_collections(conn: Conn, *, account_id: UUID, collection_ids: list[UUID]) -> list[UUID]:
    rows = db.queries().profiles_foreign_collections(conn, account_id=account_id, collection_ids=collection_ids)
    return [row["id"] for row in rows]


def insert_user(conn: Conn, *, account_id: UUID, now: datetime) -> UUID:
    return db.queries().profiles_insert_user(conn, account_id=account_id, now=now)


def insert(conn: Conn, *, profile_id: UUID, account_id: UUID, name: str, kind: str, max_rating: str | None,
           allowed_collections: list[UUID], avatar: str | None, color: str | None, pin_hash: str | None,
           now: datetime) -> None:
    db.queries().profiles_insert(conn, profile_id=profile_id, account_id=account_id, name=name, kind=kind,
                                 max_rating=max_rating, allowed_collections=allowed_collections, avatar=avatar,
                                 color=color, pin_hash=pin_hash, now=now)


def update(conn: Conn, *, account_id: UUID, profile_id: UUID, name: str, kind: str, max_rating: str | None,
           allowed_collections: list[UUID], avatar: str | None, color: str | None, now: datetime) -> None:
    db.queries().profiles_update(conn, account_id=account_id, profile_id=profile_id, name=name, kind=kind,
                                 max_rating=max_rating, allowed_collections=allowed_collections, avatar=avatar,
                                 color=color, now=now)


def set_pin(conn: Conn, *, account_id: UUID, profile_id: UUID, pin_hash: str | None, now: datetime) -> None:
    db.queries().profiles_set_pin(conn, account_id=account_id, profile_id=profile_id, pin_hash=pin_hash, now=now)


def set_theme(conn: Conn, *, profile_id: UUID, theme: str, now: datetime) -> None:
    db.queries().profiles_set_theme(conn, profile_id=profile_id, theme=theme, now=now)


def delete(conn: Conn, *, account_id: UUID, profile_id: UUID) -> bool:
    return db.queries().profiles_delete(conn, account_id=account_id, profile_id=profile_id) is not None


def media_allowed(conn: Conn, *, media_id: int, max_age: int | None, collections: list[UUID]) -> bool:
    return bool(db.queries().guard_media_allowed(conn, media_id=media_id, max_age=max_age, collections=collections))


def library_item_allowed(conn: Conn, *, item_id: UUID, max_age: int | None, collections: list[UUID]) -> bool:
    return bool(db.queries().guard_library_item_allowed(conn, item_id=item_id, max_age=max_age,
                                                        collections=collections))

