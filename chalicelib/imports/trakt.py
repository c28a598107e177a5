"""Trakt's data export: a zip of JSON files, or one of them on its own.

Read: the watch history (``watched-history.json``, any ``*history*.json``: ``{watched_at, type:
movie|episode, movie | show + episode{season, number, ids}}``), ``ratings-movies.json`` /
``ratings-shows.json`` (``{rated_at, rating 1-10, type, movie | show}``) and ``watchlist-movies.json`` /
``watchlist-shows.json`` (``{listed_at, type, movie | show}``); today's exports name the watchlist
``lists-watchlist.json`` and add ``lists-favorites.json`` (same entries; both may be split into
``-2``, ``-3``... pages). Collections, comments, custom lists (``lists-list-*``) and episode or season
ratings have no place here and are skipped. Each entry says what it is (``watched_at``, ``rated_at``,
``listed_at``), so a single file needs no particular name, except that a listed entry is a favorite
when its file is the favorites list. Files are arrays read one entry at a time (ijson): a 50 MB
history never sits in memory.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import IO, Any

from chalicelib.imports import rows as r
from chalicelib.imports import source
from chalicelib.imports.rows import JsonObject, Kind, MalformedFile, MediaType, Row, Skipped

PREFIXES = ("watched-history", "history", "ratings-movies", "ratings-shows", "watchlist-movies",
            "watchlist-shows", "watchlist")
LISTS = re.compile(r"^lists-(watchlist|favorites)(-[0-9]+)?\.json$")  # not lists-lists or lists-list-<id>


def _ids(item: JsonObject) -> tuple[str | None, int | None]:
    """The IMDb and TMDB ids of a title."""
    ids = item.get("ids")
    ids = ids if isinstance(ids, dict) else {}
    return r.imdb_id(ids.get("imdb")), r.integer(ids.get("tmdb"), 1)


def _title_row(kind: Kind, media_type: MediaType, item: Any) -> Row | None:
    if not isinstance(item, dict):
        return None
    imdb_id, tmdb_id = _ids(item)
    return Row(kind=kind, media_type=media_type, title=r.text(item.get("title")), year=r.year(item.get("year")),
               imdb_id=imdb_id, tmdb_id=tmdb_id)


def _watch(entry: JsonObject) -> Row | Skipped | None:
    if entry.get("type") == "movie":
        row = _title_row("watched", "movie", entry.get("movie"))
    elif entry.get("type") == "episode" and isinstance(entry.get("episode"), dict):
        row = _title_row("watched", "show", entry.get("show"))
        episode = entry["episode"]
        if row is not None:
            row.season_number = r.integer(episode.get("season"), 0, 10_000)
            row.episode_number = r.integer(episode.get("number"), 0, 100_000)
            ids = episode.get("ids")
            ids = ids if isinstance(ids, dict) else {}
            row.episode_imdb_id = r.imdb_id(ids.get("imdb"))
    elif entry.get("type") == "episode":
        return Skipped("A watched episode without its episode details")
    else:
        return None
    if row is None:
        return Skipped(f"A watched {entry['type']} without its {'movie' if entry['type'] == 'movie' else 'show'}")
    row.event_at = r.instant(entry.get("watched_at"))
    return row


def _titled(entry: JsonObject, kind: Kind) -> Row | Skipped | None:
    kinds: dict[object, MediaType] = {"movie": "movie", "show": "show"}
    media_type = kinds.get(entry.get("type"))  # season and episode ratings or entries: skipped
    if media_type is None:
        return None
    row = _title_row(kind, media_type, entry.get(entry["type"]))
    if row is None:
        return Skipped(f"An entry of type {media_type} without its {media_type}")
    row.event_at = r.instant(entry.get("rated_at" if kind == "rating" else "listed_at"))
    if kind == "rating":
        try:
            row.rating = r.rating(entry.get("rating"))
        except r.BadValue as exc:
            return r.skipped(row.title, exc)
        return row if row.rating is not None else None
    return row


def entry_row(entry: Any, listed: Kind = "watchlist") -> Row | Skipped | None:
    """The row of one export entry, Skipped when it is broken, None for what is not imported.

    ``listed`` is what a ``listed_at`` entry is: ``watchlist`` or ``favorite`` (told by its file's name).
    """
    if not isinstance(entry, dict):
        return Skipped("An entry that is not a JSON object")
    if "watched_at" in entry:
        return _watch(entry)
    if "rated_at" in entry:
        return _titled(entry, "rating")
    if "listed_at" in entry:
        return _titled(entry, listed)
    return None


def _entries(stream: IO[bytes], name: str) -> Iterator[Row | Skipped]:
    if source.first_char(stream) != "[":
        raise MalformedFile(f"{name} is not a Trakt export file: expected a JSON array of entries")
    listed = "favorite" if "favorite" in source.basename(name) else "watchlist"
    for entry in source.json_items(stream, name):
        row = entry_row(entry, listed)
        if row is not None:
            yield row


def _readable(name: str) -> bool:
    base = source.basename(name)
    if base.startswith("lists-"):
        return LISTS.match(base) is not None
    return base.startswith(PREFIXES) or "history" in base


def read(stream: IO[bytes], filename: str) -> Iterator[Row | Skipped]:
    """Rows of a Trakt export zip (or one of its JSON files); Skipped for a broken entry."""
    if not source.is_zip(stream):
        yield from _entries(stream, filename)
        return
    archive = source.open_zip(stream)
    names = [name for name in source.members(archive, ".json") if _readable(name)]
    if not names:
        raise MalformedFile("Not a Trakt export: the zip has no watched-history, ratings, watchlist or favorites "
                            "JSON file")
    for name in names:
        with source.member(archive, name) as handle:
            yield from _entries(handle, name)
