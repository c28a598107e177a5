"""Follow or mute a show; the follows list (shows and people). The calendar reads ``followed_show_ids``.

A show counts as followed when the user follows it explicitly, or by default when they track it
(watch later, a watched or started episode) or own it (a library file they downloaded, or one found on
the household's disk) and it is still airing; an explicit mute always wins. The rule itself is one
query (``tracking_follow_states``), so the list and the calendar cannot disagree.

Unfollowing (DELETE) a show the default would follow writes a mute, which the default respects: the
show stays unfollowed until the user follows it again. Otherwise DELETE forgets the explicit choice:
an explicit follow is dropped, and a mute is lifted (the show is back to the default).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from chalicelib.tracking import errors
from chalicelib.tracking.schemas import FollowList, FollowOut, MediaCard
from chalicelib.tracking.service import media, q


def _follow(row: dict[str, Any]) -> FollowOut:
    return FollowOut(media=MediaCard.from_row(row), state=row["state"], followed=row["state"] != "mute",
                     since=row["since"])


def follow_states(conn: Any, user_id: UUID) -> list[FollowOut]:
    """Every show with a follow state for this user: follow, mute or implicit, newest first."""
    return [_follow(row) for row in q().tracking_follow_states(conn, user_id=user_id)]


def follow_list(conn: Any, user_id: UUID) -> FollowList:
    """The follows page: shows (``items``, as before people could be followed) and people."""
    from chalicelib.people import service as people

    return FollowList(items=follow_states(conn, user_id), people=people.follows(conn, user_id))


def followed_show_ids(conn: Any, user_id: UUID) -> set[int]:
    """Ids of the shows the user follows, explicitly or implicitly (mutes excluded)."""
    return {row["media_id"] for row in q().tracking_follow_states(conn, user_id=user_id) if row["state"] != "mute"}


def set_follow(conn: Any, user_id: UUID, media_id: int, state: str) -> FollowOut:
    """Follow or mute a show (replaces the previous choice). MediaNotFound, WrongMediaType (not a show)."""
    if q().tracking_follow_set(conn, user_id=user_id, media_id=media_id, state=state) is None:
        media(conn, media_id, "show")
    return next(f for f in follow_states(conn, user_id) if f.media.id == media_id)


def clear_follow(conn: Any, user_id: UUID, media_id: int) -> None:
    """Unfollow a show, or lift its mute (see the module docstring). NotTracked when the user neither
    follows nor mutes it."""
    current = next((row for row in q().tracking_follow_states(conn, user_id=user_id) if row["media_id"] == media_id),
                   None)
    if current is None:
        media(conn, media_id, "show")
        raise errors.NotTracked(f"You neither follow nor mute show {media_id}")
    if current["state"] != "mute" and current["implicit"]:
        q().tracking_follow_set(conn, user_id=user_id, media_id=media_id, state="mute")
    else:
        q().tracking_follow_delete(conn, user_id=user_id, media_id=media_id)
