"""The library's rows as psycopg returns them (``dict_row``): typed, never copied into objects.

The list and streaming paths are hot, so a row stays the dict the driver made; these
``TypedDict``s only tell the type checker (and the reader) which keys it has.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import NotRequired, TypedDict
from uuid import UUID

from chalicelib.messages import MediaMode


class MatchCandidate(TypedDict):
    """One entry of ``library_items.match_candidates`` (camelCase: stored and served as it is)."""

    mediaId: int
    mediaType: str
    title: str
    year: int | None
    posterUrl: str | None
    episodeId: int | None
    season: int | None
    episode: int | None
    confidence: float
    source: str
    popularity: NotRequired[float | None]  # only while ranking; popped before it is stored


class ItemRow(TypedDict):
    """``library_items.*``."""

    id: UUID
    storage_key: str
    source_path: str | None
    file_name: str
    size_bytes: int
    mtime: datetime | None
    sha256: str | None
    match_state: str
    match_confidence: Decimal | None
    match_source: str | None
    match_candidates: list[MatchCandidate]
    matched_at: datetime | None
    matched_by: UUID | None
    media_id: int | None
    episode_id: int | None
    guess: dict[str, object]
    probe: dict[str, object] | None
    probe_error: str | None
    container: str | None
    duration_seconds: Decimal | None
    width: int | None
    height: int | None
    video_codec: str | None
    audio_codecs: list[str]
    audio_languages: list[str]
    source_job_id: UUID | None
    indexed_at: datetime
    created_at: datetime
    updated_at: datetime
    oshash: str | None


class CardRow(TypedDict):
    """A file with its catalog title and episode (``library_list``): what a card shows."""

    id: UUID
    storage_key: str
    file_name: str
    size_bytes: int
    guess: dict[str, object]
    probe_error: str | None
    container: str | None
    duration_seconds: Decimal | None
    width: int | None
    height: int | None
    video_codec: str | None
    audio_codecs: list[str]
    audio_languages: list[str]
    match_confidence: Decimal | None
    match_source: str | None
    match_candidates: list[MatchCandidate]
    source_job_id: UUID | None
    created_at: datetime
    indexed_at: datetime
    match_state: str  # 'unmatched' when the matched title is gone
    media_id: int | None
    media_type: str | None
    media_title: str | None
    media_year: int | None
    poster_path: str | None
    backdrop_path: str | None
    episode_id: int | None
    season_number: int | None
    episode_number: int | None
    episode_name: str | None
    episode_air_date: date | None
    subtitle_count: int
    stream_kinds: list[str] | None


class VersionRow(CardRow):
    """A card row with what its play mode needs (``library_versions_of``)."""

    original_mime: str | None
    probe: dict[str, object]  # only pixFmt


class TitleRow(VersionRow):
    """A version row with the title group it belongs to (``library_title_list``)."""

    group_key: str


class DetailRow(CardRow):
    """``library_get``: every column of the item, its title and episode, and its effective state."""

    source_path: str | None
    mtime: datetime | None
    sha256: str | None
    matched_at: datetime | None
    matched_by: UUID | None
    probe: dict[str, object] | None
    oshash: str | None
    updated_at: datetime
    effective_state: str


class KeyIndexedRow(TypedDict):
    storage_key: str
    indexed_at: datetime


class StreamRow(TypedDict):
    kind: str
    storage_key: str
    mime_type: str
    container: str | None
    size_bytes: int | None


class SubtitleRow(TypedDict):
    id: UUID
    language: str
    label: str | None
    storage_key: str
    source: str
    format: str
    is_default: bool
    is_forced: bool


class MediaRow(TypedDict):
    id: int
    media_type: str
    title: str
    original_title: str | None
    year: int | None
    poster_path: str | None
    backdrop_path: str | None
    tmdb_id: int | None


class TitleCandidateRow(TypedDict):
    id: int
    media_type: str
    title: str
    original_title: str | None
    year: int | None
    popularity: float | None
    poster_path: str | None
    similarity: float


class ShowEpisodeRow(TypedDict):
    id: int
    season_number: int
    episode_number: int
    absolute_number: int | None
    air_date: date | None
    name: str | None


class EpisodeRow(TypedDict):
    id: int
    media_id: int
    season_number: int
    episode_number: int
    name: str | None
    air_date: date | None


class ResumeRow(TypedDict):
    position_seconds: Decimal
    duration_seconds: Decimal | None


class NextEpisodeRow(TypedDict):
    library_item_id: UUID
    episode_id: int
    season_number: int
    episode_number: int
    name: str | None


class ScanRow(TypedDict):
    """``library_scans.*``."""

    id: UUID
    requested_by: UUID | None
    trigger: str
    paths: list[str]
    status: str
    accepted_count: int
    indexed_count: int
    error: str | None
    created_at: datetime
    updated_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class JobLinkRow(TypedDict):
    """What a download job was for (a pick's catalog title, season, episode)."""

    id: UUID
    media_id: int
    season: int | None
    episode: int | None


class VariantRow(TypedDict):
    """``library_variants.*``: a remux or HLS variant the worker makes."""

    library_item_id: UUID
    mode: MediaMode
    source_key: str
    state: str
    output_prefix: str | None
    playlist_key: str | None
    output_key: str | None
    size_bytes: int | None
    error: str | None
    requested_at: datetime
    reported_at: datetime | None
    updated_at: datetime
    requested_by: UUID | None
    sent_at: datetime | None


class WaitingRow(VariantRow):
    """A variant in line for a media slot (``media_waiting``); position 1 goes next."""

    user_rank: int
    position: int


class SlotHolderRow(TypedDict):
    requested_by: UUID | None
    n: int


class SeasonFileRow(TypedDict):
    """``analysis_season_files``: a file analysed with its season, and what was asked and found of it."""

    id: UUID
    storage_key: str
    sha256: str | None
    output_prefix: str | None
    segments_asked: int | None
    segments_compared: int | None
    trickplay_asked: bool | None
    trickplay_prefix: str | None
    requested_at: datetime | None


class AnalysisRow(TypedDict):
    """``library_analyses.*``: media.analyze asked of the worker and what it answered."""

    library_item_id: UUID
    source_key: str
    output_prefix: str
    segments_asked: int
    segments_compared: int | None
    trickplay_asked: bool
    trickplay_prefix: str | None
    trickplay_interval: int | None
    trickplay_cols: int | None
    trickplay_rows: int | None
    trickplay_count: int | None
    trickplay_width: int | None
    trickplay_height: int | None
    error: str | None
    requested_at: datetime
    reported_at: datetime | None
    updated_at: datetime


class SegmentRow(TypedDict):
    """``analysis_segments_of``: an intro or credits of a file."""

    kind: str
    start_seconds: Decimal
    end_seconds: Decimal
    source: str
