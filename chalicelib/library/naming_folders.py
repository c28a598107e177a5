"""What the folders and sibling files around a media file say about it (the parser's path evidence).

Pure functions of path text. A ``Season N`` / ``Staffel N`` / ``Specials`` folder, or a season-pack
folder (``Show.S04.1080p.WEB-DL``, ``Show Season 1 720p``, ``Dark.3.Staffel.German``), gives the
season, and the folder naming the series gives its title; a ``Title (Year)`` folder names a movie.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath

MEDIA_EXTENSIONS = frozenset({
    ".mkv", ".mp4", ".m4v", ".avi", ".mov", ".webm", ".ts", ".m2ts", ".mts", ".wmv", ".mpg", ".mpeg",
    ".flv", ".ogv", ".3gp",
})
SUBTITLE_EXTENSIONS = frozenset({".srt", ".ass", ".ssa", ".vtt"})
GENERIC_DIRS = frozenset({
    "movies", "movie", "films", "film", "tv", "tv shows", "tvshows", "shows", "series", "serien", "anime",
    "downloads", "download", "complete", "completed", "videos", "video", "media", "library", "import",
    "incoming", "new",
})
_SEASON_WORD = r"(?:season|staffel|saison|temporada|stagione|seizoen|sezon|series|serie)"
_SEASON_DIR = re.compile(rf"^{_SEASON_WORD}[\s._-]*(\d{{1,4}})$|^s(\d{{1,2}})$", re.I)
_SPECIALS_DIR = re.compile(r"^(?:specials?|season[\s._-]*specials)$", re.I)
# A season pack's folder: the title, then S04 / Season 1 / Staffel 2 / 3.Staffel, then release junk.
_PACK_DIR = re.compile(
    rf"^(?P<title>.+?)[\s._-]+(?:s(?P<s>\d{{1,2}})(?!\d|[\s._-]*e\d)|{_SEASON_WORD}[\s._-]*(?P<w>\d{{1,2}})"
    rf"|(?P<n>\d{{1,2}})[\s._-]*staffel)(?=$|[\s._\-(\[])", re.I)
_ID_TAG = re.compile(r"\s*[\[{](?:imdb|imdbid|tmdb|tmdbid|tvdb|tvdbid)[-=][^\]}]*[\]}]", re.I)
_COUNTRY_TAG = re.compile(r"\s*\((?:US|UK|AU|NZ|CA)\)", re.I)
_BRACKETS = re.compile(r"\s*\[[^\]]*\]")
_FOLDER = re.compile(r"^(?P<title>.*?)(?:\s*\((?P<year>(?:18|19|20)\d\d)\))?\s*$")
_PACK_YEAR = re.compile(r"[\s._(]+((?:19|20)\d\d)\)?$")
SEPARATORS = re.compile(r"[._]+")
_ACRONYM_DOTS = re.compile(r"(?<=\b[A-Za-z])\.(?=[A-Za-z]\b|$|\s)")  # "M.A.S.H." -> "MASH"
_ASIDE = re.compile(r"\s*\((?!(?:18|19|20)\d\d\))[^)]*\)")  # "Bunker Palace Hotel (Enki Bilal)": a credit


@dataclass(frozen=True)
class Folders:
    """What the folders around a file say: its season, and the series or movie folder's title/year."""

    season: int | None = None
    season_folder: str | None = None
    series_title: str | None = None
    series_year: int | None = None
    parent_title: str | None = None
    parent_year: int | None = None
    anime: bool = False


def split_name(path: str) -> tuple[list[str], str, str]:
    """(folders, file stem, extension) of a relative path or a bare name."""
    parts = [p for p in PurePosixPath(_bracketed_slashes(path.replace("\\", "/"))).parts
             if p not in ("", "/", ".", "..")]
    parts = [p.replace(_SLASH, "/") for p in parts]
    if not parts:
        return [], "", ""
    name = parts[-1]
    suffix = PurePosixPath(name).suffix.lower()
    known = suffix in MEDIA_EXTENSIONS or suffix in SUBTITLE_EXTENSIONS
    return parts[:-1], name[: -len(suffix)] if known else name, suffix if known else ""


_SLASH = "\u2215"  # a "/" inside brackets while the path is split, put back after
_IN_BRACKETS = re.compile(r"\[[^\[\]]*\]|【[^【】]*】")


def _bracketed_slashes(path: str) -> str:
    """``[Group][中文名/English Title][01]``: a slash inside brackets separates two titles, not two folders."""
    if "/" not in path or ("[" not in path and "【" not in path):
        return path
    return _IN_BRACKETS.sub(lambda m: m[0].replace("/", _SLASH), path)


def folder_title(name: str) -> tuple[str | None, int | None]:
    """``The Office (US) (2005) [tvdbid-73244]`` -> ("The Office", 2005); generic folders -> (None, None)."""
    cleaned = _BRACKETS.sub("", _ID_TAG.sub("", name))
    cleaned = _COUNTRY_TAG.sub("", cleaned).strip()
    if not cleaned or cleaned.lower() in GENERIC_DIRS or season_of_folder(cleaned) is not None:
        return None, None
    match = _FOLDER.match(cleaned)
    title = _ACRONYM_DOTS.sub("", match["title"]) if match else cleaned
    title = SEPARATORS.sub(" ", _ASIDE.sub("", title)).strip()
    return (title or None), (int(match["year"]) if match and match["year"] else None)


def season_of_folder(name: str) -> int | None:
    """``Season 2`` / ``Staffel 2`` / ``S02`` -> 2, ``Specials`` -> 0, anything else None."""
    if _SPECIALS_DIR.match(name.strip()):
        return 0
    match = _SEASON_DIR.match(name.strip())
    return int(match[1] or match[2]) if match else None


def season_pack(name: str) -> tuple[str, int, int | None] | None:
    """``Breaking.Bad.S04.1080p.WEB-DL`` -> ("Breaking Bad", 4, None): a season pack's title and season."""
    match = _PACK_DIR.match(_COUNTRY_TAG.sub("", _BRACKETS.sub("", name)).strip())
    if not match:
        return None
    title = SEPARATORS.sub(" ", match["title"]).strip(" -")
    year = _PACK_YEAR.search(title)
    if year:
        title = title[: year.start()].strip(" -(")
    if not title or title.lower() in GENERIC_DIRS:
        return None
    return title, int(match["s"] or match["w"] or match["n"]), int(year[1]) if year else None


def folder_context(folders: list[str]) -> Folders:
    """The nearest season folder (or season-pack folder) above the file, and what names its series."""
    parent_title, parent_year = folder_title(folders[-1]) if folders else (None, None)
    anime = any(folder.strip().lower() == "anime" for folder in folders)
    for index in range(len(folders) - 1, -1, -1):
        season = season_of_folder(folders[index])
        if season is not None:
            series = folder_title(folders[index - 1]) if index > 0 else (None, None)
            return Folders(season, folders[index], series[0], series[1], parent_title, parent_year, anime)
        pack = season_pack(folders[index])
        if pack:
            return Folders(pack[1], folders[index], pack[0], pack[2], parent_title, parent_year, anime)
    return Folders(parent_title=parent_title, parent_year=parent_year, anime=anime)


def numbered_like_siblings(stem: str, siblings: list[str]) -> int | None:
    """The number in ``stem`` when at least two sibling files share its pattern with other numbers.

    A folder of files that differ only by a rising number (``Show - 01``, ``Show - 02``, ...) is a
    run of episodes, whatever a single name would suggest on its own.
    """
    numbers = re.findall(r"\d+", stem)
    if len(numbers) != 1:
        return None
    pattern = re.sub(r"\d+", "#", stem)
    others = {int(n[0]) for s in siblings if s != stem and re.sub(r"\d+", "#", s) == pattern
              for n in [re.findall(r"\d+", s)] if len(n) == 1}
    return int(numbers[0]) if len(others - {int(numbers[0])}) >= 2 else None
