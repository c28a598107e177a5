"""The calendar's SQL: the named queries of ``db/queries/calendar.sql``, typed."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import NotRequired, TypedDict
from uuid import UUID

from chalicelib import db
from chalicelib.contentrating import Limit, sql_params
from chalicelib.db import Conn


class FillTarget(TypedDict):
    id: int
    media_type: str
    tmdb_id: int | None
    igdb_id: int | None
    title: str
    is_addon: bool


class EpisodeRow(TypedDict):
    what: str  # "episode" or "season"
    media_id: int
    season_id: int
    episode_id: int | None
    air_date: date
    air_at: datetime | None


class EventItem(TypedDict):
    """One release event to store (``replace_events``); the natural key is every field but the date's."""

    media_id: int
    kind: str
    release_date: date
    season_id: NotRequired[int | None]
    episode_id: NotRequired[int | None]
    platform_id: NotRequired[int | None]
    release_precision: NotRequired[str]
    release_type: NotRequired[str]
    region: NotRequired[str | None]
    release_at: NotRequired[datetime | None]


class DemoPlatform(TypedDict):
    platform_id: int
    date: str | None
    precision: str


class DemoTitle(TypedDict):
    id: int
    media_type: str
    release_date: date | None
    precision: str
    is_addon: bool
    platforms: list[DemoPlatform]


class EventRow(TypedDict):
    id: int
    kind: str
    release_date: date
    window_end: date
    release_precision: str
    release_type: str | None
    region: str | None
    is_demo: bool
    release_at: datetime | None
    person_name: str | None
    media_id: int
    media_type: str
    title: str
    year: int | None
    poster_path: str | None
    backdrop_path: str | None
    air_time_source: str | None
    season_number: int | None
    episode_number: int | None
    episode_name: str | None
    episode_overview: str | None
    episode_still_path: str | None
    platform_slug: str | None
    platform_name: str | None
    platform_abbreviation: str | None
    genres: list[str]
    followed: bool
    on_watch_later: bool
    channel_id: UUID | None
    channel_title: str | None
    owned_on: list[str]


class TokenOwner(TypedDict):
    user_id: UUID
    calendar_token_hash: bytes
    profile_kind: str | None  # None: no profiles row (an adult)
    max_rating: str | None
    allowed_collections: list[UUID]


def fill_targets(conn: Conn, *, show_ids: list[int], today: date, row_limit: int) -> list[FillTarget]:
    return list(db.queries().calendar_fill_targets(conn, show_ids=show_ids, today=today, row_limit=row_limit))


def regions(conn: Conn, *, default_region: str) -> set[str]:
    """The countries whose movie release dates are kept."""
    return {row["region"] for row in db.queries().calendar_regions(conn, default_region=default_region)}


def platforms_by_igdb(conn: Conn, *, igdb_ids: list[int]) -> dict[int, int]:
    """IGDB platform id -> our platform id, for the known ones."""
    return {row["igdb_id"]: row["id"] for row in db.queries().calendar_platforms_by_igdb(conn, igdb_ids=igdb_ids)}


def episode_rows(conn: Conn, *, media_ids: list[int], date_from: date, date_to: date) -> list[EpisodeRow]:
    return list(db.queries().calendar_episode_rows(conn, media_ids=media_ids, date_from=date_from,
                                                   date_to=date_to))


def replace_events(conn: Conn, *, media_ids: list[int], kinds: list[str], source: str, is_demo: bool,
                   items: Sequence[EventItem]) -> None:
    db.queries().calendar_replace_events(conn, media_ids=media_ids, kinds=kinds, source=source, is_demo=is_demo,
                                         items=json.dumps(items, separators=(",", ":"), default=str))


def owned_show_ids(conn: Conn) -> list[int]:
    return [row["media_id"] for row in db.queries().calendar_owned_show_ids(conn)]


def drop_unowned_events(conn: Conn, *, owned: list[int]) -> int:
    return db.queries().calendar_drop_unowned_events(conn, owned=owned)


def demo_schedule(conn: Conn, *, today: date, note: str, episodes: int) -> set[int]:
    """Schedule the next season of ongoing demo shows; the ids of the shows scheduled."""
    return {row["media_id"] for row in db.queries().calendar_demo_schedule(conn, today=today, note=note,
                                                                            episodes=episodes)}


def demo_titles(conn: Conn) -> list[DemoTitle]:
    return list(db.queries().calendar_demo_titles(conn))


def events(conn: Conn, *, date_from: date, date_to: date, default_region: str, followed: list[int],
           user_id: UUID, limit: Limit | None = None) -> list[EventRow]:
    """``default_region`` stands in when the user has none in their preferences; ``limit``: a kid's."""
    return list(db.queries().calendar_events(conn, date_from=date_from, date_to=date_to,
                                             default_region=default_region, followed=followed, user_id=user_id,
                                             **sql_params(limit)))


def platform_exists(conn: Conn, *, slug: str) -> bool:
    return db.queries().calendar_platform_exists(conn, slug=slug)


def genre_exists(conn: Conn, *, slug: str) -> bool:
    return db.queries().calendar_genre_exists(conn, slug=slug)


def set_token(conn: Conn, *, user_id: UUID, token_hash: bytes) -> datetime:
    """Store a new feed token's hash; when it was created."""
    return db.queries().calendar_set_token(conn, user_id=user_id, token_hash=token_hash)["created_at"]


def token_owner(conn: Conn, *, token_hash: bytes) -> TokenOwner | None:
    return db.queries().calendar_token_owner(conn, token_hash=token_hash)
