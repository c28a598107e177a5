"""The fast path of :func:`chalicelib.sources.release.parse_release`: strict scene-style names without guessit.

guessit costs 10-60 ms per name, and a new episode's first search brings hundreds of names never seen.
Most are scene names, ``Title.S01E02.1080p.WEB-DL.DDP5.1.H.264-GROUP`` (or ``Title.S01.`` a season pack,
``Title.2019.`` a film): one anchored regex reads their shape, and every tag after the numbering must be
one this module knows (resolution, source, codec, HDR, audio, a few flags that change no field). A name
that does not fit the pattern entirely -- any unknown tag, a title word that could be a tag, a country,
a number or a year, anime, dates, brackets -- returns None and takes guessit's path. The answers are
checked equal to guessit's path, field by field, on every name this path accepts in a large sample
(tests/unit/test_release_fastpath.py); where guessit reads a tag differently the tag is left out here.
"""

from __future__ import annotations

import re
from typing import TypedDict, cast

_NAME = re.compile(
    r"(?P<title>[A-Z][a-z]+(?:\.[A-Z][a-z]+){0,5})\."
    r"(?:S(?P<season>\d\d)(?:E(?P<episode>\d\d)(?:E(?P<episode2>\d\d))?)?|(?P<year>(?:19[5-9]|20[0-4])\d))\."
    r"(?P<tags>[A-Za-z0-9.+-]+)-(?P<group>(?!DL$)[A-Za-z][A-Za-z0-9]{1,15})(?:\.v\d{1,3})?")
# Tags in the order scene names write them; each maps to the Release fields it sets.
_RESOLUTIONS = {"2160p": 2160, "1080p": 1080, "720p": 720, "576p": 576, "480p": 480}
_SOURCES = {"WEB-DL": "web-dl", "WEBRip": "webrip", "WEB": "web-dl", "BluRay": "bluray", "HDTV": "hdtv"}
_SERVICES = {"AMZN", "NF", "DSNP", "HMAX", "ATVP", "HULU"}  # streaming services: no field of ours
# Left out, guessit reads them otherwise: AV1 (``AV1-GROUP`` becomes the group), a bare HDR after WEB.
_CODECS = {"x264": "h264", "H.264": "h264", "h264": "h264", "H264": "h264", "x265": "h265", "H.265": "h265",
           "HEVC": "h265", "h265": "h265", "VP9": "vp9", "XviD": "xvid"}
_HDR = {"HDR10": "hdr10", "DV": "dv", "HDR10+": "hdr10+"}
_AUDIO = {"DDP5.1": "ddp 5.1", "DDP2.0": "ddp 2.0", "DD5.1": "dd 5.1", "AAC2.0": "aac 2.0", "AAC5.1": "aac 5.1",
          "AAC": "aac", "Opus": "opus"}
_FLAGS = {"REPACK", "PROPER", "10bit"}
_TAG = re.compile("|".join(re.escape(t) for t in sorted(
    [*_RESOLUTIONS, *_SOURCES, *_SERVICES, *_CODECS, *_HDR, *_AUDIO, *_FLAGS], key=len, reverse=True)))
# Title words guessit may read as something else (a country, a language, a tag, an episode title word).
_RISKY_WORDS = {"us", "uk", "au", "nz", "ca", "de", "fr", "it", "es", "nl", "se", "no", "dk", "fi", "jp", "kr",
                "complete", "season", "series", "part", "vol", "volume", "episode", "extended", "uncut", "remastered",
                "directors", "cut", "edition", "proper", "repack", "internal", "limited", "festival", "final",
                "special", "pilot", "web", "dl", "hd", "sd", "dual", "multi", "french", "german", "italian",
                "spanish", "english", "japanese", "korean", "rus", "russian", "hindi", "vostfr", "subbed", "dubbed",
                "sub", "subs", "dub", "the", "and", "of", "a", "an", "in", "on", "to", "at", "by", "for", "dv",
                "dovi", "hlg", "imax", "unrated", "theatrical", "criterion", "redux", "remaster"}
_SAFE_LEAD = {"the", "a", "an"}  # an article may open a title


class Tags(TypedDict):
    resolution: int | None
    source: str | None
    codec: str | None
    hdr: str | None
    audio: str | None


class Fields(Tags):
    """``Release``'s fields but its name and name_title."""

    title: str
    year: int | None
    season: int | None
    seasons: tuple[int, ...]
    episodes: tuple[int, ...]
    pack: bool
    absolute: int | None
    languages: tuple[str, ...]
    group: str


def parse(text: str) -> Fields | None:
    """The Release fields of a strict scene name (title words as written), or None for guessit's path."""
    match = _NAME.fullmatch(text)
    if match is None or not _plain_title(match["title"]):
        return None
    fields = _tags(match["tags"])
    if fields is None:
        return None
    season = int(match["season"]) if match["season"] else None
    episodes = tuple(int(e) for e in (match["episode"], match["episode2"]) if e)
    if len(episodes) == 2 and episodes[1] != episodes[0] + 1:
        return None  # guessit reads S01E02E05 as a range or a list depending on context: not ours
    return {"title": match["title"].replace(".", " "), "year": int(match["year"]) if match["year"] else None,
            "season": season, "seasons": (season,) if season is not None else (), "episodes": episodes,
            "pack": season is not None and not episodes, "absolute": None, "languages": (),
            "group": match["group"], **fields}


def _plain_title(title: str) -> bool:
    words = title.lower().split(".")
    return all(w not in _RISKY_WORDS or (i == 0 and w in _SAFE_LEAD) for i, w in enumerate(words))


def _tags(tags: str) -> Tags | None:
    """Each tag known, each field set once, in scene order; None otherwise."""
    found: dict[str, str | int | None] = {"resolution": None, "source": None, "codec": None, "hdr": None, "audio": None}
    position = 0
    for tag in _split(tags):
        field, value, rank = _field(tag)
        if field == "flag":
            continue
        if field is None or rank < position or found.get(field) is not None:
            return None
        position = rank
        found[field] = value
    return cast(Tags, found) if found["resolution"] is not None and found["source"] is not None else None


def _split(tags: str) -> list[str]:
    parts: list[str] = []
    position = 0
    while position < len(tags):
        match = _TAG.match(tags, position)
        if match is None:
            return ["?"]
        end = match.end()
        if end < len(tags) and tags[end] != ".":
            return ["?"]
        parts.append(match.group(0))
        position = end + 1
    return parts


_ORDER = ("resolution", "service", "source", "hdr", "audio", "codec")


def _field(tag: str) -> tuple[str | None, str | int | None, int]:
    for rank, (field, table) in enumerate(zip(_ORDER, (_RESOLUTIONS, _SERVICES, _SOURCES, _HDR, _AUDIO, _CODECS),
                                              strict=True)):
        if tag in table:
            value = table[tag] if isinstance(table, dict) else None
            return ("flag" if field == "service" else field), value, rank
    return ("flag", None, 2) if tag in _FLAGS else (None, None, 0)
