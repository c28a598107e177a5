"""API models of the IMDb import admin view (camelCase JSON)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import Field

from chalicelib.models import ApiModel


class ImdbFileFigures(ApiModel):
    sha256: str | None = Field(None, description="SHA-256 of the compressed file this run read")
    status: str = Field(description="pending | running | skipped (same version as last import) | done | failed "
                                    "| partial (stopped at the time budget)")
    read: int = Field(description="Data lines read (header excluded)")
    malformed: int = Field(description="Lines left out: wrong column count, bad id, non-numeric field, "
                                       "duplicate key, truncated tail")
    skipped: int = Field(description="Valid lines not imported (other title types, adult, no episode "
                                     "numbers, unknown title or person)")
    inserted: int
    updated: int
    unchanged: int = Field(description="Lines equal to what was stored (unchanged segments included)")
    skip_reasons: dict[str, int] = Field(default_factory=dict)
    samples: list[str] = Field(default_factory=list, description="A few malformed lines with the reason")


class ImdbRunOut(ApiModel):
    id: int
    status: str = Field(description="running | succeeded | failed | skipped (nothing changed) | partial")
    trigger: str = Field(description="schedule | admin | cli")
    requested_by: UUID | None
    started_at: datetime
    finished_at: datetime | None
    current_file: str | None = Field(description="The dataset being imported (running runs)")
    rows_done: int = Field(description="Lines processed so far over all files")
    error: str | None
    files: dict[str, ImdbFileFigures] = Field(description="Per dataset: title.basics, title.episode, "
                                                          "title.ratings, name.basics, title.principals")


class ImdbFileVersion(ApiModel):
    name: str
    sha256: str
    run_id: int | None
    imported_at: datetime


class ImdbStatus(ApiModel):
    running: bool = Field(description="Whether a run holds the import lock now")
    current: ImdbRunOut | None = Field(description="The running run, with its progress")
    runs: list[ImdbRunOut] = Field(description="The last 10 runs, newest first")
    files: list[ImdbFileVersion] = Field(description="The version of each file last imported in full")


class ImdbStarted(ApiModel):
    run_id: int
