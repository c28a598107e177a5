"""The corrections the parser applies on top of guessit, each only where the text gives evidence for it.

Every rule calls :func:`_fix` with a rule name (``corrections``) and a sentence
saying what it saw (``evidence``); a rule that finds no evidence leaves
guessit's answer as it is. Order matters: numbers first (they decide whether
a file is an episode), then the kind, the title and the edition.
"""

from __future__ import annotations

import re
from typing import Any, TypeAlias

from chalicelib.library.naming_folders import SEPARATORS, Folders, numbered_like_siblings, season_pack

Raw: TypeAlias = dict[str, Any]
"""guessit's answer as it gives it: which keys, and whether a value is one or a list, vary by name."""
Guess: TypeAlias = dict[str, Any]
"""A parse: ``naming.FIELDS`` plus ``corrections``, ``evidence`` and ``pack``. A plain JSON object, because it
travels as one (``library.file_indexed``, ``library_items.guess``) and the worker builds it too."""

_ID_TAG = re.compile(r"\s*[\[{](?:imdb|imdbid|tmdb|tmdbid|tvdb|tvdbid)[-=][^\]}]*[\]}]", re.I)
_EDITION_TAG = re.compile(r"\s*\{edition-([^}]*)\}", re.I)
_EXPLICIT_SE = re.compile(r"(?i)(?:^|[^a-z0-9])s\d{1,4}[ ._-]?x?e\d{1,4}|(?:^|[^a-z0-9])\d{1,2}x\d{1,3}(?:$|[^a-z0-9])")
_ANIME = re.compile(r"^(?:\[[^\]]*\]\s*)?(?P<title>.+?)\s+-\s+(?P<number>\d{1,4})(?:v\d)?(?=$|[\s\[(._-])")
_GROUP_PREFIX = re.compile(r"^\[[^\]]+\]")
_SONARR_ABSOLUTE = re.compile(r"(?i)s\d{1,4}e\d{1,4}(?:[-e]+\d{1,4})*\s+-\s+(\d{1,4})(?=\s+-\s|\s*$|\s*[\[(])")
_EPISODE_ONLY = re.compile(r"(?i)^(?:episode|folge|ep|e)?[\s._-]*(\d{1,4})(?:$|\s+-\s+|\.|\s)")
_SEASON_THEN_EPISODE = re.compile(r"^(?P<season>\d{1,2})\s*-\s*(?P<episode>\d{1,3})(?=$|\s)")
_BARE_NUMBER = re.compile(r"^(?P<title>[^\d\[\]()]*[a-z][^\d\[\]()]*?)[\s._]+(?P<number>\d{3,4})$", re.I)
_UNDERSCORE_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)_(\d\d)_(\d\d)(?!\d)")
_DATE = re.compile(r"(?:19|20)\d\d[-._ ]\d{1,2}[-._ ]\d{1,2}|\d{1,2}[-._ ]\d{1,2}[-._ ](?:19|20)\d\d")
_SITE_PREFIX = re.compile(r"(?i)^(?:\[\s*)?(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,6}(?:\s*\])?\s*-?\s*")
_SITE = re.compile(r"(?i)^(?:\[\s*)?www\.|\.(?:com|org|net|to|me|cd|io|xyz|vip|pics|win)\W*$")
_VERSION_LABEL = re.compile(r"\)\s+-\s+(?P<label>[^\[\]{}()]+?)\s*$")
_NOT_AN_EDITION = re.compile(
    r"(?i)^(?:\d{3,4}[pi]|[248]k|uhd|hd|sd|fr|en|de|es|it|vf|vo|vostfr|multi|(?:cd|dvd|disc|disk|part|pt)[\s._-]*\d+|sample|trailer)$")
_EDITION_WORDS = re.compile(
    r"(?i)\b(?:cut|edition|version|extended|unrated|uncut|remastered|theatrical|redux|imax|criterion)\b")
_EDITION_SUFFIX = re.compile(r"(?i)^(?:\d+(?:st|nd|rd|th)\s+)?(?:the\s+)?(?P<name>.+?)(?:\s+(?:edition|version))?$")
PLAUSIBLE_EPISODES = 30  # a season's episodes, for reading "102" as S01E02 (anime seasons run to ~26)
_NOT_TITLE_WORDS = re.compile(
    r"(?i)\b(?:extended|unrated|uncut|remastered|theatrical|edition|cut|imax|3d|german|french|truefrench|"
    r"multi|vostfr|spanish|italian|dl|bluray|web|hdtv|dvdrip|complete)\b")


def clean_for_guessit(folders: list[str], stem: str, ext: str) -> str:
    """The path without the id and edition tags guessit misreads (``{edition-Final Cut}`` -> an episode)."""
    parts = [_EDITION_TAG.sub("", _ID_TAG.sub("", part)) for part in [*folders, stem + ext]]
    return "/".join(part.strip() or "_" for part in parts)


def apply_rules(guess: Guess, raw: Raw, stem: str, context: Folders,
                siblings: list[str]) -> None:
    """Correct ``guess`` (guessit's fields) in place where the name, folders or siblings show it wrong."""
    _numbers(guess, raw, stem, context, siblings)
    _kind(guess, raw, stem, context)
    _title(guess, raw, stem, context)
    _edition(guess, raw, stem)
    if guess["type"] == "episode" and guess["season"] is None and guess["airDate"] is None \
            and guess["absolute"] is None and guess["episode"] is not None and not guess["episodes"]:
        _fix(guess, "absolute_without_season", f"episode {guess['episode']} has no season: an absolute number",
             absolute=guess["episode"], episode=None)


def _fix(guess: Guess, rule: str, why: str, **values: Any) -> None:
    changed = {k: v for k, v in values.items() if guess.get(k) != v}
    if changed:
        guess.update(changed)
        guess["corrections"].append(rule)
        guess["evidence"].append(why)


def _numbers(guess: Guess, raw: Raw, stem: str, context: Folders, siblings: list[str]) -> None:
    explicit = _EXPLICIT_SE.search(stem) is not None
    if _air_date(guess, stem):
        return
    if not explicit and _anime(guess, raw, stem, context):
        return
    if explicit:
        _explicit(guess, stem)
    elif context.season is not None:
        _in_season_folder(guess, stem, context)
    else:
        _bare_number(guess, raw, stem)
    if not explicit and guess["episode"] is None and guess["absolute"] is None and not context.parent_year:
        number = numbered_like_siblings(stem, siblings)
        if number is not None:
            _fix(guess, "numbered_like_siblings", f"numbered like {len(siblings) - 1} sibling files",
                 episode=number, episodes=None, type="episode")


def _air_date(guess: Guess, stem: str) -> bool:
    if not guess["airDate"]:
        underscored = _UNDERSCORE_DATE.search(stem)
        if not underscored:
            return False
        aired = f"{underscored[1]}-{underscored[2]}-{underscored[3]}"
        _fix(guess, "daily_by_air_date", f"air date `{underscored[0]}` in the name", airDate=aired, season=None,
             episode=None, episodes=None, episodeTitle=None, type="episode")
    aired_year = int(guess["airDate"][:4])
    if guess["season"] == aired_year:
        _fix(guess, "daily_by_air_date", "a daily show: the season is the air date's year", season=None)
    if guess["year"] == aired_year and str(aired_year) not in _DATE.sub("", stem):
        _fix(guess, "daily_by_air_date", "the year is only the air date's", year=None)
    return True


def _anime(guess: Guess, raw: Raw, stem: str, context: Folders) -> bool:
    match = _ANIME.match(stem)
    if not match or guess["episodes"] or raw.get("year") == int(match["number"]):
        return False  # "Title - 2019" is a year; "Title - 02-03" a multi-episode file
    if _SITE.search(match["title"]) or re.search(r"(?i)[\s._-]s\d{1,2}$", match["title"]):
        return False  # "www.Site.org - 777 Charlie": a site prefix; "Show - S2 - 01": a season marker
    if context.season is not None and match["title"].strip().isdigit():
        return False  # "16 - 12 Title" in "Season 16": season and episode (see _in_season_folder)
    anime = _GROUP_PREFIX.match(stem) or context.anime
    if not anime and (context.season is not None or _season_and_episode(raw, int(match["number"]))):
        return False  # "Friends - 07 - Title" in a season folder, "Show - 102" alone: guessit's S/E stand
    _fix(guess, "anime_absolute_number", f"`- {match['number']}` after the title: an absolute number",
         absolute=int(match["number"]), episode=None, episodes=None, season=context.season)
    guess["_anime_title"] = match["title"]
    return True


def _explicit(guess: Guess, stem: str) -> None:
    sonarr = _SONARR_ABSOLUTE.search(stem)
    if sonarr and guess["absolute"] is None:
        _fix(guess, "sonarr_absolute_number", f"absolute number `{sonarr[1]}` after SxxEyy",
             absolute=int(sonarr[1]), episodeTitle=_strip_absolute(guess["episodeTitle"], sonarr[1]))


def _in_season_folder(guess: Guess, stem: str, context: Folders) -> None:
    why = f"season from folder `{context.season_folder}`"
    values: Guess = {"season": context.season}
    pair = _SEASON_THEN_EPISODE.match(stem)
    only = _EPISODE_ONLY.match(stem)
    if pair and int(pair["season"]) == context.season:
        values.update(episode=int(pair["episode"]), episodes=None, absolute=None)
        why += f", episode `{pair['episode']}` after the season number"
    elif only and (guess["episode"] is None or guess["season"] != context.season):
        values.update(episode=int(only[1]), episodes=None)
    _fix(guess, "season_folder", why, **values)


def _bare_number(guess: Guess, raw: Raw, stem: str) -> None:
    match = _BARE_NUMBER.match(stem)
    if not match or raw.get("season") is None or raw.get("episode") is None:
        return
    number = int(match["number"])
    if raw["season"] * 100 + raw["episode"] != number and raw["season"] * 1000 + raw["episode"] != number:
        return
    if _season_and_episode(raw, number):
        return  # "One Piece - 102": guessit's S01E02 could be; "The Simpsons 889" (S08E89) could not
    _fix(guess, "bare_absolute_number", f"`{number}` alone after the title, no season marker: absolute",
         absolute=number, season=None, episode=None, episodes=None)


def _season_and_episode(raw: Raw, number: int) -> bool:
    """Whether guessit read ``number`` as a season and an episode (``102`` as S01E02) that could both exist.

    Without other evidence (a group tag, an anime folder) that reading stands; ``889`` as S08E89 does not
    (no season has 89 episodes), so it is an absolute number.
    """
    season, episode = raw.get("season"), raw.get("episode")
    if not isinstance(season, int) or not isinstance(episode, int):
        return False
    return season * 100 + episode == number and 1 <= episode <= PLAUSIBLE_EPISODES


def _strip_absolute(title: str | None, number: str) -> str | None:
    if not title:
        return title
    return re.sub(rf"^{re.escape(number)}\s*-\s*", "", title) or None


def _kind(guess: Guess, raw: Raw, stem: str, context: Folders) -> None:
    numbered = any(guess[k] is not None for k in ("episode", "absolute", "airDate"))
    pack = None if numbered or guess["season"] is not None else season_pack(stem)
    if pack:
        _fix(guess, "season_pack_name", f"`{stem}` names season {pack[1]} of `{pack[0]}`", title=pack[0],
             season=pack[1], type="episode", year=pack[2] or guess["year"])
    if (numbered and guess["type"] is None) or context.season is not None:
        _fix(guess, "episode_by_numbers", "numbered like an episode", type="episode")
    if guess["type"] == "episode" and guess["season"] is not None and not numbered:
        _fix(guess, "season_pack", f"season {guess['season']} with no episode: a season pack", pack=True)
    elif guess["type"] == "episode" and not numbered and guess["season"] is None and _movie_year(guess, raw, context):
        # guessit calls "Movie (1982) - Final Cut" an episode titled "Final Cut": nothing numbers it.
        _fix(guess, "movie_without_episode_numbers", "a year and no season or episode number: a movie",
             type="movie")
        guess["_label"] = guess.pop("episodeTitle", None)
        guess["episodeTitle"] = None
    elif guess["type"] is None and guess["title"]:
        guess["type"] = "movie"


def _movie_year(guess: Guess, raw: Raw, context: Folders) -> bool:
    other = raw.get("other")
    complete = "Complete" in (other if isinstance(other, list) else [other])
    return not complete and (guess["year"] is not None or context.parent_year is not None)


def _title(guess: Guess, raw: Raw, stem: str, context: Folders) -> None:
    anime_title = guess.pop("_anime_title", None)
    if guess["type"] == "episode" and context.season is not None and context.series_title:
        _fix(guess, "series_folder_title", f"series title from folder `{context.series_title}`",
             title=context.series_title, year=context.series_year or _year_in(guess["year"], stem))
    elif anime_title:
        _anime_title(guess, anime_title)
    elif guess["type"] == "movie":
        _movie_title(guess, raw, stem, context)
    if not guess["title"] and context.parent_title:
        _fix(guess, "parent_folder_title", f"title from folder `{context.parent_title}`",
             title=context.parent_title, year=guess["year"] or context.parent_year)


def _anime_title(guess: Guess, text: str) -> None:
    year = re.search(r"\s*\(((?:19|20)\d\d)\)\s*$", text)
    title = SEPARATORS.sub(" ", text[: year.start()] if year else text).replace(" - ", " ").strip()
    values: Guess = {"title": title}
    if year:
        values["year"] = int(year[1])
    _fix(guess, "anime_title", f"title `{title}` before the absolute number", **values)


def _year_in(year: int | None, stem: str) -> int | None:
    """The year only when the file name itself states it (not one guessit took from a folder)."""
    return year if year is not None and str(year) in stem else None


def _movie_title(guess: Guess, raw: Raw, stem: str, context: Folders) -> None:
    own_year = _year_in(guess["year"], stem)
    if context.parent_year and own_year in (None, context.parent_year):
        _fix(guess, "movie_folder_title", f"movie title from folder `{context.parent_title} ({context.parent_year})`",
             title=context.parent_title, year=context.parent_year)
        return
    if own_year is None or not guess["title"]:
        return
    match = re.match(rf"^(?P<title>[^\[(]+?)[\s._(\[-]+{own_year}(?:[\s._)\]-]|$)", _SITE_PREFIX.sub("", stem))
    if not match:
        return
    before = SEPARATORS.sub(" ", match["title"]).strip(" -")
    title, words = _words(guess["title"]), _words(before)
    extra = " ".join(words[len(title):])
    # guessit read that text as something else (a bonus, an episode or alternative title): it is no title
    claimed = set(_words(" ".join(str(raw.get(k) or "") for k in ("bonus_title", "episode_title",
                                                                   "alternative_title"))))
    if words != title and words[:len(title)] == title and " - " not in before and not _NOT_TITLE_WORDS.search(extra) \
            and not claimed & set(words[len(title):]):
        _fix(guess, "title_before_year", f"title `{before}` is all the text before the year", title=before)


def _words(text: str | None) -> list[str]:
    return re.findall(r"[a-z0-9]+", (text or "").lower())


def _edition(guess: Guess, raw: Raw, stem: str) -> None:
    label = guess.pop("_label", None)
    tag = _EDITION_TAG.search(stem)
    if tag and tag[1].strip():
        _fix(guess, "edition_tag", f"edition tag `{tag[0].strip()}`", edition=tag[1].strip())
        return
    if guess["type"] != "movie" or guess["edition"]:
        return
    alternative = raw.get("alternative_title")
    alternative = alternative[0] if isinstance(alternative, list) and alternative else alternative
    version = _VERSION_LABEL.search(_ID_TAG.sub("", stem))
    for candidate, rule in ((alternative, "edition_phrase"), (version and version["label"], "version_label"),
                            (label, "edition_phrase")):
        edition = _edition_name(candidate, rule == "version_label")
        if edition:
            _fix(guess, rule, f"edition `{candidate}` after the title", edition=edition)
            return


def _edition_name(text: object, any_label: bool) -> str | None:
    """``10th Anniversary Edition`` -> ``Anniversary``; a quality or part label is no edition."""
    if not isinstance(text, str) or not text or _NOT_AN_EDITION.match(text.strip()):
        return None
    if not any_label and not _EDITION_WORDS.search(text):
        return None
    suffix = _EDITION_SUFFIX.match(text.strip())
    return (suffix["name"] if suffix else text).strip() or None
