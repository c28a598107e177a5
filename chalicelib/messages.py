"""Every SQS message between the API and the worker, as pydantic models.

``seen-download-commands`` carries :data:`Command` (API -> worker) and
``seen-worker-events`` carries :data:`Event` (worker -> API). Each message is a
JSON object with a ``type`` discriminator and camelCase fields. This module is
shared by both sides and imports nothing but pydantic.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter
from pydantic.alias_generators import to_camel

DownloadStatus = Literal[
    "queued", "preparing", "downloading", "stalled", "retrying", "completed", "failed", "cancelled"
]
SourceType = Literal["magnet", "torrent", "direct", "http"]


def _now() -> datetime:
    return datetime.now(UTC)


class Message(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid", frozen=True)

    sent_at: datetime = Field(default_factory=_now)

    def to_json(self) -> str:
        return self.model_dump_json(by_alias=True)


# --- commands (API -> worker) -------------------------------------------------


class DownloadStart(Message):
    type: Literal["download.start"] = "download.start"
    job_id: str
    attempt: int = Field(ge=1)
    source_type: SourceType
    source: str | None = None  # magnet link or URL
    torrent_key: str | None = None  # S3 key of an uploaded .torrent


class LibraryRescan(Message):
    type: Literal["library.rescan"] = "library.rescan"
    scan_id: str
    paths: list[str] = Field(default_factory=list)


Command = Annotated[DownloadStart | LibraryRescan, Field(discriminator="type")]


# --- events (worker -> API) ---------------------------------------------------


class DownloadState(Message):
    type: Literal["download.state"] = "download.state"
    job_id: str
    attempt: int = Field(ge=1)
    status: DownloadStatus
    progress: float = Field(ge=0, le=100)
    bytes_done: int = Field(default=0, ge=0)
    bytes_total: int | None = Field(default=None, ge=0)
    speed_bps: float = Field(default=0, ge=0)
    eta_seconds: int | None = Field(default=None, ge=0)
    error: str | None = None


class DownloadFileStored(Message):
    type: Literal["download.file_stored"] = "download.file_stored"
    job_id: str
    attempt: int = Field(ge=1)
    key: str
    path: str
    size: int = Field(ge=0)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


class LibraryFileIndexed(Message):
    type: Literal["library.file_indexed"] = "library.file_indexed"
    key: str
    size: int = Field(ge=0)
    path: str
    mtime: datetime | None = None
    sha256: str | None = None
    source_job_id: str | None = None
    guess: dict[str, Any] = Field(default_factory=dict)
    probe: dict[str, Any] | None = None
    probe_error: str | None = None
    streams: list[dict[str, Any]] = Field(default_factory=list)
    subtitles: list[dict[str, Any]] = Field(default_factory=list)


Event = Annotated[DownloadState | DownloadFileStored | LibraryFileIndexed, Field(discriminator="type")]

_command_adapter: TypeAdapter | None = None
_event_adapter: TypeAdapter | None = None


def parse_command(raw: str | bytes) -> DownloadStart | LibraryRescan:
    global _command_adapter
    _command_adapter = _command_adapter or TypeAdapter(Command)
    return _command_adapter.validate_json(raw)


def parse_event(raw: str | bytes) -> DownloadState | DownloadFileStored | LibraryFileIndexed:
    global _event_adapter
    _event_adapter = _event_adapter or TypeAdapter(Event)
    return _event_adapter.validate_json(raw)
