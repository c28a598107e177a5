"""Channels' API models: a followed channel, its videos with the user's state, and the follow request."""

from __future__ import annotations

import datetime as dt
from typing import Literal
from uuid import UUID

from pydantic import Field

from chalicelib.models import ApiModel, RequestModel

MAX_KEEP = 50


class FollowChannel(RequestModel):
    url: str = Field(min_length=1, max_length=500, description=(
        "The channel: a YouTube channel URL (https://www.youtube.com/@handle, /channel/UC…, /c/name), "
        "an @handle or a channel id (UC…)"))
    keep_newest: int = Field(default=0, ge=0, le=MAX_KEEP, strict=True, description=(
        "Keep this many of the channel's newest videos downloaded (0: only what you Get)"))


class ChannelPatch(RequestModel):
    keep_newest: int = Field(ge=0, le=MAX_KEEP, strict=True, description=(
        "Keep this many of the channel's newest videos downloaded (0: only what you Get)"))


class ChannelOut(ApiModel):
    id: UUID
    youtube_id: str = Field(description="YouTube's channel id (UC…)")
    title: str
    handle: str | None = None
    url: str = Field(description="The channel on YouTube")
    thumbnail_url: str | None = None
    keep_newest: int
    video_count: int
    new_count: int = Field(description="Videos of the last 30 days you have not watched")
    latest_at: dt.datetime | None = Field(default=None, description="When the newest known video came out")
    checked_at: dt.datetime | None = Field(default=None, description="When its feed was last read")
    last_error: str | None = Field(default=None, description="Why the last feed read failed (it is retried)")
    followed_at: dt.datetime


class ChannelList(ApiModel):
    items: list[ChannelOut]


class VideoProgress(ApiModel):
    position_seconds: float
    duration_seconds: float | None = None


class VideoDownload(ApiModel):
    id: UUID
    status: str
    percent: float


class VideoOut(ApiModel):
    media_id: int = Field(description="The video's title id: watched, watch later and progress use it")
    media_type: Literal["video"] = "video"
    youtube_id: str
    title: str
    description: str | None = None
    url: str = Field(description="The video on YouTube")
    thumbnail_url: str | None = None
    published_at: dt.datetime
    views: int | None = None
    channel_id: UUID
    channel_title: str
    watched: bool
    on_watch_later: bool
    progress: VideoProgress | None = None
    library_item_id: UUID | None = Field(default=None, description="Downloaded: play it at /watch/{libraryItemId}")
    download: VideoDownload | None = Field(default=None, description="Your latest download of it, if any")


class VideoPage(ApiModel):
    items: list[VideoOut]
    next_cursor: str | None = None


class VideosQuery(RequestModel):
    limit: int = Field(default=30, ge=1, le=100)
    cursor: str | None = Field(default=None, max_length=200)
