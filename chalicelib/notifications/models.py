"""Notification API models (the list, read marks, and the settings inside /me/preferences)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import Field, model_validator

from chalicelib.models import ApiModel, RequestModel

Kind = Literal["episode_aired", "wanted_downloaded", "download_failed", "game_released"]
RULES = ("episode_aired", "wanted_downloaded", "download_failed", "game_released")
MAX_CHANNELS = 10
Flag = Annotated[bool, Field(strict=True)]  # JSON true/false only, not 1 or "yes"
NotificationId = Annotated[int, Field(strict=True, ge=1, le=2**63 - 1)]


class Notification(ApiModel):
    id: int
    kind: Kind
    title: str
    body: str | None = None
    link: str | None = Field(default=None, description="The in-app path it opens")
    media_id: int | None = None
    created_at: datetime
    read_at: datetime | None = None


class NotificationList(ApiModel):
    items: list[Notification]
    unread: int


class ReadIn(RequestModel):
    ids: list[NotificationId] = Field(default_factory=list, max_length=500)
    all: Flag = Field(default=False, description="Mark every notification read")

    @model_validator(mode="after")
    def _something(self) -> ReadIn:
        if not self.ids and not self.all:
            raise ValueError("give ids or all: true")
        return self


class ReadOut(ApiModel):
    unread: int


class Rules(ApiModel):
    """Which events notify you (all on by default)."""

    episode_aired: bool = True
    wanted_downloaded: bool = True
    download_failed: bool = True
    game_released: bool = True


class RulesIn(RequestModel):
    episode_aired: Flag | None = None
    wanted_downloaded: Flag | None = None
    download_failed: Flag | None = None
    game_released: Flag | None = None


class Channel(ApiModel):
    """A delivery channel; its URL is a secret and is never returned."""

    id: UUID
    label: str
    service: str = Field(description="The Apprise URL's scheme: ntfy, mailto, discord, tgram, gotify, json, ...")
    created_at: datetime


class ChannelIn(RequestModel):
    """``{id}`` keeps a stored channel; ``{label, url}`` adds one (an Apprise URL)."""

    id: UUID | None = None
    label: str | None = Field(default=None, min_length=1, max_length=80)
    url: str | None = Field(default=None, min_length=4, max_length=2000)

    @model_validator(mode="after")
    def _either(self) -> ChannelIn:
        if (self.id is None) == (self.url is None) or (self.url is not None and not self.label):
            raise ValueError("give either id (keep) or label and url (add)")
        return self


class NotificationSettings(ApiModel):
    rules: Rules
    channels: list[Channel]


class NotificationSettingsIn(RequestModel):
    rules: RulesIn | None = None
    channels: list[ChannelIn] | None = Field(default=None, max_length=MAX_CHANNELS,
                                             description="The whole list: channels not listed are removed")
