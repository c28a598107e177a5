"""The absolute-number retry for a show's episodes: a season TMDB lists but cannot give is cut from the
show's episodes in absolute order.

TMDB keeps many anime in one flat season, or lists seasons whose own pages answer 404 (the season was moved
into an episode group). The show's ``seasons`` still say how long each season is, so season N's episodes are
the absolute episodes after the regular seasons before it: from the show's episode group of type 2
("Absolute") when it has one, else from a first season that holds more episodes than its listed count (the
flat list). Episodes keep their TMDB ids, names and stills; their numbers become the season's own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chalicelib.catalog.records import Json

ABSOLUTE_TYPE = 2  # TMDB episode group types: 1 original air date, 2 absolute, 3 DVD, ... 6 production, 7 TV


def missing_seasons(show: Json) -> list[Json]:
    """Regular seasons with a count but no episodes in the details (their ``season/N`` failed or came empty)."""
    return [s for s in show.get("seasons") or () if _int(s.get("season_number")) > 0
            and _int(s.get("episode_count")) > 0
            and not ((show.get(f"season/{s['season_number']}") or {}).get("episodes"))]


def fill_missing_seasons(show: dict[str, Any], absolute: Callable[[], list[Json]]) -> list[int]:
    """Give each missing season its slice of ``absolute()`` (asked only when one is missing); the seasons filled."""
    missing = missing_seasons(show)
    if not missing:
        return []
    episodes = absolute()
    filled = []
    for season in missing:
        number = season["season_number"]
        offset = sum(_int(s.get("episode_count")) for s in show.get("seasons") or ()
                     if 0 < _int(s.get("season_number")) < number)
        part = episodes[offset:offset + _int(season.get("episode_count"))]
        if part:
            show[f"season/{number}"] = {**season, "episodes": [
                {**raw, "season_number": number, "episode_number": index} for index, raw in enumerate(part, 1)]}
            filled.append(number)
    return filled


def group_episodes(group: Json) -> list[Json]:
    """An episode group's regular episodes in order (groups by ``order``, episodes by theirs)."""
    result: list[Json] = []
    for part in sorted(group.get("groups") or (), key=lambda g: _int(g.get("order"))):
        result.extend(e for e in sorted(part.get("episodes") or (), key=lambda e: _int(e.get("order")))
                      if _int(e.get("season_number")) > 0)
    return result


def flat_first_season(show: Json) -> list[Json]:
    """Season 1's episodes when it holds more than its listed count (everything flat in it), else none."""
    first = next((s for s in show.get("seasons") or () if s.get("season_number") == 1), None)
    episodes = (show.get("season/1") or {}).get("episodes") or []
    return list(episodes) if first is not None and len(episodes) > _int(first.get("episode_count")) else []


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0
