"""The dashboard's response shape: eleven widgets, each ``{items, error}``."""

from __future__ import annotations

from pydantic import Field

from chalicelib.models import ApiModel


class Widget(ApiModel):
    items: list[dict[str, object]] = Field(default_factory=list,
                                           description="The widget's cards (the shape of the matching list endpoint)")
    error: str | None = Field(default=None, description='"unavailable" when this widget\'s source failed')


class Dashboard(ApiModel):
    continue_watching: Widget
    watch_later: Widget
    game_backlog: Widget = Field(description="Active and paused games first, then the wishlist")
    recently_played_games: Widget
    active_downloads: Widget = Field(description="Non-terminal downloads with live telemetry merged in")
    recommendations: Widget
    upcoming_releases: Widget = Field(description="The user's release calendar, the next 14 days")
    trending: Widget
    recently_watched: Widget
    new_from_channels: Widget = Field(
        description="The newest videos of the YouTube channels you follow that you have not watched (VideoOut)")
    from_people_you_follow: Widget = Field(
        description="Titles of people you follow, newest release first (upcoming on top), without what you "
                    "watched or dismissed: {media: MediaSummary, people: [{id, name}]}")
