"""The rows of tracking's named queries (``db/queries/tracking.sql``), as psycopg returns them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal, TypedDict
from uuid import UUID

from chalicelib.tracking.schemas import GameStatus, MediaType

FollowState = Literal["follow", "mute", "implicit"]
WatchSource = Literal["manual", "player", "import"]


class MediaRow(TypedDict):
    id: int
    media_type: str
    title: str
    year: int | None
    poster_path: str | None
    backdrop_path: str | None
    status: str | None


class EpisodeRow(TypedDict):
    id: int
    media_id: int
    season_number: int
    episode_number: int


class _Card(TypedDict):
    """The card columns every list row carries (``MediaCard.from_row``)."""

    media_id: int
    media_type: MediaType
    title: str
    year: int | None
    poster_path: str | None
    backdrop_path: str | None


class _EpisodeCard(_Card):
    """A card with the episode columns (``EpisodeRef.from_row``; NULL for a movie)."""

    episode_id: int | None
    season_number: int | None
    episode_number: int | None
    episode_name: str | None


class WatchLaterRow(_Card):
    position: int
    added_at: datetime


class HistoryRow(_EpisodeCard):
    id: UUID
    watched_at: datetime
    source: WatchSource


class BulkRow(TypedDict):
    show_found: bool
    season_found: bool
    added: int


class HeartbeatRow(TypedDict):
    """The resume point's columns are NULL only when not applied (the service runs it again, or raises)."""

    item_found: bool
    applied: bool
    position_seconds: Decimal
    duration_seconds: Decimal
    completed_at: datetime | None
    inserted: bool
    history_recorded: bool
    prior_position: Decimal | None
    prior_duration: Decimal | None
    prior_completed: bool
    commit_mode: str


class ResumeRow(_EpisodeCard):
    position_seconds: Decimal
    duration_seconds: Decimal | None
    updated_at: datetime


class UpNextRow(_EpisodeCard):
    last_watched_at: datetime


class ShowEpisodeRow(TypedDict):
    episode_id: int
    season_number: int
    episode_number: int
    episode_name: str | None
    air_date: date | None
    aired: bool | None
    plays: int
    last_watched_at: datetime | None


class RatingRow(_Card):
    rating: Decimal
    created_at: datetime
    updated_at: datetime


class FavoriteRow(_Card):
    added_at: datetime


class FollowStateRow(_Card):
    state: FollowState
    since: datetime
    implicit: bool
    status: str | None


class BacklogValues(TypedDict):
    """A backlog entry's editable values (the lock's row, and what the upsert writes)."""

    status: GameStatus | None
    hours_played: Decimal | float
    completion_percent: Decimal | float | None
    started_on: date | None
    finished_on: date | None
    platform_id: int | None


class BacklogRow(_Card):
    status: GameStatus
    hours_played: Decimal
    completion_percent: Decimal | None
    started_on: date | None
    finished_on: date | None
    last_played_at: datetime | None
    updated_at: datetime
    platform_id: int | None
    platform_name: str | None


class CollectionRow(TypedDict):
    id: UUID
    name: str
    description: str | None
    position: int
    created_at: datetime
    updated_at: datetime
    item_count: int
    source: dict[str, Any] | None  # the collection_sources row (to_jsonb) of an imported list, else None


class CollectionItemRow(_Card):
    position: int
    note: str | None
    added_at: datetime


class TitleStateRow(_Card):
    watch_later_added_at: datetime | None
    favorited_at: datetime | None
    rating: Decimal | None
    rated_at: datetime | None
    watched_count: int
    last_watched_at: datetime | None


class PlayableRow(TypedDict):
    library_item_id: UUID
    episode_id: int | None
    season_number: int | None
    episode_number: int | None


ExportRow = dict[str, object]
"""An export section's row: its columns as they are (the export renames them to camelCase)."""
