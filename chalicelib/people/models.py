"""People API models: camelCase JSON out."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from chalicelib.catalog.models import MediaSummary, MediaType
from chalicelib.models import ApiModel


class PersonCard(ApiModel):
    id: int
    name: str
    profile_url: str | None = Field(default=None, description="null: the SPA draws a placeholder")
    known_for_department: str | None = Field(default=None, description="Acting, Directing, Writing, ...")


class FilmographyEntry(ApiModel):
    media_id: int
    media_type: MediaType
    title: str
    year: int | None = None
    role: str | None = Field(default=None, description="The character (cast) or the job (crew)")
    kind: Literal["cast", "crew"]
    poster_url: str | None = None
    seen: bool = Field(description="You watched the movie, or watched or started an episode of the show")


class PersonDetail(PersonCard):
    biography: str | None = None
    birth_year: int | None = None
    death_year: int | None = None
    known_for: list[MediaSummary] = Field(default_factory=list, description="The 8 most popular titles")
    following: bool = False
    filmography: list[FilmographyEntry] = Field(
        default_factory=list, description="One entry per title, kind and role; newest first, undated ones first")


class PersonFollow(ApiModel):
    person: PersonCard
    since: datetime
