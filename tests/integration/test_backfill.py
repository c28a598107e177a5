"""Lazy artwork backfill of IMDb-imported titles (TMDB /find by IMDb id, once per cooldown) and the
lazy person details fetch (TMDB /person/{id}), against the fake TMDB over HTTP."""

from __future__ import annotations

import pytest

from embedded.fakes.tmdb import FakeTmdb
from tests.integration import catalog_support as support


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


def imported(title: str, imdb_id: str, media_type: str = "movie") -> int:
    """A title as the IMDb import creates it: an IMDb id, no TMDB id, no artwork."""
    [row] = support.rows("INSERT INTO media_items (media_type, imdb_id, title, vote_count) VALUES"
                         " (%(t)s, %(i)s, %(n)s, 0) RETURNING id", t=media_type, i=imdb_id, n=title)
    return row["id"]


def stored(media_id: int) -> dict:
    return support.rows("SELECT tmdb_id, poster_path, backdrop_path, logo_path, popularity, original_language,"
                        " backfill_attempted_at, details_fetched_at FROM media_items WHERE id = %(id)s",
                        id=media_id)[0]


def test_an_imported_title_gets_artwork_ids_and_then_details(client, headers, tmdb):
    matrix = imported("The Matrix", "tt0133093")

    response = client.http.get(f"/api/v1/movies/{matrix}", headers=headers)

    assert response.status_code == 200
    find = next(r for r in tmdb.requests if r.path.startswith("/3/find/"))
    assert find.path == "/3/find/tt0133093" and find.query["external_source"] == "imdb_id"
    row = stored(matrix)
    assert row["tmdb_id"] == 603 and row["poster_path"] == "/m603.jpg" and row["backdrop_path"] == "/mb603.jpg"
    assert row["original_language"] == "en" and row["popularity"] > 0
    assert row["details_fetched_at"] is not None and row["logo_path"] == "/ml603.png"  # the details fetch ran
    assert support.body(response)["posterUrl"].endswith("/m603.jpg")
    cast = support.rows("SELECT p.name FROM media_credits c JOIN people p ON p.id = c.person_id"
                        " WHERE c.media_id = %(id)s AND c.kind = 'cast' ORDER BY c.ordering LIMIT 1", id=matrix)
    assert cast == [{"name": "Keanu Reeves"}]


def test_a_show_is_found_among_tv_results(client, headers, tmdb):
    tmdb.shows[1396]["imdb_id"] = "tt0903747"
    show = imported("Breaking Bad", "tt0903747", "show")

    client.http.get(f"/api/v1/shows/{show}", headers=headers)

    assert stored(show)["tmdb_id"] == 1396 and stored(show)["poster_path"] == "/s1396.jpg"


def test_a_failed_find_is_a_cooldown_and_the_stored_row_is_served(client, headers, tmdb):
    matrix = imported("The Matrix", "tt0133093")
    tmdb.fail("/3/find/", 500, times=10)

    first = client.http.get(f"/api/v1/movies/{matrix}", headers=headers)
    second = client.http.get(f"/api/v1/movies/{matrix}", headers=headers)

    assert first.status_code == 200 and second.status_code == 200
    assert support.body(second)["posterUrl"] is None
    assert len(tmdb.paths("/3/find/")) == 2  # one view: a try and one retry; the second view: none
    assert stored(matrix)["backfill_attempted_at"] is not None and stored(matrix)["tmdb_id"] is None


def test_an_unknown_imdb_id_is_asked_once(client, headers, tmdb):
    lost = imported("Lost Film", "tt0000001")

    client.http.get(f"/api/v1/movies/{lost}", headers=headers)
    client.http.get(f"/api/v1/movies/{lost}", headers=headers)

    assert tmdb.paths("/3/find/") == ["/3/find/tt0000001"]
    assert stored(lost)["tmdb_id"] is None


def test_a_tmdb_id_another_row_holds_is_not_taken(client, headers, tmdb):
    support.rows("INSERT INTO media_items (media_type, tmdb_id, title) VALUES ('movie', 603, 'The Matrix')")
    twin = imported("The Matrix (IMDb)", "tt0133093")

    assert client.http.get(f"/api/v1/movies/{twin}", headers=headers).status_code == 200

    row = stored(twin)
    assert row["tmdb_id"] is None and row["poster_path"] == "/m603.jpg"


def test_person_details_are_fetched_once_and_stored(client, tmdb):
    from chalicelib.people import details

    [person] = support.rows("INSERT INTO people (tmdb_id, name) VALUES (6384, 'Keanu Reeves') RETURNING *")
    tmdb.people[6384].update(biography="Canadian actor.", birthday="1964-09-02", imdb_id="nm0000206")

    updated = details.ensure_person(person)
    again = details.ensure_person(person)  # the stale row a concurrent view holds: the claim refuses

    assert updated["biography"] == "Canadian actor." and updated["birth_year"] == 1964
    assert updated["profile_path"] == "/pf6384.jpg" and updated["imdb_id"] == "nm0000206"
    assert updated["details_fetched_at"] is not None and again is None
    assert tmdb.paths("/3/person/") == ["/3/person/6384"]


def test_person_details_failure_waits_for_the_cooldown(client, tmdb):
    from chalicelib.people import details

    [person] = support.rows("INSERT INTO people (tmdb_id, name) VALUES (999999, 'Nobody') RETURNING *")

    assert details.ensure_person(person) is None and details.ensure_person(person) is None
    assert tmdb.paths("/3/person/") == ["/3/person/999999"]
    [row] = support.rows("SELECT details_attempted_at, details_fetched_at FROM people WHERE id = %(id)s",
                         id=person["id"])
    assert row["details_attempted_at"] is not None and row["details_fetched_at"] is None
