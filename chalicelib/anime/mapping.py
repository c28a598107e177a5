"""Absolute episode numbers ↔ (season, episode), without I/O.

MyAnimeList keeps each cour or season of an anime as its own entry, linked by
``Sequel``/``Prequel`` relations; the chain of TV entries, in air order, is the
show's seasons (movies, OVAs and specials in the chain are left out: fansub
absolute numbers never count them). Absolute N is the N-th episode across those
seasons. TMDB's episode group of type "Absolute" (when a show has one) lists
the catalog's own (season, episode) in absolute order, so it wins over MAL's
counts when N is translated to the catalog's numbering.

The catalog's numbering may not be MAL's: TMDB often keeps an anime in one
flat season, or splits it at other points. MAL's (season, episode) is used for
the catalog only while the catalog's seasons up to that one have MAL's lengths;
otherwise N is counted through the catalog's own regular seasons.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from chalicelib.catalog import tmdb_absolute

Numbering = tuple[int, int]  # (season, episode)


@dataclass(frozen=True)
class MalSeason:
    """One TV entry of the sequel chain: its MAL id, title, first air day (ISO) and episode count."""

    mal_id: int
    title: str
    episodes: int
    aired_from: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {"malId": self.mal_id, "title": self.title, "episodes": self.episodes, "airedFrom": self.aired_from}

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> MalSeason:
        return cls(int(raw["malId"]), str(raw["title"]), int(raw["episodes"]), raw.get("airedFrom"))


@dataclass(frozen=True)
class AnimeMapping:
    """A show's seasons on MAL (air order) and, when TMDB has one, its absolute group as catalog numbers."""

    seasons: tuple[MalSeason, ...] = ()
    absolute: tuple[Numbering, ...] = field(default=())  # index 0 = absolute episode 1 (TMDB's numbering)

    @property
    def empty(self) -> bool:
        return not self.seasons and not self.absolute

    def as_json(self) -> dict[str, Any]:
        return {"seasons": [s.as_json() for s in self.seasons], "absolute": [list(n) for n in self.absolute]}

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> AnimeMapping:
        seasons = tuple(MalSeason.from_json(s) for s in raw.get("seasons") or ())
        absolute = tuple((int(s), int(e)) for s, e in raw.get("absolute") or ())
        return cls(seasons, absolute)


def order_seasons(entries: Sequence[MalSeason]) -> tuple[MalSeason, ...]:
    """TV entries with episodes, by first air day (unknown days last, in the given order), one per MAL id."""
    unique: dict[int, MalSeason] = {}
    for entry in entries:
        if entry.episodes > 0:
            unique.setdefault(entry.mal_id, entry)
    return tuple(sorted(unique.values(), key=lambda e: (e.aired_from is None, e.aired_from or "")))


def to_absolute(seasons: Sequence[MalSeason], season: int, episode: int) -> int | None:
    """MAL's (season, episode) as an absolute number; None when the season or episode does not exist."""
    if not 1 <= season <= len(seasons) or not 1 <= episode <= seasons[season - 1].episodes:
        return None
    return sum(s.episodes for s in seasons[:season - 1]) + episode


def from_absolute(seasons: Sequence[MalSeason], number: int) -> Numbering | None:
    """The MAL (season, episode) of absolute ``number``; None past the last episode or below 1."""
    if number < 1:
        return None
    for index, entry in enumerate(seasons, start=1):
        if number <= entry.episodes:
            return index, number
        number -= entry.episodes
    return None


def catalog_numbering(mapping: AnimeMapping, counts: Mapping[int, int], number: int) -> Numbering | None:
    """Absolute ``number`` in the catalog's numbering, given its regular seasons' episode counts.

    TMDB's absolute group first; then MAL's (season, episode) where the catalog's seasons agree with MAL's up
    to it; then the number counted through the catalog's seasons (a flat TMDB season takes it as it is)."""
    if mapping.absolute:
        return mapping.absolute[number - 1] if 1 <= number <= len(mapping.absolute) else None
    mal = from_absolute(mapping.seasons, number) if mapping.seasons else None
    if mapping.seasons and mal is None:
        return None
    if mal is not None and _agrees(mapping.seasons, counts, mal[0]):
        return mal
    return _count_through(counts, number)


def catalog_absolute(mapping: AnimeMapping, counts: Mapping[int, int], season: int, episode: int) -> int | None:
    """The absolute number of the catalog's (season, episode): the reverse of :func:`catalog_numbering`."""
    if mapping.absolute:
        return next((i for i, n in enumerate(mapping.absolute, start=1) if n == (season, episode)), None)
    if season < 1 or episode < 1 or episode > counts.get(season, 0):
        return None
    if mapping.seasons and _agrees(mapping.seasons, counts, season):
        return to_absolute(mapping.seasons, season, episode)
    number = sum(c for s, c in counts.items() if 0 < s < season) + episode
    return number if not mapping.seasons or number <= sum(s.episodes for s in mapping.seasons) else None


def mal_to_catalog(mapping: AnimeMapping, counts: Mapping[int, int], season: int, episode: int) -> Numbering | None:
    """A name's (season, episode) read in MAL's seasons (``Show S2 - 03``), in the catalog's numbering."""
    number = to_absolute(mapping.seasons, season, episode)
    return catalog_numbering(mapping, counts, number) if number is not None else None


def _agrees(seasons: Sequence[MalSeason], counts: Mapping[int, int], season: int) -> bool:
    """The catalog's seasons up to ``season`` are as long as MAL's (the last one of both may still be airing)."""
    if season > len(seasons) or counts.get(season, 0) < 1:
        return False
    last = season == len(seasons) == max(counts)
    return all(counts.get(i) == seasons[i - 1].episodes for i in range(1, season + (0 if last else 1)))


def _count_through(counts: Mapping[int, int], number: int) -> Numbering | None:
    if number < 1:
        return None
    for season in sorted(s for s in counts if s > 0):
        if number <= counts[season]:
            return season, number
        number -= counts[season]
    return None


def tmdb_absolute_group(group: Mapping[str, Any]) -> tuple[Numbering, ...]:
    """TMDB ``/tv/episode_group/{id}`` (type 2, "Absolute") as catalog numbers in absolute order (specials out)."""
    return tuple((e["season_number"], e["episode_number"]) for e in tmdb_absolute.group_episodes(group)
                 if isinstance(e.get("episode_number"), int) and e["episode_number"] > 0)
