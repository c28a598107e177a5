"""Request and response models of playback sessions and resume (camelCase on the wire)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import Field, model_validator

from chalicelib.models import ApiModel, RequestModel
from chalicelib.picks.models import MAX_MEDIA_ID, DeviceCaps, Pick

Mode = Literal["library", "download"]


class SessionRequest(RequestModel):
    """What to play: a title (season/episode for a show) and, optionally, the exact file."""

    media_id: int = Field(ge=1, le=MAX_MEDIA_ID, strict=True)
    season: int | None = Field(default=None, ge=0, le=10_000, strict=True)
    episode: int | None = Field(default=None, ge=0, le=100_000, strict=True)
    library_item_id: uuid.UUID | None = Field(default=None, description="Play this library file")
    download_id: uuid.UUID | None = Field(default=None, description="Play this download (while it downloads)")
    device_caps: DeviceCaps = Field(description=(
        "What the playing device decodes (the player's probe): a pick made for the session, and the candidate "
        "it switches to, are ranked for it"))

    @model_validator(mode="after")
    def _one_file(self) -> SessionRequest:
        if self.episode is not None and self.season is None:
            raise ValueError("episode needs its season")
        if self.library_item_id is not None and self.download_id is not None:
            raise ValueError("libraryItemId or downloadId, not both")
        return self


class Heartbeat(RequestModel):
    position_seconds: float = Field(ge=0, le=1_000_000, description="Where the player is")
    buffering: bool = Field(strict=True, description="The player waits for data (playing, not paused)")
    file_index: int | None = Field(default=None, ge=0, le=1_000_000, description=(
        "The download's file that plays (its index), once the stream answer named it"))


class ResumeQuery(RequestModel):
    media_id: int = Field(ge=1, le=MAX_MEDIA_ID)


class SessionFile(ApiModel):
    """The exact file: a library item, or a download and the index of its file (null until known)."""

    library_item_id: uuid.UUID | None = None
    download_id: uuid.UUID | None = None
    file_index: int | None = None


class SessionNext(ApiModel):
    season: int
    episode: int
    library_item_id: uuid.UUID | None = Field(default=None, description="Its library file, when there is one")


class SessionSwitch(ApiModel):
    at: datetime
    from_pick_id: uuid.UUID
    to_pick_id: uuid.UUID
    release: str = Field(description="The release switched to")
    reason: str = Field(description='e.g. "switched: the stream stalled 15 s at 12:04"')
    position_seconds: float = Field(description="Where the player waited; the new stream starts there")


class PlaybackSession(ApiModel):
    session_id: uuid.UUID
    media_id: int
    season: int | None = None
    episode: int | None = None
    mode: Mode = Field(description="library: a library file; download: a download's file, while it downloads too")
    pick: Pick | None = Field(default=None, description="The pick it plays (null: a file not picked here)")
    stream_url: str = Field(description=(
        "The API URL that answers where to play the file now (GET it: the library's or the download's stream "
        "answer; a download's says 202 until its first pieces are there), tagged with the session"))
    file: SessionFile
    next: SessionNext | None = Field(default=None, description="The next episode of a show; null for a movie")
    position_seconds: float
    buffering: bool = Field(description=(
        "A stall is being timed: the player waited for data at one spot and has not played past it since"))
    stall_switch_seconds: int = Field(description="How long a stall may last before the session switches")
    switches: list[SessionSwitch] = Field(default_factory=list, description="Every switch, oldest first")
    notice: str | None = Field(default=None, description=(
        "Why the last switch could not be made (no other release fits), in words"))
    created_at: datetime
    updated_at: datetime


class Resume(ApiModel):
    session_id: uuid.UUID | None = Field(default=None, description=(
        "The session it comes from; null when the title was last played outside one (the library's player)"))
    season: int | None = None
    episode: int | None = None
    position_seconds: float
    pick: Pick | None = None
    file: SessionFile
