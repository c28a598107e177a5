"""Request and response models of the imports API (camelCase on the wire)."""

from __future__ import annotations

import base64
import binascii
from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BeforeValidator, Field, WithJsonSchema

from chalicelib.models import ApiModel, RequestModel

Format = Literal["letterboxd", "imdb", "trakt", "ryot", "yamtrack", "seen"]
Status = Literal["parsing", "preview", "applying", "applied", "failed"]
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
    format: Format
    filename: str = Field(min_length=1, max_length=255)
    content: Content


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
    def from_row(cls, row: dict[str, Any], **extra: Any) -> Any:
        return cls(id=row["id"], format=row["format"], filename=row["filename"], status=row["status"],
                   error=row["error"], created_at=row["created_at"], applied_at=row["applied_at"],
                   preview=Preview(rows=row["rows_total"], matched=row["matched"], unmatched=row["unmatched"],
                                   to_add=row["to_add"]),
                   progress=Progress(done=row["done"], total=row["matched"]), **extra)


class ImportOut(ImportSummary):
    unmatched: list[UnmatchedRow] = Field(description="The first unmatched rows, in file order")
