"""Import runs: the advisory lock that keeps two runs apart, and the run's recorded progress."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from uuid import UUID

from chalicelib import errors
from chalicelib.db import Conn
from chalicelib.imdb import queries
from chalicelib.imdb.parse import FileStats
from chalicelib.imdb.queries import FileVersionRow, RunRow
from chalicelib.imdb.rows import NAMES

if TYPE_CHECKING:
    from psycopg.types.json import Jsonb

# pg_advisory_lock key of the IMDb import ("seen" "imdb" in ASCII).
LOCK_KEY = 0x7365656E_696D6462
RECENT_RUNS = 10


class ImportRunning(errors.Conflict):
    """Another IMDb import holds the lock."""

    code = "imdb_import_running"

    def __init__(self) -> None:
        super().__init__("An IMDb import is already running")


def try_lock(conn: Conn) -> bool:
    return queries.try_lock(conn, key=LOCK_KEY)


def unlock(conn: Conn) -> None:
    queries.unlock(conn, key=LOCK_KEY)


def lock_free(conn: Conn) -> bool:
    return queries.lock_free(conn, key=LOCK_KEY)


@dataclass
class Run:
    """One run as it goes; ``save`` writes its progress (inside the batch's transaction)."""

    id: int
    files: dict[str, FileStats] = field(default_factory=lambda: {name: FileStats() for name in NAMES})
    current_file: str | None = None
    rows_done: int = 0

    @classmethod
    def start(cls, conn: Conn, trigger: str, requested_by: UUID | None) -> Run:
        """A new run (under the lock: runs still marked running died with their process)."""
        queries.fail_stale_runs(conn)
        return cls(id=queries.start_run(conn, trigger=trigger, requested_by=requested_by))

    def files_json(self) -> Jsonb:
        from psycopg.types.json import Jsonb  # lazy: psycopg is not loaded on a cold start that needs no SQL

        return Jsonb({name: stats.as_json() for name, stats in self.files.items()})

    def save(self, conn: Conn) -> None:
        queries.run_progress(conn, run_id=self.id, current_file=self.current_file, rows_done=self.rows_done,
                             files=self.files_json())

    def finish(self, conn: Conn, status: str, error: str | None = None) -> None:
        queries.finish_run(conn, run_id=self.id, status=status, error=error, files=self.files_json())


def recent(conn: Conn, limit: int = RECENT_RUNS) -> list[RunRow]:
    return queries.recent_runs(conn, limit=limit)


def file_versions(conn: Conn) -> dict[str, FileVersionRow]:
    return {row["name"]: row for row in queries.file_versions(conn)}


def set_file_version(conn: Conn, name: str, sha256: str, run_id: int) -> None:
    queries.set_file_version(conn, name=name, sha256=sha256, run_id=run_id)
