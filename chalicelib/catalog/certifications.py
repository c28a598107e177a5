"""Content ratings from upstream answers: TMDB's release_dates (movies) and content_ratings (shows), IGDB's
age_ratings (ESRB, PEGI). Pure: each returns ``(label, min_age)`` or None when the answer has no usable rating.

The instance region's rating wins, then the US one, then the first other country whose label means an age
(``contentrating.age_of``): a title rated only in, say, Germany is still rated.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from chalicelib.catalog.records import Json, MediaRecord
from chalicelib.contentrating import age_of

Rating = tuple[str, int]
DEFAULT_REGION = "US"
# TMDB release types, the one whose certification speaks for the title first: theatrical, limited, digital,
# physical, TV, premiere.
_RELEASE_ORDER = (3, 2, 4, 5, 6, 1)
# IGDB's age_ratings enums (category: 1 ESRB, 2 PEGI; rating 1-12).
IGDB_ESRB, IGDB_PEGI = 1, 2
IGDB_RATINGS = {1: "PEGI 3", 2: "PEGI 7", 3: "PEGI 12", 4: "PEGI 16", 5: "PEGI 18", 6: "RP", 7: "EC", 8: "E",
                9: "E10+", 10: "T", 11: "M", 12: "AO"}


def region_of(language: str | None) -> str:
    """The country of a TMDB language setting ("en-GB" -> "GB"); US without one."""
    if language and "-" in language:
        country = language.rsplit("-", 1)[1].upper()
        if len(country) == 2 and country.isalpha():
            return country
    return DEFAULT_REGION


def _by_preference(countries: Iterable[tuple[Any, Any]], region: str) -> Rating | None:
    """The first rated (country, label) pair: the region's, then the US one, then the rest in order."""
    pairs = [(c.upper(), label.strip()) for c, label in countries if isinstance(c, str) and isinstance(label, str)
             and label.strip()]
    rank = {region.upper(): 0, DEFAULT_REGION: 1}
    for country, label in sorted(pairs, key=lambda pair: rank.get(pair[0], 2)):
        age = age_of(label, country)
        if age is not None:
            return label, age
    return None


def _results(block: Any) -> list[Json]:
    results = block.get("results") if isinstance(block, dict) else None
    return [r for r in results or () if isinstance(r, dict)]


def _movie_label(dates: Any) -> str:
    entries = sorted((d for d in dates or () if isinstance(d, dict) and d.get("certification")),
                     key=lambda d: _RELEASE_ORDER.index(d.get("type")) if d.get("type") in _RELEASE_ORDER else 9)
    return str(entries[0]["certification"]) if entries else ""


def movie(data: Json, region: str = DEFAULT_REGION) -> Rating | None:
    """From ``/movie/{id}?append_to_response=release_dates``."""
    return _by_preference(((r.get("iso_3166_1"), _movie_label(r.get("release_dates")))
                           for r in _results(data.get("release_dates"))), region)


def show(data: Json, region: str = DEFAULT_REGION) -> Rating | None:
    """From ``/tv/{id}?append_to_response=content_ratings``."""
    return _by_preference(((r.get("iso_3166_1"), r.get("rating") or "") for r in _results(data.get("content_ratings"))),
                          region)


def game(item: Json, region: str = DEFAULT_REGION) -> Rating | None:
    """From an IGDB game's ``age_ratings.category,age_ratings.rating``: ESRB in the Americas, else PEGI first."""
    labels: dict[int, str] = {}
    for rating in item.get("age_ratings") or ():
        if not isinstance(rating, dict) or rating.get("category") not in (IGDB_ESRB, IGDB_PEGI):
            continue
        value = rating.get("rating")
        label = IGDB_RATINGS.get(value) if isinstance(value, int) else None
        if label:
            labels.setdefault(rating["category"], label)
    order = (IGDB_ESRB, IGDB_PEGI) if region.upper() in ("US", "CA", "MX") else (IGDB_PEGI, IGDB_ESRB)
    for category in order:
        label = labels.get(category)
        age = age_of(label) if label else None
        if label and age is not None:
            return label, age
    return None


def apply(record: MediaRecord, rating: Rating | None) -> MediaRecord:
    """Set the record's rating when the answer had one (None leaves the stored rating alone)."""
    if rating is not None:
        record.content_rating, record.min_age = rating
    return record
