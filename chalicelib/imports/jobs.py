"""The background halves of an import, run by the imports consumer: parse (+ match) and apply.

Both go in bounded steps that commit as they go and stop well before the invocation's time runs out,
handing over to a new message that resumes from what is committed (``reading`` for the rows, matching
steps that only touch rows still unmatched, an apply cursor). Both are safe to run again for the same
message (SQS delivers at least once, and a killed consumer's message comes back): every step holds a
lock on the import and checks its status, so a second run finds the work done or stops.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import IO, TypeVar
from uuid import UUID

from chalicelib import cache, db, presign
from chalicelib.db import Conn
from chalicelib.imports import imdb_csv, letterboxd, matching, queries, reading, ryot, seen, storage, trakt, yamtrack
from chalicelib.imports.budget import Budget
from chalicelib.imports.reading import Outcome
from chalicelib.imports.records import ImportRow
from chalicelib.imports.rows import MalformedFile, Row, Skipped
from chalicelib.logs import get_logger
from chalicelib.messages import ImportApply, ImportParse

T = TypeVar("T")

READERS: dict[str, Callable[[IO[bytes], str], Iterator[Row | Skipped]]] = {
    "letterboxd": letterboxd.read, "imdb": imdb_csv.read, "trakt": trakt.read, "ryot": ryot.read,
    "yamtrack": yamtrack.read, "seen": seen.read,
}
NAMES = {"letterboxd": "Letterboxd", "imdb": "IMDb", "trakt": "Trakt", "ryot": "Ryot", "yamtrack": "Yamtrack",
         "seen": "/seen/"}
APPLY_BATCH = 500
MATCH_RESERVE = 10.0  # seconds an exact-matching pass may need (100k rows: about two)


def read_rows(fmt: str, stream: IO[bytes], filename: str) -> Iterator[Row | Skipped]:
    """The entries of an upload in ``fmt``; MalformedFile when it is not such a file."""
    return READERS[fmt](stream, filename)


def _open_upload(key: str) -> IO[bytes]:
    """The stored upload, as its form put it there (the store may not enforce the upload policy)."""
    try:
        stream = storage.fetch(key)
    except presign.UploadTooLarge:
        raise MalformedFile(f"The file is over the limit; imports are limited to "
                            f"{storage.MAX_FILE_BYTES // 2**20} MiB") from None
    except presign.UploadRejected as exc:
        raise MalformedFile(str(exc)) from None
    if stream is None:
        raise MalformedFile("The uploaded file is gone from storage; upload it again")
    return stream


def _read(row: ImportRow, budget: Budget) -> Outcome:
    empty = f"Nothing to import was found in {row['filename']}: is it a {NAMES[row['format']]} export?"
    with _open_upload(row["object_key"]) as stream:
        outcome = reading.store(row, read_rows(row["format"], stream, row["filename"]), budget, empty)
    if outcome is Outcome.DONE:
        _forget_upload(row["object_key"])
    return outcome


def _locked_step(import_id: UUID, step: Callable[[Conn], T]) -> tuple[bool, T | None]:
    """Run ``step(conn)`` in one transaction holding the parsing import; (False, None) if it is not parsing."""
    with db.transaction() as conn:
        if queries.lock_parsing(conn, import_id=import_id) is None:
            return False, None
        return True, step(conn)


def _match(import_id: UUID, budget: Budget) -> Outcome:
    if not budget.left(MATCH_RESERVE):
        return Outcome.HANDOVER
    matching.analyze()
    held, _ = _locked_step(import_id, lambda conn: matching.match_exact(conn, import_id))
    while held:
        if not budget.left():
            return Outcome.HANDOVER
        held, touched = _locked_step(import_id, lambda conn: matching.match_fuzzy(conn, import_id))
        if held and not touched:
            break
    if not held:
        return Outcome.LOST

    def finish(conn: Conn) -> None:
        matching.settle(conn, import_id)
        queries.finish_parse(conn, import_id=import_id, from_status="parsing")

    held, _ = _locked_step(import_id, finish)
    return Outcome.DONE if held else Outcome.LOST


def _parse_steps(row: ImportRow, budget: Budget) -> Outcome:
    if row["read_at"] is None:
        outcome = _read(row, budget)
        if outcome is not Outcome.DONE:
            return outcome
    return _match(row["id"], budget)


def _fail(row: ImportRow, message: str) -> None:
    with db.connection() as conn:
        queries.reset_rows(conn, import_id=row["id"])
        queries.fail(conn, import_id=row["id"], error=message)
    _forget_upload(row["object_key"])


def parse(import_id: UUID, budget: Budget) -> None:
    """Read a stored upload into rows, match them and leave the import in ``preview`` (or ``failed``)."""
    logger, log = get_logger(), {"import_id": str(import_id)}
    with db.connection() as conn:
        row = queries.get_any(conn, import_id=import_id)
    if row is None or row["status"] != "parsing":
        return  # a redelivery of a parse that already ended
    try:
        outcome = _parse_steps(row, budget)
    except MalformedFile as exc:
        logger.info("import file rejected", extra={"action": "import_rejected", **log, "format": row["format"],
                                                   "reason": str(exc)})
        _fail(row, str(exc))
        return
    except db.DatabaseUnavailable:
        raise  # redelivered later
    except Exception:
        logger.exception("import parse failed", extra={"action": "import_parse_failed", **log})
        _fail(row, "The file could not be read because of an internal error; try again later")
        return
    if outcome is Outcome.HANDOVER:
        storage.enqueue(ImportParse(import_id=import_id))
    logger.info("import parse step", extra={"action": f"import_parse_{outcome.value}", **log})


def _forget_upload(key: str) -> None:
    """The rows hold everything needed now: the upload (personal data) is deleted from the bucket."""
    try:
        storage.delete(key)
    except Exception as exc:  # a leftover object is harmless; the parse result stands
        get_logger().warning("import upload not deleted", extra={"action": "import_upload_kept",
                                                                 "error": type(exc).__name__})


def _apply_batch(import_id: UUID) -> int:
    """Apply the next batch in one transaction; returns its row count (0: nothing left)."""
    with db.transaction() as conn:
        row = queries.lock_applying(conn, import_id=import_id)
        if row is None:
            return 0
        batch = queries.next_batch(conn, import_id=import_id, after=row["applied_through"], size=APPLY_BATCH)
        first, last = batch["first_row"], batch["last_row"]
        if not batch["rows"] or first is None or last is None:  # no rows: no bounds either
            queries.finish_apply(conn, import_id=import_id)
            return 0
        queries.apply_batch(conn, import_id=import_id, user_id=row["user_id"], first_row=first, last_row=last)
        queries.add_done(conn, import_id=import_id, rows=batch["rows"], last_row=last)
        return batch["rows"]


def apply(import_id: UUID, budget: Budget) -> None:
    """Apply matched rows in batches until none is left (then ``applied``), or hand over to a new message."""
    while _apply_batch(import_id):  # at least one batch per invocation: every message makes progress
        if not budget.left():
            storage.enqueue(ImportApply(import_id=import_id))
            return
    with db.connection() as conn:
        row = queries.get_any(conn, import_id=import_id)
    if row is not None and row["status"] == "applied":
        cache.on_watch_later_changed(row["user_id"])
        cache.on_taste_changed(row["user_id"])
        get_logger().info("import applied", extra={"action": "import_applied", "import_id": str(import_id),
                                                   "rows": row["done"]})
