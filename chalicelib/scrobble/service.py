"""Apply a media-server event: match the item, drop replays, record it as a player heartbeat."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from uuid import UUID

from chalicelib import db
from chalicelib.db import Conn
from chalicelib.logs import get_logger
from chalicelib.scrobble import queries, secrets
from chalicelib.scrobble.models import HookOut
from chalicelib.scrobble.payloads import Play
from chalicelib.tracking import progress
from chalicelib.tracking.schemas import MAX_SECONDS, MIN_DURATION, HeartbeatIn

EVENTS_KEPT = timedelta(days=30)


def _match(conn: Conn, play: Play) -> tuple[int | None, int | None]:
    if play.kind == "movie":
        return queries.match_movie(conn, imdb_id=play.ids.imdb, tmdb_id=play.ids.tmdb, title=play.title,
                                   year=play.year), None
    row = queries.match_episode(conn, imdb_id=play.ids.imdb, tmdb_id=play.ids.tmdb, show_imdb_id=play.show_ids.imdb,
                                show_tmdb_id=play.show_ids.tmdb, show_tvdb_id=play.show_ids.tvdb,
                                show_title=play.show_title, season=play.season, episode=play.episode)
    return (row["media_id"], row["episode_id"]) if row else (None, None)


def _beat(play: Play, media_id: int, episode_id: int | None) -> HeartbeatIn | None:
    """The heartbeat the event stands for; None when a progress event carries no usable position."""
    duration = min(play.duration or 0.0, MAX_SECONDS)
    if play.action == "watched":
        duration = max(duration, MIN_DURATION)
        return HeartbeatIn(media_id=media_id, episode_id=episode_id, duration_seconds=duration,
                           position_seconds=duration)
    if duration < MIN_DURATION or play.position is None:
        return None
    return HeartbeatIn(media_id=media_id, episode_id=episode_id, duration_seconds=duration,
                       position_seconds=min(play.position, duration))


def apply(secret: str, source: str, play: Play, fingerprint_of: bytes) -> HookOut:
    """Record the event for the secret's owner, once. HookNotFound for a wrong secret."""
    with db.transaction() as conn:
        user_id = secrets.owner(conn, secret)
        if play.action == "ignore":
            return HookOut(status="ignored")
        media_id, episode_id = _match(conn, play)
        beat = _beat(play, media_id, episode_id) if media_id is not None else None
        if beat is None:
            return HookOut(status="unmatched" if media_id is None else "ignored")
        fingerprint = hashlib.sha256(source.encode() + b"\0" + fingerprint_of).digest()
        if not queries.claim_event(conn, user_id=user_id, source=source, fingerprint=fingerprint):
            return HookOut(status="duplicate", media_id=media_id, episode_id=episode_id)
        outcome = progress.record_heartbeat(conn, user_id, beat)
    progress.heartbeat_changed(user_id, outcome)
    _log(user_id, source, play, outcome.result.completed)
    return HookOut(status="applied", media_id=media_id, episode_id=episode_id, completed=outcome.result.completed)


def _log(user_id: UUID, source: str, play: Play, completed: bool) -> None:
    get_logger().info("media server event applied", extra={
        "action": "scrobble_applied", "user_id": str(user_id), "source": source, "event": play.action,
        "kind": play.kind, "completed": completed})


def prune(conn: Conn, now: datetime) -> int:
    """Forget event fingerprints older than the replay window (a cleanup step)."""
    return queries.prune_events(conn, before=now - EVENTS_KEPT)
