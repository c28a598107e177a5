"""The previous episode's release group: what makes episode 5 come from the same group as episode 4.

Read from the user's closest earlier episode of the show (their current pick of it, or the library's file
of it that the user's download brought or that no download did) in one query, and its group parsed from
the release name with the same parser that reads candidates, so the two compare like for like.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from chalicelib.db import Conn
from chalicelib.sources import queries
from chalicelib.sources.release import parse_release


@dataclass(frozen=True)
class Previous:
    group: str
    season: int
    episode: int


def previous_group(conn: Conn, user_id: uuid.UUID, media_id: int, season: int | None,
                   episode: int | None) -> Previous | None:
    """The group of the closest earlier episode that has one (None for a movie or when none is known)."""
    if season is None:
        return None
    for row in queries.earlier_names(conn, user_id=user_id, media_id=media_id, season=season, episode=episode):
        for name in (row["name"], row["alt_name"]):
            group = parse_release(name).group if name else None
            if group:
                return Previous(group, row["season"], row["episode"])
    return None
