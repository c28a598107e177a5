"""Recording a scheduled job's run in ``sync_state``/``sync_runs`` (the admin sync-jobs view).

Shared by the recommendations snapshot job, the calendar fill and the picks monitor: a run is ``ok``,
``failed`` (with its error) or ``skipped`` (nothing to do upstream), and never raises, because a failure
is data for the admin view, not a crash of the scheduler. The kernel owns the two queries of
``db/queries/jobruns.sql`` (in ``jobruns.queries``), so every domain can record its jobs without importing
another domain.
"""

from __future__ import annotations

import functools
import json
import time
from collections.abc import Callable, Mapping
from typing import Any, Literal, TypedDict

from chalicelib import db
from chalicelib.jobruns import queries
from chalicelib.logs import get_logger

MAX_ERROR_LENGTH = 500

Status = Literal["ok", "failed", "skipped"]


class JobRun(TypedDict):
    job: str
    status: Status
    stats: Mapping[str, object]
    error: str | None


class Skipped(Exception):
    """Raised by a job that had nothing it could do (e.g. no upstream credentials)."""

    def __init__(self, reason: str, stats: Mapping[str, object] | None = None):
        super().__init__(reason)
        self.stats: Mapping[str, object] = {"reason": reason, **(stats or {})}


def run_recorded(job_name: str, fn: Callable[[], Mapping[str, object]], trigger: str = "schedule") -> JobRun:
    """Run ``fn`` and record its outcome; returns ``{job, status, stats, error}``."""
    with db.connection() as conn:
        run_id = queries.started(conn, job_name=job_name, trigger=trigger)
    started = time.monotonic()
    status: Status = "ok"
    error: str | None = None
    stats: Mapping[str, object] = {}
    try:
        stats = fn()
    except Skipped as exc:
        status, stats = "skipped", exc.stats
    except Exception as exc:  # recorded for the admin view and logged with its traceback
        status, error = "failed", f"{type(exc).__name__}: {exc}"[:MAX_ERROR_LENGTH]
        get_logger().exception("scheduled job crashed", extra={"action": "scheduled_job_crashed", "job": job_name})
    duration_ms = round((time.monotonic() - started) * 1000)
    with db.connection() as conn:
        queries.finished(conn, run_id=run_id, job_name=job_name, status=status, error=error,
                         duration_ms=duration_ms, stats=json.dumps(stats, default=str))
    get_logger().info("scheduled job finished", extra={"action": "scheduled_job_finished", "job": job_name,
                                                        "status": status, "duration_ms": duration_ms})
    return {"job": job_name, "status": status, "stats": stats, "error": error}



def unless_paused(source: str) -> Callable[[Callable[[Any], Any]], Callable[[Any], Any]]:
    """Wrap a scheduled handler of ``app.py``: while an admin has paused ``source`` (admin -> Catalog data) the
    handler does nothing and says so; run-now from the Jobs tab is not a schedule and still runs."""

    def wrap(handler: Callable[[Any], Any]) -> Callable[[Any], Any]:
        @functools.wraps(handler)
        def scheduled(event: Any) -> Any:
            with db.connection() as conn:
                paused = queries.source_paused(conn, source=source)
            if not paused:
                return handler(event)
            get_logger().info("scheduled job paused", extra={"action": "scheduled_job_paused", "source": source,
                                                              "handler": handler.__name__})
            return {"job": handler.__name__, "status": "skipped", "stats": {"reason": f"{source} is paused"},
                    "error": None}

        return scheduled

    return wrap
