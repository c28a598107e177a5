"""OMDb JSON -> ``media_external_ratings`` rows (value as shown, score on 0..100, votes).

OMDb answers ``Ratings: [{Source: "Internet Movie Database", Value: "8.7/10"},
{Source: "Rotten Tomatoes", Value: "88%"}, {Source: "Metacritic", Value: "73/100"}]``
plus ``imdbRating`` ("8.7") and ``imdbVotes`` ("1,234,567"); "N/A" means unknown.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, TypedDict

SOURCES = {"Internet Movie Database": "imdb", "Rotten Tomatoes": "rotten_tomatoes", "Metacritic": "metacritic"}
_FRACTION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*/\s*(\d+(?:\.\d+)?)\s*$")
_PERCENT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*%\s*$")


class RatingRow(TypedDict):
    """One ``media_external_ratings`` row of a title (stored by ``ratings_store``)."""

    source: str
    value: str
    score: Decimal | None
    votes: int | None


def score(value: str) -> Decimal | None:
    """ "8.7/10" -> 87, "88%" -> 88, "73/100" -> 73; None when it is neither (or out of range)."""
    try:
        if found := _FRACTION.match(value):
            top, bottom = Decimal(found[1]), Decimal(found[2])
            result = (top * 100 / bottom) if bottom > 0 else None
        elif found := _PERCENT.match(value):
            result = Decimal(found[1])
        else:
            return None
    except InvalidOperation:
        return None
    return result.quantize(Decimal("0.01")) if result is not None and 0 <= result <= 100 else None


def votes(raw: Any) -> int | None:
    """ "1,234,567" -> 1234567; "N/A" or junk -> None."""
    digits = str(raw or "").replace(",", "").strip()
    return int(digits) if digits.isdigit() else None


def ratings(data: Mapping[str, Any]) -> list[RatingRow]:
    """The rows of one OMDb title answer: one per known source with a usable value."""
    found: dict[str, RatingRow] = {}
    for entry in data.get("Ratings") or ():
        source, value = SOURCES.get(entry.get("Source")), str(entry.get("Value") or "").strip()
        if source and value and value != "N/A" and source not in found:
            found[source] = {"source": source, "value": value, "score": score(value), "votes": None}
    imdb_rating = str(data.get("imdbRating") or "").strip()
    if "imdb" not in found and imdb_rating and imdb_rating != "N/A":
        value = f"{imdb_rating}/10"
        found["imdb"] = {"source": "imdb", "value": value, "score": score(value), "votes": None}
    if "imdb" in found:
        found["imdb"]["votes"] = votes(data.get("imdbVotes"))
    return list(found.values())
