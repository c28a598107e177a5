"""Make notifications from what happened since the look-back window began.

Every producer is an INSERT ... SELECT with ON CONFLICT DO NOTHING on (user, kind, subject), so a
run can repeat (a redelivered schedule, two overlapping runs) and each event is notified once. The
window (two days) is wider than the schedule so a run that was missed is caught up by the next.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from chalicelib import clock, db
from chalicelib.tracking import follows

WINDOW = timedelta(days=2)


def _episodes(conn: Any, now: Any) -> None:
    q = db.queries()
    for row in q.calendar_tracking_users(conn):
        shows = sorted(follows.followed_show_ids(conn, row["user_id"]))
        if shows:
            q.notify_episodes_aired(conn, user_id=row["user_id"], show_ids=shows, since=(now - WINDOW).date(),
                                    today=now.date(), now=now)


def produce(conn: Any) -> None:
    """All producers, in the caller's transaction."""
    now = clock.now()
    _episodes(conn, now)
    db.queries().notify_downloads_finished(conn, since=now - WINDOW)
    db.queries().notify_games_released(conn, since=(now - WINDOW).date(), today=now.date())


def run() -> dict[str, int]:
    """The scheduled function: make what is due, then send everything pending."""
    from chalicelib.notifications import deliver

    with db.transaction() as conn:
        produce(conn)
    return deliver.deliver()
