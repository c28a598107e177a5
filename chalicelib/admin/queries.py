"""Admin's SQL: the named queries of ``db/queries/admin.sql`` and ``admin_ops.sql``, typed."""

from __future__ import annotations

from datetime import datetime
from typing import TypedDict
from uuid import UUID

from chalicelib import db
from chalicelib.db import Conn


class ManagedUserRow(TypedDict):
    id: UUID
    email: str
    display_name: str | None
    role: str
    disabled_at: datetime | None
    created_at: datetime
    last_login_at: datetime | None
    last_active_at: datetime | None


class SyncJobRow(TypedDict):
    job_name: str
    last_started_at: datetime | None
    last_finished_at: datetime | None
    last_status: str | None
    last_error: str | None
    duration_ms: int | None
    last_success_at: datetime | None
    consecutive_failures: int
    stats: dict[str, object] | None


class StorageRow(TypedDict):
    media_type: str
    files: int
    bytes: int


# --- accounts -------------------------------------------------------------------------------------


def list_users(conn: Conn, *, pattern: str, limit: int, offset: int) -> list[ManagedUserRow]:
    return list(db.queries().admin_list_users(conn, pattern=pattern, limit=limit, offset=offset))


def count_users(conn: Conn, *, pattern: str) -> int:
    return db.queries().admin_count_users(conn, pattern=pattern)


def set_role(conn: Conn, *, user_id: UUID, role: str, now: datetime) -> ManagedUserRow | None:
    return db.queries().admin_set_role(conn, user_id=user_id, role=role, now=now)


def set_disabled(conn: Conn, *, user_id: UUID, disabled_at: datetime | None, now: datetime) -> ManagedUserRow | None:
    return db.queries().admin_set_disabled(conn, user_id=user_id, disabled_at=disabled_at, now=now)


# --- operations -----------------------------------------------------------------------------------


def sync_jobs(conn: Conn) -> list[SyncJobRow]:
    return list(db.queries().admin_ops_sync_jobs(conn))


def sync_job(conn: Conn, *, job_name: str) -> SyncJobRow | None:
    return db.queries().admin_ops_sync_job(conn, job_name=job_name)


def storage(conn: Conn) -> list[StorageRow]:
    return list(db.queries().admin_ops_storage(conn))
