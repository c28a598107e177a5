"""Request and response models of the picks and wanted APIs (camelCase on the wire)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, Literal

from pydantic import Field, model_validator

from chalicelib.downloads.models import Download
from chalicelib.models import ApiModel, Page, RequestModel
from chalicelib.sources.models import DeviceCaps

__all__ = ["DeviceCaps"]  # defined with the search that ranks for it; the pick request and sessions take it

MAX_MEDIA_ID = 2**63 - 1
INFOHASH = r"^([0-9a-fA-F]{40}|[0-9a-fA-F]{64})$"


class Unit(RequestModel):
    """A movie (no season/episode), a show's season (season alone) or one episode."""

    media_id: int = Field(ge=1, le=MAX_MEDIA_ID, strict=True)
    season: int | None = Field(default=None, ge=0, le=10_000, strict=True)
    episode: int | None = Field(default=None, ge=0, le=100_000, strict=True)

    @model_validator(mode="after")
    def _episode_needs_season(self) -> Unit:
        if self.episode is not None and self.season is None:
            raise ValueError("episode needs its season")
        return self


class UnitQuery(Unit):
    """The same, from a query string (numbers arrive as text)."""

    media_id: int = Field(ge=1, le=MAX_MEDIA_ID)
    season: int | None = Field(default=None, ge=0, le=10_000)
    episode: int | None = Field(default=None, ge=0, le=100_000)


class PickRequest(Unit):
    infohash: str | None = Field(default=None, pattern=INFOHASH, description=(
        "The candidate to get (from GET /sources); absent: the best candidate that is not rejected"))
    device_caps: DeviceCaps | None = Field(default=None, description=(
        "What the playing device decodes: the pick prefers what it plays and is kept per device "
        "(absent: no device, as before)"))


class Pick(ApiModel):
    id: uuid.UUID
    media_id: int
    season: int | None = None
    episode: int | None = None
    profile_hash: str = Field(description="The quality profile the pick was made under")
    device_key: str = Field(default="", description=(
        "The device capabilities it was made for (a hash of deviceCaps; empty: none given)"))
    infohash: str | None = None
    name: str
    indexer: str
    score: dict[str, Any] = Field(description="The candidate as ranked: score breakdown, reasons, parsed release")
    job_id: uuid.UUID | None = None
    reason: Literal["best", "chosen", "monitor", "fallback"] = Field(description=(
        "best: the top candidate; chosen: the user named it; monitor: grabbed automatically; fallback: the "
        "next candidate a playback session switched to when the previous pick's stream stalled"))
    created_at: datetime
    replaced_at: datetime | None = None
    replaced_by: uuid.UUID | None = None
    replaced_reason: str | None = Field(default=None, description=(
        "Why the system replaced this pick, e.g. \"switched: the stream stalled 15 s at 12:04\"; null when a "
        "person replaced it (or it is current)"))


class PickCreated(ApiModel):
    pick: Pick
    job: Download | None = Field(default=None, description="The download job (null if it was since deleted)")
    reused: bool = Field(default=False, description="The current pick was returned again (no new job)")


class PickHistory(ApiModel):
    current: Pick | None = Field(default=None, description="The pick in force under the user's quality profile")
    trail: list[Pick] = Field(default_factory=list, description=(
        "Every other pick, replaced ones included, newest first"))


class WantedItem(ApiModel):
    id: uuid.UUID
    media_id: int
    season: int | None = None
    episode: int | None = None
    episode_id: int | None = None
    name: str | None = Field(default=None, description="The episode's name")
    air_date: date | None = None
    done: bool = Field(description="The library holds a matched file of it")
    done_at: datetime | None = None
    created_at: datetime
    attempts: int = Field(description="Automatic searches made so far")
    last_searched_at: datetime | None = None
    next_search_at: datetime | None = None
    last_error: str | None = None
    pick_id: uuid.UUID | None = None


class WantedSeason(ApiModel):
    season: int
    wanted: int = Field(description="Episodes still wanted (not in the library)")
    done: int
    episodes: list[WantedItem]


class Monitor(ApiModel):
    media_id: int
    seasons: list[int] | None = Field(default=None, description="Seasons whose new episodes join; null: all")
    auto_get: bool = Field(description="New episodes are searched and grabbed automatically")
    cutoff: int | None = Field(default=None, description="Resolution an automatic grab must reach; null: profile")


class WantedGroup(ApiModel):
    media_id: int
    media_type: Literal["movie", "show"]
    title: str
    year: int | None = None
    poster_url: str | None = None
    wanted: int = Field(description="Units still wanted")
    done: int
    item: WantedItem | None = Field(default=None, description="A movie's wanted row")
    seasons: list[WantedSeason] = Field(default_factory=list, description="A show's wanted episodes by season")
    monitor: Monitor | None = None


WantedPage = Page[WantedGroup]


class WantedAdded(ApiModel):
    added: int = Field(description="Units newly added (0: all were already wanted)")
    items: list[WantedItem] = Field(description="Every unit the request stands for")


class WantedQuery(RequestModel):
    q: str | None = Field(default=None, min_length=1, max_length=200, description="Title contains")
    page: int = Field(default=1, ge=1, le=10_000)
    page_size: int = Field(default=20, ge=1, le=100)


class MonitorRequest(RequestModel):
    auto_get: bool = Field(strict=True, description="Search and grab newly aired episodes automatically")
    cutoff: Literal[480, 576, 720, 1080, 2160] | None = Field(default=None, description=(
        "Lowest resolution grabbed automatically (null: the quality profile's cutoffResolution)"))
