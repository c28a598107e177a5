"""The anime numbering's SQL: the named queries of ``db/queries/anime.sql``, typed (rows in ``anime/rows.py``)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from psycopg.types.json import Jsonb

from chalicelib import db
from chalicelib.anime.rows import AnimeShowRow, MappingRow, SeasonCountRow
from chalicelib.db import Conn


def show(conn: Conn, *, media_id: int) -> AnimeShowRow | None:
    return db.queries().anime_show(conn, media_id=media_id)


def season_counts(conn: Conn, *, media_id: int) -> dict[int, int]:
    """Regular season number -> its episode count."""
    rows: list[SeasonCountRow] = list(db.queries().anime_season_counts(conn, media_id=media_id))
    return {row["season_number"]: row["episodes"] for row in rows}


def get_mapping(conn: Conn, *, media_id: int) -> MappingRow | None:
    return db.queries().anime_get_mapping(conn, media_id=media_id)


def store_mapping(conn: Conn, *, media_id: int, mal_id: int | None, mapping: Mapping[str, Any],
                  fetched_at: datetime) -> MappingRow:
    return db.queries().anime_store_mapping(conn, media_id=media_id, mal_id=mal_id, mapping=Jsonb(dict(mapping)),
                                            fetched_at=fetched_at)
