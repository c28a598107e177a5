"""Webhook API models."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from chalicelib.models import ApiModel


class HookOut(ApiModel):
    """What became of an event: applied, a replay (duplicate), not about a movie/episode or not a
    playback event (ignored), or about a title the catalog does not have (unmatched)."""

    status: Literal["applied", "duplicate", "ignored", "unmatched"]
    media_id: int | None = None
    episode_id: int | None = None
    completed: bool | None = None


class HookUrl(ApiModel):
    path: str = Field(description="The secret path; POST events to it")
    url: str | None = Field(default=None, description="The full URL as this request reached the API")


class WebhooksOut(ApiModel):
    jellyfin: HookUrl
    plex: HookUrl
    generation: int
    created_at: datetime
    updated_at: datetime
