"""The corrections the parser applies on top of guessit, each only where the text gives evidence for it.

Every rule calls :func:`_fix` with a rule name (``corrections``) and a sentence
saying what it saw (``evidence``); a rule that finds no evidence leaves
guessit's answer as it is. Order matters: numbers first (they decide whether
a file is an episode), then the kind, the title and the edition.
"""

from __future__ import annotations

import re
from typing import Any, TypeAlias

from chalicelib.library.naming_brackets import bracketed
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
_REVISION = re.compile(r"(?i)((?:^|[^a-z0-9])s\d{1,4}e\d{1,4}|(?:^|[^a-z0-9])\d{1,2}x\d{2,3})v\d(?![a-z0-9])")
_SEASON_DASH_EPISODE = re.compile(r"^(?P<season>\d{1,2})-(?P<episode>\d{2})(?=[\s._])(?![\s._-]*\d)")
_LEADING_EPISODE = re.compile(
    r"(?i)^(?:s\d{1,4}[ ._-]?x?e\d{1,4}(?:[-e]+\d{1,4})*|\d{1,2}x\d{1,3}(?:[-_x]+\d{1,3})*|e\d{1,3}(?:-e?\d{1,3})*)"
    r"[\s._-]*")
_ANIME_SEASON = re.compile(
    r"(?i)^(?P<title>.+?)[\s._]+(?P<marker>(?P<nth>\d{1,2})(?:st|nd|rd|th)[\s._]+season|s(?P<s>\d{1,2}))"
    r"[\s._]+(?P<dash>-[\s._]+)?(?:ep?\.?[\s._]*)?(?P<number>\d{1,3})(?:v\d)?(?=$|[\s._\[(-])")
_GROUP_TRAILING = re.compile(
    r"(?i)^(?P<title>[^\[\]()]*?[^\W\d_][^\[\]()]*?)[\s._]+(?:(?:episode|ep)\.?[\s._]*)?\(?(?P<number>\d{1,4})"
    r"(?:v\d)?\)?\s*(?=$|[\[(])")
_SONARR_ABSOLUTE = re.compile(r"(?i)(?:s\d{1,4}e\d{1,4}(?:[-e]+\d{1,4})*\s+-\s+(\d{1,4})|"
                              r"(?:s\d{1,4}e\d{1,4}|\d{1,2}x\d{2,3})\s+(\d{3,4}))(?=\s+-\s|\s*$|\s*[\[(])")
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
    parts = [_EDITION_TAG.sub("", _ID_TAG.sub("", part)) for part in [*folders, _REVISION.sub(r"\1", stem) + ext]]
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


def title_from_file_name(guess: Guess, stem: str) -> None:
    """A name nothing could be read from keeps its text as the title, so the file is indexed as unmatched
    rather than dropped; an episode read from its numbers alone (``S03E03 - Title``) keeps no title."""
    if not guess["title"] and stem and guess["type"] is None:
        guess["title"] = SEPARATORS.sub(" ", re.sub(r"\s*\[[^\]]*\]", "", stem)).strip() or stem
        guess["corrections"].append("title_from_file_name")
        guess["evidence"].append("title from the file name")


def _fix(guess: Guess, rule: str, why: str, **values: Any) -> None:
    changed = {k: v for k, v in values.items() if guess.get(k) != v}
    if changed:
        guess.update(changed)
        guess["corrections"].append(rule)
        guess["evidence"].append(why)


def _numbers(guess: Guess, raw: Raw, stem: str, context: Folders, siblings: list[str]) -> None:
    explicit = _EXPLICIT_SE.search(stem) is not None
    if not explicit and _only_brackets(guess, stem, context):
        return
    if _air_date(guess, stem):
        return
    _year_is_no_season(guess, stem, context)
    if not explicit and (_anime_season(guess, stem) or _anime(guess, raw, stem, context)
                         or _group_trailing_number(guess, raw, stem, context)):
        return
    if explicit:
        _explicit(guess, stem)
    elif context.season is not None:
        _in_season_folder(guess, stem, context)
    elif not _season_dash_episode(guess, stem):
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


def _only_brackets(guess: Guess, stem: str, context: Folders) -> bool:
    found = bracketed(stem)
    if not found:
        return False
    title, number = found
    _fix(guess, "bracketed_parts", f"a name of bracketed parts: title `{title}`"
         + (f", episode `{number}`" if number is not None else ""), title=title, year=None,
         season=context.season, episode=None, episodes=None, absolute=number, episodeTitle=None,
         **({"type": "episode"} if number is not None else {}))
    return True


def _year_is_no_season(guess: Guess, stem: str, context: Folders) -> None:
    """guessit takes a year for the season too when no season is written (``Title.E195...1999``): a season
    is only a year where the name or its folder says so (``S2019E08``, ``2019x08``, ``Season 2019``)."""
    season = guess["season"]
    if season is None or season != guess["year"] or context.season == season:
        return
    if re.search(rf"(?i)(?:s|season|saison|staffel|series)[\s._-]*{season}|{season}x\d", stem):
        return  # "S2019E08", "2019x08": the year is written as the season
    _fix(guess, "year_is_no_season", f"`{season}` is a year, no season is written", season=None)


def _anime_season(guess: Guess, stem: str) -> bool:
    """Fansub season forms: ``Title 2nd Season 24``, ``[Group] Title S2 - 01v2``: season, then the episode."""
    match = _ANIME_SEASON.match(_GROUP_PREFIX.sub("", stem).strip())
    if not match or (match["s"] and not match["dash"] and not _GROUP_PREFIX.match(stem)
                     and len(match["number"]) < 2):
        return False  # "Show.S03.1.1TB": a season pack; "[Group] Show S3 1", "Show S3 - 1", "Show.S06.01" are not
    season = int(match["nth"] or match["s"])
    _fix(guess, "anime_season_form", f"season `{match['marker']}` then episode `{match['number']}`",
         season=season, episode=int(match["number"]), episodes=None, absolute=None, type="episode")
    guess["_anime_title"] = match["title"]
    return True


def _group_trailing_number(guess: Guess, raw: Raw, stem: str, context: Folders) -> bool:
    """``[Group] Title 02 [720p][ABCD1234]``, ``[Group] Title (9)``: in a fansub name (anitomy's form) the
    number that ends the title, before the tags, is the episode; the title keeps its own numbers."""
    if not _GROUP_PREFIX.match(stem) or context.season is not None:
        return False
    match = _GROUP_TRAILING.match(_GROUP_PREFIX.sub("", stem).strip())
    if not match or re.fullmatch(r"(?:19|20)\d\d", match["number"]) or raw.get("year") == int(match["number"]):
        return False
    _fix(guess, "anime_trailing_number", f"`{match['number']}` ends the title before the tags: an episode",
         absolute=int(match["number"]), episode=None, episodes=None, season=None, type="episode")
    guess["_anime_title"] = match["title"]
    return True


def _anime(guess: Guess, raw: Raw, stem: str, context: Folders) -> bool:
    if "_" in stem and " " not in stem:
        stem = stem.replace("_", " ")  # "[Group]_Title_-_01_[720p]": fansubs write spaces as underscores
    match = _ANIME.match(stem)
    if not match or raw.get("year") == int(match["number"]):
        return False  # "Title - 2019" is a year
    if re.match(r"\s*\((?:19|20)\d\d\)", stem[match.end("number"):]):
        return False  # "Title - 2 (2013)": a sequel's number, then the film's year
    if guess["episodes"] and re.match(r"(?i)v?\d*\s*(?:-|~|&|e)\s*\d", stem[match.end("number"):]):
        return False  # "Title - 02-03" a multi-episode file (a number in the title is no range: "86 - 01")
    if _SITE.search(match["title"]) or re.search(r"(?i)[\s._-]s\d{1,2}$", match["title"]):
        return False  # "www.Site.org - 777 Charlie": a site prefix; "Show - S2 - 01": a season marker
    if context.season is not None and match["title"].strip().isdigit():
        return False  # "16 - 12 Title" in "Season 16": season and episode (see _in_season_folder)
    anime = _GROUP_PREFIX.match(stem) or context.anime
    if not anime and (context.season is not None or _season_and_episode(raw, int(match["number"]))):
        return False  # "Friends - 07 - Title" in a season folder, "Show - 102" alone: guessit's S/E stand
    _fix(guess, "anime_absolute_number", f"`- {match['number']}` after the title: an absolute number",
         absolute=int(match["number"]), episode=None, episodes=None, season=context.season, type="episode")
    guess["_anime_title"] = match["title"]
    return True


def _explicit(guess: Guess, stem: str) -> None:
    sonarr = _SONARR_ABSOLUTE.search(stem)
    if sonarr and guess["absolute"] is None:  # "S01E01 - 001" (Sonarr's anime format), "S10E14 214"
        number = sonarr[1] or sonarr[2]
        _fix(guess, "sonarr_absolute_number", f"absolute number `{number}` after SxxEyy",
             absolute=int(number), episodeTitle=_strip_absolute(guess["episodeTitle"], number))


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


def _season_dash_episode(guess: Guess, stem: str) -> bool:
    """``3-08 - Title`` / ``11-02 Title``: a file named season-episode (Jellyfin's ``4-12 - Title``); what
    follows is the episode's title, so the series title comes from the folder, if any."""
    match = _SEASON_DASH_EPISODE.match(stem)
    if not match or _DATE.match(stem):
        return False
    rest = SEPARATORS.sub(" ", stem[match.end():]).strip(" -") or None
    _fix(guess, "season_dash_episode", f"`{match[0]}` opens the name: season {match['season']}, episode "
         f"{match['episode']}", season=int(match["season"]), episode=int(match["episode"]), episodes=None,
         absolute=None, type="episode", title=None, episodeTitle=rest)
    return True


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
    if guess["type"] == "episode" and _LEADING_EPISODE.match(stem) and guess["title"] \
            and _words(guess["title"]) == _words(_LEADING_EPISODE.sub("", stem))[:len(_words(guess["title"]))]:
        # "S03E03 - Seventeen Seconds": the name starts with the numbers, what follows is the episode's title
        _fix(guess, "episode_title_only", "the name starts with its episode number: no series title in it",
             title=None, episodeTitle=guess["episodeTitle"] or guess["title"])
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
    text = re.sub(r"(?i)\s*\((?:tv|dvd|bd|blu-?ray)\)\s*$", "", text[: year.start()] if year else text)
    title = SEPARATORS.sub(" ", text).replace(" - ", " ").strip()
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
