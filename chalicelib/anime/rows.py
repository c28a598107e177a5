"""The anime numbering's rows as psycopg returns them (``dict_row``), typed for the checker."""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypedDict


class AnimeShowRow(TypedDict):
    """``anime_show``: a show and what says whether it is anime."""

    id: int
    title: str
    original_title: str | None
    year: int | None
    tmdb_id: int | None
    original_language: str | None
    mal_id: int | None
    anidb_id: int | None
    animation: bool


class SeasonCountRow(TypedDict):
    season_number: int
    episodes: int


class MappingRow(TypedDict):
    """``anime_mappings``: ``mapping`` is ``AnimeMapping.as_json()``."""

    media_id: int
    mal_id: int | None
    mapping: dict[str, Any]
    fetched_at: datetime
