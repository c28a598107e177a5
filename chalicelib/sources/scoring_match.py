"""Is this release the thing wanted? Title, year, season and episode checks behind scoring's hard rejects.

Each check returns None when the release fits, else the reason it is rejected (text the Get dialog shows).
Pure: no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from chalicelib.sources.release import Release, fold_title

TITLE_MIN_RATIO = 90  # rapidfuzz ratio: "The Office" ~ "The Office!" passes, "The Office" ~ "The Offspring" not
COUNTRIES = frozenset({"us", "uk", "gb", "au", "nz", "ca", "ie", "fr", "de", "jp", "kr", "br", "mx", "es", "it"})
_PAREN = re.compile(r"\(([^)]*)\)")


@dataclass(frozen=True)
class TitleKey:
    """The target's title as matched: its spellings (full, before a colon, without "the") and its country tag."""

    variants: tuple[str, ...]
    country: str | None


def title_key(title: str) -> TitleKey:
    """``The Office (US)`` -> variants ("the office", "office"), country "us"; ``Dune: Part Two`` adds "dune"."""
    lowered = title.lower()
    country = next((tag.strip() for tag in _PAREN.findall(lowered) if tag.strip() in COUNTRIES), None)
    bare = _PAREN.sub(" ", lowered)
    variants = [fold_title(bare), fold_title(bare.split(":", 1)[0])]
    variants += [v[4:] for v in variants if v.startswith("the ")]
    return TitleKey(tuple(dict.fromkeys(v for v in variants if v)), country)


def _release_spellings(release: Release) -> tuple[list[str], str | None]:
    words = release.name_title.split()
    country = words[-1] if len(words) > 1 and words[-1] in COUNTRIES else None
    # both with and without a trailing country word: "Among.Us" is a title, "The.Office.US" a tag
    spellings = [" ".join(words[:-1]) if country else "", release.name_title, fold_title(release.title or "")]
    spellings += [s[4:] for s in spellings if s.startswith("the ")]
    return list(dict.fromkeys(s for s in spellings if s)), country


def title_mismatch(release: Release, key: TitleKey, wanted: str) -> str | None:
    """Why the release is not ``wanted`` by its title (or its country tag: The.Office.UK is not The Office (US))."""
    spellings, country = _release_spellings(release)
    if key.country and country and key.country != country:
        return f"title: {country.upper()} version, {wanted} wanted"
    if any(s in key.variants for s in spellings) or any(
            fuzz.ratio(s, v, score_cutoff=TITLE_MIN_RATIO) for s in spellings for v in key.variants):
        return None
    shown = release.title or release.name_title or "nothing readable"
    return f"title: {shown!r} is not {wanted}"


def year_mismatch(release: Release, year: int | None) -> str | None:
    """A year in the name more than a year away from the target's (release dates differ by country)."""
    if year is None or release.year is None or abs(release.year - year) <= 1:
        return None
    return f"year: {release.year}, the one wanted is from {year}"


def _label(season: int | None, episode: int | None) -> str:
    text = f"S{season:02d}" if season is not None else ""
    return text + (f"E{episode:02d}" if episode is not None else "")


def episode_mismatch(release: Release, season: int | None, episode: int | None, absolute: int | None) -> str | None:
    """Why the release does not hold SxxEyy (or season xx when ``episode`` is None): another episode or season."""
    if season is None:
        return None
    if release.pack:
        if season in release.seasons:
            return None
        held = ", ".join(str(s) for s in release.seasons)
        return f"episode: a pack of season {held}, season {season} wanted"
    if release.episodes:
        held = _label(release.season, release.episodes[0]) + ("+" if len(release.episodes) > 1 else "")
        if episode is None:
            return f"episode: {held} is a single episode, the whole season {season} wanted"
        if release.season != season or episode not in release.episodes:
            return f"episode: {held}, {_label(season, episode)} wanted"
        return None
    if release.absolute is not None:
        return _absolute_mismatch(release.absolute, season, episode, absolute)
    return f"episode: no season or episode in the name, {_label(season, episode)} wanted"


def _absolute_mismatch(number: int, season: int, episode: int | None, absolute: int | None) -> str | None:
    # "[Group] Title - 12": an absolute number, the same as S01E12 in a first season (or the known absolute)
    if episode is not None and (number == absolute or (season == 1 and number == episode)):
        return None
    return f"episode: absolute episode {number}, not known to be {_label(season, episode)}"


def movie_mismatch(release: Release) -> str | None:
    """A film is wanted: an episode or a season pack of a series is not it."""
    if release.episodes or release.pack or release.season is not None:
        return f"episode: {_label(release.season, release.episodes[0] if release.episodes else None)} of a series, " \
               "a film wanted"
    return None
