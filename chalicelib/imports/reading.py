"""Reading a stored upload into ``import_rows`` in committed batches, resuming where the last run stopped.

Each batch commits its rows together with the parse cursor (entries of the file consumed, skipped lines
included) under a lock on the import: a redelivered or second copy of the message reads past what is
stored, and a run that finds the cursor moved by another stops, so every row is stored exactly once.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import Enum
from uuid import UUID

from chalicelib import db
from chalicelib.imports import queries
from chalicelib.imports.budget import Budget
from chalicelib.imports.limits import MAX_ROWS
from chalicelib.imports.records import ImportRow, SkippedEntry
from chalicelib.imports.rows import MalformedFile, Row, Skipped

INSERT_BATCH = 2000
SKIPPED_KEPT = 20  # the first skipped lines are shown to the user; the rest are counted


class Outcome(Enum):
    DONE = "done"  # this step finished
    HANDOVER = "handover"  # the time ran out: a new message goes on from the cursor
    LOST = "lost"  # another run holds the import, or it is no longer parsing: stop quietly


@dataclass
class Cursor:
    read: int = 0
    skipped: int = 0
    skipped_rows: list[SkippedEntry] = field(default_factory=list)

    @classmethod
    def of(cls, row: ImportRow) -> Cursor:
        return cls(row["rows_read"], row["skipped"], list(row["skipped_rows"] or []))

    def skip(self, position: int, reason: str) -> None:
        self.skipped += 1
        if len(self.skipped_rows) < SKIPPED_KEPT:
            self.skipped_rows.append({"row": position, "reason": reason[:300]})


def _commit(import_id: UUID, before: int, after: Cursor, batch: list[dict[str, object]]) -> bool:
    """Store a batch and move the cursor from ``before`` to ``after.read``; False if another run moved it."""
    with db.transaction() as conn:
        current = queries.lock_parsing(conn, import_id=import_id)
        if current is None or current["rows_read"] != before:
            return False
        if batch:
            queries.insert_rows(conn, import_id=import_id, rows=json.dumps(batch))
        queries.save_cursor(conn, import_id=import_id, rows_read=after.read, skipped=after.skipped,
                            skipped_rows=json.dumps(after.skipped_rows))
    return True


def store(row: ImportRow, entries: Iterator[Row | Skipped], budget: Budget, empty: str) -> Outcome:
    """Store the file's entries after the cursor; DONE once the whole file is stored (``empty``: the
    message of a file without a single row)."""
    import_id, cursor = row["id"], Cursor.of(row)
    committed, batch = cursor.read, []
    for position, entry in enumerate(entries, start=1):
        if position <= committed:
            continue  # stored by an earlier run
        if position > MAX_ROWS:
            raise MalformedFile(f"The file has more than {MAX_ROWS:,} rows; split it into smaller exports")
        if isinstance(entry, Skipped):
            cursor.skip(position, entry.reason)
        else:
            batch.append(entry.record(position))
        cursor.read = position
        if len(batch) >= INSERT_BATCH or cursor.read - committed >= 4 * INSERT_BATCH:
            if not _commit(import_id, committed, cursor, batch):
                return Outcome.LOST
            committed, batch = cursor.read, []
            if not budget.left():
                return Outcome.HANDOVER
    if not _commit(import_id, committed, cursor, batch):
        return Outcome.LOST
    if cursor.read - cursor.skipped == 0:
        raise MalformedFile(empty)
    with db.connection() as conn:
        queries.finish_read(conn, import_id=import_id)
    return Outcome.DONE
