"""A reject's reason as a kind (a code and plain words), to count a search's rejects ("2 wrong episode").

The reasons themselves come from ``scoring``, ``scoring_match`` and ``scoring_size`` and name the
particular release ("episode: S01E03, S01E02 wanted"); a kind is what several releases share. A
reason of a form not known here counts as "other reasons" (a test walks every form the scoring writes).
"""

from __future__ import annotations

import re
from typing import NamedTuple


class Kind(NamedTuple):
    """A kind of reject: a stable code (for the SPA's advice) and words to follow a count ("2 wrong episode")."""

    code: str
    words: str


WRONG_TITLE = Kind("wrong_title", "wrong title")
WRONG_YEAR = Kind("wrong_year", "wrong year")
WRONG_SEASON = Kind("wrong_season", "wrong season")
WRONG_EPISODE = Kind("wrong_episode", "wrong episode")
SINGLE_EPISODE = Kind("single_episode", "single episode (the whole season is wanted)")
SERIES_EPISODE = Kind("series_episode", "episode of a series (a film is wanted)")
NO_EPISODE = Kind("no_episode", "without season or episode in the name")
RECORDING = Kind("recording", "cinema recording or screener")
CODEC = Kind("excluded_codec", "in a codec your profile excludes")
TOO_SMALL = Kind("too_small", "too small for your quality profile")
TOO_BIG = Kind("too_big", "too big for your quality profile")
NOT_VIDEO = Kind("not_video", "too small to be a video (a fake or a sample)")
ABSURD = Kind("absurd_size", "too big to be real")
NO_SEEDERS = Kind("no_seeders", "without seeders")
FEW_SEEDERS = Kind("few_seeders", "with fewer seeders than your profile's minimum")
UNUSABLE = Kind("unusable", "without a usable name or download link")
OTHER = Kind("other", "for other reasons")

_HELD_WANTED = re.compile(r"^episode: S(\d+)\S*, S(\d+)")
_PREFIXES = (("title:", WRONG_TITLE), ("year:", WRONG_YEAR), ("source:", RECORDING), ("codec:", CODEC),
             ("swarm: no seeders", NO_SEEDERS), ("swarm:", FEW_SEEDERS))


def kind(rejected: str) -> Kind:
    """The kind of a reject reason."""
    for prefix, words in _PREFIXES:
        if rejected.startswith(prefix):
            return words
    if rejected.startswith("episode:"):
        return _episode(rejected)
    if rejected.startswith("size"):
        return _size(rejected)
    return OTHER


def _episode(text: str) -> Kind:
    if "a film wanted" in text:
        return SERIES_EPISODE
    if "the whole season" in text:
        return SINGLE_EPISODE
    if "a pack of season" in text:
        return WRONG_SEASON
    if "no season or episode" in text:
        return NO_EPISODE
    held = _HELD_WANTED.match(text)
    if held and int(held.group(1)) != int(held.group(2)):
        return WRONG_SEASON
    return WRONG_EPISODE


def _size(text: str) -> Kind:
    if "too small to be a video" in text:
        return NOT_VIDEO
    if text.endswith("is absurd") or " is absurd for " in text:
        return ABSURD
    return TOO_BIG if "far above" in text else TOO_SMALL
