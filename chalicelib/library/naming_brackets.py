"""Names made only of bracketed parts: the Chinese and Japanese fansub form guessit cannot read.

``[Group][10月新番][Title / English Title][18][1080P][BIG5][MP4]`` (also with ``【】`` and ``★`` between) has
no separator text for guessit to take a title from, so it returns the whole name. The convention these
releases follow (anitomy's and the fansub groups' own): the first part is the group, a part that is only a
number (``[18]``, ``[215 END]``, ``[01v2]``) is the episode, a 4-digit year part is the airing year of the
cour and not the show's, the rest are tags (resolution, codec, language, container, "new this season") or
the title -- given in one or more scripts, split by ``/``, ``·`` or `` _ ``; the Latin-script one is the
title the other tools file it under.
"""

from __future__ import annotations

import re

_ONLY_BRACKETS = re.compile(r"(?:\s*(?:\[[^\[\]]*\]|【[^【】]*】|★[^\[【★]*★?))+\s*")
_PART = re.compile(r"\[([^\[\]]*)\]|【([^【】]*)】")
_NUMBER = re.compile(r"(?i)^第?(\d{1,4})[话話集]?(?:v\d)?(?:\s*end)?$")  # [05], [05v2], [215 END], [第05话]
_TAG = re.compile(
    r"(?i)^(?:\d{3,4}[pi]\d*|[248]k|(?:19|20)\d\d|x26[45]\S*|h\.?26[45]|hevc|avc|aac|flac|mp4|mkv|big5|gb|chs|cht|"
    r"jpn\S*|web-?rip|web-?dl|hdrip|dvdrip|bdrip|tvrip|srtx?\d*|viutv|jap|hi10p|10bit|"
    r".*(?:字幕|新番|简体|繁體|繁体|简中|繁中|简繁|繁日|国漫|招募|中文).*)$")
_SPLIT = re.compile(r"\s*(?:/|·|\s_\s|\|)\s*")
_LATIN = re.compile(r"[A-Za-z]{2,}")
_CJK = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]+")


def bracketed(stem: str) -> tuple[str, int | None] | None:
    """``(title, episode number or None)`` for a name made only of bracketed parts; None for any other name."""
    if ("[" not in stem and "【" not in stem) or not _ONLY_BRACKETS.fullmatch(stem):
        return None
    parts = [(a or b).strip() for a, b in _PART.findall(stem)]
    number, titles = None, []
    for part in parts[1:]:  # the first part is the group
        found = None if re.fullmatch(r"(?:19|20)\d\d", part) else _NUMBER.match(part)
        if found:
            number = int(found[1]) if number is None else number
        elif part and not _TAG.match(part) and number is None:
            titles.append(part)
    if not titles:
        return None
    latin = [t for t in titles if _LATIN.search(t)]
    title = _latin_side(latin[0]) if latin else titles[0]
    return title.replace("_", " ").strip(), number


def _latin_side(part: str) -> str:
    """``天使降臨到了我身邊! / Anime Title!`` -> ``Anime Title!``; ``Anime Series 海賊王`` -> ``Anime Series``."""
    pieces = [p for p in _SPLIT.split(part) if _LATIN.search(p)]
    text = pieces[-1] if pieces else part
    latin = _CJK.sub(" ", text).strip()
    return " ".join(latin.split()) if _LATIN.search(latin) else text
