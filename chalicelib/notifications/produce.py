"""Make notifications from what happened since the look-back window began.

Every producer is an INSERT ... SELECT with ON CONFLICT DO NOTHING on (user, kind, subject), so a
run can repeat (a redelivered schedule, two overlapping runs) and each event is notified once. The
window (two days) is wider than the schedule so a run that was missed is caught up by the next.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from chalicelib import clock, db
from chalicelib.db import Conn
from chalicelib.notifications import deliver, queries
from chalicelib.tracking import follows

WINDOW = timedelta(days=2)


def _episodes(conn: Conn, now: datetime) -> None:
    for user_id, followed in follows.followed_shows_by_user(conn).items():
        shows = sorted(followed)
        if shows:
            queries.episodes_aired(conn, user_id=user_id, show_ids=shows, since=(now - WINDOW).date(),
                                   today=now.date(), now=now)


def produce(conn: Conn) -> None:
    """All producers, in the caller's transaction."""
    now = clock.now()
    _episodes(conn, now)
    queries.downloads_finished(conn, since=now - WINDOW)
    queries.games_released(conn, since=(now - WINDOW).date(), today=now.date())


def run() -> dict[str, int]:
    """The scheduled function: make what is due, then send everything pending."""
    with db.transaction() as conn:
        produce(conn)
    return deliver.deliver()
