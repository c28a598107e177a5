"""Download jobs as users see them: submit, list, read, cancel, timeline.

Every lookup is by (job id, user id): another user's job is not found. Live
progress comes from the job's telemetry item while the job is active.
"""

from __future__ import annotations

import base64
import hashlib
import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from chalicelib import aws, db, errors, inputpolicy
from chalicelib.config import get_settings
from chalicelib.db import Conn
from chalicelib.downloads import commands, dispatch, queries, sources, timeline, titles, uploads
from chalicelib.downloads.models import (
    STATUS_FILTERS,
    CreateDownload,
    Download,
    DownloadDetail,
    DownloadEvent,
    DownloadEventPage,
    DownloadFile,
    DownloadPage,
)
from chalicelib.downloads.queries import JobRow
from chalicelib.downloads.statemachine import ACTIVE
from chalicelib.logs import get_logger


class JobNotFound(errors.NotFound):
    code = "download_not_found"


class IdempotencyKeyReused(errors.Conflict):
    code = "idempotency_key_reused"


class WorkerUnreachable(errors.ServiceUnavailable):
    code = "telemetry_unavailable"


class UnknownStatus(errors.BadRequest):
    code = "unknown_status"


def _statuses(status: str | None) -> list[str] | None:
    """The statuses a list filter stands for (None: every status)."""
    if status is None:
        return None
    if status == "active":
        return list(ACTIVE)
    if status in STATUS_FILTERS:
        return [status]
    raise UnknownStatus("Unknown download status filter", fields={"status": f"one of {', '.join(STATUS_FILTERS)}"})


def live() -> Any:
    """The telemetry module, imported on first use: pynamodb is not free on a cold start."""
    from chalicelib.downloads import live as module  # lazy: pynamodb, off the cold start

    return module


def unique_violation() -> type[Exception]:
    from psycopg.errors import UniqueViolation  # lazy: psycopg, off the cold start of every route

    return UniqueViolation


def _job_uuid(job_id: Any) -> uuid.UUID:
    try:
        return job_id if isinstance(job_id, uuid.UUID) else uuid.UUID(str(job_id))
    except ValueError:
        raise JobNotFound("No such download") from None


def _fingerprint(request: CreateDownload) -> bytes:
    parts = [request.source_type, request.source, request.title]
    if request.torrent_upload_id is not None:
        parts.append(str(request.torrent_upload_id))
    canonical = json.dumps(parts, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).digest()


def _store_torrent(source: sources.Source) -> None:
    settings = get_settings()
    try:
        aws.client("s3").put_object(Bucket=settings.aws.bucket, Key=source.torrent_key, Body=source.torrent,
                                    ContentType="application/x-bittorrent")
    except (BotoCoreError, ClientError) as exc:
        get_logger().error("torrent upload failed", extra={"action": "download_torrent_store_failed",
                                                          "error": type(exc).__name__})
        raise errors.StorageUnavailable("The .torrent file could not be stored; try again") from None


def _source(conn: Conn, user_id: uuid.UUID, request: CreateDownload) -> tuple[sources.Source, str | None]:
    """The validated source, and the bucket key of the upload it came from (None: sent inline). A refused
    uploaded file is deleted and its upload spent."""
    settings = get_settings().downloads
    if request.torrent_upload_id is None:
        return sources.parse(request.source_type, request.source or "", settings), None
    key, raw = uploads.read(conn, user_id, request.torrent_upload_id)
    try:
        return sources.parse_torrent(raw, settings), key
    except errors.DomainError:
        uploads.spend(conn, user_id, request.torrent_upload_id, key)
        raise


def _replay(conn: Conn, user_id: uuid.UUID, key: str, fingerprint: bytes) -> Download | None:
    row = queries.get_job_by_idempotency_key(conn, user_id=user_id, idempotency_key=key)
    if row is None:
        return None
    if bytes(row["idempotency_fingerprint"] or b"") != fingerprint:
        raise IdempotencyKeyReused("This Idempotency-Key was used for a different request",
                                   fields={"Idempotency-Key": "already used with another body"})
    return _with_live([row])[0]


@dataclass(frozen=True)
class JobLink:
    """What a job is for (a pick): the catalog title, season/episode (season alone: a season pack), and why
    this release was chosen (the first event's message, ``data`` its details)."""

    media_id: int
    season: int | None = None
    episode: int | None = None
    why: str | None = None
    data: dict[str, Any] = field(default_factory=dict)


def _first_message(waits: str | None, link: JobLink | None) -> str:
    parts = ["submitted", *([link.why] if link and link.why else []), *([waits] if waits else [])]
    return "; ".join(parts)


def submit(user_id: uuid.UUID, request: CreateDownload, idempotency_key: str | None) -> tuple[Download, bool]:
    """``create_download`` on a connection of its own (the API's POST /downloads)."""
    with db.connection() as conn:
        return create_download(conn, user_id, request, idempotency_key)


def create_download(conn: Conn, user_id: uuid.UUID, request: CreateDownload,
                    idempotency_key: str | None = None, link: JobLink | None = None) -> tuple[Download, bool]:
    """Validate and queue a download; return ``(job, replayed)``.

    ``conn`` must be in autocommit mode: the job row and its first event are
    committed *before* ``download.start`` is sent, so a worker never gets a
    command for a job that does not exist. With an ``idempotency_key`` a
    repeated request returns the first job (``replayed``) instead of a second. ``link``: what the job is for.
    """
    fingerprint = _fingerprint(request)
    if idempotency_key and (job := _replay(conn, user_id, idempotency_key, fingerprint)):
        return job, True
    source, upload_key = _source(conn, user_id, request)
    if source.torrent is not None:
        _store_torrent(source)
    try:
        with conn.transaction():
            if upload_key is not None and request.torrent_upload_id is not None:
                uploads.use(conn, user_id, request.torrent_upload_id)
            waits = dispatch.claim(conn, user_id)
            row = queries.insert_job(
                conn, user_id=user_id, source_type=source.source_type, source=source.source,
                torrent_key=source.torrent_key, info_hash=source.info_hash, title=request.title or source.title,
                idempotency_key=idempotency_key, idempotency_fingerprint=fingerprint if idempotency_key else None,
                queued_reason=waits, media_id=link.media_id if link else None,
                season=link.season if link else None, episode=link.episode if link else None)
            timeline.record(conn, {**row, "status": None}, "queued", actor="api",
                            message=_first_message(waits, link), sourceType=source.source_type,
                            **(link.data if link else {}))
    except unique_violation():  # the same key raced in from a concurrent request
        job = _replay(conn, user_id, idempotency_key or "", fingerprint)
        if job is None:
            raise
        return job, True
    if upload_key is not None:
        uploads.discard(upload_key)
    get_logger().info("download submitted", extra={"action": "download_submitted", "job_id": str(row["id"]),
                                                   "user_id": str(user_id), "source_type": source.source_type})
    if not waits and commands.send_start(conn, row):
        row = {**row, "command_sent_at": datetime.now(UTC)}
    elif waits:  # sent once a slot frees (dispatch.release_waiting: a job ending, or the reconciler)
        get_logger().info("download waits for a slot", extra={"action": "download_waiting_for_slot",
                                                              "job_id": str(row["id"]), "reason": waits})
    return Download.from_row(row), False


def _with_live(rows: list[JobRow]) -> list[Download]:
    active = [str(r["id"]) for r in rows if r["status"] in ACTIVE and r["status"] != "queued"]
    items = live().telemetry_for(active) if active else {}
    jobs = []
    for row in rows:
        item = items.get(str(row["id"]))
        usable = item is not None and row["status"] in ACTIVE and int(item.attempt or 0) == row["attempt"]
        jobs.append(Download.from_row(row, item if usable else None))
    return jobs


def _encode_cursor(row: JobRow) -> str:
    raw = json.dumps([row["created_at"].isoformat(), str(row["id"])]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[datetime, uuid.UUID]:
    try:
        created_at, job_id = inputpolicy.load_json(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        return datetime.fromisoformat(created_at), uuid.UUID(job_id)
    except (ValueError, TypeError, errors.BadRequest):
        raise errors.ValidationFailed("The cursor is invalid", fields={"cursor": "not a cursor"}) from None


def list_downloads(user_id: uuid.UUID, status: str | None = None, limit: int = 20,
                   cursor: str | None = None) -> DownloadPage:
    """The user's jobs, newest first, keyset-paged; live fields merged for running jobs.

    ``status`` is one status or ``active`` (every non-terminal one); anything else raises ``UnknownStatus``.
    """
    with db.connection() as conn:
        statuses = _statuses(status)
        created_at, job_id = _decode_cursor(cursor) if cursor else (None, None)
        rows = list(queries.list_jobs(conn, user_id=user_id, statuses=statuses, cursor_created_at=created_at,
                                                  cursor_id=job_id, limit=limit + 1))
        next_cursor = _encode_cursor(rows[limit - 1]) if len(rows) > limit else None
        return DownloadPage(items=titles.with_titles(conn, user_id, _with_live(rows[:limit])), next_cursor=next_cursor)


def _get_row(conn: Conn, user_id: uuid.UUID, job_id: Any) -> JobRow:
    row = queries.get_job(conn, job_id=_job_uuid(job_id), user_id=user_id)
    if row is None:
        raise JobNotFound("No such download")
    return row


def get_download(conn: Conn, user_id: uuid.UUID, job_id: Any) -> DownloadDetail:
    """One job with its stored files; 404 unless it is the user's."""
    row = _get_row(conn, user_id, job_id)
    job = titles.with_titles(conn, user_id, _with_live([row]))[0]
    files = [DownloadFile(path=f["path"], key=f["storage_key"], size_bytes=f["size_bytes"], sha256=f["sha256"],
                          stored_at=f["stored_at"]) for f in queries.list_files(conn, job_id=row["id"])]
    return DownloadDetail(**job.model_dump(), files=files)


def download_detail(user_id: uuid.UUID, job_id: Any) -> DownloadDetail:
    """``get_download`` on a connection of its own."""
    with db.connection() as conn:
        return get_download(conn, user_id, job_id)


def cancel_download(user_id: uuid.UUID, job_id: Any) -> Download:
    """Cancel an active job (the worker sees the flag, stops and removes partial data).

    A job that already ended is returned unchanged. Runs on an autocommit connection: the flag is raised
    before the row changes.
    """
    with db.connection() as conn:
        row = _get_row(conn, user_id, job_id)
        if row["status"] not in ACTIVE:
            return Download.from_row(row)
        try:
            live().request_cancel(str(row["id"]))
        except live().DYNAMO_ERRORS as exc:
            if row["command_sent_at"] is not None or row["status"] != "queued":
                # A worker may be running it: cancelling only in Postgres would leave it downloading.
                raise WorkerUnreachable("The cancel request could not reach the worker; try again") from exc
        with conn.transaction():
            locked = queries.lock_user_job(conn, job_id=row["id"], user_id=user_id)
            assert locked is not None  # read above; jobs are never deleted while their user exists
            cancelled = queries.cancel_job(conn, job_id=row["id"]) if locked["status"] in ACTIVE else None
            if cancelled is None:  # it ended meanwhile
                return Download.from_row(locked)
            timeline.record(conn, locked, "cancelled", actor="api", message="cancelled by the user")
        get_logger().info("download cancelled", extra={"action": "download_cancelled", "job_id": str(row["id"]),
                                                       "from_status": locked["status"]})
        dispatch.after_state("cancelled", conn)
        return Download.from_row(cancelled)


def list_events(user_id: uuid.UUID, job_id: Any, after: int = 0, limit: int = 50) -> DownloadEventPage:
    """The job's state-change timeline, oldest first, after the event id ``after``."""
    with db.connection() as conn:
        row = _get_row(conn, user_id, job_id)
        events = [DownloadEvent.model_validate(
            {**e, "progress": None if e["progress"] is None else float(e["progress"])})
            for e in queries.list_events(conn, job_id=row["id"], after=after, limit=limit + 1)]
        next_cursor = str(events[limit - 1].id) if len(events) > limit else None
        return DownloadEventPage(items=events[:limit], next_cursor=next_cursor)


def count_active(conn: Conn, user_id: uuid.UUID) -> int:
    """Active downloads for the dashboard: persisted non-terminal jobs."""
    return queries.count_active(conn, user_id=user_id)
