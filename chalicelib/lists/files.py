"""List exports uploaded as files: which service wrote one (read from its content, not its name) and its
entries, the same entries a URL sync reads.

Letterboxd's list export (CSV) is a header block, ``Letterboxd list export v7`` / ``Date,Name,Tags,URL,
Description`` / one row naming the list (its URL: ``https://letterboxd.com/{user}/list/{slug}/`` or a
``https://boxd.it/…`` short link) / a blank line, then ``Position,Name,Year,URL,Description`` rows, one a film
(its URL a ``/film/{slug}/`` page or a short link). IMDb's list export is its ``/export`` CSV (``imdb.parse_export``:
Const is the IMDb id). Trakt has no list export file: its lists are imported by URL.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from chalicelib.config import ListSettings
from chalicelib.lists import imdb, refs, values
from chalicelib.lists.entries import Entry, Kind, MediaType
from chalicelib.lists.errors import (
    ListFailed,
    ListFileTooLong,
    MalformedListFile,
    UnsupportedListFile,
    UnsupportedListUrl,
)

LETTERBOXD_MAGIC = re.compile(r"^Letterboxd list export v\d+$")
LETTERBOXD_FILM = re.compile(r"^https?://(?:www\.)?letterboxd\.com/film/([a-z0-9][a-z0-9-]{0,199})/?$")
FILM_COLUMNS = {"Position", "Name"}
SUPPORTED = "a Letterboxd list export (CSV) or an IMDb list export (CSV)"


@dataclass(frozen=True, slots=True)
class ListFile:
    """An export read whole: the service, the list's URL when the file names one we can read, its name."""

    kind: Kind
    url: str | None
    title: str
    entries: list[Entry]


def read(filename: str, body: bytes, settings: ListSettings) -> ListFile:
    """The export's list; ``UnsupportedListFile`` for any other file, ``MalformedListFile`` for a broken one."""
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnsupportedListFile(f"Not a list export: upload {SUPPORTED}") from None
    if "\x00" in text:
        raise UnsupportedListFile(f"Not a list export: upload {SUPPORTED}")
    first = text.lstrip().split("\n", 1)[0].strip().strip('",').strip()
    name = _stem(filename)
    try:
        if LETTERBOXD_MAGIC.match(first):
            return parse_letterboxd(text, settings, name)
        if _is_imdb(text):
            entries = imdb.parse_export(body, settings)
            return ListFile(kind="imdb", url=None, title=name or "IMDb list", entries=entries)
    except ListFailed as exc:
        if exc.code == "list_too_large":
            raise ListFileTooLong(str(exc)) from None
        raise MalformedListFile(str(exc), fields={"content": "not a valid list export"}) from None
    if first.startswith(("[", "{")) or "trakt" in filename.lower():
        raise UnsupportedListFile("Trakt has no list export file: import a Trakt list by its URL "
                                  "(https://trakt.tv/users/{user}/lists/{list})")
    raise UnsupportedListFile(f"Not a list export: upload {SUPPORTED}")


def _is_imdb(text: str) -> bool:
    try:
        header = next(csv.reader(io.StringIO(text.split("\n", 1)[0])), [])
    except csv.Error:
        return False
    return {cell.strip() for cell in header} >= imdb.REQUIRED


def _stem(filename: str) -> str:
    base = PurePosixPath(filename.replace("\\", "/")).name
    return values.text(base.rsplit(".", 1)[0] if "." in base else base, 190) or ""


def parse_letterboxd(text: str, settings: ListSettings, fallback: str = "") -> ListFile:
    """A Letterboxd list export; ``ListFailed`` (``list_malformed``/``list_too_large``) when it is not one."""
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as exc:
        raise ListFailed("list_malformed", f"The Letterboxd export is not valid CSV ({exc})") from None
    header = next((n for n, row in enumerate(rows) if row and row[0].strip() == "Date"), None)
    films = next((n for n, row in enumerate(rows) if {c.strip() for c in row} >= FILM_COLUMNS), None)
    if header is None or films is None or films <= header:
        raise ListFailed("list_malformed", "The Letterboxd export has no list header or no films table "
                                           "(Date,Name,… then Position,Name,Year,URL,…)")
    meta = dict(zip((c.strip() for c in rows[header]), rows[header + 1], strict=False)) \
        if header + 1 < films else {}
    columns = [c.strip() for c in rows[films]]
    found: list[tuple[int, Entry]] = []
    for number, row in enumerate(r for r in rows[films + 1:] if any(cell.strip() for cell in r)):
        values.check_size(number + 1, settings)
        line = dict(zip(columns, row, strict=False))
        film = LETTERBOXD_FILM.match((line.get("URL") or "").strip())
        entry = Entry(media_type=None, title=values.text(line.get("Name")), year=values.year(line.get("Year")),
                      slug=film[1] if film else None)
        if entry.title is None and entry.slug is None:
            raise ListFailed("list_malformed", f"Row {number + 1} of the Letterboxd export names no film")
        found.append((values.positive(line.get("Position")) or number + 1, entry))
    title = values.text(meta.get("Name"), 190) or fallback or "Letterboxd list"
    return ListFile(kind="letterboxd", url=_list_url(meta.get("URL")), title=title,
                    entries=[entry for _, entry in sorted(found, key=lambda pair: pair[0])])


def _list_url(raw: str | None) -> str | None:
    """The list's canonical URL when it is a Letterboxd list page (a boxd.it short link is not read: null)."""
    if not raw or not raw.strip():
        return None
    try:
        ref = refs.parse(raw)
    except UnsupportedListUrl:
        return None
    return ref.url if ref.kind == "letterboxd" else None


def entries_json(entries: list[Entry]) -> str:
    return json.dumps([{"media_type": e.media_type, "title": e.title, "year": e.year, "imdb_id": e.imdb_id,
                        "tmdb_id": e.tmdb_id, "slug": e.slug} for e in entries])


def entries_from(stored: list[dict[str, object]]) -> list[Entry]:
    """The entries stored by ``entries_json`` (checked again: the row is data)."""
    result = []
    for row in stored:
        raw, slug = row.get("media_type"), row.get("slug")
        media_type: MediaType | None = "movie" if raw == "movie" else "show" if raw == "show" else None
        result.append(Entry(media_type=media_type,
                            title=values.text(row.get("title")), year=values.year(row.get("year")),
                            imdb_id=values.imdb_id(row.get("imdb_id")), tmdb_id=values.positive(row.get("tmdb_id")),
                            slug=slug if isinstance(slug, str) and slug else None))
    return result
