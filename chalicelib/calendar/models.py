"""Release calendar API models."""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal, TypedDict

from pydantic import Field, field_validator

from chalicelib.catalog.models import SLUG, MediaType
from chalicelib.models import ApiModel, Day, Month, RequestModel

FEED_TOKEN_SHAPE = r"^[A-Za-z0-9_-]{20,128}$"  # noqa: S105 - a regex, not a secret
EventKind = Literal["movie_release", "episode_air", "season_premiere", "game_release", "dlc_release", "video_release"]
Precision = Literal["exact", "month", "quarter", "year"]


class CalendarFilters(RequestModel):
    watchlist_only: bool = Field(default=False, description="Only titles on your watch later list and "
                                                            "shows you follow")
    media_type: MediaType | None = None
    platform: str | None = Field(default=None, max_length=64, pattern=SLUG, description="A platform slug (games)")
    genre: str | None = Field(default=None, max_length=64, pattern=SLUG, description="A genre slug")


class CalendarQuery(CalendarFilters):
    view: Literal["week"] | None = Field(default=None, description=(
        "week: the seven days starting at from (default today), each day's episodes in air-time order"))
    from_: Day | None = Field(default=None, alias="from", description="First day (YYYY-MM-DD)")
    to: Day | None = Field(default=None, description="Last day (YYYY-MM-DD), at most a year after from")
    month: Month | None = Field(default=None, description="YYYY-MM instead of from/to")

    @field_validator("from_", "to", mode="before")
    @classmethod
    def _plain_date(cls, value: object) -> object:
        if isinstance(value, str) and not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value.strip()):
            raise ValueError("must be a date as YYYY-MM-DD")
        return value


class FeedQuery(CalendarFilters):
    token: str = Field(min_length=20, max_length=128, pattern=FEED_TOKEN_SHAPE, description="The secret feed token")


class EventChannel(ApiModel):
    id: str
    title: str


class EventMedia(ApiModel):
    id: int
    media_type: Literal["movie", "show", "game", "video"]
    title: str
    year: int | None = None
    poster_url: str | None = None
    backdrop_url: str | None = None


class EventEpisode(ApiModel):
    season_number: int | None = None
    episode_number: int | None = None
    name: str | None = None
    overview: str | None = None
    still_url: str | None = Field(default=None, description="The episode's still (a frame of it), when known")


class EventPlatform(ApiModel):
    slug: str
    name: str


class CalendarEvent(ApiModel):
    id: int
    kind: EventKind
    title: str = Field(description="Display text, e.g. 'Severance S03E01' or 'Elden Ring (PS5)'")
    date: dt.date = Field(description="The day, or the first day of an approximate window")
    date_end: dt.date = Field(description="Equals date for exact releases; the window's last day otherwise")
    precision: Precision
    release_type: str | None = None
    region: str | None = None
    media: EventMedia
    episode: EventEpisode | None = None
    platform: EventPlatform | None = None
    genres: list[str] = Field(default_factory=list, description="Genre slugs of the title")
    followed: bool = False
    on_watch_later: bool = False
    is_demo: bool = Field(default=False, description="Scheduled by the demo catalog, not a real date")
    air_at: dt.datetime | None = Field(default=None, description=(
        "The moment an episode airs when its air time is known; null = any time that day (anytime)"))
    air_time_approximate: bool = Field(default=False, description=(
        "airAt is the network's usual prime-time slot, not the episode's own listed time"))
    airs_at: dt.datetime | None = Field(default=None, description="Deprecated: the same as airAt")
    anytime: bool = Field(default=True, description="No known time of day (streaming drop, release day): 'Anytime'")
    reason: Literal["followed", "watch_later", "person", "channel"] | None = Field(default=None, description=(
        "Why it is in your calendar beyond the general releases: a show you follow, a title you saved, "
        "a title with a person you follow (personName), or a video of a channel you follow (channel)"))
    person_name: str | None = Field(default=None, description="The followed person credited in the title")
    channel: EventChannel | None = Field(default=None, description="A video_release's YouTube channel")
    owned_on: list[str] = Field(default_factory=list, description=(
        "The household's media servers that hold it (the episode itself, for an episode): 'On your Jellyfin'"))


class CalendarOut(ApiModel):
    from_: dt.date = Field(alias="from")
    to: dt.date
    items: list[CalendarEvent]
    total: int


class FeedTokenOut(ApiModel):
    token: str = Field(description="Shown once; only its hash is stored. Rotating invalidates the old URL")
    feed_path: str
    feed_url: str | None = Field(default=None, description="Absolute URL when the request's host is known")
    created_at: dt.datetime


# The month cache holds events as the JSON of ``CalendarEvent`` (camelCase): these name that shape.


class EventMediaJson(TypedDict):
    id: int
    mediaType: str
    title: str
    year: int | None
    posterUrl: str | None
    backdropUrl: str | None


class EventEpisodeJson(TypedDict):
    seasonNumber: int | None
    episodeNumber: int | None
    name: str | None
    overview: str | None
    stillUrl: str | None


class EventPlatformJson(TypedDict):
    slug: str
    name: str | None


class EventChannelJson(TypedDict):
    id: str
    title: str


class EventJson(TypedDict):
    id: int
    kind: str
    title: str
    date: str
    dateEnd: str
    precision: str
    releaseType: str | None
    region: str | None
    isDemo: bool
    media: EventMediaJson
    episode: EventEpisodeJson | None
    platform: EventPlatformJson | None
    genres: list[str]
    followed: bool
    onWatchLater: bool
    airAt: str | None
    airTimeApproximate: bool
    airsAt: str | None
    anytime: bool
    reason: str | None
    personName: str | None
    channel: EventChannelJson | None
    ownedOn: list[str]
