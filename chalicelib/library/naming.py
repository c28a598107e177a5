"""File names -> what a media file is: guessit, corrected with the context guessit misreads.

The one name parser of /seen/: the worker's scanner parses every file it
indexes with it, and the admin ``POST /api/v1/library/parse`` runs the same
code in the API (Lambda packages only ``app.py`` and ``chalicelib/``, so it
lives here). Pure functions of the path text: no filesystem, no ffprobe, no
database. guessit is imported on the first parse, not with this module: it
costs ~150 ms, which no cold start that never parses should pay.

guessit reads the relative path (``Shows/Dark/Staffel 1/Dark - S01E01.mkv``)
and is right most of the time. The corrections below follow the naming
conventions Jellyfin, Plex and Sonarr document and anime release groups use:

* a ``Season N`` / ``Staffel N`` / ``Specials`` folder gives the season, and the
  folder above it is the series title (the library's own folder structure is
  more trustworthy than a release name);
* ``Title - 101.mkv`` (no SxxEyy) is anime-style absolute numbering: guessit
  splits it into S01E01, the scanner keeps ``absolute=101`` and lets the
  matcher place it;
* a date means a daily show (``airDate``), never a season or an episode;
* a movie folder ``Title (Year)`` names the movie when the file does not;
* ``{edition-...}`` tags, Jellyfin version labels (``Movie (2010) - Final Cut``)
  and ``... Edition`` phrases become the edition, not an episode title;
* a title guessit cut short (``Dune Part Two`` -> ``Dune``) is taken back from
  the text before the year.

Every applied rule is named in ``corrections``, so the review queue can show
why a file was read the way it was.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import PurePosixPath
from typing import Any

MEDIA_EXTENSIONS = frozenset({
    ".mkv", ".mp4", ".m4v", ".avi", ".mov", ".webm", ".ts", ".m2ts", ".mts", ".wmv", ".mpg", ".mpeg",
    ".flv", ".ogv", ".3gp",
})
SUBTITLE_EXTENSIONS = frozenset({".srt", ".ass", ".ssa", ".vtt"})
GENERIC_DIRS = frozenset({
    "movies", "movie", "films", "film", "tv", "tv shows", "tvshows", "shows", "series", "anime", "downloads",
    "download", "complete", "completed", "videos", "video", "media", "library", "import", "incoming", "new",
})
FIELDS = ("title", "year", "type", "season", "episode", "episodes", "absolute", "airDate", "edition",
          "episodeTitle")

_SEASON_DIR = re.compile(
    r"^(?:season|staffel|saison|temporada|stagione|seizoen|sezon|series|serie)[\s._-]*(\d{1,4})$|^s(\d{1,2})$", re.I)
_SPECIALS_DIR = re.compile(r"^(?:specials?|season[\s._-]*specials)$", re.I)
_ID_TAG = re.compile(r"\s*[\[{](?:imdb|imdbid|tmdb|tmdbid|tvdb|tvdbid)[-=][^\]}]*[\]}]", re.I)
_EDITION_TAG = re.compile(r"\s*\{edition-([^}]*)\}", re.I)
_COUNTRY_TAG = re.compile(r"\s*\((?:US|UK|AU|NZ|CA)\)", re.I)
_BRACKETS = re.compile(r"\s*\[[^\]]*\]")
_FOLDER = re.compile(r"^(?P<title>.*?)(?:\s*\((?P<year>(?:18|19|20)\d\d)\))?\s*$")
_EXPLICIT_SE = re.compile(r"(?i)(?:^|[^a-z0-9])s\d{1,4}[ ._-]?e\d{1,4}|(?:^|[^a-z0-9])\d{1,2}x\d{1,3}(?:$|[^a-z0-9])")
_ANIME = re.compile(r"^(?:\[[^\]]*\]\s*)?(?P<title>.+?)\s+-\s+(?P<number>\d{1,4})(?:v\d)?(?=$|[\s\[(._-])")
_SONARR_ABSOLUTE = re.compile(r"(?i)s\d{1,4}e\d{1,4}(?:[-e]+\d{1,4})*\s+-\s+(\d{1,4})(?=\s+-\s|\s*$|\s*[\[(])")
_EPISODE_ONLY = re.compile(r"(?i)^(?:episode|folge|ep|e)?[\s._-]*(\d{1,4})(?:$|\s+-\s+|\.)")
_VERSION_LABEL = re.compile(r"\)\s+-\s+(?P<label>[^\[\]{}()]+?)\s*$")
_NOT_AN_EDITION = re.compile(
    r"(?i)^(?:\d{3,4}[pi]|[248]k|uhd|hd|sd|(?:cd|dvd|disc|disk|part|pt)[\s._-]*\d+|sample|trailer)$")
_EDITION_WORDS = re.compile(
    r"(?i)\b(?:cut|edition|version|extended|unrated|uncut|remastered|theatrical|redux|imax|criterion)\b")
_EDITION_SUFFIX = re.compile(r"(?i)^(?:\d+(?:st|nd|rd|th)\s+)?(?P<name>.+?)\s+(?:edition|version)$")
_SEPARATORS = re.compile(r"[._]+")
_DATE = re.compile(r"(?:19|20)\d\d[-._ ]\d{1,2}[-._ ]\d{1,2}")


@dataclass(frozen=True)
class Folders:
    """What the folders around a file say: its season, and the series or movie folder's title/year."""

    season: int | None = None
    series_title: str | None = None
    series_year: int | None = None
    parent_title: str | None = None
    parent_year: int | None = None


def split_name(path: str) -> tuple[list[str], str, str]:
    """(folders, file stem, extension) of a relative path or a bare name."""
    parts = [p for p in PurePosixPath(path.replace("\\", "/")).parts if p not in ("", "/", ".", "..")]
    if not parts:
        return [], "", ""
    name = parts[-1]
    suffix = PurePosixPath(name).suffix.lower()
    known = suffix in MEDIA_EXTENSIONS or suffix in SUBTITLE_EXTENSIONS
    return parts[:-1], name[: -len(suffix)] if known else name, suffix if known else ""


def folder_title(name: str) -> tuple[str | None, int | None]:
    """``The Office (US) (2005) [tvdbid-73244]`` -> ("The Office", 2005); generic folders -> (None, None)."""
    cleaned = _BRACKETS.sub("", _ID_TAG.sub("", name))
    cleaned = _COUNTRY_TAG.sub("", cleaned).strip()
    if not cleaned or cleaned.lower() in GENERIC_DIRS or season_of_folder(cleaned) is not None:
        return None, None
    match = _FOLDER.match(cleaned)
    title = _SEPARATORS.sub(" ", match["title"]).strip() if match else cleaned
    return (title or None), (int(match["year"]) if match and match["year"] else None)


def season_of_folder(name: str) -> int | None:
    if _SPECIALS_DIR.match(name.strip()):
        return 0
    match = _SEASON_DIR.match(name.strip())
    if not match:
        return None
    return int(match[1] or match[2])


def folder_context(folders: list[str]) -> Folders:
    parent_title, parent_year = folder_title(folders[-1]) if folders else (None, None)
    for index in range(len(folders) - 1, -1, -1):
        season = season_of_folder(folders[index])
        if season is not None:
            series = folder_title(folders[index - 1]) if index > 0 else (None, None)
            return Folders(season, series[0], series[1], parent_title, parent_year)
    return Folders(parent_title=parent_title, parent_year=parent_year)


def clean_for_guessit(folders: list[str], stem: str, ext: str) -> str:
    """The path without the id and edition tags guessit misreads (``{edition-Final Cut}`` -> an episode)."""
    parts = [_EDITION_TAG.sub("", _ID_TAG.sub("", part)) for part in [*folders, stem + ext]]
    return "/".join(part.strip() or "_" for part in parts)


def _first(value: Any) -> Any:
    return value[0] if isinstance(value, list) and value else value


def _edition_text(value: Any) -> str | None:
    if not value:
        return None
    return ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)


def guessit_fields(raw: dict[str, Any]) -> dict[str, Any]:
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


def run_guessit(text: str) -> dict[str, Any]:
    """guessit on ``text``; any failure inside guessit is an empty answer, never an exception."""
    from guessit import guessit  # imported here, not at module load: see the module docstring

    try:
        return dict(guessit(text))
    except Exception:  # guessit raises its own GuessitException on pathological input
        return {}


def parse(path: str) -> dict[str, Any]:
    """The scanner's parse of ``path`` (relative to its library root, or a bare file name).

    Returns the fields of :data:`FIELDS` plus ``corrections`` (the rules that
    changed guessit's answer). A name nothing can be read from still returns
    a parse (``title`` from the file name, ``type`` None), so the file is
    indexed as unmatched instead of dropped.
    """
    folders, stem, ext = split_name(path)
    raw = run_guessit(clean_for_guessit(folders, stem, ext)) if stem else {}
    guess = {**guessit_fields(raw), "corrections": []}
    context = folder_context(folders)
    _numbers(guess, raw, stem, context)
    _kind(guess, context)
    _title(guess, raw, stem, context)
    _edition(guess, raw, stem)
    if not guess["title"] and stem:
        guess["title"] = _SEPARATORS.sub(" ", _BRACKETS.sub("", stem)).strip() or stem
        guess["corrections"].append("title_from_file_name")
    return guess


def _fix(guess: dict[str, Any], rule: str, **values: Any) -> None:
    changed = {k: v for k, v in values.items() if guess.get(k) != v}
    if changed:
        guess.update(changed)
        guess["corrections"].append(rule)


def _numbers(guess: dict[str, Any], raw: dict[str, Any], stem: str, context: Folders) -> None:
    explicit = _EXPLICIT_SE.search(stem) is not None
    anime = None if explicit or guess["airDate"] else _ANIME.match(stem)
    if anime and raw.get("year") == int(anime["number"]):
        anime = None  # "Title - 2019" is a year
    if guess["airDate"]:
        # The date's own year is no series year ("The Daily Show - 2024-03-05").
        year = guess["year"] if str(guess["year"]) in _DATE.sub("", stem) else None
        _fix(guess, "daily_by_air_date", season=None, episode=None, episodes=None, year=year)
    elif anime:
        _fix(guess, "anime_absolute_number", absolute=int(anime["number"]), episode=None, episodes=None,
             season=context.season)
        guess["_anime_title"] = anime["title"]
    elif explicit:
        sonarr = _SONARR_ABSOLUTE.search(stem)
        if sonarr and guess["absolute"] is None:
            _fix(guess, "sonarr_absolute_number", absolute=int(sonarr[1]),
                 episodeTitle=_strip_absolute(guess["episodeTitle"], sonarr[1]))
    elif context.season is not None:
        only = _EPISODE_ONLY.match(stem)
        values: dict[str, Any] = {"season": context.season}
        if only:
            values.update(episode=int(only[1]), episodes=None)
        _fix(guess, "season_folder", **values)


def _strip_absolute(title: str | None, number: str) -> str | None:
    if not title:
        return title
    return re.sub(rf"^{re.escape(number)}\s*-\s*", "", title) or None


def _kind(guess: dict[str, Any], context: Folders) -> None:
    numbered = any(guess[k] is not None for k in ("episode", "absolute", "airDate"))
    if numbered or context.season is not None:
        _fix(guess, "episode_by_numbers", type="episode")
    elif guess["type"] == "episode" or guess["season"] is not None:
        # guessit calls "Movie (1982) - Final Cut" an episode titled "Final Cut": nothing numbers it.
        _fix(guess, "movie_without_episode_numbers", type="movie", season=None)
        guess["_label"] = guess.pop("episodeTitle", None)
        guess["episodeTitle"] = None
    elif guess["type"] is None and guess["title"]:
        guess["type"] = "movie"


def _title(guess: dict[str, Any], raw: dict[str, Any], stem: str, context: Folders) -> None:
    anime_title = guess.pop("_anime_title", None)
    if guess["type"] == "episode" and context.season is not None and context.series_title:
        _fix(guess, "series_folder_title", title=context.series_title,
             year=context.series_year or _year_in(guess["year"], stem))
    elif anime_title:
        _fix(guess, "anime_title", title=_SEPARATORS.sub(" ", anime_title.replace(" - ", " ")).strip())
    elif guess["type"] == "movie":
        _movie_title(guess, stem, context)
    if not guess["title"] and context.parent_title:
        _fix(guess, "parent_folder_title", title=context.parent_title, year=guess["year"] or context.parent_year)


def _year_in(year: int | None, stem: str) -> int | None:
    """The year only when the file name itself states it (not one guessit took from a folder)."""
    return year if year is not None and str(year) in stem else None


def _movie_title(guess: dict[str, Any], stem: str, context: Folders) -> None:
    own_year = _year_in(guess["year"], stem)
    if context.parent_year and own_year in (None, context.parent_year):
        _fix(guess, "movie_folder_title", title=context.parent_title, year=context.parent_year)
        return
    if own_year is None or not guess["title"]:
        return
    match = re.match(rf"^(?:\[[^\]]*\]\s*)?(?P<title>.+?)[\s._(\[-]+{own_year}(?:[\s._)\]-]|$)", stem)
    if not match:
        return
    before = _SEPARATORS.sub(" ", match["title"]).strip(" -")
    if _words(guess["title"]) != _words(before) and _contains(_words(before), _words(guess["title"])):
        _fix(guess, "title_before_year", title=before)


def _words(text: str | None) -> list[str]:
    return re.findall(r"[a-z0-9]+", (text or "").lower())


def _contains(outer: list[str], inner: list[str]) -> bool:
    if not inner or len(inner) > len(outer):
        return False
    return any(outer[i:i + len(inner)] == inner for i in range(len(outer) - len(inner) + 1))


def _edition(guess: dict[str, Any], raw: dict[str, Any], stem: str) -> None:
    label = guess.pop("_label", None)
    tag = _EDITION_TAG.search(stem)
    if tag and tag[1].strip():
        _fix(guess, "edition_tag", edition=tag[1].strip())
        return
    if guess["type"] != "movie" or guess["edition"]:
        return
    alternative = _first(raw.get("alternative_title"))
    version = _VERSION_LABEL.search(_ID_TAG.sub("", stem))
    for candidate, rule in ((alternative, "edition_phrase"), (version and version["label"], "version_label"),
                            (label, "edition_phrase")):
        edition = _edition_name(candidate, rule == "version_label")
        if edition:
            _fix(guess, rule, edition=edition)
            return


def _edition_name(text: str | None, any_label: bool) -> str | None:
    """``10th Anniversary Edition`` -> ``Anniversary``; a quality or part label is no edition."""
    if not text or _NOT_AN_EDITION.match(text.strip()):
        return None
    if not any_label and not _EDITION_WORDS.search(text):
        return None
    suffix = _EDITION_SUFFIX.match(text.strip())
    return (suffix["name"] if suffix else text).strip() or None
