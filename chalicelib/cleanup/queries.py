"""Cleanup's SQL: the named queries of ``db/queries/cleanup.sql``, typed."""

from __future__ import annotations

from datetime import datetime
from typing import TypedDict
from uuid import UUID

from chalicelib import db
from chalicelib.db import Conn
from chalicelib.playback import queries as playback_queries


class JobStatus(TypedDict):
    id: str  # the job's uuid as text: the keys it is matched against are text
    status: str


def delete_sessions(conn: Conn, *, now: datetime, revoked_before: datetime) -> int:
    """Expired sessions and long-revoked ones; how many went."""
    return db.queries().cleanup_sessions(conn, now=now, revoked_before=revoked_before)


def delete_download_events(conn: Conn, *, before: datetime) -> int:
    """Timeline rows of terminal jobs older than ``before``; how many went."""
    return db.queries().cleanup_download_events(conn, before=before)


def delete_recommendation_snapshots(conn: Conn, *, before: datetime) -> int:
    """Snapshots older than ``before`` (never a user's newest); how many went."""
    return db.queries().cleanup_recommendation_snapshots(conn, before=before)


def delete_playback_sessions(conn: Conn, *, before: datetime, batch: int) -> int:
    """Up to ``batch`` sessions not heard from since ``before`` (never a user's newest of a title); how many went."""
    return db.queries().cleanup_playback_sessions(conn, before=before, batch=batch)


def job_statuses(conn: Conn, *, job_ids: list[str]) -> list[JobStatus]:
    return list(db.queries().cleanup_job_statuses(conn, job_ids=job_ids))


def referenced_keys(conn: Conn, *, keys: list[str]) -> set[str]:
    """The bucket keys among ``keys`` that something still needs (the same answer the storage janitor gets)."""
    return playback_queries.referenced_keys(conn, keys=keys)


def run_started(conn: Conn, *, job_name: str, trigger: str, requested_by: UUID | None) -> int:
    """Record a run in sync_state and sync_runs; the run's id."""
    return db.queries().cleanup_started(conn, job_name=job_name, trigger=trigger, requested_by=requested_by)


def run_finished(conn: Conn, *, run_id: int, job_name: str, status: str, error: str | None, duration_ms: int,
                 stats: str) -> None:
    """``stats``: the run's counts as a JSON object."""
    db.queries().cleanup_finished(conn, run_id=run_id, job_name=job_name, status=status, error=error,
                                  duration_ms=duration_ms, stats=stats)
