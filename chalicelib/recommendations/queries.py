"""Recommendations' SQL: the named queries of ``db/queries/recommendations.sql``, typed."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypedDict
from uuid import UUID

from chalicelib import db
from chalicelib.contentrating import Limit, sql_params
from chalicelib.db import Conn


class CandidateInputsRow(TypedDict):
    """JSON arrays of arrays (positional, to keep the answer small): see ``candidates._title``."""

    titles: list[list[Any]]
    links: list[list[Any]]
    genre_names: dict[str, str]
    platform_names: dict[str, str]


class DismissRow(TypedDict):
    media_id: int
    reason: str
    dismissed_at: datetime


class FavoriteGenreRow(TypedDict):
    slug: str
    name: str
    media_types: list[str]


class GenreRow(TypedDict):
    id: int
    slug: str
    name: str
    source: str
    media_types: list[str]


class SnapshotRow(TypedDict):
    id: UUID
    computed_at: datetime


class SeedRow(TypedDict):
    media_id: int


class SnapshotItemRow(TypedDict):
    snapshot_id: UUID
    computed_at: datetime
    is_cold_start: bool
    ord: int
    item: dict[str, object]
    id: int
    media_type: str
    title: str
    original_title: str | None
    year: int | None
    release_date: date | None
    poster_path: str | None
    backdrop_path: str | None
    vote_average: Decimal | None
    vote_count: int
    popularity: float | None
    status: str | None
    is_demo: bool
    genres: list[str]


class TasteStateRow(TypedDict):
    user_id: UUID
    last_active_at: datetime | None
    taste: str
    taste_changed_at: datetime
    snapshot_id: UUID | None
    computed_at: datetime | None
    snapshot_taste: str | None


class TmdbIdRow(TypedDict):
    id: int
    tmdb_id: int


class UserInputsRow(TypedDict):
    taste: str
    signals: list[list[Any]]
    picked: list[int]


def candidate_inputs(conn: Conn, *, user_id: UUID, seed_ids: list[int], franchise_ids: list[int],
                     genre_ids: list[int], per_genre: int, per_type: int, franchise_limit: int, walk: int,
                     extra_ids: list[int]) -> CandidateInputsRow:
    """Always one row of JSON arrays (empty when nothing matched)."""
    return db.queries().recs_candidate_inputs(conn, user_id=user_id, seed_ids=seed_ids, franchise_ids=franchise_ids,
                                              genre_ids=genre_ids, per_genre=per_genre, per_type=per_type,
                                              franchise_limit=franchise_limit, walk=walk, extra_ids=extra_ids)


def dismiss(conn: Conn, *, user_id: UUID, media_id: int, reason: str) -> DismissRow | None:
    return db.queries().recs_dismiss(conn, user_id=user_id, media_id=media_id, reason=reason)


def favorite_genres(conn: Conn, *, user_id: UUID) -> list[FavoriteGenreRow]:
    return list(db.queries().recs_favorite_genres(conn, user_id=user_id))


def genres_by_slugs(conn: Conn, *, slugs: list[str]) -> list[GenreRow]:
    return list(db.queries().recs_genres_by_slugs(conn, slugs=slugs))


def has_history(conn: Conn, *, user_id: UUID) -> bool:
    return db.queries().recs_has_history(conn, user_id=user_id)


def insert_snapshot(conn: Conn, *, user_id: UUID, algorithm_version: str, trigger: str, items: object,
                    item_count: int, is_cold_start: bool, duration_ms: int, stats: object) -> SnapshotRow:
    return db.queries().recs_insert_snapshot(conn, user_id=user_id, algorithm_version=algorithm_version,
                                             trigger=trigger, items=items, item_count=item_count,
                                             is_cold_start=is_cold_start, duration_ms=duration_ms, stats=stats)


def lock_user(conn: Conn, *, user_id: UUID) -> None:
    db.queries().recs_lock_user(conn, user_id=user_id)


def onboarded_at(conn: Conn, *, user_id: UUID) -> datetime | None:
    return db.queries().recs_onboarded_at(conn, user_id=user_id)


def prune_snapshots(conn: Conn, *, user_id: UUID, keep: int) -> None:
    db.queries().recs_prune_snapshots(conn, user_id=user_id, keep=keep)


def replace_favorite_genres(conn: Conn, *, user_id: UUID, genre_ids: list[int]) -> None:
    db.queries().recs_replace_favorite_genres(conn, user_id=user_id, genre_ids=genre_ids)


def save_relations(conn: Conn, *, items: object) -> None:
    db.queries().recs_save_relations(conn, items=items)


def seeds_with_relations(conn: Conn, *, seed_ids: list[int]) -> list[SeedRow]:
    return list(db.queries().recs_seeds_with_relations(conn, seed_ids=seed_ids))


def snapshot_items(conn: Conn, *, user_id: UUID, limit: Limit | None = None) -> list[SnapshotItemRow]:
    """``limit``: a kid profile's (the snapshot is built unfiltered and filtered here, when read)."""
    return list(db.queries().recs_snapshot_items(conn, user_id=user_id, **sql_params(limit)))


def taste_states(conn: Conn, *, user_ids: list[UUID], all_users: bool) -> list[TasteStateRow]:
    return list(db.queries().recs_taste_states(conn, user_ids=user_ids, all_users=all_users))


def tmdb_ids(conn: Conn, *, media_ids: list[int]) -> list[TmdbIdRow]:
    return list(db.queries().recs_tmdb_ids(conn, media_ids=media_ids))


def touch_preferences(conn: Conn, *, user_id: UUID) -> None:
    db.queries().recs_touch_preferences(conn, user_id=user_id)


def user_inputs(conn: Conn, *, user_id: UUID) -> UserInputsRow:
    """Always one row (aggregates over the user's tables)."""
    return db.queries().recs_user_inputs(conn, user_id=user_id)
