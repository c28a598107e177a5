"""Request and response models of the downloads API (camelCase on the wire)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import Field, WithJsonSchema, model_validator

from chalicelib.catalog.models import MediaSummary
from chalicelib.messages import DownloadStatus, SourceType
from chalicelib.models import ApiModel, CursorPage, RequestModel

# Bounded for real by the body limit of POST /downloads (a small .torrent inline; bigger ones by upload).
MAX_SOURCE_CHARS = 16 * 1024 * 1024


class CreateDownload(RequestModel):
    source_type: SourceType = Field(description="magnet, torrent (.torrent: base64 in source, or torrentUploadId), "
                                    "direct or http (a URL)")
    source: str | None = Field(default=None, min_length=1, max_length=MAX_SOURCE_CHARS,
                               description="Magnet link, http(s) URL, or a small .torrent file base64-encoded")
    torrent_upload_id: uuid.UUID | None = Field(default=None, description=(
        "A .torrent uploaded to the bucket (POST /downloads/uploads), instead of source; usable once"))
    title: str | None = Field(default=None, min_length=1, max_length=1000)

    @model_validator(mode="after")
    def _one_source(self) -> CreateDownload:
        if self.torrent_upload_id is not None and (self.source is not None or self.source_type != "torrent"):
            raise ValueError("torrentUploadId goes with sourceType torrent and no source")
        if self.torrent_upload_id is None and self.source is None:
            raise ValueError("source (or torrentUploadId for a .torrent) is required")
        return self


class TorrentUpload(ApiModel):
    upload_id: uuid.UUID = Field(description="Name it as torrentUploadId in POST /downloads once the file is up")
    url: str = Field(description="POST a multipart form here: every one of fields, then the file as 'file'")
    fields: dict[str, str]
    max_bytes: int = Field(description="The largest file the bucket accepts")
    expires_at: datetime = Field(description="The form is refused after this")


# "active" = every non-terminal status (the SPA's "in progress" tab).
STATUS_FILTERS = ("active", "queued", "preparing", "downloading", "stalled", "retrying", "completed", "failed",
                  "cancelled")


class ListQuery(RequestModel):
    # A plain string so that an unknown value is a 400 from the service (unknown_status), not a 422.
    status: Annotated[str, WithJsonSchema({"type": "string", "enum": list(STATUS_FILTERS)})] | None = Field(
        default=None, description=(
        "One status, or active = queued|preparing|downloading|stalled|retrying; anything else is a 400"))
    limit: int = Field(default=20, ge=1, le=100)
    cursor: str | None = Field(default=None, max_length=200)


class EventsQuery(RequestModel):
    after: int = Field(default=0, ge=0)
    limit: int = Field(default=50, ge=1, le=200)


class Download(ApiModel):
    id: uuid.UUID
    source_type: SourceType
    source: str | None = Field(default=None, description="Magnet link or URL; null for an uploaded .torrent")
    title: str | None = None
    info_hash: str | None = None
    status: DownloadStatus
    attempt: int
    retry_count: int
    progress: float = Field(description="Percent, 0-100; live while the job runs")
    bytes_done: int
    bytes_total: int | None = None
    speed_bps: float | None = Field(default=None, description="Live transfer rate while running")
    eta_seconds: int | None = None
    peers: int | None = None
    live: bool = Field(default=False, description="Progress fields come from the worker's live telemetry")
    error_code: str | None = None
    error_message: str | None = None
    cancel_requested: bool = False
    dispatched: bool = Field(default=False, description=(
        "The worker was sent this attempt's command; a queued job that is not dispatched waits for a free "
        "download slot (see queuedReason) or for the next resend"))
    queued_reason: str | None = Field(default=None, description=(
        "Why a queued job is not sent yet: \"waiting for your other downloads\" (the per-user cap on "
        "active downloads) or \"waiting for a free download slot\" (instance setting downloadsMaxConcurrent)"))
    created_at: datetime
    updated_at: datetime
    started_at: datetime | None = None
    completed_at: datetime | None = None
    ended_at: datetime | None = None
    next_retry_at: datetime | None = None
    media: MediaSummary | None = Field(default=None, description=(
        "The catalog title it is of: the one it was picked for, else the one its stored file was matched to; "
        "null for a link added by hand and not matched yet (then title is all there is)"))
    season: int | None = Field(default=None, description="The season it was picked for")
    episode: int | None = Field(default=None, description=(
        "The episode it was picked for (null with a season: the pack)"))
    release: dict[str, Any] | None = Field(default=None, description=(
        "Its pick's release name read as GET /sources shows it (resolution, source, codec, hdr, ...); "
        "null without a pick. title stays the release (file) name"))

    def with_live(self, live: Any) -> Download:
        """This (already shaped, e.g. cached) job with a newer telemetry item merged in."""
        row = {"progress": self.progress, "bytes_done": self.bytes_done, "bytes_total": self.bytes_total}
        return self.model_copy(update=_live_fields(row, live))

    @classmethod
    def from_row(cls, row: Mapping[str, Any], live: Any = None) -> Download:
        """The job as the API shows it; ``live`` is its telemetry item, merged while it runs."""
        data = dict(row)
        data["progress"] = float(row["progress"])
        data["cancel_requested"] = row["cancel_requested_at"] is not None
        data["dispatched"] = row.get("command_sent_at") is not None
        data["queued_reason"] = row.get("queued_reason") if row["status"] in ("queued", "retrying") else None
        if row["source_type"] == "torrent":
            data["source"] = None
        if live is not None:
            data.update(_live_fields(row, live))
        return cls.model_validate(data)


def _live_fields(row: Mapping[str, Any], live: Any) -> dict[str, object]:
    # Progress never goes backwards in what the API shows, even when the live
    # item lags a persisted event or a server restarted a transfer.
    return {
        "progress": max(float(row["progress"]), min(100.0, round(float(live.progress or 0), 2))),
        "bytes_done": max(row["bytes_done"], int(live.bytes_done or 0)),
        "bytes_total": int(live.bytes_total) if live.bytes_total is not None else row["bytes_total"],
        "speed_bps": float(live.speed_bps or 0),
        "eta_seconds": int(live.eta_seconds) if live.eta_seconds is not None else None,
        "peers": int(live.peers) if live.peers is not None else None,
        "live": True,
    }


class DownloadFile(ApiModel):
    path: str
    key: str = Field(description="Object key in the media bucket")
    size_bytes: int
    sha256: str | None = None
    stored_at: datetime


class DownloadDetail(Download):
    files: list[DownloadFile] = Field(default_factory=list)


class DownloadEvent(ApiModel):
    id: int
    at: datetime
    from_status: DownloadStatus | None = None
    to_status: DownloadStatus
    attempt: int
    progress: float | None = None
    actor: Literal["api", "worker", "reconciler"]
    message: str | None = None
    data: dict[str, Any] = Field(default_factory=dict)


DownloadPage = CursorPage[Download]
DownloadEventPage = CursorPage[DownloadEvent]


class StreamQuery(RequestModel):
    file: int | None = Field(default=None, ge=0, le=1_000_000, description=(
        "The file's index in the download (see files); default: the largest video"))
    session: uuid.UUID | None = Field(default=None, description=(
        "The player's playback session: only written on the stream's log lines (a non-UUID is a 422)"))


class StreamFile(ApiModel):
    index: int = Field(description="The file's index in the download (libtorrent's file index; 0 for HTTP)")
    path: str
    size: int
    mime_type: str
    season: int | None = None
    episode: int | None = None
    stored: bool = Field(default=False, description="In the bucket already")


class StreamSubtitleTrack(ApiModel):
    language: str = Field(description="BCP 47-ish tag, und when unknown")
    label: str | None = None
    url: str = Field(description="WebVTT")


class StreamWaiting(ApiModel):
    """202 from the stream endpoint: not playable yet, ask again after ``retryAfter`` (also in ``Retry-After``)."""

    awaiting: Literal["files", "download", "pieces"] = Field(description=(
        "files: the download has not listed its files yet; download: the job is not running (queued, stalled, "
        "retrying); pieces: the file's first and last pieces are not on disk yet"))
    message: str
    retry_after: int = Field(ge=1, description="Seconds to wait before asking again")


class DownloadStream(ApiModel):
    url: str = Field(description="progressive: the worker's signed Range URL; stored: the bucket's presigned URL")
    mode: Literal["progressive", "stored"]
    mime_type: str
    file_index: int
    path: str
    size: int
    files: list[StreamFile] = Field(default_factory=list, description="The download's playable files")
    next: StreamFile | None = Field(default=None, description="The next episode's file in the same download")
    subtitles: list[StreamSubtitleTrack] = Field(default_factory=list)
    media_id: int | None = Field(default=None, description="The title it was picked for (null: added by hand)")
    season: int | None = Field(default=None, description="The playing file's season (its name's, else the job's)")
    episode: int | None = Field(default=None, description="The playing file's episode (its name's, else the job's)")
