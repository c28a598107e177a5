"""Send claimed notifications to each user's Apprise channels.

A batch is claimed in one statement (``delivery = 'sending'``, SKIP LOCKED), so concurrent senders
never take the same notification; a sender that dies leaves its claim to go stale and be retried
(at least once: a crash between the send and the mark may repeat one message). A notification is
``sent`` when at least one channel took it, ``skipped`` when the user has no channel (in-app only),
and retried up to ``MAX_ATTEMPTS`` before ``failed``.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from uuid import UUID

from chalicelib import clock, db
from chalicelib.config import get_settings
from chalicelib.logs import get_logger
from chalicelib.notifications import queries
from chalicelib.notifications.queries import ClaimedRow
from chalicelib.settings.crypto import decrypt_row

BATCH = 100
MAX_ATTEMPTS = 5
STALE = timedelta(minutes=10)


def _channels(user_ids: list[UUID]) -> dict[UUID, list[str]]:
    with db.connection() as conn:
        rows = queries.channel_urls(conn, user_ids=user_ids)
    found: dict[UUID, list[str]] = defaultdict(list)
    for row in rows:
        url = decrypt_row({"key": f"notification channel {row['label']}", "key_id": row["key_id"],
                           "secret_ciphertext": row["url_ciphertext"].encode()})
        if url:
            found[row["user_id"]].append(url)
    return found


def _send(urls: list[str], title: str, body: str) -> str | None:
    """None when at least one channel took the message, else what went wrong (every channel's reason)."""
    from chalicelib.notifications import channels  # lazy: imports apprise, only the sender needs it

    settings = get_settings().notifications
    errors = [error for url in urls if (error := channels.send(url, title, body, settings)) is not None]
    if len(errors) < len(urls):
        return None
    refused = [error for error in errors if error.startswith("refused")]
    if refused:
        get_logger().warning("notification channel refused", extra={"action": "notification_channel_refused",
                                                                     "reasons": refused})
    return f"none of {len(urls)} channel(s) accepted the message: " + "; ".join(errors)[:500]


def _finish(row: ClaimedRow, urls: list[str]) -> str:
    error = _send(urls, row["title"], row["body"] or "") if urls else None
    state = "skipped" if not urls else "sent" if error is None else \
        "failed" if row["attempts"] >= MAX_ATTEMPTS else "pending"
    with db.connection() as conn:
        queries.finish(conn, id=row["id"], delivery=state, now=clock.now(), last_error=error)
    return state


def deliver() -> dict[str, int]:
    """Claim and send one batch after another until none is left; counts per outcome."""
    counts: dict[str, int] = defaultdict(int)
    while True:
        now = clock.now()
        with db.transaction() as conn:
            claimed = queries.claim(conn, now=now, stale_before=now - STALE, max_attempts=MAX_ATTEMPTS,
                                    row_limit=BATCH)
        if not claimed:
            return dict(counts)
        channels = _channels(sorted({row["user_id"] for row in claimed}))
        for row in claimed:
            counts[_finish(row, channels.get(row["user_id"], []))] += 1
        if len(claimed) < BATCH:
            get_logger().info("notifications delivered", extra={"action": "notifications_delivered", **counts})
            return dict(counts)
