"""Request and response models of the imports API (camelCase on the wire)."""

from __future__ import annotations

import base64
import binascii
from datetime import datetime
from typing import Annotated, Any, Self
from uuid import UUID

from pydantic import BeforeValidator, Field, WithJsonSchema, model_validator

from chalicelib.imports.records import Format, ImportRow, Status
from chalicelib.imports.storage import MAX_FILE_BYTES
from chalicelib.models import ApiModel, RequestModel

MAX_ID = 2**63 - 1


def _decode(value: Any) -> bytes:
    """Strict base64 (line breaks allowed); an empty file is refused."""
    if not isinstance(value, str):
        raise ValueError("must be a base64 string")
    try:
        data = base64.b64decode("".join(value.split()), validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("must be valid base64") from None
    if not data:
        raise ValueError("the file is empty")
    return data


Content = Annotated[bytes, BeforeValidator(_decode),
                    WithJsonSchema({"type": "string", "contentEncoding": "base64",
                                    "description": "The file's bytes, base64-encoded"})]


class ImportCreate(RequestModel):
    """A file uploaded before (``uploadId``, any size up to the limit) or sent inline (``content``, small)."""

    format: Format
    filename: str = Field(min_length=1, max_length=255)
    content: Content | None = None
    upload_id: UUID | None = Field(default=None, description="From POST /imports/uploads, once the file is there")

    @model_validator(mode="after")
    def _one_source(self) -> ImportCreate:
        if (self.content is None) == (self.upload_id is None):
            raise ValueError("send either uploadId (a presigned upload) or content (base64), not both")
        return self


class UploadCreate(RequestModel):
    format: Format
    filename: str = Field(min_length=1, max_length=255)
    size_bytes: int = Field(ge=1, le=MAX_FILE_BYTES, description=f"At most {MAX_FILE_BYTES // 2**20} MiB")


class UploadOut(ApiModel):
    upload_id: UUID
    url: str = Field(description="POST a multipart form here: every field below first, then the file as `file`")
    fields: dict[str, str]
    max_bytes: int
    expires_at: datetime


class FixRow(RequestModel):
    media_id: int = Field(ge=1, le=MAX_ID, description="The title this row is about (an episode's show)")


class ImportsQuery(RequestModel):
    page: int = Field(default=1, ge=1, le=100_000)
    page_size: int = Field(default=20, ge=1, le=100)

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size


class Preview(ApiModel):
    rows: int = Field(description="Rows read from the file (watches, ratings, watch-later and favorite entries)")
    matched: int
    unmatched: int
    to_add: int = Field(description="Matched rows that would change something (the rest are already there)")
    skipped: int = Field(default=0, description="Lines of the file that could not be imported (see skippedRows)")


class Progress(ApiModel):
    done: int
    total: int


class UnmatchedRow(ApiModel):
    row: int
    title: str | None
    year: int | None
    season_number: int | None = None
    episode_number: int | None = None
    reason: str


class ImportCreated(ApiModel):
    id: UUID
    status: Status


class ImportSummary(ApiModel):
    id: UUID
    format: Format
    filename: str
    status: Status
    error: str | None
    preview: Preview
    progress: Progress
    created_at: datetime
    applied_at: datetime | None

    @classmethod
    def from_row(cls, row: ImportRow, **extra: Any) -> Self:
        return cls(id=row["id"], format=row["format"], filename=row["filename"], status=row["status"],
                   error=row["error"], created_at=row["created_at"], applied_at=row["applied_at"],
                   preview=Preview(rows=row["rows_total"], matched=row["matched"], unmatched=row["unmatched"],
                                   to_add=row["to_add"], skipped=row["skipped"]),
                   progress=Progress(done=row["done"], total=row["matched"]), **extra)


class SkippedRow(ApiModel):
    row: int = Field(description="Position of the entry in the file")
    reason: str


class ImportOut(ImportSummary):
    unmatched: list[UnmatchedRow] = Field(description="The first unmatched rows, in file order")
    skipped_rows: list[SkippedRow] = Field(default_factory=list, description="The first skipped lines and why")
