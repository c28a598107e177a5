"""Fakes of the three list services /seen/ imports collections from, each speaking its real wire format.

- ``FakeTraktApi`` answers like api.trakt.tv (API v2): ``GET /users/{id}/lists/{list_id}`` (the list: ``name``,
  ``description``, ``privacy``, ``item_count``, ``ids``) and ``GET /users/{id}/lists/{list_id}/items`` (an array
  of ``{"rank", "id", "listed_at", "notes", "type", "movie"|"show"|…}`` with ``ids: {trakt, slug, imdb, tmdb}``)
  paged by ``page``/``limit`` with ``X-Pagination-Page``, ``-Limit``, ``-Page-Count`` and ``-Item-Count``. A
  request without ``trakt-api-key`` or ``trakt-api-version: 2`` is refused (403/412, as Trakt does); a private
  or unknown list is 404.
- ``FakeLetterboxd`` answers like letterboxd.com: ``/{user}/list/{slug}/`` and ``/page/N/`` (100 films a page;
  ``og:title``, ``<h1 class="title-1">``, poster ``<div class="… film-poster" data-film-slug data-target-link>``
  with an ``<img alt>``, and the ``paginate-pages`` links), and ``/film/{slug}/`` (``<body data-tmdb-id
  data-tmdb-type>`` and the IMDb/TMDB links of the film page).
- ``FakeImdbLists`` answers like www.imdb.com: ``/list/ls…/`` (``og:title``, ``<title>… - IMDb``) and
  ``/list/ls…/export``, the list's CSV export with IMDb's columns.

    python -m embedded.fakes.lists --port 18350   # three fakes on 18350 (Trakt), 18351 (Letterboxd), 18352 (IMDb)
"""

from __future__ import annotations

import argparse
import csv
import html
import io
import re
import threading
import zlib
from dataclasses import dataclass, field
from typing import Any

from embedded.fakes import FakeServer, Recorded, Reply

HTML = {"Content-Type": "text/html; charset=utf-8"}
TRAKT_LIST = re.compile(r"^/users/([^/]+)/lists/([^/]+)(/items(?:/[a-z,]+)?)?/?$")
LB_LIST = re.compile(r"^/([^/]+)/list/([^/]+)/(?:page/(\d+)/)?$")
LB_FILM = re.compile(r"^/film/([^/]+)/$")
IMDB_LIST = re.compile(r"^/list/(ls\d+)/(export)?$")
IMDB_COLUMNS = ["Position", "Const", "Created", "Modified", "Description", "Title", "Original Title", "URL",
                "Title Type", "IMDb Rating", "Runtime (mins)", "Year", "Genres", "Num Votes", "Release Date",
                "Directors"]


@dataclass
class TraktItem:
    """``kind`` movie or show; ``imdb``/``tmdb`` as Trakt gives them (either may be null)."""

    kind: str
    title: str
    year: int | None
    imdb: str | None = None
    tmdb: int | None = None


@dataclass
class TraktList:
    name: str
    items: list[TraktItem] = field(default_factory=list)
    private: bool = False


class FakeTraktApi(FakeServer):
    name = "trakt"

    def __init__(self, client_id: str = "fake-trakt-client-id", host: str = "127.0.0.1", port: int = 0):
        super().__init__(host, port)
        self.client_id = client_id
        self.lists: dict[tuple[str, str], TraktList] = {}
        self.slugs: dict[tuple[str, str], str] = {}  # (user, numeric id) -> slug

    def add_list(self, user: str, slug: str, name: str, items: list[TraktItem], *, trakt_id: int | None = None,
                 private: bool = False) -> TraktList:
        found = TraktList(name, list(items), private)
        self.lists[(user, slug)] = found
        if trakt_id is not None:
            self.slugs[(user, str(trakt_id))] = slug
        return found

    def error_body(self, status: int) -> Any:
        return {"error": "injected failure", "status": status}

    def handle(self, request: Recorded) -> Reply:
        if request.headers.get("trakt-api-key") != self.client_id:
            return Reply(403, {"error": "invalid api key"})
        if request.headers.get("trakt-api-version") != "2":
            return Reply(412, {"error": "trakt-api-version header missing"})
        match = TRAKT_LIST.match(request.path)
        if match is None:
            return Reply(404, {"error": "not found"})
        user, list_id, items = match.groups()
        slug = self.slugs.get((user, list_id), list_id)
        found = self.lists.get((user, slug))
        if found is None or found.private:
            return Reply(404, {"error": "not found"})
        if items is None:
            return Reply(200, self._list(user, slug, found))
        return self._items(found, request.query)

    def _list(self, user: str, slug: str, found: TraktList) -> dict[str, Any]:
        trakt_id = next((int(i) for (u, i), s in self.slugs.items() if u == user and s == slug), 1)
        return {"name": found.name, "description": "", "privacy": "public", "share_link": None, "type": "personal",
                "display_numbers": True, "allow_comments": True, "sort_by": "rank", "sort_how": "asc",
                "created_at": "2024-01-01T00:00:00.000Z", "updated_at": "2024-06-01T00:00:00.000Z",
                "item_count": len(found.items), "comment_count": 0, "likes": 0,
                "ids": {"trakt": trakt_id, "slug": slug},
                "user": {"username": user, "private": False, "name": user, "vip": False, "vip_ep": False,
                         "ids": {"slug": user}}}

    def _items(self, found: TraktList, query: dict[str, str]) -> Reply:
        page = max(int(query.get("page") or 1), 1)
        limit = max(min(int(query.get("limit") or 10), 100), 1)
        total = len(found.items)
        pages = max((total + limit - 1) // limit, 1)
        start = (page - 1) * limit
        body = [self._item(rank, item) for rank, item in enumerate(found.items[start:start + limit], start + 1)]
        headers = {"X-Pagination-Page": str(page), "X-Pagination-Limit": str(limit),
                   "X-Pagination-Page-Count": str(pages), "X-Pagination-Item-Count": str(total),
                   "X-Sort-By": "rank", "X-Sort-How": "asc"}
        return Reply(200, body, headers)

    @staticmethod
    def _item(rank: int, item: TraktItem) -> dict[str, Any]:
        slug = re.sub(r"[^a-z0-9]+", "-", item.title.lower()).strip("-")
        ids: dict[str, Any] = {"trakt": 1000 + rank, "slug": slug, "imdb": item.imdb, "tmdb": item.tmdb}
        if item.kind == "show":
            ids["tvdb"] = None
        return {"rank": rank, "id": 50000 + rank, "listed_at": "2024-05-01T10:00:00.000Z", "notes": None,
                "type": item.kind, item.kind: {"title": item.title, "year": item.year, "ids": ids}}


@dataclass
class LetterboxdFilm:
    slug: str
    title: str
    year: int | None
    tmdb: int | None = None
    tmdb_type: str = "movie"
    imdb: str | None = None


class FakeLetterboxd(FakeServer):
    name = "letterboxd"
    per_page = 100

    def __init__(self, host: str = "127.0.0.1", port: int = 0):
        super().__init__(host, port)
        self.films: dict[str, LetterboxdFilm] = {}
        self.lists: dict[tuple[str, str], tuple[str, list[str]]] = {}  # (user, slug) -> (name, film slugs)
        self._guard = threading.Lock()

    def add_film(self, film: LetterboxdFilm) -> LetterboxdFilm:
        self.films[film.slug] = film
        return film

    def add_list(self, user: str, slug: str, name: str, films: list[LetterboxdFilm]) -> None:
        for film in films:
            self.add_film(film)
        self.lists[(user, slug)] = (name, [f.slug for f in films])

    def error_body(self, status: int) -> bytes:
        return f"<html><body><h1>Error {status}</h1></body></html>".encode()

    def handle(self, request: Recorded) -> Reply:
        if match := LB_FILM.match(request.path):
            film = self.films.get(match[1])
            return Reply(200, self._film_page(film).encode(), HTML) if film else self._missing()
        if match := LB_LIST.match(request.path):
            user, slug, page = match.groups()
            found = self.lists.get((user, slug))
            if found is None:
                return self._missing()
            return self._list_page(user, slug, found, int(page or 1))
        return self._missing()

    def _missing(self) -> Reply:
        return Reply(404, self.error_body(404), HTML)

    def _list_page(self, user: str, slug: str, found: tuple[str, list[str]], page: int) -> Reply:
        name, slugs = found
        pages = max((len(slugs) + self.per_page - 1) // self.per_page, 1)
        if page > pages:
            return self._missing()
        chunk = slugs[(page - 1) * self.per_page:page * self.per_page]
        posters = "\n".join(self._poster(self.films[s]) for s in chunk)
        links = "".join(f'<li class="paginate-page"><a href="/{user}/list/{slug}/page/{n}/">{n}</a></li>'
                        for n in range(1, pages + 1))
        body = f"""<!DOCTYPE html>
<html lang="en" class="no-mobile"><head><meta charset="utf-8">
<title>&lrm;{html.escape(name)}, a list of films by {html.escape(user)} • Letterboxd</title>
<meta property="og:title" content="{html.escape(name)}">
<meta property="og:type" content="letterboxd:list"></head>
<body class="list-page" data-owner="{html.escape(user)}"><div id="content" class="site-body">
<section class="section col-main"><header class="list-title-intro"><h1 class="title-1 prettify">{html.escape(name)}</h1>
</header>
<ul class="js-list-entries poster-list -p125 -grid film-list">
{posters}
</ul>
<div class="pagination"><div class="paginate-pages"><ul>{links}</ul></div></div>
</section></div></body></html>"""
        return Reply(200, body.encode(), HTML)

    @staticmethod
    def _poster(film: LetterboxdFilm) -> str:
        name, film_id = html.escape(film.title), zlib.crc32(film.slug.encode()) % 10**6
        return (f'<li class="poster-container numbered-list-item"><div class="really-lazy-load poster film-poster '
                f'film-poster-{film_id} linked-film-poster" data-image-width="125" data-image-height="187" '
                f'data-film-id="{film_id}" data-film-slug="{film.slug}" data-poster-url="/film/{film.slug}/image-150/" '
                f'data-linked="linked" data-target-link="/film/{film.slug}/" data-target-link-target="" '
                f'data-cache-busting-key="0" data-show-menu="true"> <img '
                f'src="https://s.ltrbxd.com/static/img/empty-poster-125.png" class="image" width="125" height="187" '
                f'alt="{name}"/><span class="frame"><span class="frame-title"></span></span> </div></li>')

    @staticmethod
    def _film_page(film: LetterboxdFilm | None) -> str:
        assert film is not None
        tmdb = (f' data-tmdb-type="{film.tmdb_type}" data-tmdb-id="{film.tmdb}"' if film.tmdb else "")
        imdb = (f'<a href="http://www.imdb.com/title/{film.imdb}/maindetails" class="micro-button track-event" '
                f'data-track-action="IMDb">IMDb</a>' if film.imdb else "")
        tmdb_link = (f'<a href="https://www.themoviedb.org/{"tv" if film.tmdb_type == "tv" else "movie"}/'
                     f'{film.tmdb}/" class="micro-button track-event" data-track-action="TMDB">TMDB</a>'
                     if film.tmdb else "")
        year = f'<a href="/films/year/{film.year}/">{film.year}</a>' if film.year else ""
        return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta property="og:title" content="{html.escape(film.title)}">
</head><body class="film backdropped"{tmdb} data-type="film">
<section class="film-header-group">
<h1 class="headline-1 filmtitle"><span class="name">{html.escape(film.title)}</span></h1>
<div class="releaseyear">{year}</div></section>
<p class="text-link text-footer">More at {imdb} {tmdb_link}</p>
</body></html>"""


@dataclass
class ImdbTitle:
    const: str
    title: str
    year: int | None
    title_type: str = "Movie"  # IMDb's export spelling: Movie, TV Series, TV Mini Series, TV Episode, Short …


class FakeImdbLists(FakeServer):
    name = "imdb-lists"

    def __init__(self, host: str = "127.0.0.1", port: int = 0):
        super().__init__(host, port)
        self.lists: dict[str, tuple[str, list[ImdbTitle]]] = {}
        self.raw_exports: dict[str, bytes] = {}  # list id -> the export's bytes as they are (a malformed one)

    def add_list(self, list_id: str, name: str, titles: list[ImdbTitle]) -> None:
        self.lists[list_id] = (name, list(titles))

    def error_body(self, status: int) -> bytes:
        return f"<html><body>Error {status}</body></html>".encode()

    def handle(self, request: Recorded) -> Reply:
        match = IMDB_LIST.match(request.path)
        found = self.lists.get(match[1]) if match else None
        if match is None or found is None:
            return Reply(404, self.error_body(404), HTML)
        name, titles = found
        if match[2] is None:
            page = (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{html.escape(name)} - IMDb</title>'
                    f'<meta property="og:title" content="{html.escape(name)}"></head><body>'
                    f'<h1 class="ipc-title__text">{html.escape(name)}</h1></body></html>')
            return Reply(200, page.encode(), HTML)
        if match[1] in self.raw_exports:
            return Reply(200, self.raw_exports[match[1]], {"Content-Type": "text/csv"})
        return Reply(200, self.export_csv(titles), {"Content-Type": "text/csv; charset=utf-8",
                                                    "Content-Disposition": f'attachment; filename="{match[1]}.csv"'})

    @staticmethod
    def export_csv(titles: list[ImdbTitle]) -> bytes:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(IMDB_COLUMNS)
        for position, t in enumerate(titles, 1):
            writer.writerow([position, t.const, "2024-01-02", "2024-01-02", "", t.title, t.title,
                             f"https://www.imdb.com/title/{t.const}/", t.title_type, "7.5", "120",
                             t.year or "", "Drama", "12345", f"{t.year or 2000}-01-01", "Some Director"])
        return out.getvalue().encode()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m embedded.fakes.lists")
    parser.add_argument("--port", type=int, default=18350)
    args = parser.parse_args()
    trakt = FakeTraktApi(port=args.port)
    trakt.add_list("seen", "favourites", "Seen favourites", [TraktItem("movie", "The Matrix", 1999, "tt0133093", 603)])
    letterboxd = FakeLetterboxd(port=args.port + 1)
    letterboxd.add_list("seen", "favourites", "Seen favourites",
                        [LetterboxdFilm("the-matrix", "The Matrix", 1999, 603, imdb="tt0133093")])
    imdb = FakeImdbLists(port=args.port + 2)
    imdb.add_list("ls000000001", "Seen favourites", [ImdbTitle("tt0133093", "The Matrix", 1999)])
    for fake in (trakt, letterboxd):
        fake.start()
    print(f"fake Trakt API on {trakt.origin} (TRAKT_API_URL, TRAKT_CLIENT_ID={trakt.client_id}), Letterboxd on "
          f"{letterboxd.origin} (LETTERBOXD_BASE_URL), IMDb on {imdb.origin} (IMDB_LIST_BASE_URL); "
          "SEEN_LISTS_ALLOW_PRIVATE=true", flush=True)
    imdb._server.serve_forever()


if __name__ == "__main__":
    main()
