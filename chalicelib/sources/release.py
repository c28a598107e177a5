"""Release names -> the attributes scoring judges (resolution, source, codec, HDR, group, episode or pack).

An indexer's result is a release name such as ``The.Office.US.S03E05.1080p.WEB-DL.DDP5.1.H.264-NTb``.
The library parser (:mod:`chalicelib.library.naming`, which wraps guessit) reads title, year, season,
episodes and season packs the same way the scanner later reads the downloaded files, so a pick and its
file agree; guessit's other fields give the quality attributes, mapped here onto a small vocabulary
(``web-dl``, ``h265``, ``dv``...). guessit misses a few tags release groups use (``AV1``, ``HDR10+``,
``HLG``), read from the name itself.

Pure and cached per name: the same release shows up on several indexers and in every repeated search.
Strict scene names (``Title.S01E02.<known tags>-GROUP``) skip guessit: :mod:`release_fast` reads them in
microseconds with the same answer (tested field by field); any other name goes to guessit.
Junk never raises: a name nothing can be read from is a Release with most fields None.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from chalicelib.library import naming
from chalicelib.library.naming_folders import split_name
from chalicelib.library.naming_rules import Guess, Raw, clean_for_guessit
from chalicelib.logs import get_logger
from chalicelib.sources import release_fast

MAX_NAME_CHARS = 300  # release names are < 250 in practice; guessit's time grows with the length

SOURCES = {  # guessit's source -> ours; "Rip" in other turns web-dl into webrip
    "Web": "web-dl", "Blu-ray": "bluray", "Ultra HD Blu-ray": "bluray", "HD-DVD": "bluray",
    "HDTV": "hdtv", "Ultra HDTV": "hdtv", "Digital TV": "hdtv", "TV": "hdtv", "Satellite": "hdtv",
    "DVD": "dvd", "Video on Demand": "vod", "Pay-per-view": "ppv", "VHS": "vhs", "Laserdisc": "dvd",
    "Camera": "cam", "HD Camera": "cam", "Telesync": "telesync", "HD Telesync": "telesync",
    "Telecine": "telecine", "HD Telecine": "telecine", "Workprint": "workprint",
}
CODECS = {"H.264": "h264", "H.265": "h265", "AV1": "av1", "VP9": "vp9", "VP8": "vp8", "Xvid": "xvid",
          "DivX": "divx", "MPEG-2": "mpeg2", "VC-1": "vc1", "RealVideo": "realvideo"}
AUDIO = {"Dolby Digital Plus": "ddp", "Dolby Digital": "dd", "AAC": "aac", "Dolby TrueHD": "truehd",
         "DTS-HD": "dts-hd", "DTS": "dts", "DTS:X": "dts-x", "Opus": "opus", "MP3": "mp3", "MP2": "mp2",
         "FLAC": "flac", "LPCM": "pcm", "PCM": "pcm", "Vorbis": "vorbis", "Dolby Atmos": "atmos"}
_AV1 = re.compile(r"(?<![a-z0-9])av1(?![a-z0-9])", re.I)
_HDR10_PLUS = re.compile(r"(?<![a-z0-9])hdr10(\+|plus|p)(?![a-z0-9])", re.I)
_HLG = re.compile(r"(?<![a-z0-9])hlg(?![a-z0-9])", re.I)
_DV = re.compile(r"(?<![a-z0-9])(dv|dovi|dolby[ ._-]?vision)(?![a-z0-9])", re.I)
# Where the title words of a name end: a year, SxxEyy / Sxx / 1x02, a resolution, "season", "complete".
_TITLE_END = re.compile(r"\b((19|20)\d\d|s\d{1,3}(e\d{1,4})?|\d{1,2}x\d{1,3}|\d{3,4}[pi]|season|complete|"
                        r"series)\b")
_BRACKETED = re.compile(r"^\s*(\[[^\]]*\]|\([^)]*\)|\{[^}]*\})\s*")
_WEBSITE = re.compile(r"^\s*(www\.)?[a-z0-9-]+\.(com|org|net|to|me|se|mx|cc|xyz)\s*[-_\s]+", re.I)
_NON_WORD = re.compile(r"[^a-z0-9]+")
_APOSTROPHE = re.compile(r"(?<=[a-z])'(?=[a-z])")  # Marvel's -> marvels
_SPACED_LETTERS = re.compile(r"\b[a-z](?: [a-z]\b){2,}")  # "s h i e l d" (from S.H.I.E.L.D.) -> "shield"
_ANIME_NUMBER = re.compile(r"\s-\s*\d{1,4}\b.*")  # "[Group] Title - 12 (1080p)": the title ends at " - 12"


@dataclass(frozen=True)
class Release:
    """The attributes of one release name (see the module docstring for the vocabularies)."""

    name: str
    title: str | None
    year: int | None
    season: int | None
    seasons: tuple[int, ...]
    episodes: tuple[int, ...]
    pack: bool  # a whole season (or several): a season and no episode
    absolute: int | None  # an episode number without a season (anime: ``[Group] Title - 102``)
    resolution: int | None  # 2160 / 1080 / 720 / 576 / 480
    source: str | None  # web-dl webrip bluray hdtv dvd vod ppv vhs cam telesync telecine workprint screener
    codec: str | None  # h264 h265 av1 vp9 vp8 xvid divx mpeg2 vc1
    hdr: str | None  # hdr10 hdr10+ hlg dv, None = SDR (or not said)
    audio: str | None  # ddp dd aac truehd dts dts-hd opus flac..., channels appended ("ddp 5.1")
    languages: tuple[str, ...]  # ISO 639 codes guessit reads ("de", "fr", "mul" for MULTi)
    group: str | None
    name_title: str  # the name's words before its year/season/quality tags, lowercased ASCII (title matching)

    def as_json(self) -> dict[str, object]:
        """The API's ``parsed`` object (camelCase)."""
        return {"title": self.title, "year": self.year, "season": self.season, "seasons": list(self.seasons),
                "episodes": list(self.episodes), "pack": self.pack, "absolute": self.absolute,
                "resolution": self.resolution, "source": self.source, "codec": self.codec, "hdr": self.hdr,
                "audio": self.audio, "languages": list(self.languages), "group": self.group}

    def to_cache(self) -> dict[str, object]:
        """Every field, JSON-able (tuples as lists); ``from_cache`` reverses it."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_cache(cls, data: Mapping[str, Any]) -> Release:
        """Raises TypeError on a payload of another shape (a missing or unknown field)."""
        values: Mapping[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in data.items()}
        return cls(**values)


@functools.lru_cache(maxsize=32_768)
def parse_release(name: str) -> Release:
    """The attributes of a release name; never raises (junk gives a Release with most fields None)."""
    text = _printable(name)[:MAX_NAME_CHARS]
    fast = release_fast.parse(text)
    if fast is not None:
        return Release(name=text, name_title=title_words(text), **fast)
    return guessit_release(text)


def guessit_release(name: str) -> Release:
    """``parse_release`` without its fast path (and not cached): the library parser, i.e. guessit."""
    text = _printable(name)[:MAX_NAME_CHARS]
    try:
        guess, raw = _guess(text)
    except Exception:  # a parser bug must not turn one odd name into a failed search
        get_logger().warning("release name not parsed", extra={"action": "release_parse_failed",
                                                               "release": text[:120]})
        guess, raw = {}, {}
    return _release(text, guess, raw)


def _printable(name: Any) -> str:
    text = name if isinstance(name, str) else ""
    # A "/" would make the library parser read folders; control characters are never part of a name.
    return "".join(" " if ch in "/\\" or unicodedata.category(ch)[0] == "C" else ch for ch in text).strip()


def _guess(text: str) -> tuple[Guess, Raw]:
    if not text:
        return {}, {}
    guess = naming.parse(text)
    folders, stem, ext = split_name(text)
    raw = naming.cached_guessit(clean_for_guessit(folders, stem, ext)) if stem else {}
    return guess, raw


def _release(text: str, guess: Guess, raw: Raw) -> Release:
    season, seasons, episodes, pack = _numbers(guess, raw)
    return Release(
        name=text, title=guess.get("title") or None, year=_int(guess.get("year")), season=season,
        seasons=seasons, episodes=episodes, pack=pack, absolute=_int(guess.get("absolute")),
        resolution=_resolution(raw.get("screen_size")), source=_source(raw), codec=_codec(raw, text),
        hdr=_hdr(raw, text), audio=_audio(raw), languages=_languages(raw.get("language")),
        group=_group(raw.get("release_group")), name_title=title_words(text),
    )


def _numbers(guess: Guess, raw: Raw) -> tuple[int | None, tuple[int, ...], tuple[int, ...], bool]:
    season = _int(guess.get("season"))
    raw_seasons = raw.get("season")
    seasons = tuple(sorted({s for s in raw_seasons if isinstance(s, int)})) if isinstance(raw_seasons, list) \
        else ((season,) if season is not None else ())
    listed = guess.get("episodes") or ([guess["episode"]] if guess.get("episode") is not None else [])
    episodes = tuple(sorted({e for e in listed if isinstance(e, int)}))
    pack = bool(guess.get("pack")) or (bool(seasons) and not episodes)
    return season, seasons, episodes, pack and not episodes


def _int(value: Any) -> int | None:
    value = value[0] if isinstance(value, list) and value else value
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _others(raw: Raw) -> set[str]:
    other = raw.get("other") or ()
    return {str(o) for o in (other if isinstance(other, list) else [other])}


def _first_text(value: Any) -> str | None:
    value = value[0] if isinstance(value, list) and value else value
    return str(value) if value else None


def _resolution(value: Any) -> int | None:
    match = re.match(r"(\d{3,4})[pi]$", _first_text(value) or "")
    return int(match.group(1)) if match else None


def _source(raw: Raw) -> str | None:
    others = _others(raw)
    if "Screener" in others:
        return "screener"
    source = SOURCES.get(_first_text(raw.get("source")) or "")
    return "webrip" if source == "web-dl" and "Rip" in others else source


def _codec(raw: Raw, text: str) -> str | None:
    codec = CODECS.get(_first_text(raw.get("video_codec")) or "")
    if codec is None and _AV1.search(text):
        return "av1"
    return codec


def _hdr(raw: Raw, text: str) -> str | None:
    others = _others(raw)
    if "Dolby Vision" in others or _DV.search(text):
        return "dv"
    if _HDR10_PLUS.search(text):
        return "hdr10+"
    if "HDR10" in others:
        return "hdr10"
    return "hlg" if _HLG.search(text) else None


def _audio(raw: Raw) -> str | None:
    codecs = raw.get("audio_codec")
    codec = AUDIO.get(_first_text(codecs) or "") or (_first_text(codecs) or "").lower() or None
    channels = _first_text(raw.get("audio_channels"))
    if codec and channels:
        return f"{codec} {channels}"
    return codec


def _languages(value: Any) -> tuple[str, ...]:
    values = value if isinstance(value, list) else ([value] if value else [])
    return tuple(dict.fromkeys(str(v) for v in values if str(v) and str(v) != "und"))


def _group(value: Any) -> str | None:
    text = _first_text(value)
    return text.strip(" []()-") or None if text else None


def title_words(text: str) -> str:
    """``www.site.com - The.Office.US.S03E05.1080p`` -> ``the office us``: the words a title is matched on."""
    folded = _ascii_lower(text)
    folded = _ANIME_NUMBER.sub("", _WEBSITE.sub("", folded))
    while (stripped := _BRACKETED.sub("", folded, count=1)) != folded:
        folded = stripped
    words = fold_title(folded)
    match = _TITLE_END.search(words, 1)
    return (words[: match.start()] if match else words).strip()


@functools.lru_cache(maxsize=8_192)  # titles repeat across every release of a search
def fold_title(text: str) -> str:
    """A title as compared: ASCII, lowercase, ``&`` = and, no apostrophes, ``S.H.I.E.L.D`` = shield, one space."""
    words = _NON_WORD.sub(" ", _APOSTROPHE.sub("", _ascii_lower(text)).replace("&", " and ")).strip()
    return _SPACED_LETTERS.sub(lambda m: m.group(0).replace(" ", ""), words)


def _ascii_lower(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
