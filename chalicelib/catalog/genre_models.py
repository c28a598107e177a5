"""The custom-genre review round trip's API models (issue 37): genres an admin defines, the sheet, the decisions."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, field_validator

from chalicelib.catalog.models import SLUG, MediaType
from chalicelib.models import ApiModel, RequestModel

KEYWORD = r"^[^\W_][\w' -]{0,39}$"  # a word or short phrase: no regex or LIKE syntax to escape
Decision = Literal["approved", "rejected"]
State = Literal["pending", "approved", "rejected"]


class CustomGenreIn(RequestModel):
    slug: str = Field(max_length=64, pattern=SLUG, description="The genre filter's value, e.g. cooking")
    name: str = Field(min_length=1, max_length=64)
    media_types: list[MediaType] = Field(min_length=1, max_length=3)
    keywords: list[str] = Field(default_factory=list, max_length=50, description=(
        "Words that suggest a title for review when its title or synopsis holds one (case-insensitive)"))

    @field_validator("keywords")
    @classmethod
    def _keywords(cls, values: list[str]) -> list[str]:
        cleaned = sorted({v.strip().lower() for v in values if v.strip()})
        bad = [v for v in cleaned if not re.match(KEYWORD, v)]
        if bad:
            raise ValueError(f"keywords are words or short phrases (letters, digits, spaces, ' and -): {bad[0]!r}")
        return cleaned

    @field_validator("media_types")
    @classmethod
    def _types(cls, values: list[MediaType]) -> list[MediaType]:
        return sorted(set(values))


class CustomGenre(ApiModel):
    slug: str
    name: str
    media_types: list[str]
    keywords: list[str]
    approved: int = Field(description="Titles given the genre")
    rejected: int = Field(description="Suggestions turned down (never suggested again)")


class ReviewItem(ApiModel):
    media_id: int
    media_type: str
    title: str
    year: int | None = None
    overview: str | None = None
    decision: Decision | None = Field(default=None, description="null: pending review")
    suggested: bool = Field(description="The genre's keywords suggest it (false: decided earlier, no longer matching)")


class ReviewSheet(ApiModel):
    genres: list[CustomGenre]
    genre: str | None = Field(description="The genre this sheet lists (the first custom genre unless asked)")
    items: list[ReviewItem]
    page: int
    page_size: int
    total: int
    pending: int


class ReviewQuery(RequestModel):
    genre: str | None = Field(default=None, max_length=64, pattern=SLUG)
    state: State | None = None
    page: int = Field(default=1, ge=1, le=100_000)
    page_size: int = Field(default=50, ge=1, le=500)


class ReviewDecision(RequestModel):
    media_id: int = Field(ge=1)
    genre: str = Field(max_length=64, pattern=SLUG)
    decision: Decision


class ReviewImport(RequestModel):
    """What `make genres-import` (or the admin page) sends back: genre definitions and decisions, applied whole."""

    genres: list[CustomGenreIn] = Field(default_factory=list, max_length=200)
    decisions: list[ReviewDecision] = Field(default_factory=list, max_length=20_000)


class ReviewApplied(ApiModel):
    genres: int = Field(description="Custom genres created or updated")
    approved: int
    rejected: int
