"""Who gets the worker's slots: the instance's limit and a per-user cap (fair share).

A job either holds a slot (``queued_reason`` NULL: sent, running, stalled
awaiting its retry, or owed a lost command) or waits, ``queued`` with the
reason it waits. A user holds at most ``SEEN_DOWNLOAD_PER_USER_ACTIVE`` slots,
so while one user has a long queue another user's job still starts; the
instance setting ``downloads.max_concurrent`` caps everyone's slots together.

Every decision takes one advisory lock (held to commit), so concurrent
submissions and releases count each other. A release commits before it sends;
a send that fails leaves the job holding its slot with its command owed, which
the reconciler resends (``downloads_lock_unsent``).
"""

from __future__ import annotations

import uuid
from contextlib import nullcontext

from chalicelib import db
from chalicelib.config import get_settings
from chalicelib.db import Conn
from chalicelib.downloads import commands, queries
from chalicelib.downloads.queries import JobRow
from chalicelib.downloads.statemachine import TERMINAL
from chalicelib.logs import get_logger

WAITING_FOR_YOURS = "waiting for your other downloads"
WAITING_FOR_A_SLOT = "waiting for a free download slot"
BATCH = 100


class _Slots:
    """Slot holders per user and in total, as of the dispatch lock."""

    def __init__(self, conn: Conn):
        self.per_user = {row["user_id"]: row["n"] for row in queries.slot_holders(conn)}
        self.total = sum(self.per_user.values())
        self.instance_limit = queries.instance_limit(conn)

    def reason_to_wait(self, user_id: uuid.UUID) -> str | None:
        if self.per_user.get(user_id, 0) >= get_settings().downloads.per_user_active:
            return WAITING_FOR_YOURS
        if self.instance_limit is not None and self.total >= self.instance_limit:
            return WAITING_FOR_A_SLOT
        return None

    def take(self, user_id: uuid.UUID) -> None:
        self.per_user[user_id] = self.per_user.get(user_id, 0) + 1
        self.total += 1


def claim(conn: Conn, user_id: uuid.UUID) -> str | None:
    """Inside the caller's transaction, before it inserts the user's new job: None when the job may
    be sent at once, else why it waits (store it as the job's ``queued_reason``)."""
    queries.lock_dispatch(conn)
    return _Slots(conn).reason_to_wait(user_id)


def _release(conn: Conn) -> list[JobRow]:
    queries.lock_dispatch(conn)
    slots = _Slots(conn)
    released = []
    for job in queries.waiting(conn, per_user=get_settings().downloads.per_user_active, limit=BATCH):
        reason = slots.reason_to_wait(job["user_id"])
        if reason is not None:
            if reason != job["queued_reason"]:
                queries.set_queued_reason(conn, job_id=job["id"], queued_reason=reason)
            continue
        row = queries.release_job(conn, job_id=job["id"])
        if row is not None:
            slots.take(job["user_id"])
            released.append(row)
    return released


def release_waiting(conn: Conn | None = None) -> int:
    """Give free slots to waiting jobs, oldest first within the caps; returns how many were sent.

    On ``conn`` (autocommit) when the caller holds one — a second connection taken while holding one
    can starve the pool under load — else on a connection of its own."""
    with nullcontext(conn) if conn is not None else db.connection() as conn:
        with conn.transaction():
            released = _release(conn)
        sent = 0
        for row in released:  # committed first: a lost send is resent by the reconciler
            sent += commands.send_start(conn, row)
    if released:
        get_logger().info("waiting downloads released", extra={
            "action": "download_released", "jobs": [str(row["id"]) for row in released], "sent": sent})
    return sent


def after_state(status: str, conn: Conn | None = None) -> None:
    """A job reached ``status``: when it ended, its slot goes to the next waiting job at once."""
    if status in TERMINAL:
        release_waiting(conn)
