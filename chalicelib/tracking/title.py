"""GET /api/v1/me/titles/{mediaId}: everything the user has recorded about one title, in one response.

A title page needs watch later, favorite, rating, watch count, resume point,
follow state (shows), backlog entry (games) and the library files that can
play it. Each part is read with the user's id (the library files are the
instance's); a title the user never touched answers with empty state, not 404.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal, TypedDict
from uuid import UUID

from pydantic import Field

from chalicelib.db import Conn
from chalicelib.models import ApiModel
from chalicelib.tracking import backlog, errors, follows, progress, queries
from chalicelib.tracking.schemas import BacklogEntry, EpisodeRef, MediaCard, ResumePoint
from chalicelib.tracking.service import absent


class FollowState(ApiModel):
    state: Literal["follow", "mute", "implicit"]
    followed: bool
    since: datetime


class PlayableItem(ApiModel):
    library_item_id: uuid.UUID
    episode_id: int | None = None
    season: int | None = None
    episode: int | None = None


class TitleState(ApiModel):
    media: MediaCard
    watch_later: bool
    watch_later_added_at: datetime | None
    favorite: bool
    favorited_at: datetime | None
    rating: float | None = Field(description="1 to 10; null when not rated")
    rated_at: datetime | None
    watched_count: int = Field(description="History rows: plays of a movie, episode plays of a show")
    last_watched_at: datetime | None
    progress: ResumePoint | None = Field(description="The newest open resume point (a show: of its episodes)")
    next_episode: EpisodeRef | None = Field(default=None, description="Shows: the next episode to watch")
    follow: FollowState | None = Field(default=None, description="Shows: follow, mute or implicit; null = neither")
    backlog: BacklogEntry | None = Field(default=None, description="Games: the backlog entry; null = not in it")
    playable: list[PlayableItem] = Field(description="Library files that can play this title (episode order)")


class _Parts(TypedDict, total=False):
    follow: FollowState | None
    next_episode: EpisodeRef | None
    backlog: BacklogEntry | None


def _show_parts(conn: Conn, user_id: UUID, media_id: int) -> _Parts:
    state = next((f for f in follows.follow_states(conn, user_id) if f.media.id == media_id), None)
    after = list(queries.up_next(conn, user_id=user_id, media_id=media_id, limit=1))
    return {"follow": FollowState(state=state.state, followed=state.followed, since=state.since) if state else None,
            "next_episode": EpisodeRef.from_row(after[0]) if after else None}


def _game_parts(conn: Conn, user_id: UUID, media_id: int) -> _Parts:
    try:
        return {"backlog": backlog.get_entry(conn, user_id, media_id)}
    except errors.NotTracked:
        return {"backlog": None}


def title_state(conn: Conn, user_id: UUID, media_id: int) -> TitleState:
    """The user's state for one title. MediaNotFound for an unknown title."""
    row = queries.title_state(conn, user_id=user_id, media_id=media_id)
    if row is None:
        absent(conn, media_id)
    points = progress.resume_points(conn, user_id, media_id)
    parts: _Parts = {}
    if row["media_type"] == "show":
        parts = _show_parts(conn, user_id, media_id)
    elif row["media_type"] == "game":
        parts = _game_parts(conn, user_id, media_id)
    playable = [PlayableItem(library_item_id=r["library_item_id"], episode_id=r["episode_id"],
                             season=r["season_number"], episode=r["episode_number"])
                for r in queries.title_playable(conn, media_id=media_id)]
    return TitleState(
        media=MediaCard.from_row(row), watch_later=row["watch_later_added_at"] is not None,
        watch_later_added_at=row["watch_later_added_at"], favorite=row["favorited_at"] is not None,
        favorited_at=row["favorited_at"], rating=None if row["rating"] is None else float(row["rating"]),
        rated_at=row["rated_at"], watched_count=row["watched_count"], last_watched_at=row["last_watched_at"],
        progress=points[0] if points else None, playable=playable, **parts)
