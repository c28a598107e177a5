"""Imports as the API sees them: upload, look at, list, apply, and fix an unmatched row.

Every import belongs to one user: an id of someone else's import is simply not found.
"""

from __future__ import annotations

import posixpath
from typing import Any
from uuid import UUID, uuid4

from chalicelib import db
from chalicelib.imports import errors, storage
from chalicelib.imports.messages import ImportApply, ImportParse
from chalicelib.imports.models import ImportCreate, ImportCreated, ImportOut, ImportSummary, UnmatchedRow
from chalicelib.logs import get_logger

UNMATCHED_SHOWN = 1000


def _q() -> Any:
    return db.queries()


def owned(conn: Any, user_id: UUID, import_id: UUID) -> dict[str, Any]:
    """The import row when it is the user's; ImportNotFound otherwise (someone else's included)."""
    row = _q().imports_get(conn, user_id=user_id, import_id=import_id)
    if row is None:
        raise errors.ImportNotFound(f"No import {import_id}")
    return row


def _clean_name(filename: str) -> str:
    """The file's own name, without any path a browser or client sent along."""
    return posixpath.basename(filename.replace("\\", "/")).strip()[:255] or "upload"


def create(user_id: UUID, body: ImportCreate) -> ImportCreated:
    """Store an upload and start parsing it in the background; the import starts as ``parsing``."""
    import_id = uuid4()
    key = storage.object_key(user_id, import_id)
    try:
        storage.put(key, body.content)
    except Exception as exc:
        get_logger().warning("import upload not stored", extra={"action": "import_store_failed",
                                                                "error": type(exc).__name__})
        raise errors.StorageUnavailable("The upload could not be stored; try again shortly") from None
    with db.connection() as conn:
        row = _q().imports_create(conn, import_id=import_id, user_id=user_id, format=body.format,
                                  filename=_clean_name(body.filename), object_key=key, size_bytes=len(body.content))
    _start(row["id"], ImportParse(import_id=row["id"]))
    get_logger().info("import uploaded", extra={"action": "import_uploaded", "import_id": str(row["id"]),
                                                "format": body.format, "bytes": len(body.content)})
    return ImportCreated(id=row["id"], status=row["status"])


def _start(import_id: UUID, message: Any) -> None:
    try:
        storage.enqueue(message)
    except Exception as exc:
        get_logger().warning("import job not enqueued", extra={"action": "import_enqueue_failed",
                                                               "error": type(exc).__name__})
        with db.connection() as conn:
            _q().imports_fail(conn, import_id=import_id, error="The import could not be started; upload it again")
        raise errors.StorageUnavailable("The import could not be started; try again shortly") from None


def get(user_id: UUID, import_id: UUID) -> ImportOut:
    """One import with its preview, progress and first unmatched rows."""
    with db.connection() as conn:
        row = owned(conn, user_id, import_id)
        unmatched = [UnmatchedRow(row=item["row_no"], title=item["title"], year=item["year"],
                                  season_number=item["season_number"], episode_number=item["episode_number"],
                                  reason=item["reason"] or "unmatched")
                     for item in _q().imports_unmatched(conn, import_id=import_id, limit=UNMATCHED_SHOWN)]
    return ImportOut.from_row(row, unmatched=unmatched)


def list_imports(user_id: UUID, limit: int, offset: int) -> tuple[list[ImportSummary], int]:
    """The user's imports, newest first, and how many there are."""
    with db.connection() as conn:
        rows = _q().imports_list(conn, user_id=user_id, limit=limit, offset=offset)
        return [ImportSummary.from_row(row) for row in rows], _q().imports_count(conn, user_id=user_id)


def apply(user_id: UUID, import_id: UUID) -> ImportSummary:
    """Start applying a previewed import. Applying one that is applying or applied changes nothing."""
    with db.connection() as conn:
        started = _q().imports_start_apply(conn, user_id=user_id, import_id=import_id)
        row = started or owned(conn, user_id, import_id)
    if started is None and row["status"] not in ("applying", "applied"):
        raise errors.ImportNotReady(f"Import {import_id} is {row['status']}; only a preview can be applied")
    if started is not None:
        _start(import_id, ImportApply(import_id=import_id))
    return ImportSummary.from_row(row)
