"""A user's own accounts on media servers: what the API takes and answers (tokens and passwords write-only)."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from pydantic import Field, SecretStr

from chalicelib.mediaservers.models import ServerKind, SyncStatus
from chalicelib.models import ApiModel, RequestModel


class AccountLinkIn(RequestModel):
    """Jellyfin: the user's name and password (exchanged once for an access token, never stored); Plex: the
    user's own X-Plex-Token. Write-only: never returned."""

    username: str | None = Field(default=None, min_length=1, max_length=200)
    password: SecretStr | None = Field(default=None, max_length=512)
    token: SecretStr | None = Field(default=None, min_length=1, max_length=512)


class AccountImport(ApiModel):
    status: SyncStatus
    requested_at: dt.datetime | None = None
    started_at: dt.datetime | None = None
    finished_at: dt.datetime | None = None
    watched: int = Field(description="Watches added to your history")
    in_progress: int = Field(description="Resume points set")
    unmatched: int = Field(description="Played items not linked to a catalog title or episode")
    error: str | None = None


class MyMediaServer(ApiModel):
    server_id: UUID
    kind: ServerKind
    name: str
    linked: bool
    remote_user: str | None = Field(default=None, description="Who you are on that server")
    last_import: AccountImport | None = None


class MyMediaServerList(ApiModel):
    items: list[MyMediaServer]


class ServerStream(ApiModel):
    url: str = Field(description="The server's own stream of the file, with your token (not the admin's)")
    mime: str
    container: str | None = None
    media_id: int | None = None
    episode_id: int | None = None
    resume_seconds: float | None = Field(default=None, description="Where you stopped (here or on the server)")
