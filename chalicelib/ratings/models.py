"""Ratings API models."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from chalicelib.models import ApiModel


class RatingsCoverage(ApiModel):
    key_configured: bool = Field(description="An OMDb key is stored (admin settings) or in OMDB_API_KEY")
    covered: int = Field(description="Titles with an IMDb id that have ratings from elsewhere")
    total: int = Field(description="Movies and shows with an IMDb id (the ones OMDb can rate)")
    library_covered: int = Field(description="Of libraryTotal, those with ratings")
    library_total: int = Field(description=(
        "Movies and shows with an IMDb id in the library or anyone's watch later, history, favorites or "
        "progress (filled first)"))
    last_run_at: datetime | None = Field(description="When the ratings pass last finished")
    last_error: str | None = Field(description="The last run's error (a refused key, the daily limit, ...)")
