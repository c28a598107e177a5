"""/seen/'s own export (``GET /api/v1/me/export``, format ``seen-tracking-export``) read back.

The document names titles by their id in the exporting instance and describes each in ``media``
(type, title, year, TMDB/IGDB/IMDb ids) and each episode in ``episodes`` (show, season, number), so
another instance matches them like any other import and the same instance recognises its own ids.
Read: ``history`` (watches), ``ratings``, ``watchLater`` and ``favorites``. Each section is streamed in
its own pass over the file; only the title and episode descriptions are kept in memory.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any, TypedDict

from chalicelib.imports import rows as r
from chalicelib.imports import source
from chalicelib.imports.rows import Kind, MalformedFile, MediaType, Row, Skipped

FORMAT = "seen-tracking-export"
SECTIONS: tuple[tuple[str, Kind, str], ...] = (("history", "watched", "watchedAt"), ("ratings", "rating", "updatedAt"),
            ("watchLater", "watchlist", "addedAt"), ("favorites", "favorite", "addedAt"))


def _check_format(stream: IO[bytes], filename: str) -> None:
    if source.first_char(stream) != "{":
        raise MalformedFile(f"{filename} is not a /seen/ export: expected a JSON object")
    kind = next(source.json_items(stream, filename, "format"), None)
    stream.seek(0)
    if kind != FORMAT:
        raise MalformedFile(f"{filename} is not a /seen/ export: its format is {kind!r}, expected {FORMAT!r}")


class Title(TypedDict):
    """A title of the export's ``media`` list, as the fields of its rows (``Row``'s names)."""

    media_type: MediaType
    title: str | None
    year: int | None
    tmdb_id: int | None
    igdb_id: int | None
    imdb_id: str | None
    media_hint: int


def _titles(stream: IO[bytes], filename: str) -> dict[int, Title]:
    titles: dict[int, Title] = {}
    for item in source.json_items(stream, filename, "media.item"):
        media_id = r.integer(item.get("mediaId"), 1) if isinstance(item, dict) else None
        if media_id is not None and item.get("mediaType") in ("movie", "show", "game"):
            titles[media_id] = {"media_type": item["mediaType"], "title": r.text(item.get("title")),
                                "year": r.year(item.get("year")), "tmdb_id": r.integer(item.get("tmdbId"), 1),
                                "igdb_id": r.integer(item.get("igdbId"), 1), "imdb_id": r.imdb_id(item.get("imdbId")),
                                "media_hint": media_id}
    stream.seek(0)
    return titles


def _episodes(stream: IO[bytes], filename: str) -> dict[int, tuple[int, int]]:
    episodes: dict[int, tuple[int, int]] = {}
    for item in source.json_items(stream, filename, "episodes.item"):
        if isinstance(item, dict) and r.integer(item.get("episodeId"), 1) is not None:
            # bounded like every reader's: an integer column refuses 2**40 and would fail the whole import
            season = r.integer(item.get("seasonNumber"), 0, 10_000)
            number = r.integer(item.get("episodeNumber"), 0, 100_000)
            if season is not None and number is not None:
                episodes[int(item["episodeId"])] = (season, number)
    stream.seek(0)
    return episodes


def _row(entry: Any, kind: Kind, at: str, titles: dict[int, Title],
         episodes: dict[int, tuple[int, int]]) -> Row | Skipped | None:
    if not isinstance(entry, dict):
        return Skipped(f"An entry of {kind!r} that is not a JSON object")
    if r.integer(entry.get("mediaId"), 1) not in titles:
        return None
    row = Row(kind=kind, event_at=r.instant(entry.get(at)), **titles[int(entry["mediaId"])])
    if kind == "rating":
        try:
            row.rating = r.rating(entry.get("rating"))
        except r.BadValue as exc:
            return r.skipped(row.title, exc)
    episode_id = r.integer(entry.get("episodeId"), 1)
    if kind == "watched" and episode_id is not None:
        if episode_id not in episodes:
            return None
        row.season_number, row.episode_number = episodes[episode_id]
    return row


def read(stream: IO[bytes], filename: str) -> Iterator[Row | Skipped]:
    """Rows of a /seen/ tracking export; Skipped for a broken entry."""
    _check_format(stream, filename)
    titles, episodes = _titles(stream, filename), _episodes(stream, filename)
    for section, kind, at in SECTIONS:
        for entry in source.json_items(stream, filename, f"{section}.item"):
            row = _row(entry, kind, at, titles, episodes)
            if isinstance(row, Skipped) or (row is not None and (kind != "rating" or row.rating is not None)):
                yield row
        stream.seek(0)
