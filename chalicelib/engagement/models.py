"""Engagement request models."""

from __future__ import annotations

from pydantic import Field

from chalicelib.models import RequestModel


class CollectionClick(RequestModel):
    """A click on a discover row (a curated collection): its key, and the title clicked if any."""

    section_key: str = Field(min_length=1, max_length=100, pattern=r"^[a-z0-9][a-z0-9_.:-]*$",
                             description="The row's key as GET /api/v1/discover returns it")
    media_id: int | None = Field(default=None, ge=1, le=2**53, strict=True,
                                 description="The title opened from the row (also counted as a view)")
