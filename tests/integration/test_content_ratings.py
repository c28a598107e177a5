"""Content ratings filled where details are fetched (fake TMDB and IGDB over HTTP) and by the demo catalog."""

from __future__ import annotations

import pytest

from chalicelib.contentrating import Limit
from embedded.fakes.igdb import FakeIgdb
from embedded.fakes.tmdb import FakeTmdb
from tests.integration import catalog_support as support

RATED = "SELECT content_rating, min_age FROM media_items WHERE id = %(id)s"


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


def _rating(media_id: int) -> tuple[str | None, int | None]:
    row = support.rows(RATED, id=media_id)[0]
    return row["content_rating"], row["min_age"]


@pytest.mark.parametrize(("title", "kind", "rating"), [
    ("The Matrix", "movie", ("R", 17)), ("Toy Story", "movie", ("G", 0)), ("Breaking Bad", "show", ("TV-MA", 17)),
    ("Avatar: The Last Airbender", "show", ("TV-Y7", 7)), ("Minecraft", "game", ("E10+", 10)),
    ("Elden Ring", "game", ("M", 17)), ("Grand Theft Auto VI", "game", (None, None)),
])
def test_the_demo_catalog_carries_ratings(client, title, kind, rating):
    assert _rating(support.media_id(title, kind)) == rating


def test_movie_details_take_the_us_certification_of_release_dates(client, headers, fakes):
    tmdb, _ = fakes
    matrix = support.media_id("The Matrix", "movie")
    tmdb.movies[603].update(_certification="PG-13", _certifications={"GB": "15", "DE": "16"})

    detail = support.body(client.http.get(f"/api/v1/movies/{matrix}", headers=headers))

    assert "release_dates" in tmdb.requests[-1].query["append_to_response"]
    assert detail["contentRating"] == "PG-13" and _rating(matrix) == ("PG-13", 13)


def test_a_movie_rated_only_elsewhere_takes_that_countrys_rating(client, headers, fakes):
    tmdb, _ = fakes
    inception = support.media_id("Inception", "movie")
    tmdb.movies[27205].update(_certification="", _certifications={"DE": "12"})

    assert client.http.get(f"/api/v1/movies/{inception}", headers=headers).status_code == 200
    assert _rating(inception) == ("12", 12)


def test_a_details_answer_without_a_rating_keeps_the_stored_one(client, headers, fakes):
    tmdb, _ = fakes
    toy_story = support.media_id("Toy Story", "movie")
    tmdb.movies[862].update(_certification="")

    assert client.http.get(f"/api/v1/movies/{toy_story}", headers=headers).status_code == 200
    assert _rating(toy_story) == ("G", 0)


def test_show_details_take_content_ratings(client, headers, fakes):
    tmdb, _ = fakes
    show = support.media_id("Breaking Bad", "show")
    tmdb.shows[1396].update(_certification="TV-14")

    detail = support.body(client.http.get(f"/api/v1/shows/{show}", headers=headers))

    first = next(r for r in tmdb.requests if r.path == "/3/tv/1396")
    assert "content_ratings" in first.query["append_to_response"]
    assert detail["contentRating"] == "TV-14" and _rating(show) == ("TV-14", 14)


def test_game_details_take_igdb_age_ratings(client, headers, fakes):
    _, igdb = fakes
    witcher = support.media_id("The Witcher 3: Wild Hunt", "game")
    igdb.games[1942]["age_ratings"] = [igdb.age_rating(1942, "PEGI 18"), igdb.age_rating(1942, "T")]

    detail = support.body(client.http.get(f"/api/v1/games/{witcher}", headers=headers))

    # the instance region is the US (TMDB_LANGUAGE en-US): ESRB first
    assert detail["contentRating"] == "T" and _rating(witcher) == ("T", 13)


def test_a_pegi_only_game_is_rated_by_pegi(client, headers, fakes):
    _, igdb = fakes
    zelda = support.media_id("The Legend of Zelda: Breath of the Wild", "game")
    igdb.games[7346]["age_ratings"] = [igdb.age_rating(7346, "PEGI 12")]

    assert client.http.get(f"/api/v1/games/{zelda}", headers=headers).status_code == 200
    assert _rating(zelda) == ("PEGI 12", 12)


def test_a_kid_opening_an_unrated_title_fetches_its_rating_first(client, fakes):
    from chalicelib.catalog import service
    from chalicelib.catalog.errors import MovieNotFound

    tmdb, _ = fakes
    inception = support.media_id("Inception", "movie")
    support.rows("UPDATE media_items SET content_rating = NULL, min_age = NULL WHERE id = %(id)s", id=inception)
    tmdb.movies[27205].update(_certification="PG-13")

    with pytest.raises(MovieNotFound):  # fetched: PG-13 is above a 10-year limit
        service.movie(str(inception), None, Limit(max_age=10))
    assert _rating(inception) == ("PG-13", 13)
    assert service.movie(str(inception), None, Limit(max_age=13)).content_rating == "PG-13"
