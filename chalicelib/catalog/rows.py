"""The rows catalog's queries return (``catalog/queries.py``), as psycopg's ``dict_row`` yields them.

TypedDicts cost nothing at run time: a row stays the dict psycopg made. Fields of JSON built in SQL
(``jsonb_build_object``) are JSON values: dates come as ISO strings, numbers as int or float.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypedDict
from uuid import UUID

from chalicelib.catalog.models import MediaType, RatingSource, SectionSource


class ResolvedMedia(TypedDict):
    key: str
    id: int
    is_demo: bool


class FranchiseRow(TypedDict):
    id: int
    source: str
    external_id: int | None
    name: str


class MediaRow(TypedDict):
    """A ``media_items`` row (``SELECT *``)."""

    id: int
    media_type: MediaType
    tmdb_id: int | None
    igdb_id: int | None
    imdb_id: str | None
    tvdb_id: int | None
    title: str
    original_title: str | None
    sort_title: str | None
    overview: str | None
    tagline: str | None
    release_date: date | None
    year: int | None
    last_air_date: date | None
    runtime_minutes: int | None
    poster_path: str | None
    backdrop_path: str | None
    popularity: float | None
    vote_average: Decimal | None
    vote_count: int
    status: str | None
    original_language: str | None
    adult: bool
    content_rating: str | None
    min_age: int | None  # NULL: unrated (never shown to a kid profile)
    is_demo: bool
    details_fetched_at: datetime | None
    details_attempted_at: datetime | None
    extra: Mapping[str, Any]  # free-form upstream facts (networks, developer, derived, ...)
    search_tsv: str | None
    created_at: datetime
    updated_at: datetime
    logo_path: str | None
    backfill_attempted_at: datetime | None
    ratings_fetched_at: datetime | None
    ratings_attempted_at: datetime | None


class SummaryRow(TypedDict):
    """A list item: from SQL columns (dates, Decimal) or from a JSON summary (ISO strings, floats)."""

    id: int
    media_type: MediaType
    title: str
    original_title: str | None
    year: int | None
    release_date: date | str | None
    poster_path: str | None
    backdrop_path: str | None
    vote_average: Decimal | float | None
    vote_count: int
    popularity: float | None
    status: str | None
    is_demo: bool
    genres: list[str]


class RelatedRow(SummaryRow):
    relation: str


class SearchItemRow(SummaryRow):
    tier: int
    rank: float


class ListRow(TypedDict):
    """A page of a list query: the items in order and the total past the filters."""

    total: int
    items: list[SummaryRow]


class SectionRow(TypedDict):
    key: str
    title: str
    media_type: MediaType | None
    source: SectionSource
    refreshed_at: datetime | None
    pinned: bool
    items: list[SummaryRow]


class GenreRow(TypedDict):
    slug: str
    name: str
    media_types: list[MediaType]


class PersonHitRow(TypedDict):
    id: int
    name: str
    profile_path: str | None
    known_for_department: str | None
    tier: int
    rank: float
    known_for: list[str]


class LanguageCountRow(TypedDict):
    language: str
    count: int


class BreadthRow(TypedDict):
    found: int
    tsq: str | None


class SearchRow(TypedDict):
    total: int
    total_at_least: bool
    languages: list[LanguageCountRow]
    items: list[SearchItemRow]


class SuggestRow(TypedDict):
    id: int
    media_type: MediaType
    title: str
    year: int | None
    poster_path: str | None


class GenreTagRow(TypedDict):
    slug: str
    name: str


class CastRow(TypedDict):
    person_id: int
    name: str
    character: str | None
    order: int
    profile_path: str | None


class CrewRow(TypedDict):
    person_id: int
    name: str
    job: str


class ExternalRatingRow(TypedDict):
    source: RatingSource
    value: str
    score: float | None
    votes: int | None


class SeasonListRow(TypedDict):
    season_number: int
    name: str | None
    air_date: str | None
    episode_count: int | None
    poster_path: str | None


class DetailRow(MediaRow):
    """A title page in one row: the title with its genres, franchises, credits, ratings and seasons."""

    genre_tags: list[GenreTagRow]
    owned: list[OwnedRow]
    franchise_names: list[str]
    cast_credits: list[CastRow]
    crew_credits: list[CrewRow]
    external_ratings: list[ExternalRatingRow]
    season_list: list[SeasonListRow] | None


class SeasonRow(TypedDict):
    season_number: int
    name: str | None
    overview: str | None
    air_date: date | None
    poster_path: str | None
    episode_count: int | None


class EpisodeRow(TypedDict):
    id: int
    episode_number: int
    name: str | None
    overview: str | None
    air_date: date | None
    runtime_minutes: int | None
    still_path: str | None


class OwnedRow(TypedDict):
    server_id: UUID
    server_name: str
    kind: str
    item_id: str
    open_url: str
    playable: bool


class OwnedEpisodeRow(OwnedRow):
    episode_id: int


class GamePlatformRow(TypedDict):
    id: int
    slug: str
    name: str
    abbreviation: str | None
    release_date: date | None
    release_precision: str | None


class SimilarRow(SummaryRow):
    """A "More like this" candidate with what it shares with the title and the user's history of it."""

    link_position: int | None
    link_recommended: bool
    own_genre_count: int
    genre_count: int
    shared_genres: int
    same_franchise: bool
    shared_people: list[list[str]]
    shared_words: int | None
    your_rating: Decimal | None
    watched: bool
    dismissed: bool


class CustomGenreRow(TypedDict):
    id: int
    slug: str
    name: str
    media_types: list[str]
    keywords: list[str]
    approved: int
    rejected: int


class ReviewItemRow(TypedDict):
    """An item of ``genre_review_sheet``'s JSON (jsonb: numbers as int)."""

    id: int
    media_type: str
    title: str
    year: int | None
    overview: str | None
    popularity: float | None
    decision: str | None
    suggested: bool


class ReviewSheetRow(TypedDict):
    total: int
    pending: int
    items: list[ReviewItemRow]


class GenreCountRow(TypedDict):
    slug: str
    name: str
    custom: bool
    movies: int
    shows: int
