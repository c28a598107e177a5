"""Letterboxd lists from their public pages (Letterboxd has no open API): ``/{user}/list/{slug}/`` and
``/page/N/``, read with the standard library's HTML parser.

A page names each film by a poster element: ``data-film-slug`` / ``data-target-link="/film/{slug}/"`` (the
classic markup) or ``data-item-slug`` / ``data-item-link`` and ``data-item-name="Title (Year)"`` (the
LazyPoster markup); the list's name is its ``og:title`` (or ``<h1 class="title-1">``) and the other pages are
the ``/page/N/`` links of its paginator. The TMDB and IMDb ids are on each film's page (``/film/{slug}/``:
``data-tmdb-id``/``data-tmdb-type`` on the body, links to themoviedb.org and imdb.com), read once per slug.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import quote

from chalicelib.config import ListSettings
from chalicelib.lists import values
from chalicelib.lists.entries import Entry, Fetch, ListData, ListRef, MediaType
from chalicelib.lists.errors import ListFailed
from chalicelib.lists.fetch import check_status

SERVICE = "Letterboxd"
FILM_LINK = re.compile(r"^/film/([a-z0-9][a-z0-9-]{0,199})/?$")
BARE_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,199}$")
NAME_YEAR = re.compile(r"^(.*\S)\s+\((\d{4})\)$")
TMDB_LINK = re.compile(r"themoviedb\.org/(movie|tv)/(\d+)")
IMDB_LINK = re.compile(r"imdb\.com/title/(tt\d{1,12})")


def _slug(raw: str | None) -> str | None:
    if not raw:
        return None
    raw = raw.strip()
    if match := FILM_LINK.match(raw):
        return match[1]
    return raw if BARE_SLUG.match(raw) else None


@dataclass
class _Film:
    slug: str
    title: str | None = None
    year: int | None = None


class ListPage(HTMLParser):
    """The films of one list page in order, the list's name and the highest page number linked."""

    def __init__(self, page_prefix: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_prefix = page_prefix
        self.films: list[_Film] = []
        self.og_title: str | None = None
        self.h1: str | None = None
        self.pages = 1
        self._in_h1 = False
        self._last: _Film | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "meta" and found.get("property") == "og:title":
            self.og_title = values.text(found.get("content"))
        elif tag == "h1" and "title-1" in (found.get("class") or "").split():
            self._in_h1 = True
        elif tag == "a" and (href := found.get("href")) and href.startswith(self.page_prefix):
            number = href[len(self.page_prefix):].strip("/")
            if number.isdigit():
                self.pages = max(self.pages, int(number))
        slug = _slug(found.get("data-film-slug") or found.get("data-item-slug")) or _slug(
            found.get("data-target-link") or found.get("data-item-link"))
        if slug:
            self._poster(slug, found)
        elif tag == "img" and self._last is not None and self._last.title is None:
            self._last.title = values.text((found.get("alt") or "").removeprefix("Poster for "))

    def _poster(self, slug: str, found: dict[str, str | None]) -> None:
        if self._last is not None and self._last.slug == slug:
            return  # nested markup naming the same film twice
        film = _Film(slug)
        name = values.text(found.get("data-item-name") or found.get("data-film-name"))
        if name and (match := NAME_YEAR.match(name)):
            film.title, film.year = match[1], values.year(match[2])
        elif name:
            film.title = name
        self.films.append(film)
        self._last = film

    def handle_data(self, data: str) -> None:
        if self._in_h1:
            self.h1 = values.text((self.h1 or "") + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "h1":
            self._in_h1 = False


def parse_page(body: bytes, page_prefix: str) -> ListPage:
    parser = ListPage(page_prefix=page_prefix)
    parser.feed(body.decode("utf-8", errors="replace"))
    parser.close()
    return parser


@dataclass
class FilmIds:
    media_type: MediaType | None = None
    tmdb_id: int | None = None
    imdb_id: str | None = None


class _FilmPage(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids = FilmIds()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "body" and (tmdb := values.positive(found.get("data-tmdb-id"))):
            self.ids.tmdb_id = tmdb
            self.ids.media_type = "show" if found.get("data-tmdb-type") == "tv" else "movie"
        if tag != "a" or not (href := found.get("href")):
            return
        if self.ids.tmdb_id is None and (match := TMDB_LINK.search(href)):
            self.ids.media_type = "show" if match[1] == "tv" else "movie"
            self.ids.tmdb_id = values.positive(match[2])
        if self.ids.imdb_id is None and (match := IMDB_LINK.search(href)):
            self.ids.imdb_id = match[1]


def parse_film_page(body: bytes) -> FilmIds:
    parser = _FilmPage()
    parser.feed(body.decode("utf-8", errors="replace"))
    parser.close()
    return parser.ids


def film_ids(slug: str, fetch: Fetch, settings: ListSettings) -> FilmIds:
    """The ids a film's page names (empty when the page names none)."""
    status, _, body = fetch(f"{settings.letterboxd_base_url}/film/{quote(slug, safe='')}/")
    check_status(status, SERVICE, f"/film/{slug}/")
    return parse_film_page(body)


def read(ref: ListRef, fetch: Fetch, settings: ListSettings) -> ListData:
    """The list's name and films in order over all its pages (bounded); ``ListFailed`` when it cannot."""
    path = f"/{quote(ref.owner, safe='')}/list/{quote(ref.list_id, safe='')}/"
    films: list[_Film] = []
    title: str | None = None
    page, pages = 1, 1
    while page <= pages:
        status, _, body = fetch(f"{settings.letterboxd_base_url}{path}" + (f"page/{page}/" if page > 1 else ""))
        check_status(status, SERVICE, ref.url)
        parsed = parse_page(body, f"{path}page/")
        if page == 1:
            title = parsed.og_title or parsed.h1
            if title is None and not parsed.films:
                raise ListFailed("list_malformed", "Letterboxd's answer is not a list page")
        pages = max(pages, parsed.pages)
        if pages > settings.max_pages:
            raise ListFailed("list_too_large", f"The list has {pages} pages; at most {settings.max_pages} are read")
        films += parsed.films
        values.check_size(len(films), settings)
        page += 1
    entries = [Entry(media_type=None, title=f.title, year=f.year, slug=f.slug) for f in films]
    name = (title or ref.list_id).replace("\u200e", "").removesuffix(" • Letterboxd").strip()
    return ListData(title=name or ref.list_id, entries=entries)
