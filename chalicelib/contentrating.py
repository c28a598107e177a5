"""Content ratings: certification labels as minimum ages, and the limit a kid profile carries.

Pure and import-cheap: the auth layer builds a ``Limit`` on every request, the catalog maps labels when it
stores details, and the queries compare ``media_items.min_age`` with ``Limit.max_age``.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

# Labels every system agrees on, by system. A label is looked up in its country's table first, then in these.
_US: dict[str, int | None] = {
    "G": 0, "PG": 10, "PG-13": 13, "R": 17, "NC-17": 18, "NR": None, "UNRATED": None,
    "TV-Y": 0, "TV-Y7": 7, "TV-Y7-FV": 7, "TV-G": 0, "TV-PG": 10, "TV-14": 14, "TV-MA": 17,
}
_GB: dict[str, int | None] = {"U": 0, "UC": 0, "PG": 8, "12A": 12, "12": 12, "15": 15, "18": 18, "R18": 18}
_DE: dict[str, int | None] = {"FSK 0": 0, "FSK 6": 6, "FSK 12": 12, "FSK 16": 16, "FSK 18": 18}
_ESRB: dict[str, int | None] = {"EC": 3, "E": 6, "E10+": 10, "T": 13, "M": 17, "AO": 18, "RP": None}
_PEGI: dict[str, int | None] = {"PEGI 3": 3, "PEGI 7": 7, "PEGI 12": 12, "PEGI 16": 16, "PEGI 18": 18}

_BY_COUNTRY: dict[str, dict[str, int | None]] = {"US": _US, "GB": _GB, "UK": _GB, "DE": _DE}
# Without a country a label is read as US first (TMDB's default region), then the game systems, then GB.
_FALLBACK: tuple[dict[str, int | None], ...] = (_US, _ESRB, _PEGI, _DE, _GB)

_BARE_AGE = re.compile(r"^(?:FSK\s*|PEGI\s*|USK\s*|ab\s*)?(\d{1,2})\+?$", re.IGNORECASE)

# A kid profile stored without a maxRating: the youngest sensible audience.
DEFAULT_KID_MAX_AGE = 7
PROFILE_KINDS = ("adult", "kid")


class UnknownRating(ValueError):
    """A certification label no table here knows (a kid's maxRating must be one of them)."""


@dataclass(frozen=True)
class Limit:
    """What a kid profile may see: titles rated ``min_age <= max_age``, inside ``collections`` when given."""

    max_age: int
    collections: tuple[uuid.UUID, ...] = ()


def _normalise(label: str) -> str:
    return " ".join(label.strip().upper().replace("_", "-").split())


def age_of(label: str, country: str | None = None) -> int | None:
    """The minimum age a certification label stands for; None for an empty, "NR" or otherwise unknown label."""
    key = _normalise(label or "")
    if not key:
        return None
    tables = list(_FALLBACK)
    if country and country.upper() in _BY_COUNTRY:
        tables.insert(0, _BY_COUNTRY[country.upper()])
    for table in tables:
        if key in table:
            return table[key]
    bare = _BARE_AGE.match(key)
    if bare:
        age = int(bare.group(1))
        return age if age <= 21 else None
    return None


def is_known(label: str, country: str | None = None) -> bool:
    """Whether ``label`` maps to an age (the check a profile's maxRating must pass)."""
    return age_of(label, country) is not None


def limit_for(kind: str, max_rating: str | None,
              allowed_collections: Iterable[uuid.UUID] = ()) -> Limit | None:
    """The limit a profile of ``kind`` carries: None for an adult; a kid without a maxRating gets the default."""
    if kind == "adult":
        return None
    if kind != "kid":
        raise ValueError(f"unknown profile kind: {kind!r}")
    if max_rating is None or not max_rating.strip():
        max_age = DEFAULT_KID_MAX_AGE
    else:
        age = age_of(max_rating)
        if age is None:
            raise UnknownRating(max_rating)
        max_age = age
    return Limit(max_age=max_age, collections=tuple(dict.fromkeys(allowed_collections)))


def limit_of(principal: object) -> Limit | None:
    """The caller's limit (``Principal.limit``, set for a kid profile); None for an adult or a job."""
    limit = getattr(principal, "limit", None)
    return limit if isinstance(limit, Limit) else None


def sql_params(limit: Limit | None) -> dict[str, object]:
    """The ``max_age`` and ``collections`` parameters every kid-filtered query takes (NULL and {}: no limit)::

        AND (:max_age::int IS NULL OR (m.min_age <= :max_age AND (cardinality(:collections::uuid[]) = 0
             OR EXISTS (SELECT 1 FROM collection_items ci
                        WHERE ci.media_id = m.id AND ci.collection_id = ANY(:collections::uuid[])))))
    """
    if limit is None:
        return {"max_age": None, "collections": []}
    return {"max_age": limit.max_age, "collections": list(limit.collections)}


def allows(limit: Limit | None, min_age: int | None) -> bool:
    """Whether a title rated ``min_age`` may be shown under ``limit`` (collections are checked in SQL)."""
    return limit is None or (min_age is not None and min_age <= limit.max_age)


def key_params(limit: Limit | None) -> dict[str, object]:
    """A kid's limit as cache-key fields (none for an adult, whose keys stay as they were)."""
    if limit is None:
        return {}
    return {"max_age": limit.max_age, "collections": sorted(str(c) for c in limit.collections)}
