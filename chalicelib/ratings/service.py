"""The OMDb ratings pass (scheduled hourly) and the admin coverage figures.

Each run spends at most ``batch_size`` requests and never more than the day's
budget (``daily_budget``, OMDb's free key allows 1,000 a day; the requests
spent today are the titles stamped ``ratings_attempted_at`` since midnight
UTC). Titles in the library or on anyone's lists come first, then the most
popular. A title is fetched again after ``refresh_days``; a failed one waits
``failure_cooldown_hours``. A refused key (401) stops the run and is reported
as its error; "Request limit reached!" stops it and the runs of the rest of
the day (``stats.limitedOn``). Runs are recorded in ``sync_state`` as
``ratings.omdb``.
"""

from __future__ import annotations

import json
import time
from datetime import datetime
from datetime import time as clock_time
from typing import Literal, TypedDict

from chalicelib import clock, db
from chalicelib.config import get_settings
from chalicelib.db import Conn
from chalicelib.jobruns import queries as jobruns_queries
from chalicelib.logs import get_logger
from chalicelib.ratings import client as omdb
from chalicelib.ratings import parse, queries
from chalicelib.ratings.models import RatingsCoverage
from chalicelib.settings import credentials

JOB_NAME = "ratings.omdb"
MAX_ERROR_LENGTH = 500


class PassStats(TypedDict, total=False):
    """A pass's figures (``sync_runs.stats``): outcomes counted, or why it was skipped."""

    budget: int
    stored: int
    missing: int
    failed: int
    limitedOn: str  # the day OMDb's quota ran out: the rest of that day's runs skip
    reason: str


class PassOutcome(TypedDict):
    job: str
    status: str
    stats: PassStats
    error: str | None


def coverage() -> RatingsCoverage:
    """How many rateable titles have ratings (all of them, and the library + watch lists)."""
    with db.connection() as conn:
        row = queries.coverage(conn)
    return RatingsCoverage(key_configured=bool(credentials.omdb_api_key()), **row)


def _budget(conn: Conn, now: datetime) -> int:
    settings = get_settings().ratings
    midnight = datetime.combine(now.date(), clock_time(0), tzinfo=now.tzinfo)
    spent = queries.attempts_since(conn, since=midnight)
    return max(0, min(settings.batch_size, settings.daily_budget - spent))


def _fetch_one(client: omdb.OmdbClient, media_id: int, imdb_id: str) -> Literal["stored", "missing", "failed"]:
    """Fetch and store one title's ratings; returns "stored" | "missing" | "failed" (limit/key errors raise)."""
    try:
        rows = parse.ratings(client.title(imdb_id))
    except (omdb.OmdbUnauthorized, omdb.OmdbLimitReached):
        raise
    except omdb.OmdbNotFound:
        outcome, rows = "missing", None
    except omdb.OmdbError as exc:
        get_logger().warning("omdb fetch failed", extra={"action": "omdb_fetch_failed", "media_id": media_id,
                                                         "error": str(exc)})
        outcome, rows = "failed", None
    with db.transaction() as conn:
        if rows is None:
            queries.attempted(conn, media_id=media_id)
            return outcome
        queries.store(conn, media_id=media_id, items=json.dumps(rows, default=str))
    return "stored"


def fill(api_key: str, now: datetime) -> tuple[PassStats, str | None]:
    """One budgeted batch; returns (stats, error). The stats count outcomes; ``limitedOn`` marks a spent quota."""
    settings = get_settings().ratings
    with db.connection() as conn:
        budget = _budget(conn, now)
        due = queries.due(conn, refresh_days=settings.refresh_days, cooldown_hours=settings.failure_cooldown_hours,
                          row_limit=budget) if budget else []
    stats: PassStats = {"budget": budget, "stored": 0, "missing": 0, "failed": 0}
    error = None
    with omdb.OmdbClient(api_key, settings) as client:
        for row in due:
            try:
                stats[_fetch_one(client, row["id"], row["imdb_id"])] += 1
            except omdb.OmdbLimitReached as exc:
                stats["limitedOn"], error = now.date().isoformat(), f"OMDb: {exc}"
                break
            except omdb.OmdbUnauthorized as exc:
                error = f"OMDb refused the API key: {exc}"
                break
    return stats, error


def _limited_today(conn: Conn, now: datetime) -> bool:
    stats = queries.last_stats(conn)
    return stats.get("limitedOn") == now.date().isoformat()


def run_job(trigger: str = "schedule") -> PassOutcome:
    """Run the pass and record it (never raises: a failure is a status the admin view shows)."""
    now, started = clock.now(), time.monotonic()
    api_key = credentials.omdb_api_key()
    with db.connection() as conn:
        limited = _limited_today(conn, now)
        run_id = jobruns_queries.started(conn, job_name=JOB_NAME, trigger=trigger)
    status, error = "ok", None
    stats: PassStats = {}
    if not api_key:
        status = "skipped"
        stats = {"reason": "no OMDb key (admin settings or OMDB_API_KEY)"}
    elif limited:
        status = "skipped"
        stats = {"reason": "the OMDb daily limit was reached", "limitedOn": now.date().isoformat()}
    else:
        try:
            stats, error = fill(api_key, now)
        except Exception as exc:  # recorded for the admin view, and logged with its traceback
            error = f"{type(exc).__name__}: {exc}"
            get_logger().exception("ratings pass crashed", extra={"action": "ratings_pass_crashed"})
        status = "failed" if error else "ok"
    duration_ms = round((time.monotonic() - started) * 1000)
    with db.connection() as conn:
        jobruns_queries.finished(conn, run_id=run_id, job_name=JOB_NAME, status=status,
                                 error=error[:MAX_ERROR_LENGTH] if error else None, duration_ms=duration_ms,
                                 stats=json.dumps(stats))
    log = get_logger().warning if error else get_logger().info
    log("ratings pass finished", extra={"action": "ratings_pass_finished", "status": status, "error": error,
                                        **{k: v for k, v in stats.items() if k != "reason"}})
    return {"job": JOB_NAME, "status": status, "stats": stats, "error": error}
