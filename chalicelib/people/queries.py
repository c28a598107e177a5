"""People's SQL: the named queries of ``db/queries/people.sql`` and ``people_details.sql``, typed."""

from __future__ import annotations

from datetime import datetime
from typing import Literal, TypedDict
from uuid import UUID

from chalicelib import db
from chalicelib.catalog.models import MediaType
from chalicelib.catalog.rows import SummaryRow
from chalicelib.contentrating import Limit, sql_params
from chalicelib.db import Conn


class FilmographyRow(TypedDict):
    """One credit line of a filmography (JSON: the release date is an ISO string)."""

    media_id: int
    media_type: MediaType
    title: str
    year: int | None
    release_date: str | None
    poster_path: str | None
    kind: Literal["cast", "crew"]
    role: str | None
    seen: bool


class PersonPageRow(TypedDict):
    id: int
    name: str
    profile_path: str | None
    biography: str | None
    birth_year: int | None
    death_year: int | None
    known_for_department: str | None
    tmdb_id: int | None
    details_fetched_at: datetime | None
    following: bool
    known_for: list[SummaryRow]
    filmography: list[FilmographyRow]


class FollowRow(TypedDict):
    id: int
    name: str
    profile_path: str | None
    known_for_department: str | None
    since: datetime


class PersonRow(TypedDict):
    """A ``people`` row (``RETURNING p.*``)."""

    id: int
    tmdb_id: int | None
    imdb_id: str | None
    name: str
    birth_year: int | None
    death_year: int | None
    known_for_department: str | None
    professions: list[str]
    biography: str | None
    profile_path: str | None
    popularity: float | None
    details_fetched_at: datetime | None
    details_attempted_at: datetime | None
    created_at: datetime
    updated_at: datetime


class PersonDetails(TypedDict):
    """What TMDB's /person/{id} says, as the stored columns (None: unknown, the stored value stays)."""

    name: str | None
    biography: str | None
    birth_year: int | None
    death_year: int | None
    profile_path: str | None
    known_for_department: str | None
    imdb_id: str | None
    popularity: float | None


def page(conn: Conn, *, person_id: int, user_id: UUID, known_for_limit: int,
         limit: Limit | None = None) -> PersonPageRow | None:
    """``limit``: a kid profile's (its titles only)."""
    return db.queries().people_page(conn, person_id=person_id, user_id=user_id, known_for_limit=known_for_limit,
                                    **sql_params(limit))


def exists(conn: Conn, *, person_id: int) -> bool:
    return bool(db.queries().people_exists(conn, person_id=person_id))


def follow(conn: Conn, *, user_id: UUID, person_id: int) -> FollowRow | None:
    """Follow a person (again: no change); None when there is no such person."""
    return db.queries().people_follow(conn, user_id=user_id, person_id=person_id)


def unfollow(conn: Conn, *, user_id: UUID, person_id: int) -> int:
    """Stop following; returns how many follows were removed (0 or 1)."""
    return db.queries().people_unfollow(conn, user_id=user_id, person_id=person_id)


def follows(conn: Conn, *, user_id: UUID) -> list[FollowRow]:
    return list(db.queries().people_follows(conn, user_id=user_id))


def claim_details(conn: Conn, *, person_id: int, cooldown_seconds: int) -> bool:
    """True when this caller fetches the person's details now (the attempt is stamped)."""
    return db.queries().people_details_claim(conn, person_id=person_id,
                                             cooldown_seconds=cooldown_seconds) is not None


def store_details(conn: Conn, *, person_id: int, details: PersonDetails) -> PersonRow | None:
    return db.queries().people_details_store(conn, person_id=person_id, **details)
