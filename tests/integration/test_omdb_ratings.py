"""The OMDb ratings pass against the fake OMDb over HTTP: library and lists first, the daily budget,
refresh age and cooldown, a refused key and the daily limit, and the admin coverage figures."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from embedded.fakes.omdb import FakeOmdb
from tests.integration import catalog_support as support


@pytest.fixture(scope="module")
def demo_template(template_url):
    yield from support.demo_template(template_url)


@pytest.fixture
def app_db(demo_template):
    yield from support.app_database(demo_template)


@pytest.fixture
def omdb(settings_env, client):
    fake = FakeOmdb().start()
    settings_env(OMDB_API_KEY=fake.api_key, OMDB_BASE_URL=fake.url, SEEN_OMDB_RATE_LIMIT="1000",
                 SEEN_OMDB_BATCH_SIZE="5")
    yield fake
    fake.stop()


def run() -> dict:
    from chalicelib.ratings import service

    return service.run_job()


def with_imdb(title: str, imdb_id: str) -> int:
    media_id = support.media_id(title, "movie")
    support.rows("UPDATE media_items SET imdb_id = %(i)s WHERE id = %(m)s", i=imdb_id, m=media_id)
    return media_id


def ratings_of(media_id: int) -> dict[str, dict]:
    return {r["source"]: r for r in support.rows(
        "SELECT source, value, score, votes FROM media_external_ratings WHERE media_id = %(id)s", id=media_id)}


def test_parsing_follows_omdbs_formats():
    from chalicelib.ratings import parse

    rows = parse.ratings({"Ratings": [{"Source": "Internet Movie Database", "Value": "8.7/10"},
                                      {"Source": "Rotten Tomatoes", "Value": "88%"},
                                      {"Source": "Metacritic", "Value": "73/100"}],
                          "imdbRating": "8.7", "imdbVotes": "1,234,567"})
    assert {r["source"]: (r["value"], r["score"], r["votes"]) for r in rows} == {
        "imdb": ("8.7/10", Decimal("87.00"), 1234567), "rotten_tomatoes": ("88%", Decimal("88.00"), None),
        "metacritic": ("73/100", Decimal("73.00"), None)}
    assert parse.ratings({"Ratings": [], "imdbRating": "N/A", "imdbVotes": "N/A"}) == []
    assert parse.ratings({"imdbRating": "6.1", "imdbVotes": "N/A"}) == [
        {"source": "imdb", "value": "6.1/10", "score": Decimal("61.00"), "votes": None}]


def test_the_pass_fills_watch_lists_first_then_popular_titles(client, make_user, omdb):
    user_id, _ = make_user()
    heat = with_imdb("Heat", "tt0113277")
    omdb.add_title("tt0113277", "Heat", imdb="8.3", votes="711,262", tomatoes="83%", metacritic="76/100")
    support.rows("INSERT INTO user_watch_later (user_id, media_id) VALUES (%(u)s, %(m)s)", u=user_id, m=heat)

    result = run()

    assert result["status"] == "ok" and result["stats"]["stored"] == 5
    first = omdb.requests[0].query
    assert first == {"apikey": omdb.api_key, "i": "tt0113277"}
    assert {k: (v["value"], v["votes"]) for k, v in ratings_of(heat).items()} == {
        "imdb": ("8.3/10", 711262), "rotten_tomatoes": ("83%", None), "metacritic": ("76/100", None)}
    # the rest of the batch went to the most popular titles with an IMDb id
    popular = [r["imdb_id"] for r in support.rows(
        "SELECT imdb_id FROM media_items WHERE imdb_id IS NOT NULL AND media_type <> 'game' AND id <> %(h)s"
        " ORDER BY popularity DESC NULLS LAST, id LIMIT 4", h=heat)]
    assert [r.query["i"] for r in omdb.requests[1:]] == popular


def test_fetched_titles_wait_for_the_refresh_age_and_failures_for_the_cooldown(client, omdb):
    for row in support.rows("UPDATE media_items SET imdb_id = 'tt9' || lpad(id::text, 7, '0')"
                            " WHERE imdb_id IS NULL AND media_type = 'movie' RETURNING imdb_id, title"):
        omdb.add_title(row["imdb_id"], row["title"])
    run()
    fetched = {r.query["i"] for r in omdb.requests}
    omdb.fail("/", 500, times=1)
    second = run()
    omdb.requests.clear()
    third = run()

    assert not fetched & {r.query["i"] for r in omdb.requests}
    assert second["stats"]["failed"] == 1 and second["stats"]["stored"] == 4
    assert third["stats"]["stored"] == 5  # the failed title waits for its cooldown
    failed = support.rows("SELECT count(*) AS n FROM media_items WHERE ratings_attempted_at IS NOT NULL"
                          " AND ratings_fetched_at IS NULL")
    assert failed[0]["n"] == 1


def test_the_daily_budget_caps_the_requests(client, settings_env, omdb):
    settings_env(SEEN_OMDB_DAILY_BUDGET="7")

    assert run()["stats"]["stored"] == 5
    assert run()["stats"] == {"budget": 2, "stored": 2, "missing": 0, "failed": 0}
    assert run()["stats"]["budget"] == 0 and len(omdb.requests) == 7


def test_a_refused_key_stops_the_pass_and_is_reported(client, settings_env, omdb, auth_headers):
    settings_env(OMDB_API_KEY="wrong-key")

    result = run()

    assert result["status"] == "failed" and "Invalid API key!" in result["error"]
    assert len(omdb.requests) == 1
    assert support.rows("SELECT count(*) AS n FROM media_items WHERE ratings_attempted_at IS NOT NULL") == [{"n": 0}]
    admin = auth_headers(role="admin")
    coverage = support.body(client.http.get("/api/v1/admin/ratings", headers=admin))
    assert coverage["keyConfigured"] is True and "Invalid API key!" in coverage["lastError"]


def test_the_request_limit_stops_the_pass_for_the_day(client, omdb):
    omdb.daily_limit = 3

    first = run()
    later = run()

    assert first["status"] == "failed" and first["stats"]["stored"] == 3 and "limit" in first["error"]
    assert later["status"] == "skipped" and len(omdb.requests) == 4


def test_no_key_means_the_pass_is_skipped(client, auth_headers):
    assert run()["status"] == "skipped"
    coverage = support.body(client.http.get("/api/v1/admin/ratings", headers=auth_headers(role="admin")))
    assert coverage["keyConfigured"] is False and coverage["covered"] == 0 and coverage["total"] >= 10


def test_coverage_counts_the_library_and_lists_and_all_titles(client, make_user, omdb, auth_headers):
    user_id, headers = make_user()
    heat, jaws = with_imdb("Heat", "tt0113277"), with_imdb("Jaws", "tt0073195")
    omdb.add_title("tt0113277", "Heat")
    omdb.add_title("tt0073195", "Jaws")
    support.rows("INSERT INTO user_favorites (user_id, media_id) VALUES (%(u)s, %(a)s), (%(u)s, %(b)s)",
                 u=user_id, a=heat, b=jaws)
    run()

    response = client.http.get("/api/v1/admin/ratings", headers=auth_headers(role="admin"))
    coverage = support.body(response)

    assert response.status_code == 200
    assert (coverage["libraryCovered"], coverage["libraryTotal"], coverage["covered"]) == (2, 2, 5)
    assert coverage["lastRunAt"] is not None and coverage["lastError"] is None
    assert client.http.get("/api/v1/admin/ratings", headers=headers).status_code == 403


def test_the_key_can_be_stored_through_the_admin_settings(client, settings_env, auth_headers):
    from cryptography.fernet import Fernet

    from chalicelib.settings import credentials

    settings_env(SEEN_SETTINGS_KEY=Fernet.generate_key().decode())
    admin = auth_headers(role="admin")
    response = client.http.patch("/api/v1/admin/settings", headers=admin, body=json.dumps({"omdbApiKey": "k-123"}))

    assert response.status_code == 200 and support.body(response)["omdbApiKey"]["set"] is True
    credentials.forget()
    assert credentials.omdb_api_key() == "k-123"
