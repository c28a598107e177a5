"""Scheduled catalog sync against the fake TMDB and IGDB servers (real clients, real HTTP).

The app database starts from the demo catalog, as ``make dev`` does, so the
tests also show that a sync lands on the demo rows instead of duplicating them.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

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
def fakes(settings_env, app_db, redis_client):
    tmdb, igdb = FakeTmdb().start(), FakeIgdb().start()
    settings_env(**support.upstream_env(tmdb, igdb))
    support.reset_process_state()
    yield tmdb, igdb
    tmdb.stop()
    igdb.stop()
    support.reset_process_state()


@pytest.fixture
def tmdb(fakes) -> FakeTmdb:
    return fakes[0]


@pytest.fixture
def igdb(fakes) -> FakeIgdb:
    return fakes[1]


def run(job: str) -> dict:
    from chalicelib.catalog import sync

    return sync.run_job(job)


def section_items(key: str) -> list[int]:
    return [r["tmdb_id"] or r["igdb_id"] for r in support.rows(
        "SELECT m.tmdb_id, m.igdb_id FROM discover_section_items d JOIN discover_sections s ON s.id = d.section_id "
        "JOIN media_items m ON m.id = d.media_id WHERE s.key = %(key)s ORDER BY d.position", key=key)]


def state(job: str) -> dict:
    return support.rows("SELECT * FROM sync_state WHERE job_name = %(job)s", job=job)[0]


def test_movie_sync_fills_every_section_in_upstream_order_and_records_ok(tmdb):
    tmdb.lists["/movie/popular"] = [603, 27205, 155]
    result = run("catalog.tmdb_movies")

    assert result["status"] == "ok", result
    assert section_items("tmdb.movie.popular") == [603, 27205, 155]
    trending = sorted(tmdb.movies.values(), key=lambda m: -m["popularity"])[:20]
    assert section_items("tmdb.movie.trending_day") == [m["id"] for m in trending]
    recorded = state("catalog.tmdb_movies")
    assert recorded["last_status"] == "ok" and recorded["last_success_at"] is not None
    assert recorded["consecutive_failures"] == 0 and recorded["stats"]["titles"] > 0
    runs = support.rows("SELECT status, trigger FROM sync_runs WHERE job_name = 'catalog.tmdb_movies'")
    assert runs == [{"status": "ok", "trigger": "schedule"}]
    assert all(r.query.get("api_key") == tmdb.api_key for r in tmdb.requests)


def test_resync_is_idempotent(tmdb):
    run("catalog.tmdb_movies")
    first = support.rows("SELECT id, tmdb_id, title, updated_at FROM media_items ORDER BY id")
    sections = {key: section_items(key) for key in ("tmdb.movie.popular", "tmdb.movie.top_rated")}

    assert run("catalog.tmdb_movies")["status"] == "ok"

    second = support.rows("SELECT id, tmdb_id, title, updated_at FROM media_items ORDER BY id")
    assert [(r["id"], r["tmdb_id"], r["title"]) for r in second] == [(r["id"], r["tmdb_id"], r["title"]) for r in first]
    assert {key: section_items(key) for key in sections} == sections
    duplicates = support.rows("SELECT tmdb_id FROM media_items WHERE tmdb_id IS NOT NULL "
                              "GROUP BY media_type, tmdb_id HAVING count(*) > 1")
    assert duplicates == []
    assert len(support.rows("SELECT 1 FROM sync_runs WHERE job_name = 'catalog.tmdb_movies'")) == 2


def test_sync_lands_on_the_demo_rows_instead_of_duplicating_them(tmdb):
    matrix_id = support.media_id("The Matrix", "movie")
    support.rows("INSERT INTO media_items (media_type, title, release_date, is_demo) "
                 "VALUES ('movie', 'Demo Without Id', '2001-05-05', true) RETURNING id")
    tmdb.add_movie(777001, "Demo Without Id", release_date="2001-05-05")
    tmdb.lists["/trending/movie/day"] = [603, 777001]

    assert run("catalog.tmdb_movies")["status"] == "ok"

    matrix = support.rows("SELECT * FROM media_items WHERE tmdb_id = 603")
    assert len(matrix) == 1 and matrix[0]["id"] == matrix_id
    assert matrix[0]["is_demo"] is False and matrix[0]["poster_path"] == "/m603.jpg"
    assert matrix[0]["overview"].startswith("Fake TMDB synopsis")
    assert "derived" not in matrix[0]["extra"]
    merged = support.rows("SELECT tmdb_id, is_demo FROM media_items WHERE title = 'Demo Without Id'")
    assert merged == [{"tmdb_id": 777001, "is_demo": False}]


def test_a_429_is_retried_after_the_retry_after_delay(tmdb):
    tmdb.fail("/3/movie/popular", 429, times=1, retry_after=1)

    assert run("catalog.tmdb_movies")["status"] == "ok"

    attempts = [r for r in tmdb.requests if r.path == "/3/movie/popular"]
    assert len(attempts) == 2
    assert attempts[1].at - attempts[0].at >= 0.9
    assert section_items("tmdb.movie.popular")


def test_5xx_answers_are_retried_with_backoff(tmdb):
    tmdb.fail("/3/movie/top_rated", 503, times=2)

    assert run("catalog.tmdb_movies")["status"] == "ok"

    assert tmdb.paths("/3/movie/top_rated") == ["/3/movie/top_rated"] * 3
    assert section_items("tmdb.movie.top_rated")


def test_a_failing_section_keeps_its_items_while_the_others_refresh(tmdb):
    tmdb.lists["/movie/popular"] = [603, 155]
    tmdb.lists["/movie/top_rated"] = [278, 238]
    assert run("catalog.tmdb_movies")["status"] == "ok"
    first_success = state("catalog.tmdb_movies")["last_success_at"]

    tmdb.lists["/movie/popular"] = [550, 680]
    tmdb.lists["/movie/top_rated"] = [13, 11]
    tmdb.fail("/3/movie/popular", 500, times=50)
    result = run("catalog.tmdb_movies")

    assert result["status"] == "failed" and "tmdb.movie.popular" in result["error"]
    assert section_items("tmdb.movie.popular") == [603, 155]
    assert section_items("tmdb.movie.top_rated") == [13, 11]
    failed = state("catalog.tmdb_movies")
    assert failed["last_status"] == "failed" and failed["consecutive_failures"] == 1
    assert failed["last_success_at"] == first_success and "HTTP 500" in failed["last_error"]

    tmdb.clear_failures()
    assert run("catalog.tmdb_movies")["status"] == "ok"
    assert section_items("tmdb.movie.popular") == [550, 680]
    assert state("catalog.tmdb_movies")["consecutive_failures"] == 0


def test_an_upstream_outage_fails_the_run_without_touching_stored_rows(tmdb):
    assert run("catalog.tmdb_shows")["status"] == "ok"
    before = {key: section_items(key) for key in ("tmdb.show.popular", "tmdb.show.top_rated")}
    tmdb.fail("/3/", 503, times=1000)

    result = run("catalog.tmdb_shows")

    assert result["status"] == "failed"
    assert {key: section_items(key) for key in before} == before
    assert state("catalog.tmdb_shows")["last_status"] == "failed"


def test_an_empty_answer_does_not_blank_a_section(tmdb):
    tmdb.lists["/movie/upcoming"] = [603]
    run("catalog.tmdb_movies")
    tmdb.lists["/movie/upcoming"] = []

    result = run("catalog.tmdb_movies")

    assert result["status"] == "ok" and result["stats"]["sections"]["tmdb.movie.upcoming"] == "empty"
    assert section_items("tmdb.movie.upcoming") == [603]


def test_jobs_without_credentials_are_recorded_as_skipped(settings_env, app_db, redis_client, monkeypatch):
    for name in ("TMDB_API_KEY", "TMDB_READ_TOKEN", "IGDB_CLIENT_ID", "IGDB_CLIENT_SECRET"):
        monkeypatch.delenv(name, raising=False)
    settings_env()
    for job in ("catalog.tmdb_genres", "catalog.tmdb_movies", "catalog.tmdb_shows", "catalog.igdb_games"):
        assert run(job)["status"] == "skipped"
        assert state(job)["last_status"] == "skipped"
    assert support.rows("SELECT count(*) AS n FROM discover_sections WHERE source IN ('tmdb', 'igdb')")[0]["n"] == 0


def test_v4_read_token_is_sent_as_a_bearer_header(settings_env, tmdb, monkeypatch):
    monkeypatch.delenv("TMDB_API_KEY")
    settings_env(TMDB_READ_TOKEN=tmdb.read_token)

    assert run("catalog.tmdb_genres")["status"] == "ok"

    assert tmdb.requests and all(r.headers["authorization"] == f"Bearer {tmdb.read_token}" for r in tmdb.requests)
    assert all("api_key" not in r.query for r in tmdb.requests)
    assert support.rows("SELECT count(*) AS n FROM genres WHERE source = 'tmdb'")[0]["n"] == 27


def _upcoming_game(igdb: FakeIgdb, igdb_id: int, name: str, days: int, **fields) -> None:
    when = int((datetime.now(UTC) + timedelta(days=days)).timestamp())
    switch = next(p for p in igdb.platforms if p["slug"] == "switch")
    igdb.add_game(igdb_id, name, **{
        "first_release_date": when, "hypes": 500, "platforms": [switch],
        "release_dates": [{"platform": switch["id"], "date": when, "category": 3}],
        "franchise": {"id": 42, "name": "Test Saga", "slug": "test-saga"}, **fields})


def test_igdb_sync_stores_game_rows_with_platforms_genres_and_franchises(igdb):
    _upcoming_game(igdb, 880001, "Anticipated One", days=90)
    _upcoming_game(igdb, 880002, "Anticipated Two", days=30, hypes=900)

    result = run("catalog.igdb_games")

    assert result["status"] == "ok", result
    assert section_items("igdb.game.most_anticipated")[:2] == [880002, 880001]
    game = support.rows("SELECT * FROM media_items WHERE igdb_id = 880001")[0]
    assert game["poster_path"] == f"co{880001:x}" and game["vote_count"] > 0
    platforms = support.rows("SELECT p.slug, mp.release_precision FROM media_platforms mp "
                             "JOIN platforms p ON p.id = mp.platform_id WHERE mp.media_id = %(id)s", id=game["id"])
    assert platforms == [{"slug": "switch", "release_precision": "quarter"}]
    franchise = support.rows("SELECT f.name, mf.is_primary FROM media_franchises mf JOIN franchises f "
                             "ON f.id = mf.franchise_id WHERE mf.media_id = %(id)s", id=game["id"])
    assert franchise == [{"name": "Test Saga", "is_primary": True}]
    switch2 = support.rows("SELECT igdb_id FROM platforms WHERE slug = 'switch-2'")
    assert switch2 == [{"igdb_id": 508}]  # the demo's id-less platform took IGDB's id


def test_igdb_token_is_fetched_once_and_renewed_when_rejected(igdb):
    _upcoming_game(igdb, 880003, "Anticipated Three", days=60)
    assert run("catalog.igdb_games")["status"] == "ok"
    assert run("catalog.igdb_games")["status"] == "ok"
    assert len(igdb.paths("/oauth2/token")) == 1
    assert all(r.headers["client-id"] == igdb.client_id for r in igdb.requests if r.path.startswith("/v4"))

    igdb.revoke_tokens()
    assert run("catalog.igdb_games")["status"] == "ok"
    assert len(igdb.paths("/oauth2/token")) == 2


def test_igdb_429_and_5xx_are_retried(igdb):
    _upcoming_game(igdb, 880004, "Anticipated Four", days=60)
    igdb.fail("/v4/games", 429, times=1, retry_after=0)
    igdb.fail("/v4/platforms", 502, times=1)

    assert run("catalog.igdb_games")["status"] == "ok"
    assert 880004 in section_items("igdb.game.most_anticipated")


def test_igdb_game_without_id_in_the_demo_catalog_is_merged_by_title_and_year(igdb):
    released = date.today() - timedelta(days=10)
    support.rows("INSERT INTO media_items (media_type, title, release_date, is_demo) "
                 "VALUES ('game', 'Demo Game Without Id', %(d)s, true) RETURNING id", d=released)
    stamp = int(datetime(released.year, released.month, released.day, tzinfo=UTC).timestamp())
    igdb.add_game(880005, "Demo Game Without Id", first_release_date=stamp, hypes=5)

    assert run("catalog.igdb_games")["status"] == "ok"

    assert support.rows("SELECT igdb_id, is_demo FROM media_items WHERE title = 'Demo Game Without Id'") == [
        {"igdb_id": 880005, "is_demo": False}]


def test_a_successful_sync_drops_the_discover_cache_and_a_skipped_one_does_not(tmdb, redis_client, settings_env,
                                                                                monkeypatch):
    from chalicelib import cache

    cache.set_json(cache.Keys.discover({"probe": 1}), {"x": 1}, 600)
    assert run("catalog.tmdb_genres")["status"] == "ok"
    assert cache.get_json(cache.Keys.discover({"probe": 1})) is None

    cache.set_json(cache.Keys.discover({"probe": 2}), {"x": 1}, 600)
    monkeypatch.delenv("TMDB_API_KEY")
    settings_env()
    assert run("catalog.tmdb_genres")["status"] == "skipped"
    assert cache.get_json(cache.Keys.discover({"probe": 2})) == {"x": 1}


def test_tmdb_responses_are_cached_in_redis(tmdb, redis_client):
    from chalicelib.catalog.tmdb import TmdbClient

    with TmdbClient() as client:
        first = client.movie(603)
        second = client.movie(603)
    assert first == second and first["id"] == 603
    assert tmdb.paths("/3/movie/603") == ["/3/movie/603"]
    keys = [k.decode() for k in redis_client.scan_iter("seen:v1:tmdb:*")]
    assert keys and not any(tmdb.api_key in k for k in keys)


def test_scheduled_functions_run_their_job(client, tmdb):
    event = client.events.generate_cw_event(source="aws.events", detail_type="Scheduled Event", detail={},
                                            resources=["arn:aws:events:us-east-1:000000000000:rule/catalog"])
    for function, job in (("catalog_sync_tmdb_genres", "catalog.tmdb_genres"),
                          ("catalog_refresh_curated", "catalog.curated")):
        payload = client.lambda_.invoke(function, event).payload
        assert payload["job"] == job and payload["status"] == "ok", json.dumps(payload)
        assert state(job)["last_status"] == "ok"
