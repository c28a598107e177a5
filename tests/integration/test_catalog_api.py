"""Catalog HTTP API on the offline demo catalog: discover, browse, details, genres, bad input, caching."""

from __future__ import annotations

import pytest

from tests.integration import catalog_support as support
from tests.integration.catalog_support import body, get


@pytest.fixture(scope="module")
def demo_template(template_url):
    yield from support.demo_template(template_url)


@pytest.fixture
def app_db(demo_template):
    """This module's app database: a copy of the demo-catalog template."""
    yield from support.app_database(demo_template)


@pytest.fixture
def headers(auth_headers):
    return auth_headers()


ROUTES = ["/api/v1/discover", "/api/v1/movies", "/api/v1/shows", "/api/v1/games", "/api/v1/movies/1",
          "/api/v1/shows/1", "/api/v1/shows/1/seasons/1", "/api/v1/games/1", "/api/v1/genres",
          "/api/v1/search?q=matrix", "/api/v1/search/suggest?q=mat"]


def test_every_catalog_route_needs_a_signed_in_user(client):
    for path in ROUTES:
        response = client.http.get(path)
        assert response.status_code == 401, path
        assert body(response)["error"]["code"] == "unauthorized"


def test_offline_discover_shows_rows_from_the_demo_catalog(client, headers):
    page = body(get(client, "/api/v1/discover", headers, pageSize=50))

    keys = [row["key"] for row in page["items"]]
    assert {"demo.movies.popular", "demo.shows.popular", "demo.games.popular", "demo.coming_soon"} <= set(keys)
    assert page["total"] == len(keys) and all(row["items"] for row in page["items"])
    popular = next(row for row in page["items"] if row["key"] == "demo.movies.popular")
    assert popular["source"] == "demo" and len(popular["items"]) == 20
    first = popular["items"][0]
    assert first["title"] == "The Matrix" and first["year"] == 1999 and first["isDemo"] is True
    assert first["posterUrl"] is None  # no artwork: the SPA draws a placeholder
    assert "Science Fiction" in first["genres"]


def test_discover_filters_narrow_every_row(client, headers):
    games = body(get(client, "/api/v1/discover", headers, mediaType="game", pageSize=100))
    assert games["items"] and all(i["mediaType"] == "game" for row in games["items"] for i in row["items"])

    animated = body(get(client, "/api/v1/discover", headers, genre="animation", pageSize=100))
    assert all("Animation" in i["genres"] for row in animated["items"] for i in row["items"])

    old = body(get(client, "/api/v1/discover", headers, yearFrom=1950, yearTo=1979, rowSize=5, pageSize=100))
    items = [i for row in old["items"] for i in row["items"]]
    assert items and all(1950 <= i["year"] <= 1979 for i in items)
    assert all(len(row["items"]) <= 5 for row in old["items"])

    az = body(get(client, "/api/v1/discover", headers, sort="a-z", mediaType="movie", pageSize=1))
    titles = [i["title"] for i in az["items"][0]["items"]]
    assert titles == sorted(titles, key=lambda t: t.lower().removeprefix("the "))


def test_discover_pages_through_rows_and_past_the_end(client, headers):
    everything = body(get(client, "/api/v1/discover", headers, pageSize=100))
    second = body(get(client, "/api/v1/discover", headers, pageSize=2, page=2))
    assert [r["key"] for r in second["items"]] == [r["key"] for r in everything["items"][2:4]]

    beyond = body(get(client, "/api/v1/discover", headers, page=999))
    assert beyond["items"] == [] and beyond["total"] == everything["total"]


@pytest.mark.parametrize("params", [
    {"pageSize": 101}, {"pageSize": 0}, {"page": 0}, {"sort": "best"}, {"mediaType": "book"},
    {"genre": "Not A Slug!"}, {"yearFrom": 2000, "yearTo": 1990}, {"ratingMin": 11}, {"yearFrom": "soon"},
    {"colour": "red"}, {"originalLanguage": "Japanese"}, {"originalLanguage": "JA"}, {"country": "USA"},
    {"country": "1X"}, {"minVotes": -1}, {"minVotes": "many"},
])
def test_bad_list_parameters_are_a_422_envelope(client, headers, params):
    for path in ("/api/v1/discover", "/api/v1/movies"):
        if path == "/api/v1/movies" and "mediaType" in params:
            continue
        response = get(client, path, headers, **params)
        assert response.status_code == 422, (path, params, response.body)
        assert body(response)["error"]["code"] == "validation_error"


def test_browse_sorts(client, headers):
    az = [i["title"] for i in body(get(client, "/api/v1/movies", headers, sort="a-z", pageSize=100))["items"]]
    assert az == sorted(az, key=lambda t: t.lower().removeprefix("the ").removeprefix("a "))

    newest = [i for page in (1, 2, 3)
              for i in body(get(client, "/api/v1/movies", headers, sort="newest", pageSize=100, page=page))["items"]]
    released = [i["releaseDate"] for i in newest if i["status"] == "released"]
    assert released == sorted(released, reverse=True) and len(newest) == 212
    assert newest[-1]["status"] != "released"  # announced titles come after everything released

    popular = body(get(client, "/api/v1/shows", headers, sort="popular", pageSize=10))["items"]
    assert [i["popularity"] for i in popular] == sorted((i["popularity"] for i in popular), reverse=True)


def test_rating_sorts_and_filters_use_votes(client, headers):
    from chalicelib import cache

    for title, rating, votes, popularity in (("Alien", 8.5, 9000, 50), ("Aliens", 8.0, 8000, 40),
                                             ("Heat", 8.3, 60, 1), ("The Thing", 9.5, 10, 1)):
        support.rows("UPDATE media_items SET vote_average = %(r)s, vote_count = %(v)s, popularity = %(p)s "
                     "WHERE title = %(t)s", r=rating, v=votes, p=popularity, t=title)
    cache.on_catalog_synced()

    top = [i["title"] for i in body(get(client, "/api/v1/movies", headers, sort="top_rated"))["items"]]
    assert top[:3] == ["Alien", "Heat", "Aliens"]  # The Thing has too few votes to lead

    gems = [i["title"] for i in body(get(client, "/api/v1/movies", headers, sort="hidden_gems"))["items"]]
    assert gems == ["Heat", "Alien", "Aliens"]

    rated = body(get(client, "/api/v1/movies", headers, ratingMin=8.4))
    assert {i["title"] for i in rated["items"]} == {"Alien", "The Thing"} and rated["total"] == 2


def test_browse_says_its_sort_and_defaults_to_most_rated_on_a_large_catalog(client, headers, monkeypatch):
    from chalicelib import cache
    from chalicelib.catalog import service

    support.rows("UPDATE media_items SET vote_count = 9000, popularity = 0.1 WHERE title = 'Heat'")
    cache.on_catalog_synced()
    small = body(get(client, "/api/v1/movies", headers, pageSize=3))
    assert small["sort"] == "popular" and small["items"][0]["title"] != "Heat"
    assert body(get(client, "/api/v1/movies", headers, sort="a-z"))["sort"] == "a-z"

    support.rows("ANALYZE media_items")  # the estimate the default reads
    monkeypatch.setattr(service, "LARGE_CATALOG", 100)  # the demo's 400 titles stand in for an IMDb import
    cache.on_catalog_synced()
    large = body(get(client, "/api/v1/movies", headers, pageSize=3))
    assert large["sort"] == "most_rated" and large["items"][0]["title"] == "Heat"


def test_trending_sort_follows_the_trending_rows(client, headers):
    from chalicelib import cache, db
    from chalicelib.catalog import store

    ids = [support.media_id(t, "movie") for t in ("Heat", "Jaws", "Up")]
    with db.transaction() as conn:
        store.replace_section(conn, key="tmdb.movie.trending_day", title="Trending", media_type="movie",
                              source="tmdb", position=100, definition={}, media_ids=ids)
    cache.on_catalog_synced()

    trending = body(get(client, "/api/v1/movies", headers, sort="trending", pageSize=5))["items"]
    assert [i["title"] for i in trending[:3]] == ["Heat", "Jaws", "Up"]


def test_browse_filters_and_pagination(client, headers):
    scifi = body(get(client, "/api/v1/movies", headers, genre="science-fiction", yearFrom=1980, yearTo=1989,
                     pageSize=100))
    assert scifi["total"] == len(scifi["items"]) > 0
    assert all(1980 <= i["year"] <= 1989 and "Science Fiction" in i["genres"] for i in scifi["items"])

    games = body(get(client, "/api/v1/games", headers, pageSize=7, page=2))
    assert len(games["items"]) == 7 and games["page"] == 2 and games["pageSize"] == 7 and games["total"] > 100
    assert all(i["mediaType"] == "game" for i in games["items"])

    past_end = body(get(client, "/api/v1/shows", headers, page=1000))
    assert past_end["items"] == [] and past_end["total"] > 0

    unknown_genre = body(get(client, "/api/v1/movies", headers, genre="no-such-genre"))
    assert unknown_genre == {"items": [], "page": 1, "pageSize": 20, "total": 0, "sort": "popular"}


def _titles(client, path, headers, **params) -> tuple[set[str], int]:
    page = body(get(client, path, headers, pageSize=100, **params))
    return {i["title"] for i in page["items"]}, page["total"]


def test_browse_filters_by_original_language_country_and_votes(client, headers):
    japanese, total = _titles(client, "/api/v1/movies", headers, originalLanguage="ja")
    assert total == 10 and {"Spirited Away", "Akira", "Seven Samurai"} <= japanese and "The Matrix" not in japanese

    korean, total = _titles(client, "/api/v1/movies", headers, country="kr")  # the code in either case
    assert korean == {"Parasite", "Oldboy", "Past Lives"} and total == 3  # Past Lives: US and KR

    british = _titles(client, "/api/v1/shows", headers, country="GB", originalLanguage="en")[0]
    assert {"Sherlock", "Fleabag", "Chernobyl"} <= british and "Breaking Bad" not in british and "Dark" not in british

    support.rows("UPDATE media_items SET vote_count = 5000 WHERE title IN ('Heat', 'Jaws')")
    support.rows("UPDATE media_items SET vote_count = 4999 WHERE title = 'Up'")
    from chalicelib import cache
    cache.on_catalog_synced()
    assert _titles(client, "/api/v1/movies", headers, minVotes=5000) == ({"Heat", "Jaws"}, 2)
    assert _titles(client, "/api/v1/movies", headers, minVotes=4999)[1] == 3
    assert _titles(client, "/api/v1/movies", headers, minVotes=0)[1] == 212


def test_discover_and_search_take_the_same_filters_and_search_counts_languages(client, headers):
    page = body(get(client, "/api/v1/discover", headers, originalLanguage="ko", pageSize=100))
    shown = {i["title"] for row in page["items"] for i in row["items"]}
    assert shown and shown <= {"Parasite", "Oldboy", "Squid Game"}

    page = body(get(client, "/api/v1/discover", headers, country="JP", mediaType="show", pageSize=100))
    shown = {i["title"] for row in page["items"] for i in row["items"]}
    assert shown and shown <= {"Death Note", "Fullmetal Alchemist: Brotherhood", "Cowboy Bebop",
                               "Frieren: Beyond Journey's End", "Jujutsu Kaisen"}

    assert _titles(client, "/api/v1/search", headers, q="spirited away", country="US") == (set(), 0)
    assert _titles(client, "/api/v1/search", headers, q="spirited away", country="JP")[0] == {"Spirited Away"}

    # every movie has a language (games have none, and are not counted)
    found = body(get(client, "/api/v1/search", headers, q="the", mediaType="movie", pageSize=5))
    counts = {entry["language"]: entry["count"] for entry in found["languages"]}
    assert [entry["count"] for entry in found["languages"]] == sorted(counts.values(), reverse=True)
    assert counts["en"] > 0 and len(counts) > 1 and sum(counts.values()) == found["total"] > len(found["items"])
    only = body(get(client, "/api/v1/search", headers, q="the", mediaType="movie",
                    originalLanguage=found["languages"][-1]["language"]))
    assert only["total"] == found["languages"][-1]["count"]


def test_genres_list_slugs_across_sources(client, headers):
    everything = body(client.http.get("/api/v1/genres", headers=headers))
    by_slug = {g["slug"]: g for g in everything}
    assert by_slug["drama"]["mediaTypes"] == ["movie", "show"]
    assert by_slug["adventure"]["mediaTypes"] == ["game", "movie"]  # TMDB and IGDB both have it
    games = body(get(client, "/api/v1/genres", headers, mediaType="game"))
    assert "role-playing-rpg" in {g["slug"] for g in games} and "drama" not in {g["slug"] for g in games}


def test_movie_detail_from_the_demo_catalog(client, headers):
    matrix = support.media_id("The Matrix", "movie")
    detail = body(client.http.get(f"/api/v1/movies/{matrix}", headers=headers))

    assert detail["title"] == "The Matrix" and detail["releaseDate"] == "1999-03-31"
    assert detail["runtimeMinutes"] == 136 and detail["tmdbId"] == 603 and detail["imdbId"] == "tt0133093"
    assert {"slug": "science-fiction", "name": "Science Fiction"} in detail["genres"]
    assert detail["franchises"] == ["The Matrix"] and detail["isDemo"] is True
    assert detail["overview"] and detail["posterUrl"] is None and detail["backdropUrl"] is None
    assert [s["title"] for s in detail["similar"][:3]] == [
        "The Matrix Reloaded", "The Matrix Revolutions", "The Matrix Resurrections"]


def test_show_and_season_detail_with_derived_air_dates(client, headers):
    show = support.media_id("Breaking Bad", "show")
    detail = body(client.http.get(f"/api/v1/shows/{show}", headers=headers))
    assert [(s["seasonNumber"], s["episodeCount"]) for s in detail["seasons"]] == [
        (1, 7), (2, 13), (3, 13), (4, 13), (5, 16)]
    assert detail["status"] == "ended" and detail["networks"] == ["AMC"]
    assert "episode_air_dates" in detail["derived"]

    season = body(client.http.get(f"/api/v1/shows/{show}/seasons/5", headers=headers))
    dates = [e["airDate"] for e in season["episodes"]]
    assert len(dates) == 16 and dates[0] == "2012-07-15" and dates[8] == "2013-08-11"

    missing = client.http.get(f"/api/v1/shows/{show}/seasons/9", headers=headers)
    assert missing.status_code == 404 and body(missing)["error"]["code"] == "season_not_found"


def test_game_detail_lists_platforms_and_add_ons(client, headers):
    witcher = support.media_id("The Witcher 3: Wild Hunt", "game")
    detail = body(client.http.get(f"/api/v1/games/{witcher}", headers=headers))

    platforms = {p["abbreviation"]: p["releaseDate"] for p in detail["platforms"]}
    assert platforms["PC"] == "2015-05-19" and platforms["Switch"] == "2019-10-15"
    assert {e["title"] for e in detail["expansions"]} == {
        "The Witcher 3: Wild Hunt - Hearts of Stone", "The Witcher 3: Wild Hunt - Blood and Wine"}
    assert detail["developer"] == "CD Projekt Red" and detail["franchises"] == ["The Witcher"]
    assert all(s["title"] not in {e["title"] for e in detail["expansions"]} for s in detail["similar"])

    addon = detail["expansions"][0]["id"]
    child = body(client.http.get(f"/api/v1/games/{addon}", headers=headers))
    assert child["category"] == "expansion" and child["parent"]["id"] == witcher


@pytest.mark.parametrize("path, code", [
    ("/api/v1/movies/abc", "movie_not_found"), ("/api/v1/movies/-1", "movie_not_found"),
    ("/api/v1/movies/99999999999999999999999", "movie_not_found"), ("/api/v1/movies/0", "movie_not_found"),
    ("/api/v1/shows/abc", "show_not_found"), ("/api/v1/shows/abc/seasons/1", "show_not_found"),
    ("/api/v1/games/1.5", "game_not_found"),
])
def test_malformed_ids_are_404s(client, headers, path, code):
    response = client.http.get(path, headers=headers)
    assert response.status_code == 404 and body(response)["error"]["code"] == code


def test_an_id_of_another_media_type_is_a_404(client, headers):
    show = support.media_id("Breaking Bad", "show")
    response = client.http.get(f"/api/v1/movies/{show}", headers=headers)
    assert response.status_code == 404 and body(response)["error"]["code"] == "movie_not_found"
    season = client.http.get(f"/api/v1/shows/{show}/seasons/x1", headers=headers)
    assert season.status_code == 404 and body(season)["error"]["code"] == "season_not_found"


def test_lists_are_cached_until_a_catalog_sync(client, headers):
    from chalicelib import cache

    first = body(get(client, "/api/v1/discover", headers, pageSize=1))
    top = first["items"][0]["items"][0]
    support.rows("UPDATE media_items SET title = 'Renamed In Postgres' WHERE id = %(id)s", id=top["id"])

    cached = body(get(client, "/api/v1/discover", headers, pageSize=1))
    assert cached == first  # served from Redis

    cache.on_catalog_synced()
    fresh = body(get(client, "/api/v1/discover", headers, pageSize=1))
    assert fresh["items"][0]["items"][0]["title"] == "Renamed In Postgres"


def test_lists_still_answer_when_redis_is_down(client, headers, settings_env):
    from chalicelib import cache

    settings_env(REDIS_URL="redis://127.0.0.1:1/0")
    cache.reset()
    try:
        response = get(client, "/api/v1/movies", headers, pageSize=3)
        assert response.status_code == 200 and len(body(response)["items"]) == 3
    finally:
        cache.reset()
