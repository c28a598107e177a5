"""The list readers of lists as collections (issue 38): URLs, Trakt items, Letterboxd pages, IMDb exports."""

from __future__ import annotations

import pytest

from chalicelib.config import ListSettings
from chalicelib.lists import imdb, letterboxd, refs, trakt
from chalicelib.lists.entries import Entry
from chalicelib.lists.errors import ListFailed, UnsupportedListUrl
from embedded.fakes.lists import FakeImdbLists, FakeLetterboxd, ImdbTitle, LetterboxdFilm

SETTINGS = ListSettings()


@pytest.mark.parametrize(("url", "kind", "canonical"), [
    ("https://trakt.tv/users/sean/lists/star-wars-in-order", "trakt",
     "https://trakt.tv/users/sean/lists/star-wars-in-order"),
    ("trakt.tv/users/sean/lists/123456/?sort=rank,asc", "trakt", "https://trakt.tv/users/sean/lists/123456"),
    ("https://letterboxd.com/dave/list/official-top-250-narrative-feature-films/page/3/", "letterboxd",
     "https://letterboxd.com/dave/list/official-top-250-narrative-feature-films/"),
    ("https://www.imdb.com/list/ls055592025/?ref_=tt_rls_1", "imdb", "https://www.imdb.com/list/ls055592025/"),
    ("  http://m.imdb.com/list/ls055592025  ", "imdb", "https://www.imdb.com/list/ls055592025/"),
])
def test_list_urls_are_recognised_and_made_canonical(url, kind, canonical):
    ref = refs.parse(url)
    assert (ref.kind, ref.url) == (kind, canonical)


@pytest.mark.parametrize("url", [
    "https://trakt.tv/users/sean/watchlist", "https://letterboxd.com/film/heat/", "https://letterboxd.com/dave/",
    "https://www.imdb.com/chart/top/", "https://user:pw@trakt.tv/users/a/lists/b",
    "https://trakt.tv:8443/users/a/lists/b", "javascript:alert(1)", "https://evil.example/list/ls1/", "",
])
def test_anything_else_is_an_unsupported_list_url(url):
    with pytest.raises(UnsupportedListUrl) as caught:
        refs.parse(url)
    assert caught.value.status == 400 and caught.value.code == "unsupported_list_url"


def test_trakt_items_become_entries_and_seasons_and_episodes_stand_for_their_show():
    movie = {"rank": 1, "type": "movie", "movie": {"title": "Heat", "year": 1995,
                                                   "ids": {"trakt": 1, "slug": "heat-1995", "imdb": "tt0113277",
                                                           "tmdb": 949}}}
    episode = {"rank": 2, "type": "episode", "episode": {"season": 1, "number": 1, "title": "Pilot"},
               "show": {"title": "Breaking Bad", "year": 2008, "ids": {"imdb": "tt0903747", "tmdb": 1396}}}
    person = {"rank": 3, "type": "person", "person": {"name": "Al Pacino", "ids": {"tmdb": 1158}}}
    hostile = {"rank": 4, "type": "movie", "movie": {"title": 5, "year": "x", "ids": {"imdb": "nm0000199",
                                                                                   "tmdb": -3}}}
    assert trakt.entry(movie) == Entry("movie", "Heat", 1995, "tt0113277", 949)
    assert trakt.entry(episode) == Entry("show", "Breaking Bad", 2008, "tt0903747", 1396)
    assert trakt.entry(person) is None and trakt.entry("junk") is None
    assert trakt.entry(hostile) == Entry("movie", None, None, None, None)


def test_a_letterboxd_page_gives_films_in_order_its_name_and_its_last_page():
    fake = FakeLetterboxd()
    try:
        fake.per_page = 2
        films = [LetterboxdFilm("heat", "Heat", 1995, 949), LetterboxdFilm("alien", "Alien", 1979, 348),
                 LetterboxdFilm("up-2009", "Up", 2009, 14160)]
        fake.add_list("dave", "faves", "Dave's faves & more", films)
        reply = fake._list_page("dave", "faves", fake.lists[("dave", "faves")], 1)
        page = letterboxd.parse_page(reply.body, "/dave/list/faves/page/")
    finally:
        fake._server.server_close()
    assert page.og_title == "Dave's faves & more" and page.pages == 2
    assert [(f.slug, f.title) for f in page.films] == [("heat", "Heat"), ("alien", "Alien")]


def test_the_lazy_poster_markup_is_read_too():
    body = b"""<html><head><meta property="og:title" content="New look"></head><body>
    <div class="react-component" data-component-class="LazyPoster" data-item-name="The Big Lebowski (1998)"
         data-item-slug="the-big-lebowski" data-item-link="/film/the-big-lebowski/" data-film-id="51935">
      <div class="poster film-poster"><img src="x" alt="Poster for The Big Lebowski (1998)"/></div></div>
    <a href="/dude/list/new-look/page/7/">7</a><a href="/dude/list/other/page/9/">9</a></body></html>"""
    page = letterboxd.parse_page(body, "/dude/list/new-look/page/")
    assert [(f.slug, f.title, f.year) for f in page.films] == [("the-big-lebowski", "The Big Lebowski", 1998)]
    assert page.pages == 7


def test_a_film_page_names_its_tmdb_and_imdb_ids():
    show = FakeLetterboxd._film_page(LetterboxdFilm("chernobyl", "Chernobyl", 2019, 87108, "tv", "tt7366338"))
    ids = letterboxd.parse_film_page(show.encode())
    assert (ids.media_type, ids.tmdb_id, ids.imdb_id) == ("show", 87108, "tt7366338")
    bare = letterboxd.parse_film_page(b'<body><a href="https://www.themoviedb.org/movie/949/">TMDB</a></body>')
    assert (bare.media_type, bare.tmdb_id, bare.imdb_id) == ("movie", 949, None)
    assert letterboxd.parse_film_page(b"<body>nothing</body>") == letterboxd.FilmIds()


def test_an_imdb_export_gives_titles_in_position_order_with_their_types():
    csv = FakeImdbLists.export_csv([ImdbTitle("tt0113277", "Heat", 1995),
                                    ImdbTitle("tt0903747", "Breaking Bad", 2008, "TV Series"),
                                    ImdbTitle("tt0959621", "Pilot", 2008, "TV Episode"),
                                    ImdbTitle("tt7366338", "Chernobyl", 2019, "tvMiniSeries")])
    lines = csv.decode().splitlines()
    shuffled = "\r\n".join([lines[0], lines[3], lines[1], lines[4], lines[2]]).encode("utf-8-sig")
    entries = imdb.parse_export(shuffled, SETTINGS)
    assert [(e.imdb_id, e.media_type, e.year) for e in entries] == [
        ("tt0113277", "movie", 1995), ("tt0903747", "show", 2008), ("tt0959621", None, 2008),
        ("tt7366338", "show", 2019)]


def test_an_imdb_export_that_is_not_one_or_too_long_is_refused():
    with pytest.raises(ListFailed) as caught:
        imdb.parse_export(b"Name,Stars\nfoo,5\n", SETTINGS)
    assert caught.value.code == "list_malformed"
    with pytest.raises(ListFailed) as caught:
        imdb.parse_export(b"\xff\xfe\x00junk", SETTINGS)
    assert caught.value.code == "list_malformed"
    many = FakeImdbLists.export_csv([ImdbTitle(f"tt{n:07d}", f"T{n}", 2000) for n in range(1, 6)])
    with pytest.raises(ListFailed) as caught:
        imdb.parse_export(many, ListSettings(max_entries=4))
    assert caught.value.code == "list_too_large"


def test_an_imdb_page_title_drops_the_site_suffix():
    assert imdb.page_title(b"<html><head><title>Crime classics - IMDb</title></head></html>") == "Crime classics"
    assert imdb.page_title(b"<p>no title</p>") is None
