"""Request and response bodies of the tracking API.

Request numbers are strict in bodies (``true`` is not 1, ``"5"`` is not 5) and
never NaN or infinite: Python's json accepts the ``NaN`` literal, so the
models refuse non-finite floats explicitly.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field, ValidationInfo, field_validator

from chalicelib import clock
from chalicelib.catalog import images
from chalicelib.models import ApiModel, Day, Instant, RequestModel, supported_year
from chalicelib.people.models import PersonFollow

MAX_ID = 2**63 - 1  # bigint: larger ids are not ids (and must not reach Postgres as numeric)
MAX_SECONDS = 1_000_000.0  # ~11.5 days; user_progress stores numeric(9,2)
MIN_DURATION = 1.0  # numeric(9,2) rounds a tiny duration to 0, which its CHECK (> 0) refuses
POSITION_SLACK = 0.05  # players report positions a little past the duration (rounding, credits)
FUTURE_SKEW = timedelta(minutes=5)  # a client clock slightly ahead is not a lie

MediaType = Literal["movie", "show", "game", "video"]  # video: a channel's (issue 36)
GameStatus = Literal["active", "paused", "completed", "wishlist", "dropped"]
GAME_STATUSES: tuple[str, ...] = ("active", "paused", "completed", "wishlist", "dropped")
MediaId = Annotated[int, Field(ge=1, le=MAX_ID, strict=True)]
QueryId = Annotated[int, Field(ge=1, le=MAX_ID)]  # query strings arrive as text


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def _day(value: Any, *, days: int) -> Any:
    if isinstance(value, str) and len(value.strip()) == 10:
        day = supported_year(date.fromisoformat(value.strip()))  # checked before the arithmetic can overflow
        return datetime.combine(day + timedelta(days=days), time(), UTC)
    return value


def _not_future(value: datetime | None) -> datetime | None:
    if value is not None and value > clock.now() + FUTURE_SKEW:
        raise ValueError("must not be in the future")
    return value


# Naive datetimes are UTC. A date-only `from` starts that day; a date-only `to`
# includes that day (the bound is the next midnight, exclusive).
Since = Annotated[Instant, BeforeValidator(lambda v: _day(v, days=0)), AfterValidator(_utc)]
Until = Annotated[Instant, BeforeValidator(lambda v: _day(v, days=1)), AfterValidator(_utc)]
WatchedAt = Annotated[Instant, AfterValidator(_utc), AfterValidator(_not_future)]


class _In(RequestModel):
    model_config = ConfigDict(allow_inf_nan=False)


# ----------------------------------------------------------------- queries


class PageQuery(_In):
    page: int = Field(default=1, ge=1, le=100_000)
    page_size: int = Field(default=20, ge=1, le=100)

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size


class TypedPageQuery(PageQuery):
    media_type: MediaType | None = None


class HistoryQuery(TypedPageQuery):
    media_id: QueryId | None = None
    since: Since | None = Field(default=None, alias="from", description="Inclusive; a date means its start (UTC)")
    until: Until | None = Field(default=None, alias="to", description="Exclusive; a date includes that whole day")


class UnmarkQuery(_In):
    media_id: QueryId
    episode_id: QueryId | None = None
    season_number: int | None = Field(default=None, ge=0, le=100_000)
    scope: Literal["latest", "all"] = Field(
        default="latest", description="latest: remove the most recent matching watch; all: every matching watch")


class ProgressQuery(_In):
    media_id: QueryId | None = None


class BacklogQuery(_In):
    status: GameStatus | None = None


# ------------------------------------------------------------------ bodies


class WatchedIn(_In):
    """One watch of a movie (no episodeId) or of an episode of a show."""

    media_id: MediaId
    episode_id: MediaId | None = None
    watched_at: WatchedAt | None = Field(default=None, description="Defaults to now; not in the future")


class BulkWatchedIn(_In):
    """Every aired, not yet watched episode of one season, or of the whole show (specials excluded)."""

    media_id: MediaId
    season_number: int | None = Field(default=None, ge=0, le=100_000, strict=True)
    watched_at: WatchedAt | None = None


class HeartbeatIn(_In):
    media_id: MediaId
    episode_id: MediaId | None = None
    duration_seconds: float = Field(ge=MIN_DURATION, le=MAX_SECONDS, strict=True)
    position_seconds: float = Field(ge=0, le=MAX_SECONDS, strict=True)

    @field_validator("position_seconds")
    @classmethod
    def _within_duration(cls, value: float, info: ValidationInfo) -> float:
        duration = info.data.get("duration_seconds")
        if duration is not None and value > duration * (1 + POSITION_SLACK):
            raise ValueError(f"must not exceed durationSeconds by more than {POSITION_SLACK:.0%}")
        return min(value, duration) if duration is not None else value


class RatingIn(_In):
    rating: float = Field(ge=1, le=10, strict=True, description="1 to 10 in half steps")

    @field_validator("rating")
    @classmethod
    def _half_steps(cls, value: float) -> float:
        if not (value * 2).is_integer():
            raise ValueError("must be a whole or half number (7, 7.5)")
        return value


class FollowIn(_In):
    state: Literal["follow", "mute"]


class BacklogIn(_In):
    """Set a game's backlog entry. Omitted fields keep their value; null clears an optional one."""

    status: GameStatus
    hours_played: float | None = Field(default=None, ge=0, le=999_999.9, strict=True)
    completion_percent: float | None = Field(default=None, ge=0, le=100, strict=True)
    started_on: Day | None = None
    finished_on: Day | None = None
    platform_id: MediaId | None = None


class CollectionIn(_In):
    name: str = Field(min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=5000)


class CollectionPatch(_In):
    """Rename and/or describe; omitted fields are unchanged, a null description clears it."""

    name: str | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=5000)


class CollectionItemIn(_In):
    media_id: MediaId
    note: str | None = Field(default=None, max_length=2000)


class MediaOrderIn(_In):
    """The complete list, in the new order: every current item exactly once (anything else is 422)."""

    media_ids: list[MediaId] = Field(max_length=10_000)


class CollectionOrderIn(_In):
    """All of the user's collections, in the new order, each exactly once."""

    collection_ids: list[uuid.UUID] = Field(max_length=1_000)


# --------------------------------------------------------------- responses


class MediaCard(ApiModel):
    id: int
    media_type: MediaType
    title: str
    year: int | None
    poster_path: str | None
    poster_url: str | None = Field(default=None, description="null: the SPA draws a placeholder")
    backdrop_url: str | None = None

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> MediaCard:
        kind = row["media_type"]
        return cls(id=row["media_id"], media_type=kind, title=row["title"], year=row["year"],
                   poster_path=row["poster_path"], poster_url=images.url(kind, row["poster_path"]),
                   backdrop_url=images.url(kind, row.get("backdrop_path"), "backdrop"))


class EpisodeRef(ApiModel):
    id: int
    season_number: int
    episode_number: int
    name: str | None

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> EpisodeRef | None:
        if row.get("episode_id") is None:
            return None
        return cls(id=row["episode_id"], season_number=row["season_number"], episode_number=row["episode_number"],
                   name=row.get("episode_name"))


class WatchLaterItem(ApiModel):
    media: MediaCard
    position: int = Field(description="0 = added since the last reorder (listed first, newest first)")
    added_at: datetime


class HistoryEntry(ApiModel):
    id: uuid.UUID
    media: MediaCard
    episode: EpisodeRef | None
    watched_at: datetime
    source: Literal["manual", "player", "import"]


class BulkWatchedOut(ApiModel):
    media_id: int
    season_number: int | None
    added: int = Field(description="History rows written (already watched episodes are skipped)")


class UnmarkOut(ApiModel):
    removed: int


class HeartbeatOut(ApiModel):
    media_id: int
    episode_id: int | None
    position_seconds: float = Field(description="The stored resume point (0 once completed)")
    duration_seconds: float | None
    completed: bool
    completed_at: datetime | None
    history_recorded: bool = Field(description="This heartbeat wrote the history row")


class ResumePoint(ApiModel):
    media: MediaCard
    episode: EpisodeRef | None
    position_seconds: float
    duration_seconds: float | None
    percent: float | None
    updated_at: datetime


class ResumePoints(ApiModel):
    items: list[ResumePoint]


class ContinueItem(ApiModel):
    kind: Literal["resume", "next"] = Field(description="resume: started, not finished; next: a show's next episode")
    media: MediaCard
    episode: EpisodeRef | None
    position_seconds: float | None
    duration_seconds: float | None
    percent: float | None
    last_activity_at: datetime


class ContinueWatching(ApiModel):
    items: list[ContinueItem]


class EpisodeProgress(ApiModel):
    id: int
    episode_number: int
    name: str | None
    air_date: date | None
    aired: bool
    watched: bool
    plays: int
    last_watched_at: datetime | None


class SeasonProgress(ApiModel):
    season_number: int
    aired: int
    watched: int
    completed: bool
    episodes: list[EpisodeProgress]


class ShowProgress(ApiModel):
    media: MediaCard
    aired: int = Field(description="Aired regular episodes (specials, season 0, are not counted)")
    watched: int
    percent: float
    completed: bool
    last_watched_at: datetime | None
    next_episode: EpisodeRef | None
    seasons: list[SeasonProgress]


class RatingOut(ApiModel):
    media: MediaCard
    rating: float
    rated_at: datetime


class YourRating(ApiModel):
    """The user's rating of one title; an unrated title is ``rating: null``, not an error."""

    media_id: int
    rating: float | None = Field(description="1-10 in half steps (shown as 5 stars with halves: 8 is 4 of 5); "
                                             "null when you have not rated the title")
    rated_at: datetime | None = None


class FavoriteOut(ApiModel):
    media: MediaCard
    added_at: datetime


class FollowOut(ApiModel):
    media: MediaCard
    state: Literal["follow", "mute", "implicit"] = Field(description="implicit: tracked or owned and still airing")
    followed: bool
    since: datetime


class FollowList(ApiModel):
    items: list[FollowOut] = Field(description="Shows: followed, muted and followed by default")
    people: list[PersonFollow] = Field(default_factory=list, description="People you follow, newest first")


class PlatformRef(ApiModel):
    id: int
    name: str


class BacklogEntry(ApiModel):
    media: MediaCard
    status: GameStatus
    hours_played: float
    completion_percent: float | None
    started_on: date | None
    finished_on: date | None
    platform: PlatformRef | None
    last_played_at: datetime | None
    updated_at: datetime


class Backlog(ApiModel):
    active: list[BacklogEntry]
    paused: list[BacklogEntry]
    completed: list[BacklogEntry]
    wishlist: list[BacklogEntry]
    dropped: list[BacklogEntry]
    counts: dict[str, int]


class CollectionSource(ApiModel):
    """The public list an imported collection mirrors (issue 38) and how its last sync went."""

    kind: Literal["trakt", "letterboxd", "imdb"]
    url: str | None = Field(description="The list on Trakt, Letterboxd or IMDb; null for a one-off import from "
                                        "an export file that names no list (it is not synced again)")
    filename: str | None = Field(default=None, description="The export file it was imported from, if any")
    status: Literal["queued", "syncing", "synced", "failed"]
    synced_at: datetime | None = Field(description="When the list was last read successfully")
    requested_at: datetime = Field(description="When the last sync was asked for")
    entries: int | None = Field(description="Entries of the list at the last good sync")
    unmatched: int = Field(description="Entries that matched no title (not in the collection)")
    unmatched_titles: list[str] = Field(description="Some of them, by name")
    error_code: str | None
    error: str | None = Field(description="Why the last sync failed (the items stayed as they were)")


class CollectionOut(ApiModel):
    id: uuid.UUID
    name: str
    description: str | None
    position: int
    item_count: int
    created_at: datetime
    updated_at: datetime
    source: CollectionSource | None = Field(description="The public list it mirrors; null for a hand-made one")


class CollectionList(ApiModel):
    items: list[CollectionOut]


class CollectionItemOut(ApiModel):
    media: MediaCard
    position: int
    note: str | None
    added_at: datetime


class TrackingExport(ApiModel):
    """Everything tracked for the user; rows use the same camelCase names as the API."""

    format: Literal["seen-tracking-export"]
    version: int
    exported_at: datetime
    user_id: uuid.UUID
    preferences: dict[str, object]
    media: list[dict[str, object]]
    episodes: list[dict[str, object]]
    watch_later: list[dict[str, object]]
    history: list[dict[str, object]]
    progress: list[dict[str, object]]
    ratings: list[dict[str, object]]
    favorites: list[dict[str, object]]
    follows: list[dict[str, object]]
    game_backlog: list[dict[str, object]]
    collections: list[dict[str, object]]
