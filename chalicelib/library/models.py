"""Request and response models of the library API (camelCase on the wire)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import Field, field_validator

from chalicelib.models import ApiModel, Page, RequestModel
from chalicelib.subtitles.models import SubtitleSyncState

MatchState = Literal["matched", "unmatched", "ignored"]
MAX_PATH = 4096


class ListQuery(RequestModel):
    match_state: MatchState | None = None
    media_type: Literal["movie", "show"] | None = None
    query: str | None = Field(default=None, min_length=1, max_length=200)
    page: int = Field(default=1, ge=1, le=10_000)
    page_size: int = Field(default=20, ge=1, le=100)


class UnmatchedQuery(RequestModel):
    page: int = Field(default=1, ge=1, le=10_000)
    page_size: int = Field(default=20, ge=1, le=100)


def _check_path(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    if ".." in value.replace("\\", "/").split("/"):
        raise ValueError("must not contain '..' segments")
    return value


class RescanRequest(RequestModel):
    paths: list[str] = Field(default_factory=list, max_length=100,
                             description="Absolute paths on the worker, or '<root label>/<relative path>'; "
                                         "empty: every library root")
    force: bool = Field(default=False, strict=True, description="Index unchanged files again")

    @field_validator("paths")
    @classmethod
    def _paths(cls, values: list[str]) -> list[str]:
        cleaned = []
        for value in values:
            value = _check_path(value.strip())
            if not value or len(value) > MAX_PATH:
                raise ValueError(f"each path must be 1 to {MAX_PATH} characters")
            if value not in cleaned:
                cleaned.append(value)
        return cleaned


# guessit's time grows faster than linearly with the name's length (a 1,024-character run of digits takes
# seconds), so the parse route takes what a real library path holds: names of at most NAME_MAX (255)
# characters, 512 in all (about a second at worst), not PATH_MAX.
MAX_PARSE_PATH, MAX_NAME = 512, 255


class ParseRequest(RequestModel):
    path: str = Field(min_length=1, max_length=MAX_PARSE_PATH, description="A path or a bare file name "
                      f"(at most {MAX_PARSE_PATH} characters, {MAX_NAME} per name)")

    @field_validator("path")
    @classmethod
    def _path(cls, value: str) -> str:
        if "\x00" in value:
            raise ValueError("must not contain NUL characters")
        if any(len(name) > MAX_NAME for name in value.replace("\\", "/").split("/")):
            raise ValueError(f"each name in the path must be at most {MAX_NAME} characters")
        return value


class MatchRequest(RequestModel):
    media_id: int = Field(ge=1, le=2**63 - 1, strict=True)
    episode_id: int | None = Field(default=None, ge=1, le=2**63 - 1, strict=True)
    force: bool = Field(default=False, strict=True, description="Accept a match that contradicts the parse "
                                                   "(movie vs episode, a show without its episode)")


class Guess(ApiModel):
    """The scanner's parse of the file's path."""

    title: str | None = None
    year: int | None = None
    type: Literal["movie", "episode"] | None = None
    season: int | None = None
    episode: int | None = None
    episodes: list[int] | None = None
    absolute: int | None = None
    air_date: date | None = None
    edition: str | None = None
    episode_title: str | None = None
    corrections: list[str] = Field(default_factory=list)
    evidence: list[str] = Field(default_factory=list, description="Why the parse differs from guessit's, in plain "
                                "words (e.g. \"season from folder `Season 2`\")")
    pack: bool = Field(default=False, description="A whole season (a season pack), no episode")


class EpisodeInfo(ApiModel):
    id: int
    season: int
    episode: int
    title: str | None = None
    air_date: date | None = None


class MediaRef(ApiModel):
    id: int
    media_type: str
    title: str
    year: int | None = None
    poster_url: str | None = None
    backdrop_url: str | None = None


class Candidate(ApiModel):
    media_id: int
    media_type: str
    title: str
    year: int | None = None
    poster_url: str | None = None
    episode_id: int | None = None
    season: int | None = None
    episode: int | None = None
    confidence: float
    source: str = "local"


VersionPlayMode = Literal["direct", "remux", "hls_audio", "hls", "unchecked", "damaged"]


class LibraryCard(ApiModel):
    id: uuid.UUID
    file_name: str
    title: str = Field(description="The catalog title when matched, else the parsed title or the file name")
    year: int | None = None
    media_type: str | None = None
    poster_url: str | None = None
    backdrop_url: str | None = None
    match_state: MatchState
    match_confidence: float | None = None
    media: MediaRef | None = None
    episode: EpisodeInfo | None = None
    resolution: str | None = Field(default=None, examples=["1080p"])
    width: int | None = None
    height: int | None = None
    duration_seconds: float | None = None
    container: str | None = None
    video_codec: str | None = None
    audio_languages: list[str] = Field(default_factory=list)
    subtitle_count: int = 0
    has_mp4_variant: bool = False
    flagged: bool = Field(default=False, description="Probing failed or found damage; see probeError")
    probe_error: str | None = None
    source_job_id: uuid.UUID | None = None
    created_at: datetime
    indexed_at: datetime
    play_mode: VersionPlayMode | None = Field(default=None, description="How the file will play (see playNote)")
    play_note: str | None = Field(default=None, description="How it plays, in words; why not, when it cannot",
                                  examples=["HEVC video: converted when you press Play, about a minute"])


class LibraryVersion(ApiModel):
    """One file of a title: what it is and how (or why not) it plays in the browser."""

    id: uuid.UUID
    file_name: str
    size_bytes: int | None = None
    resolution: str | None = Field(default=None, examples=["1080p"])
    source: str | None = Field(default=None, description="Where the file came from, read from its name",
                               examples=["BluRay", "WEB-DL"])
    width: int | None = None
    height: int | None = None
    duration_seconds: float | None = None
    container: str | None = None
    video_codec: str | None = None
    audio_codecs: list[str] = Field(default_factory=list)
    audio_languages: list[str] = Field(default_factory=list)
    subtitle_count: int = 0
    play_mode: VersionPlayMode = Field(description="direct: plays as it is; remux: repackaged (seconds); "
                                       "hls_audio: audio converted; hls: converted; unchecked: not probed yet, "
                                       "tried as it is; damaged: cannot be played")
    playable: bool = Field(description="Whether the browser can play it (perhaps after conversion)")
    play_note: str = Field(description="How it plays, or why not, in words")
    created_at: datetime


class LibraryTitleCard(LibraryCard):
    """A title's card: its best version's fields, and every version (best first)."""

    version_count: int = Field(default=1, ge=1)
    versions: list[LibraryVersion] = Field(default_factory=list)


class UnmatchedCard(LibraryCard):
    guess: Guess
    candidates: list[Candidate] = Field(default_factory=list)


class StreamInfo(ApiModel):
    kind: str
    mime_type: str
    container: str | None = None
    size_bytes: int | None = None


class SubtitleInfo(ApiModel):
    id: uuid.UUID
    language: str
    label: str | None = None
    source: str
    format: str
    is_default: bool = False
    is_forced: bool = False
    sync: SubtitleSyncState | None = Field(default=None, description="The track's auto-sync, once asked for")


class LibraryItemDetail(UnmatchedCard):
    storage_key: str
    source_path: str | None = None
    size_bytes: int
    sha256: str | None = None
    match_source: str | None = None
    matched_at: datetime | None = None
    audio_codecs: list[str] = Field(default_factory=list)
    probe: dict[str, object] | None = None
    streams: list[StreamInfo] = Field(default_factory=list)
    subtitles: list[SubtitleInfo] = Field(default_factory=list)


class MatchResult(LibraryItemDetail):
    refiled_siblings: int = Field(default=0, description="Files in the same folder parsed as the same show that were "
                                                        "filed under it too, each by its own season and episode")


LibraryPage = Page[LibraryCard]
LibraryTitlePage = Page[LibraryTitleCard]
UnmatchedPage = Page[UnmatchedCard]


class ParseResult(ApiModel):
    path: str
    guess: Guess


class Scan(ApiModel):
    id: uuid.UUID
    trigger: str
    status: str
    paths: list[str]
    force: bool = False
    accepted_count: int = Field(description="Paths accepted into the request (0: every library root)")
    indexed_count: int = Field(description="Files the worker indexed in this scan (so far)")
    error: str | None = None
    created_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None


class StreamSubtitle(ApiModel):
    id: uuid.UUID | None = Field(default=None, description="The track (for its sync and offset routes)")
    language: str
    label: str | None = None
    url: str
    source: str | None = Field(default=None, description="sidecar, embedded or opensubtitles (fetched)")
    is_default: bool = False
    is_forced: bool = False
    offset_seconds: float = Field(default=0.0, description="Your own offset for this track: shift every cue by it")
    synced: bool = Field(default=False, description="url is the auto-synced track (its offset already applied)")
    sync: SubtitleSyncState | None = Field(default=None, description="The track's auto-sync, once asked for")


class Resume(ApiModel):
    position_seconds: float
    duration_seconds: float | None = None


class NextEpisode(ApiModel):
    library_item_id: uuid.UUID
    episode_id: int
    season: int
    episode: int
    title: str | None = None


PlayMode = Literal["direct", "remux", "hls"]


class StreamQuery(RequestModel):
    mode: Literal["direct", "remux", "hls_audio", "hls"] | None = Field(
        default=None, description="Ask for this mode (or the next one that this file can be played in, in the "
        "order direct, remux, hls_audio, hls) when the browser cannot decode the server's choice")
    session: uuid.UUID | None = Field(default=None, description=(
        "The player's playback session: only written on the stream's log lines (a non-UUID is a 422)"))


class PlaylistQuery(RequestModel):
    exp: str = Field(min_length=1, max_length=20, description="Expiry (Unix seconds) of the signed URL")
    sig: str = Field(min_length=1, max_length=128, description="HMAC signature of the URL")
    # Not signed (exp and sig cover the item and the variant): a player may append it to the signed URL.
    session: uuid.UUID | None = Field(default=None, description=(
        "The player's playback session: only written on the stream's log lines (a non-UUID is a 422)"))


class StreamCodecs(ApiModel):
    container: str | None = None
    video: str | None = None
    audio: list[str] = Field(default_factory=list)


class Preparing(ApiModel):
    """How far a variant that is not ready has got: waiting its turn for the worker, or being made."""

    state: Literal["queued", "preparing"] = Field(
        description="queued: waiting for one of the worker's media slots (per-user and instance caps); "
                    "preparing: sent to the worker, which is making it")
    position: int | None = Field(default=None, ge=1, description="While queued: the place in line, 1 = next")


class StreamSegment(ApiModel):
    kind: Literal["intro", "credits"]
    start: float
    end: float


class Trickplay(ApiModel):
    vtt_url: str = Field(description="A WebVTT thumbnails track (cues `url#xywh=x,y,w,h` on sprite sheets); a "
                         "signed same-origin URL, its sprite URLs presigned when it is read")


class StreamResponse(ApiModel):
    url: str | None = Field(description="direct/remux: presigned GET on the object store (HTTP Range); hls: the "
                            "signed playlist URL (same origin); null until ready")
    expires_at: datetime
    mime_type: str = Field(description="The stream's type; application/vnd.apple.mpegurl for hls")
    kind: str = Field(description="original, mp4_remux, hls_audio (video copied, audio to AAC) or hls (transcoded)")
    mode: PlayMode = "direct"
    ready: bool = Field(default=True, description="False while the worker prepares the variant: poll again")
    preparing: Preparing | None = Field(default=None, description="While not ready: in line or being made")
    notice: str | None = Field(default=None, description="While not ready: a plain sentence for the viewer about "
                               "what is happening (which part is converted, or that a failed step moved on)")
    codecs: StreamCodecs = Field(default_factory=StreamCodecs, description="The original file's probed codecs")
    playable: bool = Field(description="Whether browsers can play this stream (container and codecs)")
    subtitles: list[StreamSubtitle] = Field(default_factory=list)
    resume: Resume | None = None
    next: NextEpisode | None = None
    segments: list[StreamSegment] = Field(default_factory=list, description="Intro and credits the viewer may "
                                          "skip, in seconds (found by the worker; empty until then)")
    trickplay: Trickplay | None = Field(default=None, description="Scrub previews for the seek bar; null until made")


class TrickplayQuery(RequestModel):
    exp: str = Field(min_length=1, max_length=20, description="Expiry (Unix seconds) of the signed URL")
    sig: str = Field(min_length=1, max_length=128, description="HMAC signature of the URL")


class TitleVersionsQuery(RequestModel):
    media_id: int = Field(ge=1, le=2**63 - 1)
    episode_id: int | None = Field(default=None, ge=1, le=2**63 - 1, description="One episode of a show; without "
                                   "it a show's next episode to watch (in progress, else the first unwatched)")


class TitleVersions(ApiModel):
    """What a title or episode page can play: the versions (best first) and the user's resume point."""

    media_id: int
    episode: EpisodeInfo | None = None
    best_id: uuid.UUID | None = Field(default=None, description="The version Play starts (direct before remux "
                                      "before conversion, then the higher quality)")
    versions: list[LibraryVersion] = Field(default_factory=list)
    resume: Resume | None = None
