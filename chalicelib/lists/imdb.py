"""IMDb lists: the list page (``/list/ls…/``, for its name) and its CSV export (``/list/ls…/export``).

The export's columns are Position, Const, Created, Modified, Description, Title, (Original Title,) URL,
Title Type, IMDb Rating, Runtime (mins), Year, Genres, Num Votes, Release Date, Directors …; ``Const`` is the
IMDb id, matched first. A title type names a movie (movie, tvMovie, short, video, tvSpecial — also in the old
"TV Movie" spelling) or a show (tvSeries, tvMiniSeries); episodes and games have no place in a collection's
catalog match by IMDb id and are counted unmatched.
"""

from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser

from chalicelib.config import ListSettings
from chalicelib.lists import values
from chalicelib.lists.entries import Entry, Fetch, ListData, ListRef, MediaType
from chalicelib.lists.errors import ListFailed
from chalicelib.lists.fetch import check_status

SERVICE = "IMDb"
REQUIRED = {"Const", "Title"}
TYPES: dict[str, MediaType | None] = {
    "movie": "movie", "tvmovie": "movie", "short": "movie", "tvshort": "movie", "video": "movie",
    "tvspecial": "movie", "tvseries": "show", "tvminiseries": "show"}
TITLE_SUFFIX = re.compile(r"\s+-\s+IMDb$")


class _ListPage(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.og_title: str | None = None
        self.title: str | None = None
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "meta" and found.get("property") == "og:title":
            self.og_title = values.text(found.get("content"))
        self._in_title = tag == "title"

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title = values.text((self.title or "") + data)

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False


def page_title(body: bytes) -> str | None:
    parser = _ListPage()
    parser.feed(body.decode("utf-8", errors="replace"))
    parser.close()
    found = parser.og_title or parser.title
    return TITLE_SUFFIX.sub("", found) if found else None


def parse_export(body: bytes, settings: ListSettings) -> list[Entry]:
    """The export's titles in list order; ``ListFailed`` when it is not an IMDb list export."""
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ListFailed("list_malformed", "IMDb's export is not UTF-8 text") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if not set(reader.fieldnames or ()) >= REQUIRED:
        raise ListFailed("list_malformed", "IMDb's answer is not a list export (no Const and Title columns)")
    rows: list[tuple[int, Entry]] = []
    try:
        for number, line in enumerate(reader):
            values.check_size(number + 1, settings)
            squashed = "".join((line.get("Title Type") or "movie").split()).lower()
            position = values.positive(line.get("Position")) or number + 1
            entry = Entry(media_type=TYPES.get(squashed), title=values.text(line.get("Title")),
                          year=values.year(line.get("Year")), imdb_id=values.imdb_id(line.get("Const")))
            rows.append((position, entry))
    except csv.Error as exc:
        raise ListFailed("list_malformed", f"IMDb's export is not valid CSV ({exc})") from None
    return [entry for _, entry in sorted(rows, key=lambda pair: pair[0])]


def read(ref: ListRef, fetch: Fetch, settings: ListSettings) -> ListData:
    """The list's name (its page) and titles (its export)."""
    base = f"{settings.imdb_base_url}/list/{ref.list_id}/"
    status, _, body = fetch(base)
    check_status(status, SERVICE, ref.url)
    title = page_title(body)
    status, _, body = fetch(f"{base}export", {"Accept": "text/csv"})
    check_status(status, SERVICE, ref.url)
    return ListData(title=title or f"IMDb list {ref.list_id}", entries=parse_export(body, settings))
