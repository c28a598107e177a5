"""Enrichment API models: a source's coverage, the unmatched items and a manual match."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from chalicelib.models import ApiModel, RequestModel

SourceName = Literal["tmdb", "tvdb", "omdb", "media_servers", "channels"]
SOURCES: tuple[SourceName, ...] = ("tmdb", "tvdb", "omdb", "media_servers", "channels")
LABELS: dict[SourceName, str] = {"tmdb": "TMDB / IGDB", "tvdb": "TVDB air times", "omdb": "OMDb ratings",
                                 "media_servers": "Media servers", "channels": "YouTube channels"}
# Sources whose unmatched items the list shows: media server items, and catalog titles without a TMDB id.
UnmatchedSource = Literal["media_servers", "tmdb"]


class SourceCoverage(ApiModel):
    source: SourceName
    label: str
    configured: bool = Field(description="Its key is set (TMDB, TVDB, OMDb) or it has anything to read "
                                         "(a media server added, a channel followed)")
    pausable: bool = Field(description="It has scheduled work a pause stops (TVDB is asked inline, when a "
                                       "show's details are built)")
    paused: bool
    matched: int = Field(description="Items the source answered (titles with ids, ratings, linked items, "
                                     "channels read)")
    not_found: int = Field(description="Items the source was asked about and had nothing usable for")
    pending: int = Field(description="Items not asked yet (or asked again after a retry)")
    failed: int = Field(description="Items whose last try failed (a retry makes them pending)")
    last_run_at: datetime | None = Field(default=None, description="When its scheduled work last finished")
    last_error: str | None = Field(default=None, description="Why its last run (or sync) failed")


class EnrichmentOverview(ApiModel):
    sources: list[SourceCoverage]


class RetryQueued(ApiModel):
    source: SourceName
    reset: int = Field(description="Items made pending again")
    queued: bool = Field(description="The source's run was queued now (else its next schedule or view does it)")


class UnmatchedQuery(RequestModel):
    source: UnmatchedSource = Field(default="media_servers", description=(
        "media_servers: movies and shows of the media servers without a catalog title; tmdb: catalog titles "
        "without a TMDB id"))
    q: str | None = Field(default=None, min_length=1, max_length=200, description="Part of the title")
    cursor: str | None = Field(default=None, max_length=500)
    limit: int = Field(default=50, ge=1, le=200)


class UnmatchedItem(ApiModel):
    id: str = Field(description="The item's id in the match route (media servers: serverId~itemId)")
    source: UnmatchedSource
    kind: Literal["movie", "show"]
    title: str
    year: int | None = None
    server_name: str | None = Field(default=None, description="The media server that holds it")
    media_id: int | None = Field(default=None, description="The catalog title it is linked to (after a match)")


class UnmatchedPage(ApiModel):
    items: list[UnmatchedItem]
    next_cursor: str | None = None


class ManualMatch(RequestModel):
    media_id: int = Field(ge=1, strict=True, description="The catalog title (a movie or a show of the same kind)")


class MatchedItem(UnmatchedItem):
    episodes_linked: int = Field(default=0, description="A show's episodes linked to the title's episodes")
