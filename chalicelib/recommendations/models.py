"""Recommendations and onboarding-preferences API models."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Literal

from pydantic import Field, field_validator

from chalicelib.catalog.models import SLUG, MediaSummary, MediaType
from chalicelib.models import ApiModel, RequestModel
from chalicelib.notifications.models import NotificationSettings, NotificationSettingsIn

MAX_FAVORITE_GENRES = 30


class RecommendationsQuery(RequestModel):
    media_type: MediaType | None = None
    page: int = Field(default=1, ge=1, le=1000)
    page_size: int = Field(default=20, ge=1, le=100)


class Reason(ApiModel):
    code: str = Field(description="because_you | same_franchise | addon | genre | platform | popular")
    text: str = Field(examples=["Because you rated Inception ★★★★", "Because you watched Breaking Bad"])
    ref_media_id: int | None = Field(default=None, description="The title this reason refers to")
    ref_genre_id: int | None = None
    ref_rating: float | None = Field(default=None, ge=1, le=10, description=(
        "Your rating of that title, 1-10 in half steps (5 stars with halves: 8 is 4 of 5), when the reason is "
        "that you rated it"))


class Recommendation(ApiModel):
    media: MediaSummary
    score: float = Field(description="Higher is better; comparable within one snapshot")
    reasons: list[Reason]


class RecommendationPage(ApiModel):
    items: list[Recommendation]
    page: int
    page_size: int
    total: int
    computed_at: datetime | None = Field(default=None, description="When the snapshot was computed")
    cold_start: bool = Field(default=False, description="True when the user has no history yet")


DismissReason = Literal["not_interested", "already_seen", "dislike"]


class DismissQuery(RequestModel):
    reason: DismissReason = "not_interested"


class DismissalOut(ApiModel):
    media_id: int
    reason: DismissReason
    dismissed_at: datetime


class PreferencesIn(RequestModel):
    favorite_genres: list[str] | None = Field(
        default=None, max_length=MAX_FAVORITE_GENRES,
        description="Genre slugs from GET /api/v1/genres (movies, shows and games); absent: unchanged")
    notifications: NotificationSettingsIn | None = Field(
        default=None, description="Notification rules and channels; absent: unchanged")

    @field_validator("favorite_genres")
    @classmethod
    def _slugs(cls, value: list[str] | None) -> list[str] | None:
        if value is None:
            return None
        cleaned = []
        for slug in value:
            slug = slug.strip().lower()
            if not re.fullmatch(SLUG, slug) or len(slug) > 64:
                raise ValueError(f"{slug[:64]!r} is not a genre slug")
            if slug not in cleaned:
                cleaned.append(slug)
        return cleaned


class FavoriteGenre(ApiModel):
    slug: str
    name: str
    media_types: list[MediaType]


class PreferencesOut(ApiModel):
    favorite_genres: list[FavoriteGenre]
    onboarded_at: datetime | None = None
    notifications: NotificationSettings
