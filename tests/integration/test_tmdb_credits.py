"""TMDB credits, logos and episode air times: the demo catalog's credits and a detail fetch from the
fake TMDB over HTTP (credits and images appended to the one details request)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from embedded.fakes.tmdb import FakeTmdb
from tests.integration import catalog_support as support


@pytest.fixture(scope="module")
def demo_template(template_url):
    yield from support.demo_template(template_url)


@pytest.fixture
def app_db(demo_template):
    yield from support.app_database(demo_template)


@pytest.fixture
def headers(auth_headers):
    return auth_headers()


@pytest.fixture
def tmdb(settings_env, client):
    fake = FakeTmdb().start()
    settings_env(**support.upstream_env(fake, None), SEEN_CATALOG_DETAILS_COOLDOWN="3600")
    support.reset_process_state()
    yield fake
    fake.stop()
    support.reset_process_state()


def credits_of(media_id: int) -> list[dict]:
    return support.rows(
        "SELECT c.kind, c.ordering, c.character, c.job, c.department, c.source, p.name, p.tmdb_id, p.profile_path"
        " FROM media_credits c JOIN people p ON p.id = c.person_id WHERE c.media_id = %(id)s"
        " ORDER BY c.kind, c.ordering", id=media_id)


def test_demo_catalog_has_cast_and_crew_with_people_shared_across_titles(client):
    matrix = credits_of(support.media_id("The Matrix", "movie"))

    cast = [(c["name"], c["character"]) for c in matrix if c["kind"] == "cast"]
    assert cast[:3] == [("Keanu Reeves", "Neo"), ("Laurence Fishburne", "Morpheus"), ("Carrie-Anne Moss", "Trinity")]
    assert {(c["name"], c["job"], c["department"]) for c in matrix if c["kind"] == "crew"} >= {
        ("Lana Wachowski", "Director", "Directing"), ("Lilly Wachowski", "Director", "Directing")}
    assert all(c["source"] == "tmdb" and c["tmdb_id"] for c in matrix)
    keanu = support.rows("SELECT count(DISTINCT c.media_id) AS titles FROM media_credits c JOIN people p"
                         " ON p.id = c.person_id WHERE p.tmdb_id = 6384")
    assert keanu[0]["titles"] >= 5
    nolan = support.rows("SELECT name, known_for_department FROM people WHERE tmdb_id = 525")
    assert nolan == [{"name": "Christopher Nolan", "known_for_department": "Directing"}]


def test_demo_reload_is_idempotent_for_people_and_credits(client):
    from chalicelib import db
    from chalicelib.catalog import demo

    counts = "SELECT (SELECT count(*) FROM people) AS people, (SELECT count(*) FROM media_credits) AS lines"
    before = support.rows(counts)
    with db.transaction() as conn:
        demo.load(conn)
    after = support.rows(counts)
    assert before == after and before[0]["people"] > 200


def test_movie_details_bring_credits_logo_and_people_photos_in_one_request(client, headers, tmdb):
    matrix = support.media_id("The Matrix", "movie")

    assert client.http.get(f"/api/v1/movies/{matrix}", headers=headers).status_code == 200

    request = tmdb.requests[-1]
    assert request.path == "/3/movie/603"
    assert {"credits", "images"} <= set(request.query["append_to_response"].split(","))
    assert request.query["include_image_language"] == "en,null"
    [row] = support.rows("SELECT logo_path, backdrop_path FROM media_items WHERE id = %(id)s", id=matrix)
    assert row["logo_path"] == "/ml603.png"  # English beats the better-voted French logo
    lines = credits_of(matrix)
    assert lines[0]["name"] == "Keanu Reeves" and lines[0]["profile_path"] == "/pf6384.jpg"
    assert {c["job"] for c in lines if c["kind"] == "crew"} == {"Director", "Writer"}


def test_tmdb_credits_replace_the_stored_set(client, headers, tmdb):
    matrix = support.media_id("The Matrix", "movie")
    [person] = support.rows("INSERT INTO people (imdb_id, name) VALUES ('nm0000001', 'Imported Person') RETURNING id")
    support.rows("DELETE FROM media_credits WHERE media_id = %(m)s", m=matrix)
    support.rows("INSERT INTO media_credits (media_id, kind, ordering, person_id, character, source)"
                 " VALUES (%(m)s, 'cast', 0, %(p)s, 'Someone', 'imdb'), (%(m)s, 'cast', 7, %(p)s, 'Other', 'imdb')",
                 m=matrix, p=person["id"])
    tmdb.movies[603]["_credits"] = {"cast": [[6384, "Thomas A. Anderson"]], "crew": [[9340, "Director"]]}

    client.http.get(f"/api/v1/movies/{matrix}", headers=headers)

    assert [(c["kind"], c["ordering"], c["name"], c["character"] or c["job"], c["source"])
            for c in credits_of(matrix)] == [("cast", 0, "Keanu Reeves", "Thomas A. Anderson", "tmdb"),
                                             ("crew", 0, "Lana Wachowski", "Director", "tmdb")]


def test_show_details_bring_aggregate_credits_creators_and_air_times(client, headers, tmdb):
    show = support.media_id("Breaking Bad", "show")
    tmdb.shows[1396]["networks"] = [{"id": 174, "name": "AMC", "origin_country": "US"}]
    tmdb.shows[1396]["created_by"] = [{"id": 66633, "name": "Vince Gilligan", "profile_path": "/vg.jpg"}]

    client.http.get(f"/api/v1/shows/{show}", headers=headers)

    lines = credits_of(show)
    crew = [(c["name"], c["job"]) for c in lines if c["kind"] == "crew"]
    assert crew[0] == ("Vince Gilligan", "Creator")
    assert [c["character"] for c in lines if c["kind"] == "cast"][:2] == ["Walter White", "Jesse Pinkman"]
    [pilot] = support.rows("SELECT air_date, air_at FROM episodes WHERE media_id = %(id)s AND season_number = 1"
                           " AND episode_number = 1", id=show)
    # AMC's prime-time slot, 21:00 in New York (EST in January: UTC-5)
    assert pilot["air_date"] == date(2008, 1, 20)
    assert pilot["air_at"] == datetime(2008, 1, 21, 2, 0, tzinfo=UTC)
    [extra] = support.rows("SELECT extra->>'airTimeSource' AS source FROM media_items WHERE id = %(id)s", id=show)
    assert extra["source"] == "network"


def test_streaming_show_episodes_have_no_air_time(client, headers, tmdb):
    show = support.media_id("Stranger Things", "show")
    tmdb.shows[66732]["networks"] = [{"id": 213, "name": "Netflix", "origin_country": ""}]

    client.http.get(f"/api/v1/shows/{show}", headers=headers)

    timed = support.rows("SELECT count(*) FILTER (WHERE air_at IS NOT NULL) AS timed, count(*) AS total"
                         " FROM episodes WHERE media_id = %(id)s AND air_date IS NOT NULL", id=show)
    assert timed[0]["total"] > 0 and timed[0]["timed"] == 0


def test_demo_episodes_follow_their_network_air_time():
    from chalicelib.catalog import airtimes

    assert airtimes.air_at(date(2024, 7, 1), airtimes.slot_for_networks(["HBO"])) == \
        datetime(2024, 7, 2, 1, 0, tzinfo=UTC)  # 21:00 EDT
    assert airtimes.air_at(date(2024, 7, 1), airtimes.slot_for_networks(["Apple TV+"])) is None
    assert airtimes.air_at(date(2024, 7, 1), airtimes.slot_for_networks(["Some Local Channel"])) is None
    assert airtimes.air_at(date(2024, 7, 1), {"airTime": "25:99", "airTimezone": "Europe/London"}) is None
