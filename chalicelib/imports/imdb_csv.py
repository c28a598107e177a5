"""IMDb's list exports: "Your Ratings" and the watchlist, as CSV (or both in a zip).

Ratings (Const, Your Rating, Date Rated, Title, Original Title, URL, Title Type, ..., Year, ...) become
ratings; a rated movie or episode also counts as watched on the day it was rated (IMDb keeps no watch
history of its own). The watchlist (Position, Const, Created, Modified, Description, Title, ..., Title
Type, ...) becomes watch later. ``Const`` is the IMDb id, matched first; title and year otherwise.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Literal

from chalicelib.imports import rows as r
from chalicelib.imports import source
from chalicelib.imports.rows import Kind, MalformedFile, Row, Skipped

RATINGS = {"Const", "Your Rating", "Date Rated", "Title", "Title Type", "Year"}
WATCHLIST = {"Position", "Const", "Created", "Title", "Title Type", "Year"}
# IMDb's title types (both the old "TV Series" and the newer "tvSeries" spellings, compared squashed).
TitleKind = Literal["movie", "show", "episode", "game"]
TYPES: dict[str, TitleKind | None] = {
    "movie": "movie", "tvmovie": "movie", "short": "movie", "tvshort": "movie", "video": "movie",
    "tvspecial": "movie", "tvseries": "show", "tvminiseries": "show", "tvepisode": "episode",
    "podcastseries": None, "podcastepisode": None, "videogame": "game", "musicvideo": None}


def _kind_of(line: dict[str, str]) -> TitleKind | None:
    squashed = "".join((line.get("Title Type") or "movie").split()).lower()
    return TYPES.get(squashed, "movie")


def _base(line: dict[str, str], kind: Kind, media_kind: TitleKind) -> Row:
    row = Row(kind=kind, title=r.text(line.get("Title")), year=r.year(line.get("Year")))
    if media_kind == "episode":
        row.episode_imdb_id = r.imdb_id(line.get("Const"))  # the show is found through the episode
        row.media_type = "show"
    else:
        row.imdb_id = r.imdb_id(line.get("Const"))
        row.media_type = media_kind
    return row


def _ratings(lines: Iterator[dict[str, str]]) -> Iterator[Row | Skipped]:
    for line in lines:
        media_kind = _kind_of(line)
        try:
            score = r.rating(line.get("Your Rating"))
        except r.BadValue as exc:  # the watch is inferred from the rating: both go
            yield r.skipped(r.text(line.get("Title")), exc)
            continue
        if media_kind is None or score is None:
            continue
        rated_at = r.instant(line.get("Date Rated"))
        if media_kind != "episode":
            row = _base(line, "rating", media_kind)
            row.rating, row.event_at = score, rated_at
            yield row
        if media_kind in ("movie", "episode"):
            watch = _base(line, "watched", media_kind)
            watch.event_at = rated_at
            yield watch


def _watchlist(lines: Iterator[dict[str, str]]) -> Iterator[Row]:
    for line in lines:
        media_kind = _kind_of(line)
        if media_kind in (None, "episode"):
            continue
        row = _base(line, "watchlist", media_kind)
        row.event_at = r.instant(line.get("Created"))
        yield row


def _csv(stream: IO[bytes], name: str) -> Iterator[Row | Skipped]:
    header = source.csv_header(stream)
    if header >= WATCHLIST:
        yield from _watchlist(source.csv_rows(stream, name, WATCHLIST))
    elif header >= RATINGS:
        yield from _ratings(source.csv_rows(stream, name, RATINGS))
    else:
        raise MalformedFile(f"{name} is not an IMDb ratings or watchlist export: expected the columns "
                            f"{', '.join(sorted(RATINGS))} (ratings) or {', '.join(sorted(WATCHLIST))} (watchlist)")


def read(stream: IO[bytes], filename: str) -> Iterator[Row | Skipped]:
    """Rows of an IMDb ratings or watchlist CSV, or of a zip holding such CSVs (Skipped: a bad rating)."""
    if not source.is_zip(stream):
        yield from _csv(stream, filename)
        return
    archive = source.open_zip(stream)
    names = source.members(archive, ".csv")
    if not names:
        raise MalformedFile("The zip holds no CSV file")
    for name in names:
        with source.member(archive, name) as handle:
            yield from _csv(handle, name)  # zip members seek (by re-reading)

