"""The IMDb import run: fetch each dataset, skip an unchanged one, apply changed keys batch by batch.

A run holds a session advisory lock, so two never overlap. Each batch (prepared ahead on a reader
thread, see ``pipeline``) is one transaction that applies its rows, stores the hashes of the segments
it read and the run's progress: a run that dies (killed, out of time) leaves every committed batch in
place, and the next run skips those segments as unchanged and continues. A file whose SHA-256 equals
that of its last full import is not read at all.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypedDict
from uuid import UUID

from chalicelib import db, errors
from chalicelib.config.imdb import get_imdb_settings
from chalicelib.db import Conn
from chalicelib.imdb import parse, pipeline, runs, source, store, writers
from chalicelib.imdb.parse import FileFigures
from chalicelib.imdb.queries import FileVersionRow, RunRow
from chalicelib.imdb.rows import DATASETS, Dataset
from chalicelib.imdb.runs import ImportRunning, Run
from chalicelib.logs import get_logger

RunHook = Callable[[Run], None]


class Summary(TypedDict):
    """A run's outcome: its status and each file's figures (``FileStats.as_json``)."""

    runId: int
    status: str
    error: str | None
    files: dict[str, FileFigures]


class Status(TypedDict):
    running: bool
    current: RunRow | None
    runs: list[RunRow]
    files: list[FileVersionRow]


@dataclass(frozen=True)
class Options:
    directory: str | Path | None = None  # read the files from here instead of downloading them
    force: bool = False  # re-read every file, segment and key even when unchanged
    trigger: str = "cli"  # schedule | admin | cli
    requested_by: UUID | None = None
    deadline: float | None = None  # time.monotonic() after which no batch starts (the run ends "partial")
    batch_rows: int | None = None


def run_import(options: Options, on_start: RunHook | None = None, on_batch: RunHook | None = None) -> Summary:
    """Import the datasets once; raises ``ImportRunning`` when another run holds the lock.

    Returns the run's summary: ``{"runId", "status", "files": {name: figures}}``. A failure is
    recorded in the run (status failed, error) and logged, not raised.
    """
    with db.connection() as conn:
        if not runs.try_lock(conn):
            raise ImportRunning()
        try:
            return _locked_run(conn, options, on_start, on_batch)
        finally:
            if not conn.closed and not conn.broken:
                runs.unlock(conn)


def _locked_run(conn: Conn, options: Options, on_start: RunHook | None, on_batch: RunHook | None) -> Summary:
    run = Run.start(conn, options.trigger, options.requested_by)
    if on_start:
        on_start(run)
    log = get_logger()
    try:
        status = _run_files(conn, run, options, on_batch)
        error = "stopped at its time budget; the next run continues" if status == "partial" else None
    except Exception as exc:  # recorded for the admin view, logged with its traceback
        log.exception("imdb import failed", extra={"action": "imdb_import_failed", "run_id": run.id})
        status, error = "failed", f"{type(exc).__name__}: {exc}"
    run.finish(conn, status, error)
    summary: Summary = {"runId": run.id, "status": status, "error": error,
               "files": {name: stats.as_json() for name, stats in run.files.items()}}
    for name, stats in run.files.items():
        if stats.samples:
            log.warning("imdb malformed rows", extra={"action": "imdb_malformed_rows", "file": name,
                                                     "malformed": stats.malformed, "samples": stats.samples})
    log.info("imdb import finished", extra={"action": "imdb_import_finished", "run_id": run.id, "status": status})
    return summary


def _run_files(conn: Conn, run: Run, options: Options, on_batch: RunHook | None) -> str:
    settings = get_imdb_settings()
    versions = runs.file_versions(conn)
    changed = False
    for dataset in DATASETS:
        stats = run.files[dataset.name]
        fetched = source.fetch(settings, dataset.name, options.directory)
        try:
            stats.sha256 = fetched.sha256
            known = versions.get(dataset.name)
            if not options.force and known and known["sha256"] == fetched.sha256:
                stats.status = "skipped"
                continue
            changed = True
            if not _import_file(conn, run, dataset, fetched.path, options, on_batch):
                return "partial"
            runs.set_file_version(conn, dataset.name, fetched.sha256, run.id)
        finally:
            fetched.discard()
    return "succeeded" if changed else "skipped"


def _import_file(conn: Conn, run: Run, dataset: Dataset, path: Path, options: Options,
                 on_batch: RunHook | None) -> bool:
    """Apply one file batch by batch; False when the deadline stopped it."""
    stats = run.files[dataset.name]
    stats.status, run.current_file = "running", dataset.name
    job = pipeline.Job(dataset, path, options.batch_rows or get_imdb_settings().batch_rows, options.force)
    try:
        with closing(pipeline.prepared(job)) as batches:
            finished = writers.apply_all(conn, writers.Writers(run, dataset, batches, options.deadline, on_batch))
        if not finished:
            stats.status = "partial"
            run.save(conn)
            return False
    except parse.Truncated:
        stats.bad(b"", "truncated gzip stream (the batch in flight was not applied)")
        stats.status = "failed"
        raise
    except Exception:
        stats.status = "failed"
        raise
    store.finish_file(conn, dataset.name)
    stats.status = "done"
    return True


def run_scheduled(context: Any = None) -> Mapping[str, object]:
    """The daily job: a run bounded by the Lambda's remaining time (or the configured budget)."""
    settings = get_imdb_settings()
    budget = settings.time_budget
    remaining = getattr(context, "get_remaining_time_in_millis", None)
    if remaining is not None:
        budget = min(budget, remaining() / 1000)
    # A short Lambda timeout must still leave time for batches: the margin is at most a quarter of it.
    deadline = time.monotonic() + budget - min(settings.deadline_margin, budget / 4)
    try:
        return run_import(Options(trigger="schedule", deadline=deadline))
    except ImportRunning:
        return {"status": "busy"}


class _Started(TypedDict, total=False):
    run_id: int  # the run holds the lock
    busy: bool  # another run held it


def start_in_background(requested_by: UUID | None) -> int:
    """Start a run on a thread of this process; its id once it holds the lock (``ImportRunning`` if not)."""
    started = threading.Event()
    outcome: _Started = {}

    def on_start(run: Run) -> None:
        outcome["run_id"] = run.id
        started.set()

    def target() -> None:
        try:
            run_import(Options(trigger="admin", requested_by=requested_by), on_start=on_start)
        except ImportRunning:
            outcome["busy"] = True
        except Exception:  # the run could not even start (database down): logged, the request answers 503
            get_logger().exception("imdb import did not start", extra={"action": "imdb_import_not_started"})
        finally:
            started.set()

    threading.Thread(target=target, name="imdb-import", daemon=True).start()
    started.wait(timeout=30)
    if "run_id" in outcome:
        return outcome["run_id"]
    if outcome.get("busy"):
        raise ImportRunning()
    raise errors.ServiceUnavailable("The IMDb import could not start; try again shortly")


def status() -> Status:
    """Recent runs, the current one (when a run holds the lock) and the imported file versions."""
    with db.connection() as conn:
        recent = runs.recent(conn)
        running = not runs.lock_free(conn)
        files = list(runs.file_versions(conn).values())
    current = next((run for run in recent if run["status"] == "running"), None) if running else None
    return {"running": running, "current": current, "runs": recent, "files": files}
