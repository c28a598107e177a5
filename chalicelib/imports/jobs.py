"""The background halves of an import, run by the events consumer: parse (+ match) and apply.

Both are safe to run again for the same message (SQS delivers at least once): a parse only runs while
the import is ``parsing`` and starts from an empty row set; an apply writes batch by batch under a lock
on the import, each batch in one transaction that also records which rows it applied.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import IO, Any
from uuid import UUID

from chalicelib import cache, db
from chalicelib.imports import imdb_csv, letterboxd, matching, ryot, seen, storage, trakt, yamtrack
from chalicelib.imports.messages import ImportApply
from chalicelib.imports.rows import MalformedFile, Row
from chalicelib.logs import get_logger

READERS: dict[str, Callable[[IO[bytes], str], Iterator[Row]]] = {
    "letterboxd": letterboxd.read, "imdb": imdb_csv.read, "trakt": trakt.read, "ryot": ryot.read,
    "yamtrack": yamtrack.read, "seen": seen.read,
}
NAMES = {"letterboxd": "Letterboxd", "imdb": "IMDb", "trakt": "Trakt", "ryot": "Ryot", "yamtrack": "Yamtrack",
         "seen": "/seen/"}
INSERT_BATCH = 2000
APPLY_BATCH = 500
MAX_ROWS = 2_000_000
BATCHES_PER_MESSAGE = 200  # then the apply goes on in a new message (a Lambda has minutes, not hours)


def read_rows(fmt: str, stream: IO[bytes], filename: str) -> Iterator[Row]:
    """The rows of an upload in ``fmt``; MalformedFile when it is not such a file."""
    return READERS[fmt](stream, filename)


def _store_rows(conn: Any, import_id: UUID, rows: Iterator[Row]) -> int:
    q, batch, count = db.queries(), [], 0
    for row in rows:
        count += 1
        if count > MAX_ROWS:
            raise MalformedFile(f"The file has more than {MAX_ROWS} rows; split it into smaller exports")
        batch.append(row.record(count))
        if len(batch) == INSERT_BATCH:
            q.imports_insert_rows(conn, import_id=import_id, rows=json.dumps(batch))
            batch = []
    if batch:
        q.imports_insert_rows(conn, import_id=import_id, rows=json.dumps(batch))
    return count


def _parse_file(row: dict[str, Any]) -> None:
    q = db.queries()
    with storage.fetch(row["object_key"]) as stream, db.connection() as conn:
        q.imports_reset_rows(conn, import_id=row["id"])
        count = _store_rows(conn, row["id"], read_rows(row["format"], stream, row["filename"]))
    if count == 0:
        raise MalformedFile(f"Nothing to import was found in {row['filename']}: is it a "
                            f"{NAMES[row['format']]} export?")
    with db.transaction() as conn:
        matching.match(conn, row["id"])
        q.imports_finish_parse(conn, import_id=row["id"])


def _fail(import_id: UUID, message: str) -> None:
    with db.connection() as conn:
        db.queries().imports_reset_rows(conn, import_id=import_id)
        db.queries().imports_fail(conn, import_id=import_id, error=message)


def parse(import_id: UUID) -> None:
    """Read a stored upload into rows, match them and leave the import in ``preview`` (or ``failed``)."""
    logger = get_logger()
    with db.connection() as conn:
        row = db.queries().imports_get_any(conn, import_id=import_id)
    if row is None or row["status"] != "parsing":
        return  # a redelivery of a parse that already ended
    try:
        _parse_file(row)
    except MalformedFile as exc:
        logger.info("import file rejected", extra={"action": "import_rejected", "import_id": str(import_id),
                                                   "format": row["format"], "reason": str(exc)})
        _fail(import_id, str(exc))
    except db.DatabaseUnavailable:
        raise  # redelivered later
    except Exception:
        logger.exception("import parse failed", extra={"action": "import_parse_failed", "import_id": str(import_id)})
        _fail(import_id, "The file could not be read because of an internal error; try again later")
    else:
        logger.info("import parsed", extra={"action": "import_parsed", "import_id": str(import_id),
                                            "format": row["format"]})
    _forget_upload(row["object_key"])


def _forget_upload(key: str) -> None:
    """The rows hold everything needed now: the upload (personal data) is deleted from the bucket."""
    try:
        storage.delete(key)
    except Exception as exc:  # a leftover object is harmless; the parse result stands
        get_logger().warning("import upload not deleted", extra={"action": "import_upload_kept",
                                                                 "error": type(exc).__name__})


def _apply_batch(import_id: UUID) -> int:
    """Apply the next batch in one transaction; returns its row count (0: nothing left)."""
    q = db.queries()
    with db.transaction() as conn:
        row = q.imports_lock_applying(conn, import_id=import_id)
        if row is None:
            return 0
        batch = q.imports_next_batch(conn, import_id=import_id, size=APPLY_BATCH)
        if not batch["rows"]:
            q.imports_finish_apply(conn, import_id=import_id)
            return 0
        bounds = {"import_id": import_id, "first_row": batch["first_row"], "last_row": batch["last_row"]}
        for step in (q.imports_apply_watched, q.imports_apply_ratings, q.imports_apply_watch_later,
                     q.imports_apply_favorites):
            step(conn, user_id=row["user_id"], **bounds)
        q.imports_mark_applied(conn, **bounds)
        q.imports_add_done(conn, import_id=import_id, rows=batch["rows"])
        return batch["rows"]


def apply(import_id: UUID) -> None:
    """Apply matched rows in batches until none is left (then ``applied``), or hand over to a new message."""
    for _ in range(BATCHES_PER_MESSAGE):
        if _apply_batch(import_id) == 0:
            break
    else:
        storage.enqueue(ImportApply(import_id=import_id))
        return
    with db.connection() as conn:
        row = db.queries().imports_get_any(conn, import_id=import_id)
    if row is not None and row["status"] == "applied":
        cache.on_watch_later_changed(row["user_id"])
        cache.on_taste_changed(row["user_id"])
        get_logger().info("import applied", extra={"action": "import_applied", "import_id": str(import_id),
                                                   "rows": row["done"]})
