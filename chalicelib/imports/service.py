"""Imports as the API sees them: upload, look at, list, apply, and fix an unmatched row.

Every import belongs to one user: an id of someone else's import is simply not found.
"""

from __future__ import annotations

import posixpath
from uuid import UUID, uuid4

from chalicelib import db, presign
from chalicelib.db import Conn
from chalicelib.imports import errors, queries, storage
from chalicelib.imports.models import (
    ImportCreate,
    ImportCreated,
    ImportOut,
    ImportSummary,
    SkippedRow,
    UnmatchedRow,
    UploadCreate,
    UploadOut,
)
from chalicelib.imports.records import ImportRow
from chalicelib.logs import get_logger
from chalicelib.messages import ImportApply, ImportParse

UNMATCHED_SHOWN = 1000
UPLOAD_TTL = 900  # seconds the presigned POST (and the upload id) stays usable


def owned(conn: Conn, user_id: UUID, import_id: UUID) -> ImportRow:
    """The import row when it is the user's; ImportNotFound otherwise (someone else's included)."""
    row = queries.get(conn, user_id=user_id, import_id=import_id)
    if row is None:
        raise errors.ImportNotFound(f"No import {import_id}")
    return row


def _clean_name(filename: str) -> str:
    """The file's own name, without any path a browser or client sent along."""
    return posixpath.basename(filename.replace("\\", "/")).strip()[:255] or "upload"


def create_upload(user_id: UUID, body: UploadCreate) -> UploadOut:
    """A presigned POST the browser sends the file to (the store refuses more than the limit)."""
    upload_id = uuid4()
    key = storage.upload_key(user_id, upload_id)
    form = presign.upload_form(key, storage.MAX_FILE_BYTES, ttl=UPLOAD_TTL)
    with db.connection() as conn:
        row = queries.create_upload(conn, upload_id=upload_id, user_id=user_id, format=body.format,
                                    filename=_clean_name(body.filename), object_key=key,
                                    max_bytes=storage.MAX_FILE_BYTES, ttl_seconds=UPLOAD_TTL)
    return UploadOut(upload_id=upload_id, url=form["url"], fields=form["fields"],
                     max_bytes=storage.MAX_FILE_BYTES, expires_at=row["expires_at"])


def _stored_upload(conn: Conn, user_id: UUID, upload_id: UUID) -> tuple[str, int]:
    """Claim an upload of the user's (once) whose file is in the bucket, as its form put it there (tag and
    size): its key and size."""
    upload = queries.claim_upload(conn, upload_id=upload_id, user_id=user_id)
    if upload is None:
        raise errors.UploadNotFound(f"No upload {upload_id} to import (unknown, expired or already used)",
                                    fields={"uploadId": "not an upload of yours waiting to be imported"})
    try:
        size = presign.signed_size(upload["object_key"], upload["max_bytes"])
    except (presign.UploadRejected, presign.UploadTooLarge):
        raise  # the object is deleted; the claim goes back with the transaction (nothing to import now)
    except Exception:
        raise errors.StorageUnavailable("The upload could not be checked; try again shortly") from None
    if size is None:
        raise errors.UploadMissing("Nothing was uploaded for this upload id yet",
                                   fields={"uploadId": "POST the file to the upload URL first"})
    return upload["object_key"], size


def _store_inline(user_id: UUID, import_id: UUID, content: bytes) -> str:
    key = storage.object_key(user_id, import_id)
    try:
        storage.put(key, content)
    except Exception as exc:
        get_logger().warning("import upload not stored", extra={"action": "import_store_failed",
                                                                "error": type(exc).__name__})
        raise errors.StorageUnavailable("The upload could not be stored; try again shortly") from None
    return key


def _check_idle(conn: Conn, user_id: UUID) -> None:
    """One import per user in flight: a second waits until the first is previewed, applied or failed."""
    if queries.active_count(conn, user_id=user_id):
        raise errors.ImportBusy("Another import of yours is still being read or applied; try again when it "
                                "is done")


def create(user_id: UUID, body: ImportCreate) -> ImportCreated:
    """Start parsing an upload (presigned or inline) in the background; the import starts as ``parsing``."""
    import_id = uuid4()
    with db.transaction() as conn:
        queries.lock_user(conn, user_id=user_id)
        _check_idle(conn, user_id)
        if body.upload_id is not None:
            key, size = _stored_upload(conn, user_id, body.upload_id)
        else:
            key, size = _store_inline(user_id, import_id, body.content or b""), len(body.content or b"")
        row = queries.create(conn, import_id=import_id, user_id=user_id, format=body.format,
                             filename=_clean_name(body.filename), object_key=key, size_bytes=size)
    _start(row["id"], ImportParse(import_id=row["id"]))
    get_logger().info("import uploaded", extra={"action": "import_uploaded", "import_id": str(row["id"]),
                                                "format": body.format, "bytes": size})
    return ImportCreated(id=row["id"], status=row["status"])


def _start(import_id: UUID, message: ImportParse | ImportApply) -> None:
    try:
        storage.enqueue(message)
    except Exception as exc:
        get_logger().warning("import job not enqueued", extra={"action": "import_enqueue_failed",
                                                               "error": type(exc).__name__})
        with db.connection() as conn:
            queries.fail(conn, import_id=import_id, error="The import could not be started; upload it again")
        raise errors.StorageUnavailable("The import could not be started; try again shortly") from None


def get(user_id: UUID, import_id: UUID) -> ImportOut:
    """One import with its preview, progress and first unmatched rows."""
    with db.connection() as conn:
        row = owned(conn, user_id, import_id)
        unmatched = [UnmatchedRow(row=item["row_no"], title=item["title"], year=item["year"],
                                  season_number=item["season_number"], episode_number=item["episode_number"],
                                  reason=item["reason"] or "unmatched")
                     for item in queries.unmatched(conn, import_id=import_id, limit=UNMATCHED_SHOWN)]
    skipped = [SkippedRow(row=item["row"], reason=item["reason"]) for item in row["skipped_rows"] or []]
    return ImportOut.from_row(row, unmatched=unmatched, skipped_rows=skipped)


def list_imports(user_id: UUID, limit: int, offset: int) -> tuple[list[ImportSummary], int]:
    """The user's imports, newest first, and how many there are."""
    with db.connection() as conn:
        rows = queries.page(conn, user_id=user_id, limit=limit, offset=offset)
        return [ImportSummary.from_row(row) for row in rows], queries.count(conn, user_id=user_id)


def apply(user_id: UUID, import_id: UUID) -> ImportSummary:
    """Start applying a previewed import. Applying one that is applying or applied changes nothing."""
    with db.connection() as conn:
        current = owned(conn, user_id, import_id)
        if current["status"] == "preview":
            _check_idle(conn, user_id)
        started = queries.start_apply(conn, user_id=user_id, import_id=import_id)
        row = started or owned(conn, user_id, import_id)
    if started is None and row["status"] not in ("applying", "applied"):
        raise errors.ImportNotReady(f"Import {import_id} is {row['status']}; only a preview can be applied")
    if started is not None:
        _start(import_id, ImportApply(import_id=import_id))
    return ImportSummary.from_row(row)
