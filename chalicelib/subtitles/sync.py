"""Subtitles in sync (issue 38 item 4): auto-sync by the worker, and each viewer's own offset.

Auto-sync is asked of the worker's media loop (``media.subtitle_sync`` on ``seen-media-commands``), which
lines the track up with the file's audio and stores the shifted track beside the original's variants
(``{original}.variants/{sha}/subsync/``); ``media.subtitle_synced`` brings the offset back and the stream
serves the shifted track from then on, as long as the track is the one that was synced (a track replaced
by a rescan is served as it is until synced again; the worker answers an unchanged one from the bucket).
One request per track is in the worker's hands at a time (409), and each user at most ``MAX_OPEN_PER_USER``
(429), since decoding a film's audio is heavy work on a shared worker; a request not answered after
``STALE_AFTER`` is taken as lost. Answers are applied idempotently: one about another file or track, or
older than the last applied, changes nothing.

The manual offset is the viewer's (the acting profile's) per track: the player shifts the cues by it, on top
of the auto-sync already in the served track.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from chalicelib import aws, db
from chalicelib.config import get_settings
from chalicelib.db import Conn
from chalicelib.errors import BadRequest, Conflict, NotFound, RateLimited, ServiceUnavailable
from chalicelib.events import on_event
from chalicelib.logs import get_logger
from chalicelib.messages import SubtitleSync, SubtitleSynced
from chalicelib.subtitles import queries
from chalicelib.subtitles.models import SubtitleOffset, SubtitleSyncState, SyncQueued

MODE = "subsync"  # the outputs' folder under the original's variants
STALE_AFTER = 2 * 3600  # seconds after which an unanswered request is taken as lost
MAX_OPEN_PER_USER = 3  # syncs of one user in the worker's hands at once
MAX_OFFSET = 60.0  # seconds, either way, of a manual offset
RETRY_AFTER = 60  # seconds a user over the cap is told to wait (a sync of a film takes about that)


class TrackNotFound(NotFound):
    code = "subtitle_not_found"


class SyncRunning(Conflict):
    code = "subtitle_sync_running"


class TooManySyncs(RateLimited):
    code = "subtitle_sync_limit"


class BadOffset(BadRequest):
    code = "subtitle_offset_invalid"


@dataclass(frozen=True)
class TrackSync:
    """What the item's answers say of a track's sync, and the shifted track to serve (None: the track as is)."""

    state: SubtitleSyncState
    serve_key: str | None


def output_prefix(source_key: str, sha256: str | None) -> str:
    """Beside the original's other variants (the layout of ``library.playmodes.output_prefix``)."""
    return f"{source_key}.variants/{(sha256 or 'unhashed')[:16]}/{MODE}/"


def _ids(item_id: str, track_id: str) -> tuple[uuid.UUID, uuid.UUID]:
    try:
        return uuid.UUID(item_id), uuid.UUID(track_id)
    except ValueError:
        raise TrackNotFound("No such subtitle track") from None


def _send(command: SubtitleSync) -> None:
    from botocore.exceptions import BotoCoreError, ClientError  # boto is loaded on first use (cold start)

    try:
        aws.client("sqs").send_message(QueueUrl=aws.queue_url(get_settings().aws.media_queue),
                                       MessageBody=command.to_json())
    except (BotoCoreError, ClientError) as exc:
        raise ServiceUnavailable("The worker's queue is unreachable; try again in a moment") from exc


def request(item_id: str, track_id: str, user_id: uuid.UUID) -> SyncQueued:
    """Ask the worker to sync one track of an item to its audio (the request is recorded with the send)."""
    item, track = _ids(item_id, track_id)
    since = datetime.now(UTC) - timedelta(seconds=STALE_AFTER)
    with db.transaction() as conn:
        row = queries.sync_track_for_update(conn, item_id=item, subtitle_id=track)
        if row is None:
            raise TrackNotFound("No such subtitle track")
        if row["status"] in ("queued", "running") and row["requested_at"] is not None \
                and row["requested_at"] >= since:
            raise SyncRunning("This track is already being synced")
        if queries.sync_open_count(conn, user_id=user_id, since=since) >= MAX_OPEN_PER_USER:
            raise TooManySyncs(f"At most {MAX_OPEN_PER_USER} subtitle syncs at once; wait for one to finish",
                               retry_after=RETRY_AFTER)
        prefix = output_prefix(row["source_key"], row["sha256"])
        queries.sync_request(conn, subtitle_id=track, item_id=item, user_id=user_id, source_key=row["source_key"],
                             subtitle_key=row["subtitle_key"], output_prefix=prefix,
                             track_updated_at=row["track_updated_at"])
        _send(SubtitleSync(item_id=str(item), subtitle_id=str(track), key=row["source_key"],
                           subtitle_key=row["subtitle_key"], output_prefix=prefix))
    get_logger().info("subtitle sync asked", extra={"action": "subtitle_sync_sent", "item_id": str(item),
                                                    "subtitle_id": str(track)})
    return SyncQueued()


def apply_synced(conn: Conn, event: SubtitleSynced) -> bool:
    """Store the worker's answer; False when it changes nothing (stale, about another track, malformed)."""
    try:
        track = uuid.UUID(event.subtitle_id)
    except ValueError:
        return False
    if event.status == "done" and (event.output_key is None or event.offset_seconds is None):
        row = None
    else:
        row = queries.sync_apply(conn, subtitle_id=track, source_key=event.key, subtitle_key=event.subtitle_key,
                                 status=event.status, offset_seconds=event.offset_seconds,
                                 output_key=event.output_key if event.status == "done" else None,
                                 error=event.error if event.status == "failed" else None, sent_at=event.sent_at)
    get_logger().info("subtitle sync reported", extra={
        "action": "subtitle_synced", "subtitle_id": event.subtitle_id, "status": event.status,
        "offset": event.offset_seconds, "applied": row is not None, "error": (event.error or "")[:200] or None})
    return row is not None


# Registered when the app imports the library routes (routes -> streaming -> here), as analysis' is.
@on_event("media.subtitle_synced")
def on_subtitle_synced(event: SubtitleSynced) -> None:
    with db.transaction() as conn:
        apply_synced(conn, event)


def syncs_of(conn: Conn, item_id: uuid.UUID) -> dict[uuid.UUID, TrackSync]:
    """The item's tracks' syncs by track id (for its detail and stream answers)."""
    found = {}
    for row in queries.syncs_of_item(conn, item_id=item_id):
        if not row["current"]:
            continue  # the track was replaced since: what was found was about the old one
        done = row["status"] == "done"
        state = SubtitleSyncState(
            status=row["status"],  # type: ignore[arg-type]  # the table's CHECK
            offset_seconds=float(row["offset_seconds"]) if done and row["offset_seconds"] is not None else None,
            synced_at=row["synced_at"] if done else None, error=row["error"])
        found[row["subtitle_id"]] = TrackSync(state=state, serve_key=row["output_key"] if done else None)
    return found


def _checked(seconds: float) -> Decimal:
    # The range first: ±1e308 * 10 is infinite, which round() cannot take (it was a 500).
    if not -MAX_OFFSET <= seconds <= MAX_OFFSET or abs(seconds * 10 - round(seconds * 10)) > 1e-6:
        raise BadOffset(f"An offset is between -{MAX_OFFSET:.0f} and {MAX_OFFSET:.0f} seconds, in steps of 0.1")
    return Decimal(round(seconds * 10)) / 10


def set_offset(item_id: str, track_id: str, user_id: uuid.UUID, seconds: float) -> SubtitleOffset:
    """Remember the viewer's offset for one track (0 too: an explicit 'none')."""
    offset = _checked(seconds)
    item, track = _ids(item_id, track_id)
    with db.transaction() as conn:
        if not queries.sync_track_exists(conn, item_id=item, subtitle_id=track):
            raise TrackNotFound("No such subtitle track")
        queries.set_offset(conn, user_id=user_id, subtitle_id=track, item_id=item, offset_seconds=offset)
    return SubtitleOffset(subtitle_id=track, seconds=float(offset))


def offsets_of(conn: Conn, item_id: uuid.UUID, user_id: uuid.UUID) -> dict[uuid.UUID, float]:
    """The viewer's offsets for the item's tracks, by track id."""
    return {row["subtitle_id"]: float(row["offset_seconds"])
            for row in queries.offsets_of(conn, user_id=user_id, item_id=item_id)}
