"""Who gets the worker's media slots: remux/HLS preparations in line, fairly (issue 33, item 6).

A preparation the player asks for is first ``queued`` (who asked, when);
``media.prepare`` goes to the worker only when it gets a slot. A requester
holds at most ``SEEN_TRANSCODE_PER_USER`` slots and everyone together at most
``SEEN_TRANSCODE_CONCURRENCY`` (the number of jobs the worker's media loop
runs), so one user's twenty transcodes never hold back another user's first:
the line is round robin across requesters, oldest first within one.

A slot is held while a sent request waits for its first answer (at most
``RETRY_AFTER`` seconds: a request the worker never answered frees its slot
and is asked again on the next play) and while the variant runs (up to the
worker's own ffmpeg timeout). A terminal ``media.prepared`` frees it.
Waiting requests are released when a slot frees (the media.prepared
handler), on every ask (a waiting player polls) and by ``release_waiting``
on a schedule. Releases count slots, never events, so a redelivered event
releases nothing twice.

Every decision takes one advisory lock (held to commit); the commands of
released requests are sent inside that transaction, so a failed send
releases nothing (the ask is a 503, the event is redelivered).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import cast

from chalicelib import aws, db
from chalicelib.config import get_settings
from chalicelib.db import Conn
from chalicelib.library import errors, queries
from chalicelib.library.rows import VariantRow
from chalicelib.logs import get_logger
from chalicelib.messages import MediaPrepare

RETRY_AFTER = 120  # seconds a request the worker never answered holds its slot before it is asked again
RUNNING_GRACE = 600  # beyond the worker's ffmpeg timeout, before a silent running variant frees its slot
LINE_LIMIT = 1000  # rows of the line read at once (a release, or a position to report)


@dataclass(frozen=True)
class InLine:
    """Where a preparation stands after an ask: ``queued_now`` when this ask put it in line."""

    queued_now: bool
    state: str | None
    position: int | None = None  # 1 = the next to get a slot; None unless waiting


def _running_for() -> int:
    return get_settings().transcode.timeout + RUNNING_GRACE


class _Slots:
    """Slot holders per requester and in total, as of the dispatch lock."""

    def __init__(self, conn: Conn):
        self.per_user = {row["requested_by"]: row["n"]
                         for row in queries.slot_holders(conn, retry_after=RETRY_AFTER, running_for=_running_for())}
        self.total = sum(self.per_user.values())
        settings = get_settings().transcode
        self.cap, self.per_user_cap = settings.concurrency, settings.per_user

    def full(self) -> bool:
        return self.total >= self.cap

    def free_for(self, user_id: uuid.UUID | None) -> bool:
        return not self.full() and self.per_user.get(user_id, 0) < self.per_user_cap

    def take(self, user_id: uuid.UUID | None) -> None:
        self.per_user[user_id] = self.per_user.get(user_id, 0) + 1
        self.total += 1


def _send(row: VariantRow) -> None:
    from botocore.exceptions import BotoCoreError, ClientError  # boto is loaded on first use (cold start)

    command = MediaPrepare(item_id=str(row["library_item_id"]), key=row["source_key"], mode=row["mode"],
                           output_prefix=cast(str, row["output_prefix"]))  # every request names its prefix
    try:
        aws.client("sqs").send_message(QueueUrl=aws.queue_url(get_settings().aws.media_queue),
                                       MessageBody=command.to_json())
    except (BotoCoreError, ClientError) as exc:
        raise errors.QueueUnavailable("The worker's media queue is unreachable; try again") from exc


def _release(conn: Conn) -> list[VariantRow]:
    """Inside a transaction holding the lock: give free slots to the line, sending each command."""
    slots = _Slots(conn)
    released: list[VariantRow] = []
    if slots.full():
        return released
    for waiting in queries.waiting(conn, retry_after=RETRY_AFTER, running_for=_running_for(), limit=LINE_LIMIT):
        if slots.full():
            break
        if not slots.free_for(waiting["requested_by"]):
            continue
        row = queries.variant_release(conn, item_id=waiting["library_item_id"], mode=waiting["mode"])
        if row is not None:
            _send(row)
            slots.take(row["requested_by"])
            released.append(row)
    if released:
        get_logger().info("media preparations released", extra={
            "action": "media_prepare_sent",
            "variants": [f"{row['library_item_id']}/{row['mode']}" for row in released]})
    return released


def lock(conn: Conn) -> None:
    """Inside the caller's transaction: serialise with every other slot decision (until commit)."""
    queries.lock_dispatch(conn)


def release(conn: Conn) -> int:
    """Inside the caller's transaction: free slots to waiting preparations; how many were sent."""
    lock(conn)
    return len(_release(conn))


def release_waiting() -> int:
    """The scheduled tick: slots freed by requests the worker never answered go to the line."""
    with db.transaction() as conn:
        return release(conn)


def position(conn: Conn, item_id: uuid.UUID, mode: str) -> int | None:
    """The waiting preparation's place in line (1 = next), None when it is not waiting (or far back)."""
    for row in queries.waiting(conn, retry_after=RETRY_AFTER, running_for=_running_for(), limit=LINE_LIMIT):
        if row["library_item_id"] == item_id and row["mode"] == mode:
            return int(row["position"])
    return None


def ask(conn: Conn, item_id: uuid.UUID, mode: str, source_key: str, prefix: str,
        user_id: uuid.UUID) -> InLine:
    """Put the variant in line unless it is in line or under way, then hand free slots on.

    A variant several users ask for is one request, counted against the first asker."""
    with conn.transaction():
        lock(conn)
        queued = queries.variant_request(conn, item_id=item_id, mode=mode, source_key=source_key,
                                         output_prefix=prefix, retry_after=RETRY_AFTER, requested_by=user_id)
        _release(conn)  # also on a plain poll: a slot freed by a timeout is handed on at once
        current = next((row for row in queries.variants_of(conn, item_id=item_id) if row["mode"] == mode), None)
        state = current["state"] if current is not None else None
        place = position(conn, item_id, mode) if state == "queued" else None
    return InLine(queued_now=queued is not None, state=state, position=place)
