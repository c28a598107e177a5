"""Normalised catalog records: what TMDB, IGDB and the demo catalog turn into before storage.

Every source maps its own JSON to these dataclasses, and ``store.save`` writes
them in batches. A ``None`` collection (genres, platforms, seasons, ...) means
"not known from this response": stored values are left alone. An empty list
means "known to be empty".
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import Any, TypeAlias

Json: TypeAlias = Mapping[str, Any]
"""An upstream JSON object (a TMDB, IGDB or bundled demo answer), read with ``.get``."""


def parse_date(value: Any) -> date | None:
    """An ISO date (``YYYY-MM-DD``) or nothing; upstream sends "" for unknown dates."""
    if not value or not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


@dataclass
class GenreRef:
    source: str  # tmdb | igdb | local
    external_id: int
    kind: str = "genre"  # genre | theme (IGDB)


@dataclass
class GenreInfo(GenreRef):
    name: str = ""
    slug: str = ""
    media_types: list[str] = field(default_factory=list)


@dataclass
class PlatformInfo:
    slug: str
    name: str
    abbreviation: str | None = None
    igdb_id: int | None = None

    def __post_init__(self) -> None:
        # IGDB slugs such as "ps4--1" break the schema's slug rule: normalise them.
        self.slug = slugify(self.slug or self.name)


@dataclass
class PlatformRelease:
    platform: PlatformInfo
    release_date: date | None = None
    precision: str | None = None  # exact | month | quarter | year | tbd


@dataclass
class FranchiseRef:
    source: str
    name: str
    external_id: int | None = None
    slug: str | None = None
    is_primary: bool = False


@dataclass
class EpisodeRecord:
    season_number: int
    episode_number: int
    tmdb_id: int | None = None
    name: str | None = None
    overview: str | None = None
    air_date: date | None = None
    runtime_minutes: int | None = None
    still_path: str | None = None
    air_at: datetime | None = None  # the moment it airs, when the network's air time is known


@dataclass
class PersonRecord:
    """A person from TMDB credits (matched on ``tmdb_id``)."""

    tmdb_id: int
    name: str
    profile_path: str | None = None
    known_for_department: str | None = None
    popularity: float | None = None


@dataclass
class CreditRecord:
    """One cast or crew line of a title; ``ordering`` is the billing order (cast) or list position (crew)."""

    kind: str  # cast | crew
    ordering: int
    person: PersonRecord
    character: str | None = None
    job: str | None = None
    department: str | None = None


@dataclass
class SeasonRecord:
    season_number: int
    tmdb_id: int | None = None
    name: str | None = None
    overview: str | None = None
    air_date: date | None = None
    poster_path: str | None = None
    episode_count: int | None = None
    episodes: list[EpisodeRecord] | None = None


@dataclass
class MediaRecord:
    media_type: str
    title: str
    tmdb_id: int | None = None
    igdb_id: int | None = None
    imdb_id: str | None = None
    tvdb_id: int | None = None
    original_title: str | None = None
    overview: str | None = None
    tagline: str | None = None
    release_date: date | None = None
    last_air_date: date | None = None
    runtime_minutes: int | None = None
    poster_path: str | None = None
    backdrop_path: str | None = None
    logo_path: str | None = None
    popularity: float | None = None
    vote_average: float | None = None
    vote_count: int | None = None
    status: str | None = None
    original_language: str | None = None
    origin_countries: list[str] | None = None  # ISO 3166-1 alpha-2; None = not in this response
    adult: bool | None = None
    # the certification shown (R, TV-14, PEGI 12) and its minimum age; None = not in this response (kept)
    content_rating: str | None = None
    min_age: int | None = None
    is_demo: bool = False
    extra: dict[str, Any] = field(default_factory=dict)  # free-form facts, stored as the jsonb ``extra``
    details: bool = False  # a full detail response: stamps details_fetched_at
    genres: list[GenreRef] | None = None
    platforms: list[PlatformRelease] | None = None
    franchises: list[FranchiseRef] | None = None
    seasons: list[SeasonRecord] | None = None
    # cast and crew (TMDB credits); None = not in this response, [] = known to have none
    credits: list[CreditRecord] | None = None
    # relation (similar | recommended | dlc | expansion | standalone_expansion) -> titles
    related: dict[str, list[MediaRecord]] | None = None

    @property
    def key(self) -> str:
        """The natural key used to match the record to a stored row."""
        if self.tmdb_id:
            return f"{self.media_type}:tmdb:{self.tmdb_id}"
        if self.igdb_id:
            return f"{self.media_type}:igdb:{self.igdb_id}"
        year = self.release_date.year if self.release_date else ""
        return f"{self.media_type}:title:{self.title.lower()}:{year}"

    @property
    def source(self) -> str:
        if self.is_demo:
            return "local"
        return "igdb" if self.media_type == "game" else "tmdb"

    def row(self) -> dict[str, Any]:
        """The scalar columns as a JSON-ready dict for the batch upsert queries."""
        data = {f.name: getattr(self, f.name) for f in fields(self) if f.name not in _NESTED}
        data["key"] = self.key
        data["year"] = self.release_date.year if self.release_date else None
        if self.vote_average is not None:
            data["vote_average"] = round(min(10.0, max(0.0, float(self.vote_average))), 2)
        if self.runtime_minutes is not None and self.runtime_minutes <= 0:
            data["runtime_minutes"] = None
        if self.original_language and not _valid_language(self.original_language):
            data["original_language"] = None
        if self.origin_countries is not None:
            data["origin_countries"] = country_codes(self.origin_countries)
        if self.popularity is not None and self.popularity < 0:
            data["popularity"] = None
        if self.imdb_id and not _IMDB_ID.match(self.imdb_id):
            data["imdb_id"] = None
        return data


_IMDB_ID = re.compile(r"^tt[0-9]+$")
_NESTED = frozenset({"genres", "platforms", "franchises", "seasons", "related", "credits"})


def country_codes(codes: list[Any]) -> list[str]:
    """ISO 3166-1 alpha-2 codes, upper case, each once in the order given; anything else is dropped."""
    out: list[str] = []
    for code in codes:
        code = code.strip().upper() if isinstance(code, str) else ""
        if len(code) == 2 and code.isascii() and code.isalpha() and code not in out:
            out.append(code)
    return out


def _valid_language(code: str) -> bool:
    return 2 <= len(code) <= 3 and code.isascii() and code.isalpha() and code.islower()


def slugify(text: str) -> str:
    """Lower-case ASCII words joined by hyphens (matches the schema's slug CHECKs)."""
    out: list[str] = []
    word = ""
    for char in text.lower():
        if char.isascii() and char.isalnum():
            word += char
        elif word:
            out.append(word)
            word = ""
    if word:
        out.append(word)
    return "-".join(out) or "x"
