"""Downloads' SQL: the named queries of ``db/queries/downloads.sql`` and ``download_uploads.sql``, typed."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TypedDict
from uuid import UUID

from chalicelib import db
from chalicelib.db import Conn
from chalicelib.messages import SourceType


class JobRow(TypedDict):
    id: UUID
    user_id: UUID
    source_type: SourceType
    source: str | None
    torrent_key: str | None
    info_hash: str | None
    title: str | None
    status: str
    attempt: int
    retry_count: int
    progress: Decimal
    bytes_done: int
    bytes_total: int | None
    error_code: str | None
    error_message: str | None
    idempotency_key: str | None
    idempotency_fingerprint: bytes | None
    worker_id: str | None
    cancel_requested_at: datetime | None
    last_event_at: datetime | None
    next_retry_at: datetime | None
    command_sent_at: datetime | None
    created_at: datetime
    updated_at: datetime
    started_at: datetime | None
    completed_at: datetime | None
    ended_at: datetime | None
    queued_reason: str | None
    media_id: int | None
    season: int | None
    episode: int | None


class SubtitleRow(TypedDict):
    language: str
    label: str | None
    storage_key: str


class UploadRow(TypedDict):
    id: UUID
    user_id: UUID
    object_key: str
    max_bytes: int
    created_at: datetime
    usable_until: datetime
    used_at: datetime | None


class EventRow(TypedDict):
    id: int
    at: datetime
    from_status: str | None
    to_status: str
    attempt: int
    progress: Decimal | None
    actor: str
    message: str | None
    data: dict[str, object]


class FileRow(TypedDict):
    id: UUID
    path: str
    storage_key: str
    size_bytes: int
    sha256: str | None
    stored_at: datetime


class SlotHolderRow(TypedDict):
    user_id: UUID
    n: int


class TitleRow(TypedDict):
    job_id: UUID
    media: dict[str, object]
    parsed: dict[str, object]


class UsedUploadRow(TypedDict):
    id: UUID


class WaitingJobRow(JobRow):
    """A job waiting for a slot, with its place in its user's queue."""

    user_rank: int


def apply_state(conn: Conn, *, job_id: UUID | str, status: str, progress: Decimal | float, bytes_done: int,
                bytes_total: int | None, error_code: str | None, error_message: str | None, worker_id: str | None,
                next_retry_at: datetime | None) -> JobRow | None:
    """The job after the change; None when it is in a final state (nothing changes)."""
    return db.queries().downloads_apply_state(conn, job_id=job_id, status=status, progress=progress,
                                              bytes_done=bytes_done, bytes_total=bytes_total, error_code=error_code,
                                              error_message=error_message, worker_id=worker_id,
                                              next_retry_at=next_retry_at)


def cancel_job(conn: Conn, *, job_id: UUID | str) -> JobRow | None:
    return db.queries().downloads_cancel_job(conn, job_id=job_id)


def count_active(conn: Conn, *, user_id: UUID | str) -> int:
    return db.queries().downloads_count_active(conn, user_id=user_id)


def count_open_uploads(conn: Conn, *, user_id: UUID | str) -> int:
    return db.queries().downloads_count_open_uploads(conn, user_id=user_id)


def file_subtitles(conn: Conn, *, storage_key: str) -> list[SubtitleRow]:
    return list(db.queries().downloads_file_subtitles(conn, storage_key=storage_key))


def get_job(conn: Conn, *, job_id: UUID | str, user_id: UUID | str) -> JobRow | None:
    return db.queries().downloads_get_job(conn, job_id=job_id, user_id=user_id)


def pick_of_job(conn: Conn, *, job_id: UUID | str, user_id: UUID | str) -> UUID | None:
    return db.queries().downloads_pick_of_job(conn, job_id=job_id, user_id=user_id)


def get_job_by_idempotency_key(conn: Conn, *, user_id: UUID | str, idempotency_key: str) -> JobRow | None:
    return db.queries().downloads_get_job_by_idempotency_key(conn, user_id=user_id, idempotency_key=idempotency_key)


def get_open_upload(conn: Conn, *, id: UUID | str, user_id: UUID | str) -> UploadRow | None:
    return db.queries().downloads_get_open_upload(conn, id=id, user_id=user_id)


def insert_event(conn: Conn, *, job_id: UUID | str, from_status: str | None, to_status: str, attempt: int,
                 progress: Decimal | float | None, actor: str, message: str | None, data: object) -> int:
    return db.queries().downloads_insert_event(conn, job_id=job_id, from_status=from_status, to_status=to_status,
                                               attempt=attempt, progress=progress, actor=actor, message=message,
                                               data=data)


def insert_job(conn: Conn, *, user_id: UUID | str, source_type: str, source: str | None, torrent_key: str | None,
               info_hash: str | None, title: str | None, idempotency_key: str | None,
               idempotency_fingerprint: bytes | None, queued_reason: str | None, media_id: int | None,
               season: int | None, episode: int | None) -> JobRow:
    """The new job (a used idempotency key raises UniqueViolation)."""
    return db.queries().downloads_insert_job(conn, user_id=user_id, source_type=source_type, source=source,
                                             torrent_key=torrent_key, info_hash=info_hash, title=title,
                                             idempotency_key=idempotency_key,
                                             idempotency_fingerprint=idempotency_fingerprint,
                                             queued_reason=queued_reason, media_id=media_id, season=season,
                                             episode=episode)


def insert_upload(conn: Conn, *, id: UUID | str, user_id: UUID | str, object_key: str, max_bytes: int,
                  usable_until: datetime) -> UploadRow | None:
    return db.queries().downloads_insert_upload(conn, id=id, user_id=user_id, object_key=object_key,
                                                max_bytes=max_bytes, usable_until=usable_until)


def instance_limit(conn: Conn) -> int | None:
    return db.queries().downloads_instance_limit(conn)


def list_events(conn: Conn, *, job_id: UUID | str, after: int, limit: int) -> list[EventRow]:
    return list(db.queries().downloads_list_events(conn, job_id=job_id, after=after, limit=limit))


def list_files(conn: Conn, *, job_id: UUID | str) -> list[FileRow]:
    return list(db.queries().downloads_list_files(conn, job_id=job_id))


def list_jobs(conn: Conn, *, user_id: UUID | str, statuses: list[str] | None, cursor_created_at: datetime | None,
              cursor_id: UUID | str | None, limit: int) -> list[JobRow]:
    return list(db.queries().downloads_list_jobs(conn, user_id=user_id, statuses=statuses,
                                                 cursor_created_at=cursor_created_at, cursor_id=cursor_id, limit=limit))


def lock_dispatch(conn: Conn) -> str | None:
    return db.queries().downloads_lock_dispatch(conn)


def lock_due_retries(conn: Conn, *, limit: int) -> list[JobRow]:
    return list(db.queries().downloads_lock_due_retries(conn, limit=limit))


def lock_job(conn: Conn, *, job_id: UUID | str) -> JobRow | None:
    return db.queries().downloads_lock_job(conn, job_id=job_id)


def lock_running(conn: Conn, *, limit: int) -> list[JobRow]:
    return list(db.queries().downloads_lock_running(conn, limit=limit))


def lock_unsent(conn: Conn, *, older_than_seconds: float, limit: int) -> list[JobRow]:
    return list(db.queries().downloads_lock_unsent(conn, older_than_seconds=older_than_seconds, limit=limit))


def lock_user_job(conn: Conn, *, job_id: UUID | str, user_id: UUID | str) -> JobRow | None:
    return db.queries().downloads_lock_user_job(conn, job_id=job_id, user_id=user_id)


def mark_command_sent(conn: Conn, *, job_id: UUID | str, attempt: int) -> int:
    return db.queries().downloads_mark_command_sent(conn, job_id=job_id, attempt=attempt)


def prune_uploads(conn: Conn, *, user_id: UUID | str) -> int:
    return db.queries().downloads_prune_uploads(conn, user_id=user_id)


def release_job(conn: Conn, *, job_id: UUID | str) -> JobRow | None:
    return db.queries().downloads_release_job(conn, job_id=job_id)


def retry_job(conn: Conn, *, job_id: UUID | str) -> JobRow | None:
    return db.queries().downloads_retry_job(conn, job_id=job_id)


def set_queued_reason(conn: Conn, *, job_id: UUID | str, queued_reason: str) -> int:
    return db.queries().downloads_set_queued_reason(conn, job_id=job_id, queued_reason=queued_reason)


def slot_holders(conn: Conn) -> list[SlotHolderRow]:
    return list(db.queries().downloads_slot_holders(conn))


def titles(conn: Conn, *, user_id: UUID | str, job_ids: list[str]) -> list[TitleRow]:
    return list(db.queries().downloads_titles(conn, user_id=user_id, job_ids=job_ids))


def upsert_file(conn: Conn, *, job_id: UUID | str, path: str, storage_key: str, size_bytes: int, sha256: str) -> int:
    return db.queries().downloads_upsert_file(conn, job_id=job_id, path=path, storage_key=storage_key,
                                              size_bytes=size_bytes, sha256=sha256)


def use_upload(conn: Conn, *, id: UUID | str, user_id: UUID | str) -> UsedUploadRow | None:
    return db.queries().downloads_use_upload(conn, id=id, user_id=user_id)


def waiting(conn: Conn, *, per_user: int, limit: int) -> list[WaitingJobRow]:
    return list(db.queries().downloads_waiting(conn, per_user=per_user, limit=limit))
