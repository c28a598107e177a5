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

from uuid import UUID

from chalicelib.db import Conn
from chalicelib.people import service as people
from chalicelib.tracking import errors, queries
from chalicelib.tracking.rows import FollowStateRow
from chalicelib.tracking.schemas import FollowList, FollowOut, MediaCard
from chalicelib.tracking.service import media


def _follow(row: FollowStateRow) -> FollowOut:
    return FollowOut(media=MediaCard.from_row(row), state=row["state"], followed=row["state"] != "mute",
                     since=row["since"])


def follow_states(conn: Conn, user_id: UUID) -> list[FollowOut]:
    """Every show with a follow state for this user: follow, mute or implicit, newest first."""
    return [_follow(row) for row in queries.follow_states(conn, user_id=user_id)]


def follow_list(conn: Conn, user_id: UUID) -> FollowList:
    """The follows page: shows (``items``, as before people could be followed) and people."""
    return FollowList(items=follow_states(conn, user_id), people=people.follows(conn, user_id))


def followed_show_ids(conn: Conn, user_id: UUID) -> set[int]:
    """Ids of the shows the user follows, explicitly or implicitly (mutes excluded)."""
    return {row["media_id"] for row in queries.follow_states(conn, user_id=user_id) if row["state"] != "mute"}


def followed_shows_by_user(conn: Conn) -> dict[UUID, set[int]]:
    """The shows each user follows, for every enabled user who may follow one (the calendar fill and the
    episode notifications)."""
    return {user_id: followed_show_ids(conn, user_id) for user_id in queries.show_followers(conn)}


def set_follow(conn: Conn, user_id: UUID, media_id: int, state: str) -> FollowOut:
    """Follow or mute a show (replaces the previous choice). MediaNotFound, WrongMediaType (not a show)."""
    if not queries.follow_set(conn, user_id=user_id, media_id=media_id, state=state):
        media(conn, media_id, "show")
    return next(f for f in follow_states(conn, user_id) if f.media.id == media_id)


def clear_follow(conn: Conn, user_id: UUID, media_id: int) -> None:
    """Unfollow a show, or lift its mute (see the module docstring). NotTracked when the user neither
    follows nor mutes it."""
    current = next((row for row in queries.follow_states(conn, user_id=user_id) if row["media_id"] == media_id),
                   None)
    if current is None:
        media(conn, media_id, "show")
        raise errors.NotTracked(f"You neither follow nor mute show {media_id}")
    if current["state"] != "mute" and current["implicit"]:
        queries.follow_set(conn, user_id=user_id, media_id=media_id, state="mute")
    else:
        queries.follow_delete(conn, user_id=user_id, media_id=media_id)
