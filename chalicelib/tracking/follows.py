"""Follow or mute a show. The calendar reads ``followed_show_ids``.

A show counts as followed when the user follows it explicitly, or when they
have watched or started one of its episodes and it is still airing; an
explicit mute always wins. The rule itself is one query
(``tracking_follow_states``), so the list and the calendar cannot disagree.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from chalicelib.tracking import errors
from chalicelib.tracking.schemas import FollowOut, MediaCard
from chalicelib.tracking.service import media, q


def _follow(row: dict[str, Any]) -> FollowOut:
    return FollowOut(media=MediaCard.from_row(row), state=row["state"], followed=row["state"] != "mute",
                     since=row["since"])


def follow_states(conn: Any, user_id: UUID) -> list[FollowOut]:
    """Every show with a follow state for this user: follow, mute or implicit, newest first."""
    return [_follow(row) for row in q().tracking_follow_states(conn, user_id=user_id)]


def followed_show_ids(conn: Any, user_id: UUID) -> set[int]:
    """Ids of the shows the user follows, explicitly or implicitly (mutes excluded)."""
    return {row["media_id"] for row in q().tracking_follow_states(conn, user_id=user_id) if row["state"] != "mute"}


def set_follow(conn: Any, user_id: UUID, media_id: int, state: str) -> FollowOut:
    """Follow or mute a show (replaces the previous choice). MediaNotFound, WrongMediaType (not a show)."""
    if q().tracking_follow_set(conn, user_id=user_id, media_id=media_id, state=state) is None:
        media(conn, media_id, "show")
    return next(f for f in follow_states(conn, user_id) if f.media.id == media_id)


def clear_follow(conn: Any, user_id: UUID, media_id: int) -> None:
    """Drop the explicit choice (the show may still be followed implicitly). NotTracked when there was none."""
    if q().tracking_follow_delete(conn, user_id=user_id, media_id=media_id) == 0:
        media(conn, media_id, "show")
        raise errors.NotTracked(f"You neither follow nor mute show {media_id}")
