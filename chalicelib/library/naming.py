"""File names -> what a media file is: guessit's answer, corrected only where evidence says otherwise.

The one name parser of /seen/: the worker's scanner parses every file it
indexes with it, and the admin ``POST /api/v1/library/parse`` runs the same
code in the API (Lambda packages only ``app.py`` and ``chalicelib/``, so it
lives here). Pure functions of the path text: no filesystem, no ffprobe, no
database. guessit is imported on the first parse, not with this module: it
costs ~150 ms, which no cold start that never parses should pay.

guessit reads the relative path and is right most of the time, so its answer
stands unless the text shows it wrong. Evidence the rules use: the folders
(``Season N``/``Staffel N``/``Specials``, a season-pack folder, the series or
``Title (Year)`` movie folder, see :mod:`naming_folders`), the file's
siblings (files numbered alike form a run of episodes), and the name's own
shape (``[Group] Title - 101`` absolute numbering, an air date, a year that
is only part of ``S2020E15``, the fansub forms ``[Group][Title][05]``,
``Title 2nd Season 05`` and ``[Group] Title 05 [720p]``, ``3-08 Title``).
The rules follow the naming conventions (Sonarr's/Jellyfin's documented
formats, scene rules, anitomy's fansub formats), scored on a corpus whose
validation part they are never tuned on (tests/data/naming). Each applied rule is named in ``corrections``
and explained in ``evidence`` (text the review queue shows, e.g. "season from
folder `Season 2`").

Conventions: a season pack (``Show.S04.1080p.WEB-DL``) is type ``episode``
with its season, episode null and ``pack`` true; an episode number with no
season is an absolute number (``absolute`` set, ``episode`` null).
"""

from __future__ import annotations

import functools
import os
from datetime import date
from typing import Any

from chalicelib.library.naming_folders import (
    GENERIC_DIRS,
    MEDIA_EXTENSIONS,
    SUBTITLE_EXTENSIONS,
    Folders,
    folder_context,
    folder_title,
    numbered_like_siblings,
    season_of_folder,
    season_pack,
    split_name,
)
from chalicelib.library.naming_rules import Guess, Raw, apply_rules, clean_for_guessit, title_from_file_name

__all__ = ["FIELDS", "GENERIC_DIRS", "MEDIA_EXTENSIONS", "SUBTITLE_EXTENSIONS", "Folders", "cached_guessit",
           "folder_context", "folder_title", "guessit_fields", "numbered_like_siblings", "parse", "parse_many",
           "run_guessit", "season_of_folder", "season_pack", "split_name"]

FIELDS = ("title", "year", "type", "season", "episode", "episodes", "absolute", "airDate", "edition",
          "episodeTitle")


def _first(value: Any) -> Any:
    return value[0] if isinstance(value, list) and value else value


def _edition_text(value: Any) -> str | None:
    if not value:
        return None
    return ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)


def guessit_fields(raw: Raw) -> Guess:
    """guessit's own answer in the scanner's fields (what "guessit alone" would say)."""
    episodes = raw.get("episode")
    episodes = sorted(set(episodes)) if isinstance(episodes, list) else ([episodes] if episodes is not None else [])
    aired = raw.get("date")
    title = raw.get("title")
    return {
        "title": " ".join(title) if isinstance(title, list) else title,
        "year": _first(raw.get("year")),
        "type": raw.get("type") if raw.get("type") in ("movie", "episode") else None,
        "season": _first(raw.get("season")),
        "episode": episodes[0] if episodes else None,
        "episodes": episodes if len(episodes) > 1 else None,
        "absolute": _first(raw.get("absolute_episode")),
        "airDate": aired.isoformat() if isinstance(aired, date) else None,
        "edition": _edition_text(raw.get("edition")),
        "episodeTitle": _first(raw.get("episode_title")),
    }


def run_guessit(text: str) -> Raw:
    """guessit on ``text``; any failure inside guessit is an empty answer, never an exception.

    Uncached: this is also "guessit alone", the reference the tests and benches compare against.
    """
    from guessit import guessit  # lazy: 300 ms of import, only a parse needs it (see the module docstring)

    try:
        return dict(guessit(text))
    except Exception:  # guessit raises its own GuessitException on pathological input
        return {}


@functools.lru_cache(maxsize=16_384)
def cached_guessit(text: str) -> Raw:
    """:func:`run_guessit` once per distinct cleaned text (the scanner parses per file; do not mutate)."""
    return run_guessit(text)


def parse(path: str, siblings: list[str] | None = None) -> Guess:
    """The scanner's parse of ``path`` (relative to its library root, or a bare file name).

    ``siblings``: the other file names in the same folder, when the caller
    knows them (:func:`parse_many` does). Returns the fields of :data:`FIELDS`
    plus ``corrections`` (the rules that changed guessit's answer), ``evidence``
    (why, as text) and ``pack`` (a whole season, no episode). A name nothing
    can be read from still returns a parse (``title`` from the file name,
    ``type`` None), so the file is indexed as unmatched instead of dropped; an
    episode whose name holds only its numbers and episode title (``S03E03 -
    Title``, no series folder) keeps ``title`` None rather than a wrong one.
    """
    folders, stem, ext = split_name(path)
    raw = cached_guessit(clean_for_guessit(folders, stem, ext)) if stem else {}
    guess = {**guessit_fields(raw), "corrections": [], "evidence": [], "pack": False}
    sibling_stems = [split_name(s)[1] for s in siblings or ()]
    apply_rules(guess, raw, stem, folder_context(folders), sibling_stems)
    title_from_file_name(guess, stem)
    return guess


def parse_many(paths: list[str]) -> dict[str, Guess]:
    """Parse files that are seen together (a scan, a torrent's file list): each file sees its siblings."""
    by_folder: dict[str, list[str]] = {}
    for path in paths:
        by_folder.setdefault(os.path.dirname(path.replace("\\", "/")), []).append(path)
    return {path: parse(path, by_folder[os.path.dirname(path.replace("\\", "/"))]) for path in paths}
