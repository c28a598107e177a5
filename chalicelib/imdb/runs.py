"""Import runs: the advisory lock that keeps two runs apart, and the run's recorded progress."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from chalicelib import errors
from chalicelib.imdb import store
from chalicelib.imdb.parse import FileStats
from chalicelib.imdb.rows import NAMES

# pg_advisory_lock key of the IMDb import ("seen" "imdb" in ASCII).
LOCK_KEY = 0x7365656E_696D6462
RECENT_RUNS = 10


class ImportRunning(errors.Conflict):
    """Another IMDb import holds the lock."""

    code = "imdb_import_running"

    def __init__(self) -> None:
        super().__init__("An IMDb import is already running")


def try_lock(conn: Any) -> bool:
    return bool(store.scalar(conn, "imdb_try_lock", key=LOCK_KEY))


def unlock(conn: Any) -> None:
    store.scalar(conn, "imdb_unlock", key=LOCK_KEY)


def lock_free(conn: Any) -> bool:
    return bool(store.scalar(conn, "imdb_lock_free", key=LOCK_KEY))


@dataclass
class Run:
    """One run as it goes; ``save`` writes its progress (inside the batch's transaction)."""

    id: int
    files: dict[str, FileStats] = field(default_factory=lambda: {name: FileStats() for name in NAMES})
    current_file: str | None = None
    rows_done: int = 0

    @classmethod
    def start(cls, conn: Any, trigger: str, requested_by: UUID | None) -> Run:
        """A new run (under the lock: runs still marked running died with their process)."""
        store.execute(conn, "imdb_fail_stale_runs")
        row, _ = store.execute(conn, "imdb_start_run", trigger=trigger, requested_by=requested_by)
        return cls(id=row["id"])

    def files_json(self) -> Any:
        from psycopg.types.json import Jsonb

        return Jsonb({name: stats.as_json() for name, stats in self.files.items()})

    def save(self, conn: Any) -> None:
        store.execute(conn, "imdb_run_progress", id=self.id, current_file=self.current_file,
                      rows_done=self.rows_done, files=self.files_json())

    def finish(self, conn: Any, status: str, error: str | None = None) -> None:
        store.execute(conn, "imdb_finish_run", id=self.id, status=status, error=error, files=self.files_json())


def recent(conn: Any, limit: int = RECENT_RUNS) -> list[dict]:
    return list(conn.execute(store.sql("imdb_recent_runs"), {"limit": limit}))


def file_versions(conn: Any) -> dict[str, dict]:
    return {row["name"]: row for row in conn.execute(store.sql("imdb_file_versions"))}


def set_file_version(conn: Any, name: str, sha256: str, run_id: int) -> None:
    store.execute(conn, "imdb_set_file_version", name=name, sha256=sha256, run_id=run_id)
