"""Imports' database rows as psycopg returns them (TypedDicts), and the formats and statuses they hold.

Shared by ``queries`` (which returns them) and ``models`` (which shapes them for the API), so neither
imports the other.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Literal, TypedDict
from uuid import UUID

Format = Literal["letterboxd", "imdb", "trakt", "ryot", "yamtrack", "seen"]
Status = Literal["parsing", "preview", "applying", "applied", "failed"]


class SkippedEntry(TypedDict):
    row: int
    reason: str


class ImportRow(TypedDict):
    """``imports.*``."""

    id: UUID
    user_id: UUID
    format: Format
    filename: str
    object_key: str
    size_bytes: int
    status: Status
    error: str | None
    rows_total: int
    matched: int
    unmatched: int
    to_add: int
    done: int
    created_at: datetime
    updated_at: datetime
    parsed_at: datetime | None
    applied_at: datetime | None
    rows_read: int
    read_at: datetime | None
    skipped: int
    skipped_rows: list[SkippedEntry]
    applied_through: int


class UploadRow(TypedDict):
    """``import_uploads.*``."""

    id: UUID
    user_id: UUID
    format: str
    filename: str
    object_key: str
    max_bytes: int
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None


class UnmatchedItem(TypedDict):
    row_no: int
    title: str | None
    year: int | None
    season_number: int | None
    episode_number: int | None
    reason: str | None


class EntryRow(TypedDict):
    """``import_rows.*``: one entry of the file (the columns the fixes read)."""

    import_id: UUID
    row_no: int
    kind: str
    media_type: str | None
    title: str | None
    year: int | None
    season_number: int | None
    episode_number: int | None
    event_at: datetime | None
    rating: Decimal | None
    status: str
    reason: str | None
    media_id: int | None
    episode_id: int | None


class MediaKind(TypedDict):
    id: int
    media_type: str


class Batch(TypedDict):
    first_row: int | None
    last_row: int | None
    rows: int


class Applying(TypedDict):
    id: UUID
    user_id: UUID
    applied_through: int
