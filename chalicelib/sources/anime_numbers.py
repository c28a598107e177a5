"""Releases of an anime named by absolute number (``[Group] Show - 27``) for the episode a user wants.

The wanted episode's absolute number is the catalog's stored one when it has it; else the anime numbering
(MAL's seasons through Jikan, TMDB's absolute group) gives it, so ``scoring_match`` accepts a release named
by that number for S03E02 as it accepts ``S03E02`` itself.
"""

from __future__ import annotations

from dataclasses import replace

from chalicelib.anime import service as anime
from chalicelib.db import Conn
from chalicelib.sources.scoring_types import Target


def with_absolute(conn: Conn, media_id: int, target: Target) -> Target:
    """``target`` with its absolute episode number when an anime numbering knows it and the catalog does not."""
    if target.media_type != "show" or target.absolute_episode is not None or target.season is None \
            or target.episode is None:
        return target
    number = anime.absolute_number(conn, media_id, target.season, target.episode)
    return replace(target, absolute_episode=number) if number is not None else target
