"""Request and response models of subtitle sync (camelCase on the wire); the library's answers embed them."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import Field

from chalicelib.models import ApiModel, RequestModel

SyncStatus = Literal["queued", "running", "done", "failed"]


class SubtitleSyncState(ApiModel):
    """A track's auto-sync: asked (queued), being worked on (running), its outcome (done, failed)."""

    status: SyncStatus
    offset_seconds: float | None = Field(default=None, description="done: seconds added to every cue (negative: "
                                         "earlier); the stream serves the shifted track")
    synced_at: datetime | None = None
    error: str | None = Field(default=None, description="failed: why (no audio, no speech heard, ...)")


class SyncQueued(ApiModel):
    status: Literal["queued"] = "queued"


class OffsetRequest(RequestModel):
    seconds: float = Field(description="Your offset for this track: -60 to 60 seconds in steps of 0.1 (a cue "
                           "shown at t is shown at t + seconds)", allow_inf_nan=False)


class SubtitleOffset(ApiModel):
    subtitle_id: uuid.UUID
    seconds: float
