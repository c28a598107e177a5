"""Every SQS message between the API and the worker, as pydantic models.

``seen-download-commands`` carries :data:`Command` (API -> worker),
``seen-worker-events`` carries :data:`Event` (worker -> API) and
``seen-import-commands`` carries :data:`ImportCommand` (API -> the imports consumer), and the events
queue also carries :class:`PlaybackPrefetch`, which the API sends itself. Each message is a
JSON object with a ``type`` discriminator and camelCase fields. This module is
shared by both sides and imports nothing but pydantic.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter
from pydantic.alias_generators import to_camel

DownloadStatus = Literal[
    "queued", "preparing", "downloading", "stalled", "retrying", "completed", "failed", "cancelled"
]
SourceType = Literal["magnet", "torrent", "direct", "http", "video"]


def _now() -> datetime:
    return datetime.now(UTC)


class Message(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid", frozen=True,
                              defer_build=True)

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
    paths: list[str] = Field(default_factory=list)  # absolute, or "<root label>/<relative path>"; [] = all roots
    force: bool = False  # index unchanged files again (e.g. after a matcher change)


MediaMode = Literal["remux", "hls_audio", "hls"]


class MediaPrepare(Message):
    """Make a browser-playable variant of a stored file (on ``seen-media-commands``).

    ``remux``: same streams in an MP4; ``hls_audio``: video copied, audio to AAC, as HLS;
    ``hls``: video to H.264 and audio to AAC, as HLS. Outputs go under ``output_prefix``.
    """

    type: Literal["media.prepare"] = "media.prepare"
    item_id: str  # the library item
    key: str = Field(min_length=1, max_length=1024)  # the original object in the bucket
    mode: MediaMode
    output_prefix: str = Field(min_length=1, max_length=1024)


class AnalyzeFile(BaseModel):
    """One file of a ``media.analyze``: ``segments``/``trickplay`` say what is wanted for it; a file with
    neither is there only to be compared with (a season's other episodes)."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid", frozen=True,
                              defer_build=True)

    file_id: str  # the library item
    key: str = Field(min_length=1, max_length=1024)  # the original object in the bucket
    output_prefix: str = Field(min_length=1, max_length=1024)  # fingerprints, sprites and the .vtt go here
    segments: bool = True
    trickplay: bool = True


class MediaAnalyze(Message):
    """Find the intro and credits shared by a season's files, and make scrub previews (``seen-media-commands``).

    Intro and credits need at least two episodes of the season (their audio fingerprints are compared);
    chapters named like "Intro"/"Credits" win when a file has them. Each wanted file is answered by its own
    ``media.analyzed``."""

    type: Literal["media.analyze"] = "media.analyze"
    files: list[AnalyzeFile] = Field(min_length=1, max_length=100)


class SubtitleSync(Message):
    """Align a subtitle track to its file's audio (``seen-media-commands``; issue 38 item 4).

    The worker reads the original at ``key`` and the track's WebVTT at ``subtitle_key``, finds the offset
    that best lines the cues up with the speech it hears, and stores the shifted track and its offset under
    ``output_prefix`` (named by the track and a hash of the track's text, so a redelivered command is
    answered from the bucket). One ``media.subtitle_synced`` answers it (``running`` first)."""

    type: Literal["media.subtitle_sync"] = "media.subtitle_sync"
    item_id: str  # the library item
    subtitle_id: str  # the library_subtitles row (the track)
    key: str = Field(min_length=1, max_length=1024)  # the original object in the bucket
    subtitle_key: str = Field(min_length=1, max_length=1024)  # the track's WebVTT in the bucket
    output_prefix: str = Field(min_length=1, max_length=1024)


Command = Annotated[DownloadStart | LibraryRescan | MediaPrepare | MediaAnalyze | SubtitleSync,
                    Field(discriminator="type")]


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
    error: str | None = Field(default=None, max_length=4000)
    # Stable snake_case reason for the UI (http_404, no_peers, disk_full, ...).
    error_code: str | None = Field(default=None, pattern=r"^[a-z][a-z0-9_]{0,63}$")
    # Which worker reports: the reconciler checks that worker's heartbeat.
    worker_id: str | None = Field(default=None, max_length=200)


class DownloadFileStored(Message):
    type: Literal["download.file_stored"] = "download.file_stored"
    job_id: str
    attempt: int = Field(ge=1)
    key: str
    path: str
    size: int = Field(ge=0)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


class IndexedStream(BaseModel):
    """A playable object of an indexed file: the original, or its MP4 stream-copy remux."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid", frozen=True,
                              defer_build=True)

    kind: Literal["original", "mp4_remux"]
    key: str = Field(min_length=1, max_length=1024)
    mime_type: str = Field(pattern=r"^[a-z]+/[A-Za-z0-9.+-]+$")
    container: str | None = Field(default=None, max_length=50)
    size: int | None = Field(default=None, ge=0)
    sha256: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")


class IndexedSubtitle(BaseModel):
    """A subtitle track converted to WebVTT and stored at ``key``."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid", frozen=True,
                              defer_build=True)

    key: str = Field(min_length=1, max_length=1024)
    language: str = Field(default="und", pattern=r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$")
    label: str | None = Field(default=None, max_length=200)
    source: Literal["sidecar", "embedded"]
    format: Literal["srt", "ass", "ssa", "vtt", "mov_text"]
    stream_index: int | None = Field(default=None, ge=0)
    is_default: bool = False
    is_forced: bool = False


class LibraryFileIndexed(Message):
    """A media file is in the bucket under ``key`` (with its variants and subtitles), parsed and probed."""

    type: Literal["library.file_indexed"] = "library.file_indexed"
    key: str = Field(min_length=1, max_length=1024)
    size: int = Field(ge=0)
    path: str = Field(min_length=1, max_length=4096)  # where the worker found it
    mtime: datetime | None = None
    sha256: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")
    # OpenSubtitles' movie hash (size + first and last 64 KiB), to find subtitles for exactly this file
    oshash: str | None = Field(default=None, pattern=r"^[0-9a-f]{16}$")
    source_job_id: str | None = None  # the download job it came from
    scan_id: str | None = None  # the scan that found it
    guess: dict[str, Any] = Field(default_factory=dict)
    probe: dict[str, Any] | None = None
    probe_error: str | None = Field(default=None, max_length=4000)
    streams: list[IndexedStream] = Field(default_factory=list)
    subtitles: list[IndexedSubtitle] = Field(default_factory=list)


class LibraryFilesIndexed(Message):
    """Many ``library.file_indexed`` in one message (a scan's batch, kept under SQS's 256 KiB).

    Each file is applied exactly as its own ``library.file_indexed`` would be, so a redelivered or
    duplicated batch gives the same rows."""

    type: Literal["library.files_indexed"] = "library.files_indexed"
    files: list[LibraryFileIndexed] = Field(min_length=1, max_length=2000)


class LibraryScanState(Message):
    """Progress of one scan: ``running`` when it starts, ``completed``/``failed`` with its counts."""

    type: Literal["library.scan_state"] = "library.scan_state"
    scan_id: str
    status: Literal["running", "completed", "failed"]
    trigger: Literal["manual", "schedule", "download"] = "manual"
    paths: list[str] = Field(default_factory=list)
    seen: int = Field(default=0, ge=0)  # media files found
    accepted: int = Field(default=0, ge=0)  # new or changed, handed to the indexer
    indexed: int = Field(default=0, ge=0)
    failed: int = Field(default=0, ge=0)
    error: str | None = Field(default=None, max_length=4000)


class MediaPrepared(Message):
    """A ``media.prepare`` made progress or ended.

    ``status`` ``running`` is sent once the first HLS segments are stored (the playlist at
    ``playlist_key`` grows until ``completed``), and for a remux when ffmpeg starts (no key: nothing plays
    until ``completed``; it keeps the preparation's slot past the unanswered-request window);
    ``failed`` carries the reason."""

    type: Literal["media.prepared"] = "media.prepared"
    item_id: str
    key: str = Field(min_length=1, max_length=1024)
    mode: MediaMode
    status: Literal["running", "completed", "failed"]
    playlist_key: str | None = Field(default=None, max_length=1024)  # hls modes
    output_key: str | None = Field(default=None, max_length=1024)  # remux
    size: int | None = Field(default=None, ge=0)
    error: str | None = Field(default=None, max_length=4000)


class AnalyzedSegment(BaseModel):
    """A stretch of a file a viewer may skip, in seconds from its start."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid", frozen=True,
                              defer_build=True)

    kind: Literal["intro", "credits"]
    start: float = Field(ge=0)
    end: float = Field(gt=0)
    source: Literal["chapters", "fingerprint"]


class TrickplaySheet(BaseModel):
    """Scrub previews stored under ``prefix``: ``thumbs.vtt`` and sprites of ``cols`` x ``rows`` thumbnails
    (``width`` x ``height`` each), one every ``interval`` seconds, ``count`` in all."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid", frozen=True,
                              defer_build=True)

    prefix: str = Field(min_length=1, max_length=1024)
    interval: int = Field(ge=1, le=600)
    cols: int = Field(ge=1, le=50)
    rows: int = Field(ge=1, le=50)
    count: int = Field(ge=1)
    width: int = Field(ge=1, le=4096)
    height: int = Field(ge=1, le=4096)


class MediaAnalyzed(Message):
    """A ``media.analyze`` file is done: ``segments`` (None: not asked) found against ``compared`` files of
    its season (itself included), ``trickplay`` (None: not asked, or the file has no video); ``error`` when
    the file could not be read."""

    type: Literal["media.analyzed"] = "media.analyzed"
    file_id: str
    key: str = Field(min_length=1, max_length=1024)
    segments: list[AnalyzedSegment] | None = None
    compared: int = Field(default=0, ge=0)
    trickplay: TrickplaySheet | None = None
    error: str | None = Field(default=None, max_length=4000)


class SubtitleSynced(Message):
    """A ``media.subtitle_sync`` made progress or ended: ``running`` when the worker starts on it, ``done``
    with the offset found (seconds added to every cue) and the shifted track at ``output_key``, or
    ``failed`` with the reason (no audio, no speech heard, cues too far from any)."""

    type: Literal["media.subtitle_synced"] = "media.subtitle_synced"
    item_id: str
    subtitle_id: str
    key: str = Field(min_length=1, max_length=1024)
    subtitle_key: str = Field(min_length=1, max_length=1024)
    status: Literal["running", "done", "failed"]
    offset_seconds: float | None = Field(default=None, ge=-3600, le=3600)
    output_key: str | None = Field(default=None, max_length=1024)
    error: str | None = Field(default=None, max_length=4000)


Event = Annotated[DownloadState | DownloadFileStored | LibraryFileIndexed | LibraryFilesIndexed | LibraryScanState
                  | MediaPrepared | MediaAnalyzed | SubtitleSynced, Field(discriminator="type")]

# --- the telemetry item's files (worker -> API, on DynamoDB, not SQS) --------------------------------------
# ``files_json`` on the job's telemetry item lists the payload's media files with ``contiguousBytes`` (from byte
# 0) and ``tailReady``; when one can start playing is decided here, for the API that hands out the progressive
# URL and the worker that hurries its look at a job until then (worker.monitor).

STREAM_START_BYTES = 2 * 1024 * 1024  # bytes from the start a player needs before it is handed a progressive URL
SEQUENTIAL_SOURCES = ("http", "direct")  # engines that fill a file in order: its tail arrives last


def can_start(entry: Mapping[str, Any], source_type: str) -> bool:
    """Whether the file of a ``files_json`` entry can start playing (its start, and its index at the end)."""
    size, contiguous = int(entry["size"]), int(entry.get("contiguousBytes") or 0)
    if contiguous >= size:
        return True
    return contiguous >= min(STREAM_START_BYTES, size) and (
        bool(entry.get("tailReady")) or source_type in SEQUENTIAL_SOURCES)


# --- imports (API -> the imports consumer, on ``seen-import-commands``) --------------------------------


class ImportParse(Message):
    """An upload is stored: read it into rows and match them (the import is ``parsing``)."""

    type: Literal["imports.parse"] = "imports.parse"
    import_id: UUID


class ImportApply(Message):
    """The user applied the preview: write the next batches (the import is ``applying``)."""

    type: Literal["imports.apply"] = "imports.apply"
    import_id: UUID


class MediaServerSyncCommand(Message):
    """An admin (or the schedule) asked for a sync of a media server: mirror what it holds (the sync row is
    ``queued``). Heavy like an import, so it shares the imports queue and consumer, apart from worker events."""

    type: Literal["media_servers.sync"] = "media_servers.sync"
    sync_id: UUID
    server_id: UUID


class MediaServerAccountImport(Message):
    """A user linked an account on a media server (or asked again): import that user's played state once
    (watches and resume points of the items the server's sync matched). Heavy: the imports queue."""

    type: Literal["media_servers.account_import"] = "media_servers.account_import"
    user_id: UUID
    server_id: UUID


class ListSync(Message):
    """A collection imported from a public list is due a sync (its source row is ``queued`` with this request
    id): read the list and make the collection's items exactly the list's. Heavy: the imports queue."""

    type: Literal["lists.sync"] = "lists.sync"
    collection_id: UUID
    request_id: UUID


ImportCommand = Annotated[ImportParse | ImportApply | MediaServerSyncCommand | MediaServerAccountImport
                          | ListSync,
                          Field(discriminator="type")]

# --- control-plane-internal (API -> API, on ``seen-worker-events``; never seen by the worker) ----------------


class PlaybackPrefetch(Message):
    """A user's episode played past ``prefetch_at``: make the next one ready.

    The heartbeat must stay cheap, so it only enqueues this; the events consumer (``chalicelib/events.py``)
    hands it to ``playback.handlers`` like a worker event.
    """

    type: Literal["playback.prefetch"] = "playback.prefetch"
    user_id: UUID
    media_id: int = Field(ge=1)
    episode_id: int = Field(ge=1)  # the episode being played (the next one is looked up when handled)

_command_adapter: TypeAdapter | None = None
_import_adapter: TypeAdapter | None = None
_event_adapter: TypeAdapter | None = None


def parse_command(raw: str | bytes) -> DownloadStart | LibraryRescan | MediaPrepare | MediaAnalyze | SubtitleSync:
    global _command_adapter
    _command_adapter = _command_adapter or TypeAdapter(Command)
    return _command_adapter.validate_json(raw)


def parse_event(raw: str | bytes) -> (DownloadState | DownloadFileStored | LibraryFileIndexed | LibraryFilesIndexed
                                      | LibraryScanState | MediaPrepared | MediaAnalyzed | SubtitleSynced):
    global _event_adapter
    _event_adapter = _event_adapter or TypeAdapter(Event)
    return _event_adapter.validate_json(raw)


def parse_import_command(raw: str | bytes) -> (ImportParse | ImportApply | MediaServerSyncCommand
                                               | MediaServerAccountImport | ListSync):
    global _import_adapter
    _import_adapter = _import_adapter or TypeAdapter(ImportCommand)
    return _import_adapter.validate_json(raw)
