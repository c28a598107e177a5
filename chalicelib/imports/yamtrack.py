"""Yamtrack's CSV export: one line per tracked item.

Columns: media_id, source, media_type, title, image, season_number, episode_number, score, status,
notes, start_date, end_date, progress (newer versions add created_at, progressed_at). ``media_id`` is
the provider's id (TMDB for movie/tv/season/episode, IGDB for games); an episode line names its show's
TMDB id. Read: a movie that is Completed is a watch on ``end_date``; an episode line is a watch on
``end_date``; ``Planning`` puts a movie, show or game on watch later; a score (0-10) is a rating.
Anime, manga and books from other providers have no place here.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

from chalicelib.imports import rows as r
from chalicelib.imports import source
from chalicelib.imports.rows import MalformedFile, Row, Skipped

REQUIRED = {"media_id", "source", "media_type", "title", "season_number", "episode_number", "score", "status",
            "end_date"}
TYPES = {"movie": "movie", "tv": "show", "episode": "show", "game": "game"}


def _identity(line: dict[str, str]) -> dict | None:
    media_type = TYPES.get((line.get("media_type") or "").strip().lower())
    provider = (line.get("source") or "").strip().lower()
    if media_type is None or provider not in ("tmdb", "igdb"):
        return None
    key = "igdb_id" if provider == "igdb" else "tmdb_id"
    if (media_type == "game") != (provider == "igdb"):
        return None
    return {"media_type": media_type, "title": r.text(line.get("title")), key: r.integer(line.get("media_id"), 1)}


def _line_rows(line: dict[str, str]) -> Iterator[Row | Skipped]:
    identity = _identity(line)
    if identity is None:
        return
    kind, status = line["media_type"].strip().lower(), (line.get("status") or "").strip().lower()
    when = r.instant(line.get("end_date")) or r.instant(line.get("start_date"))
    if kind == "episode":
        yield Row(kind="watched", event_at=when, season_number=r.integer(line.get("season_number"), 0, 10_000),
                  episode_number=r.integer(line.get("episode_number"), 0, 100_000), **identity)
        return
    if kind == "movie" and status == "completed":
        yield Row(kind="watched", event_at=when, **identity)
    if status == "planning":
        yield Row(kind="watchlist", event_at=r.instant(line.get("created_at")), **identity)
    try:
        score = r.rating(line.get("score"))
    except r.BadValue as exc:  # the line's watch and watch-later entry stand
        yield r.skipped(identity["title"], exc)
        return
    if score is not None:
        yield Row(kind="rating", rating=score, **identity)


def read(stream: IO[bytes], filename: str) -> Iterator[Row | Skipped]:
    """Rows of a Yamtrack CSV export; Skipped for a line with a bad score."""
    if source.is_zip(stream):
        raise MalformedFile("A Yamtrack export is a CSV file, not a zip")
    for line in source.csv_rows(stream, filename, REQUIRED):
        if not isinstance(line.get("media_type"), str):
            raise MalformedFile(f"{filename}: a line has fewer columns than the header")
        yield from _line_rows(line)
