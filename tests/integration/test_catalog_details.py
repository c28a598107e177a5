"""Title details over HTTP, with the lazy fetch from the fake TMDB/IGDB and its cooldown."""

from __future__ import annotations

import pytest

from embedded.fakes.igdb import FakeIgdb
from embedded.fakes.tmdb import FakeTmdb
from tests.integration import catalog_support as support


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


@pytest.fixture
def fakes(settings_env, client):
    tmdb, igdb = FakeTmdb().start(), FakeIgdb().start()
    settings_env(**support.upstream_env(tmdb, igdb), SEEN_CATALOG_DETAILS_COOLDOWN="3600")
    support.reset_process_state()
    yield tmdb, igdb
    tmdb.stop()
    igdb.stop()
    support.reset_process_state()


def test_first_view_fetches_missing_movie_details_once(client, headers, fakes):
    tmdb, _ = fakes
    matrix = support.media_id("The Matrix", "movie")
    tmdb.movies[603].update(tagline="Free your mind.", runtime=136,
                            belongs_to_collection={"id": 2344, "name": "The Matrix Collection"})

    first = client.http.get(f"/api/v1/movies/{matrix}", headers=headers)

    assert first.status_code == 200
    detail = support.body(first)
    assert detail["tagline"] == "Free your mind." and detail["detailsFetchedAt"] is not None
    assert detail["posterUrl"] == "https://image.tmdb.org/t/p/w342/m603.jpg"
    assert "The Matrix Collection" in detail["franchises"]
    assert detail["similar"] and all(s["mediaType"] == "movie" for s in detail["similar"])
    assert tmdb.paths("/3/movie/603") == ["/3/movie/603"]
    assert "similar" in tmdb.requests[-1].query["append_to_response"]

    again = client.http.get(f"/api/v1/movies/{matrix}", headers=headers)
    assert again.status_code == 200 and tmdb.paths("/3/movie/603") == ["/3/movie/603"]


def test_details_replace_the_countries_and_a_movie_list_keeps_them(client, headers, fakes):
    tmdb, _ = fakes
    parasite = support.media_id("Parasite", "movie")
    tmdb.movies[496243].update(origin_country=[], production_countries=[{"iso_3166_1": "KR", "name": "Korea"},
                                                                       {"iso_3166_1": "us", "name": "?"}])
    assert client.http.get(f"/api/v1/movies/{parasite}", headers=headers).status_code == 200
    stored = support.rows("SELECT origin_countries FROM media_items WHERE id = %(id)s", id=parasite)
    assert stored == [{"origin_countries": ["KR", "US"]}]

    from chalicelib.catalog import sync
    tmdb.lists["/movie/popular"] = [496243]  # list results carry no countries: the stored ones stay
    assert sync.run_job("catalog.tmdb_movies")["status"] == "ok"
    assert support.rows("SELECT origin_countries FROM media_items WHERE id = %(id)s", id=parasite) == stored


def test_show_details_bring_seasons_and_episodes_with_stills(client, headers, fakes):
    tmdb, _ = fakes
    show = support.media_id("Breaking Bad", "show")

    detail = support.body(client.http.get(f"/api/v1/shows/{show}", headers=headers))
    season = support.body(client.http.get(f"/api/v1/shows/{show}/seasons/1", headers=headers))

    assert [s["seasonNumber"] for s in detail["seasons"]] == [1, 2, 3, 4, 5]
    assert detail["seasons"][0]["posterUrl"].endswith("/w185/p1396_1.jpg")
    assert season["showTitle"] == "Breaking Bad" and len(season["episodes"]) == 7
    first = season["episodes"][0]
    assert first["name"] == "Episode 1" and first["airDate"] == "2008-01-20"
    assert first["stillUrl"] == "https://image.tmdb.org/t/p/w300/e1396_1_1.jpg"
    # The seasons came appended to the show request: one call for the show, one for its seasons.
    assert tmdb.paths("/3/tv/1396") == ["/3/tv/1396", "/3/tv/1396"]
    assert "season/1" in tmdb.requests[-1].query["append_to_response"]


def test_a_failed_fetch_serves_stored_data_and_waits_for_the_cooldown(client, headers, fakes):
    tmdb, _ = fakes
    matrix = support.media_id("The Matrix", "movie")
    tmdb.fail("/3/movie/603", 500, times=100)

    response = client.http.get(f"/api/v1/movies/{matrix}", headers=headers)

    assert response.status_code == 200
    stored = support.body(response)
    assert stored["title"] == "The Matrix" and stored["detailsFetchedAt"] is None and stored["year"] == 1999
    attempts = len(tmdb.paths("/3/movie/603"))
    assert attempts == 2  # a page view retries once, not three times

    assert client.http.get(f"/api/v1/movies/{matrix}", headers=headers).status_code == 200
    assert len(tmdb.paths("/3/movie/603")) == attempts  # within the cooldown: no new attempt

    tmdb.clear_failures()
    support.rows("UPDATE media_items SET details_attempted_at = now() - interval '2 hours' WHERE id = %(id)s",
                 id=matrix)
    fetched = support.body(client.http.get(f"/api/v1/movies/{matrix}", headers=headers))
    assert fetched["detailsFetchedAt"] is not None and len(tmdb.paths("/3/movie/603")) == attempts + 1


def test_game_details_come_from_igdb_with_platforms_and_expansions(client, headers, fakes):
    _, igdb = fakes
    witcher = support.media_id("The Witcher 3: Wild Hunt", "game")

    detail = support.body(client.http.get(f"/api/v1/games/{witcher}", headers=headers))

    assert detail["detailsFetchedAt"] is not None and detail["developer"] == "CD Projekt Red"
    assert detail["posterUrl"] == f"https://images.igdb.com/igdb/image/upload/t_cover_big/co{1942:x}.jpg"
    switch = next(p for p in detail["platforms"] if p["slug"] == "switch")
    assert switch["releaseDate"] == "2019-10-15"
    assert sorted(e["title"] for e in detail["expansions"]) == [
        "The Witcher 3: Wild Hunt - Blood and Wine", "The Witcher 3: Wild Hunt - Hearts of Stone"]
    linked = support.rows("SELECT m.title FROM media_relations r JOIN media_items m ON m.id = r.related_media_id"
                          " WHERE r.media_id = %(id)s AND r.relation = 'similar'", id=witcher)
    assert len(linked) == 5 and {r["title"] for r in linked} <= {s["title"] for s in detail["similar"]}
    assert len(igdb.paths("/oauth2/token")) == 1
    query = next(r for r in igdb.requests if r.path == "/v4/games")
    assert "where id = 1942" in query.body and "release_dates.date" in query.body


def test_details_are_not_fetched_without_credentials(client, headers):
    matrix = support.media_id("The Matrix", "movie")

    detail = support.body(client.http.get(f"/api/v1/movies/{matrix}", headers=headers))

    assert detail["detailsFetchedAt"] is None and detail["runtimeMinutes"] == 136
    assert support.rows("SELECT details_attempted_at FROM media_items WHERE id = %(id)s", id=matrix) == [
        {"details_attempted_at": None}]


def test_a_title_upstream_does_not_know_is_served_as_stored(client, headers, fakes):
    tmdb, _ = fakes
    [row] = support.rows("INSERT INTO media_items (media_type, tmdb_id, title, is_demo) "
                         "VALUES ('movie', 987654321, 'Only Here', true) RETURNING id")

    response = client.http.get(f"/api/v1/movies/{row['id']}", headers=headers)

    assert response.status_code == 200 and support.body(response)["title"] == "Only Here"
    assert tmdb.paths("/3/movie/987654321") == ["/3/movie/987654321"]  # 404 is final: no retry
    attempted = support.rows("SELECT details_attempted_at FROM media_items WHERE id = %(id)s", id=row["id"])
    assert attempted[0]["details_attempted_at"] is not None
