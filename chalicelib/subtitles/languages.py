"""Language tags of subtitle tracks: one spelling, coverage, and the user's preferred order.

Tracks are tagged like the scanner tags them (``en``, ``pt-BR``: ISO 639-1 when there is one, the region
upper case). A wanted language is covered by a track of the same language whose region is the same or
unsaid on either side ("en" is covered by "en-US" and the other way round; "pt-BR" is not by "pt-PT").
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from typing import Any


@functools.lru_cache(maxsize=256)
def normalize(tag: str) -> str:
    """``eng`` -> ``en``, ``PT_br`` -> ``pt-BR``; an unknown code is kept (lower case)."""
    parts = tag.replace("_", "-").split("-")
    base = parts[0].lower()
    if len(base) == 3:
        base = _alpha2(base)
    rest = [p.upper() if len(p) == 2 else p.lower() for p in parts[1:] if p]
    return "-".join([base, *rest])


def _alpha2(code: str) -> str:
    import babelfish  # guessit's dependency

    for make in (babelfish.Language.fromalpha3b, babelfish.Language):
        try:
            return make(code).alpha2
        except (ValueError, KeyError, babelfish.Error):
            continue
    return code


def _split(tag: str) -> tuple[str, str | None]:
    parts = normalize(tag).split("-")
    region = next((p for p in parts[1:] if len(p) == 2 and p.isupper()), None)
    return parts[0], region


def covers(have: str, want: str) -> bool:
    (have_base, have_region), (want_base, want_region) = _split(have), _split(want)
    return have_base == want_base and (have_region is None or want_region is None or have_region == want_region)


def missing(have: Iterable[str], wanted: Sequence[str]) -> list[str]:
    """The wanted languages (normalized, de-duplicated, in order) no track covers."""
    present = [h for h in have if h and h != "und"]
    result: list[str] = []
    for tag in (normalize(w) for w in wanted if w):
        if tag not in result and not any(covers(h, tag) for h in present):
            result.append(tag)
    return result


def rank(language: str, preferred: Sequence[str]) -> int:
    """The position of the first preferred language covering ``language`` (len(preferred) when none)."""
    for index, want in enumerate(preferred):
        if covers(language, want):
            return index
    return len(preferred)


def ordered(rows: Iterable[Any], preferred: Sequence[str], language: Any = None) -> list[Any]:
    """Tracks with the preferred languages first (in the user's order), then the rest by language.

    ``rows``: dicts with a ``language`` key, or objects with a ``language`` attribute (or pass
    ``language`` to read it). Tracks of one language keep their order (default and forced first)."""
    read = language or (lambda row: row["language"] if isinstance(row, dict) else row.language)
    wanted = [normalize(p) for p in preferred if p]
    return sorted(rows, key=lambda row: (rank(read(row), wanted), normalize(read(row))))


def opensubtitles_code(tag: str) -> str:
    """OpenSubtitles' spelling: ``en``, ``pt-br``, ``zh-cn``."""
    return normalize(tag).lower()


def label(tag: str) -> str:
    """``English``, ``Portuguese (BR)``; the tag itself when babelfish does not know it."""
    import babelfish  # lazy: 300 ms of language tables, only labels need them

    base, region = _split(tag)
    try:
        name = babelfish.Language.fromietf(base).name
    except (ValueError, KeyError, babelfish.Error):
        return tag
    return f"{name} ({region})" if region else name
