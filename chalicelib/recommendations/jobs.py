"""Recording a scheduled job's run in ``sync_state``/``sync_runs`` (the admin sync-jobs view).

Shared by the recommendations snapshot job and the calendar fill: a run is
``ok``, ``failed`` (with its error) or ``skipped`` (nothing to do upstream),
and never raises, because a failure is data for the admin view, not a crash
of the scheduler.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from chalicelib import db
from chalicelib.logs import get_logger

MAX_ERROR_LENGTH = 500


class Skipped(Exception):
    """Raised by a job that had nothing it could do (e.g. no upstream credentials)."""

    def __init__(self, reason: str, stats: dict[str, Any] | None = None):
        super().__init__(reason)
        self.stats = {"reason": reason, **(stats or {})}


def run_recorded(job_name: str, fn: Callable[[], dict[str, Any]], trigger: str = "schedule") -> dict[str, Any]:
    """Run ``fn`` and record its outcome; returns ``{job, status, stats, error}``."""
    q = db.queries()
    with db.connection() as conn:
        run_id = q.scheduled_job_started(conn, job_name=job_name, trigger=trigger)
    started = time.monotonic()
    status, error, stats = "ok", None, {}
    try:
        stats = fn()
    except Skipped as exc:
        status, stats = "skipped", exc.stats
    except Exception as exc:  # recorded for the admin view and logged with its traceback
        status, error = "failed", f"{type(exc).__name__}: {exc}"[:MAX_ERROR_LENGTH]
        get_logger().exception("scheduled job crashed", extra={"action": "scheduled_job_crashed", "job": job_name})
    duration_ms = round((time.monotonic() - started) * 1000)
    with db.connection() as conn:
        q.scheduled_job_finished(conn, run_id=run_id, job_name=job_name, status=status, error=error,
                                 duration_ms=duration_ms, stats=json.dumps(stats, default=str))
    get_logger().info("scheduled job finished", extra={"action": "scheduled_job_finished", "job": job_name,
                                                        "status": status, "duration_ms": duration_ms})
    return {"job": job_name, "status": status, "stats": stats, "error": error}
