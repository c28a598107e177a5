"""Resume points from player heartbeats, continue watching, and per-show progress.

``POST /progress`` is the hot path (every ~10 s per player): one statement
upserts the resume point and, the first time the position reaches the user's
watched threshold, writes one history row (see ``tracking_heartbeat`` in
``db/queries/tracking.sql`` for why it is exactly once).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from chalicelib import cache, db, errors
from chalicelib.db import Conn
from chalicelib.logs import get_logger
from chalicelib.playback import trigger as next_up
from chalicelib.profiles import guard as content_guard
from chalicelib.tracking import errors as tracking_errors
from chalicelib.tracking import queries
from chalicelib.tracking.rows import ResumeRow, ShowEpisodeRow
from chalicelib.tracking.schemas import (
    ContinueItem,
    ContinueWatching,
    EpisodeProgress,
    EpisodeRef,
    HeartbeatIn,
    HeartbeatOut,
    MediaCard,
    ResumePoint,
    SeasonProgress,
    ShowProgress,
)
from chalicelib.tracking.service import explain_item, media, read

# A heartbeat below the threshold this soon after completion is a late or
# redelivered one from before the end, not a rewatch: it must not reopen the
# item (and so cannot lead to a second history row).
REOPEN_GRACE_SECONDS = 120
CONTINUE_WATCHING_LIMIT = 30
RESUME_POINTS_LIMIT = 200
_ATTEMPTS = 3


@dataclass(frozen=True)
class HeartbeatOutcome:
    result: HeartbeatOut
    created: bool  # first heartbeat for this movie/episode (a show may have become followed)
    prior_due: bool = False  # the replaced resume point was already past the prefetch point


def _percent(position: Decimal, duration: Decimal | None) -> float | None:
    if duration is None or float(duration) <= 0:
        return None
    return round(min(100.0, float(position) * 100 / float(duration)), 1)


def record_heartbeat(conn: Conn, user_id: UUID, beat: HeartbeatIn) -> HeartbeatOutcome:
    """Store the resume point; at the watched threshold record the watch once and clear the point.

    Errors: MediaNotFound, EpisodeNotFound (unknown or of another show),
    WrongMediaType (a game, a show without episodeId, a movie with one).
    """
    params = {"user_id": user_id, "media_id": beat.media_id, "episode_id": beat.episode_id,
              "position_seconds": beat.position_seconds, "duration_seconds": beat.duration_seconds,
              "reopen_grace_seconds": REOPEN_GRACE_SECONDS}
    for _ in range(_ATTEMPTS):
        row = queries.heartbeat(conn, **params)
        if not row["item_found"]:
            explain_item(conn, beat.media_id, beat.episode_id)
        if row["applied"]:  # not applied: the row was created concurrently; run again to see and lock it
            break
    else:  # pragma: no cover - needs three concurrent first heartbeats losing in a row
        raise errors.Conflict("The resume point changed concurrently; send the heartbeat again")
    if row["history_recorded"]:
        get_logger().info("watched threshold reached", extra={
            "action": "progress_completed", "user_id": str(user_id), "media_id": beat.media_id,
            "episode_id": beat.episode_id})
    result = HeartbeatOut(
        media_id=beat.media_id, episode_id=beat.episode_id, position_seconds=float(row["position_seconds"]),
        duration_seconds=float(row["duration_seconds"]), completed=row["completed_at"] is not None,
        completed_at=row["completed_at"], history_recorded=row["history_recorded"])
    prior_due = next_up.was_due(row["prior_position"], row["prior_duration"], row["prior_completed"])
    return HeartbeatOutcome(result=result, created=row["inserted"], prior_due=prior_due)


def heartbeat(user_id: UUID, beat: HeartbeatIn, principal: object = None) -> HeartbeatOut:
    """``POST /progress``: record the heartbeat, then apply its cache rule. A kid's heartbeat of a title it may
    not reach is the unknown title's 404: it would put that title on the kid's dashboard."""
    with db.connection() as conn:  # one statement, autocommit: no BEGIN/COMMIT round trips on the hot path
        content_guard.require_media(conn, principal, beat.media_id,
                                   tracking_errors.MediaNotFound(f"No title with id {beat.media_id}"))
        outcome = record_heartbeat(conn, user_id, beat)
    heartbeat_changed(user_id, outcome)
    return outcome.result


def heartbeat_changed(user_id: UUID, outcome: HeartbeatOutcome) -> None:
    """Cache rule of a heartbeat: continue watching always; taste and calendar only when they can change.

    The calendar pattern delete scans keys, so it is kept off the ordinary
    heartbeat: only a first heartbeat of an episode (the show may now count as
    followed) or a completion pays for it. The heartbeat that crosses the
    prefetch threshold of an episode has the next one made ready, asynchronously
    (``playback.trigger``); the ones after it add nothing.
    """
    cache.on_progress_changed(user_id)
    if outcome.result.history_recorded:
        cache.on_taste_changed(user_id)
    if outcome.result.episode_id is not None and (outcome.created or outcome.result.history_recorded):
        cache.on_follows_changed(user_id)
    next_up.on_heartbeat(user_id, outcome.result, outcome.prior_due)  # crossing: one SET NX, once one SQS send


def _resume_point(row: ResumeRow) -> ResumePoint:
    return ResumePoint(media=MediaCard.from_row(row), episode=EpisodeRef.from_row(row),
                       position_seconds=float(row["position_seconds"]),
                       duration_seconds=None if row["duration_seconds"] is None else float(row["duration_seconds"]),
                       percent=_percent(row["position_seconds"], row["duration_seconds"]), updated_at=row["updated_at"])


def resume_points(conn: Conn, user_id: UUID, media_id: int | None) -> list[ResumePoint]:
    """Open resume points (of one title, or all), newest first. MediaNotFound for an unknown title."""
    if media_id is not None:
        media(conn, media_id)
    rows = queries.resume_points(conn, user_id=user_id, media_id=media_id, limit=RESUME_POINTS_LIMIT)
    return [_resume_point(row) for row in rows]


def continue_watching(conn: Conn, user_id: UUID) -> ContinueWatching:
    """Started, unfinished movies and episodes, plus each recently watched show's next episode.

    A show with an episode in progress shows that episode only. Newest
    activity first.
    """
    items: list[ContinueItem] = []
    started_shows: set[int] = set()
    for row in queries.resume_points(conn, user_id=user_id, media_id=None, limit=CONTINUE_WATCHING_LIMIT):
        point = _resume_point(row)
        if point.episode is not None:
            started_shows.add(point.media.id)
        items.append(ContinueItem(kind="resume", media=point.media, episode=point.episode,
                                  position_seconds=point.position_seconds, duration_seconds=point.duration_seconds,
                                  percent=point.percent, last_activity_at=point.updated_at))
    for row in queries.up_next(conn, user_id=user_id, media_id=None, limit=CONTINUE_WATCHING_LIMIT):
        if row["media_id"] not in started_shows:
            items.append(ContinueItem(kind="next", media=MediaCard.from_row(row), episode=EpisodeRef.from_row(row),
                                      position_seconds=None, duration_seconds=None, percent=None,
                                      last_activity_at=row["last_watched_at"]))
    items.sort(key=lambda item: item.last_activity_at, reverse=True)
    return ContinueWatching(items=items[:CONTINUE_WATCHING_LIMIT])


def cached_continue_watching(user_id: UUID) -> dict[str, object]:
    """Continue watching as JSON, read through ``Keys.continue_watching`` (2 min; writes invalidate it)."""
    return cache.read_through(
        cache.Keys.continue_watching(user_id), cache.Ttl.CONTINUE_WATCHING,
        lambda: read(continue_watching, user_id).model_dump(mode="json", by_alias=True))


def _season(number: int, rows: list[ShowEpisodeRow]) -> SeasonProgress:
    episodes = [EpisodeProgress(id=r["episode_id"], episode_number=r["episode_number"], name=r["episode_name"],
                                air_date=r["air_date"], aired=bool(r["aired"]), watched=r["plays"] > 0,
                                plays=r["plays"], last_watched_at=r["last_watched_at"]) for r in rows]
    aired = sum(1 for e in episodes if e.aired)
    watched = sum(1 for e in episodes if e.aired and e.watched)
    return SeasonProgress(season_number=number, aired=aired, watched=watched,
                          completed=aired > 0 and watched == aired, episodes=episodes)


def _next_episode(conn: Conn, user_id: UUID, media_id: int, rows: list[ShowEpisodeRow]) -> EpisodeRef | None:
    after_last = list(queries.up_next(conn, user_id=user_id, media_id=media_id, limit=1))
    if after_last:
        return EpisodeRef.from_row(after_last[0])
    if any(r["plays"] for r in rows):
        return None  # watched up to the latest aired episode
    first = next((r for r in rows if r["season_number"] > 0 and r["aired"]), None)
    return EpisodeRef.from_row(first) if first else None


def show_progress(conn: Conn, user_id: UUID, media_id: int) -> ShowProgress:
    """Episodes watched of aired (specials excluded), per season, and the next episode to watch.

    Errors: MediaNotFound, WrongMediaType (not a show).
    """
    show = media(conn, media_id, "show")
    rows = list(queries.show_episodes(conn, user_id=user_id, media_id=media_id))
    by_season: dict[int, list[ShowEpisodeRow]] = defaultdict(list)
    for row in rows:
        by_season[row["season_number"]].append(row)
    seasons = [_season(number, season_rows) for number, season_rows in sorted(by_season.items())]
    regular = [s for s in seasons if s.season_number > 0]
    aired = sum(s.aired for s in regular)
    watched = sum(s.watched for s in regular)
    last: datetime | None = max((r["last_watched_at"] for r in rows if r["last_watched_at"]), default=None)
    card = MediaCard.from_row({**show, "media_id": show["id"]})
    return ShowProgress(media=card, aired=aired, watched=watched,
                        percent=round(watched * 100 / aired, 1) if aired else 0.0,
                        completed=aired > 0 and watched == aired, last_watched_at=last,
                        next_episode=_next_episode(conn, user_id, media_id, rows), seasons=seasons)
