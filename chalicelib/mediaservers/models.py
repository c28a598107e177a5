"""Media servers' API models: the servers (token write-only), their syncs, and what a title's owners are."""

from __future__ import annotations

import datetime as dt
from typing import Literal
from uuid import UUID

from pydantic import Field, SecretStr, field_validator

from chalicelib import egress
from chalicelib.models import ApiModel, RequestModel

MAX_URL = 2048
ServerKind = Literal["jellyfin", "plex"]
SyncStatus = Literal["queued", "running", "completed", "failed"]


def check_server_url(url: str) -> str:
    """The server's base URL: http(s) with a host, no credentials, query or fragment (the token has its field).
    Whether a LAN address may be reached is the server's ``allowPrivate``, checked on every connection."""
    parts = egress.service_url_parts(url, "token")
    if parts.query or parts.fragment or any(ch.isspace() for ch in url):
        raise ValueError("must not contain a query, a fragment or spaces")
    return url.rstrip("/")


class MediaServerCreate(RequestModel):
    kind: ServerKind
    name: str = Field(min_length=1, max_length=100)
    url: str = Field(min_length=1, max_length=MAX_URL, description=(
        "The server's address as this /seen/ reaches it, e.g. http://jellyfin.lan:8096 or http://plex.lan:32400"))
    token: SecretStr = Field(min_length=1, max_length=512, description=(
        "Jellyfin: an API key (Dashboard → API Keys); Plex: the X-Plex-Token. Write-only: never returned"))
    allow_private: bool = Field(default=False, strict=True, description=(
        "Allow a LAN or loopback address (a server on your home network)"))
    enabled: bool = Field(default=True, strict=True, description="Synced on schedule (every 6 hours)")

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        return check_server_url(value)


class MediaServerPatch(RequestModel):
    """Only the fields sent change."""

    name: str | None = Field(default=None, min_length=1, max_length=100)
    url: str | None = Field(default=None, min_length=1, max_length=MAX_URL)
    token: SecretStr | None = Field(default=None, min_length=1, max_length=512)
    allow_private: bool | None = Field(default=None, strict=True)
    enabled: bool | None = Field(default=None, strict=True)

    @field_validator("url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        return check_server_url(value) if value is not None else None


class SyncCounts(ApiModel):
    added: int = Field(description="Items mirrored for the first time")
    updated: int = Field(description="Items whose facts or match changed")
    pruned: int = Field(description="Items the server no longer reports, removed")
    unmatched: int = Field(description="Titles not linked to a catalog title (and episodes not to an episode)")
    failed: int = Field(description="Items the server described in a way that could not be read")


class MediaServerSync(ApiModel):
    id: UUID
    server_id: UUID
    status: SyncStatus
    trigger: Literal["manual", "schedule"]
    requested_at: dt.datetime
    started_at: dt.datetime | None = None
    finished_at: dt.datetime | None = None
    counts: SyncCounts
    error: str | None = None


class MediaServerOut(ApiModel):
    id: UUID
    kind: ServerKind
    name: str
    url: str
    token_set: bool = Field(description="The token itself is never returned")
    allow_private: bool
    enabled: bool
    remote_id: str | None = Field(default=None, description="The server's own id, as it said on the last contact")
    remote_name: str | None = None
    remote_version: str | None = None
    last_sync: MediaServerSync | None = None
    created_at: dt.datetime
    updated_at: dt.datetime


class MediaServerList(ApiModel):
    items: list[MediaServerOut]


class SyncStarted(ApiModel):
    sync_id: UUID = Field(description="GET .../sync follows it; a sync already waiting or running is answered")
