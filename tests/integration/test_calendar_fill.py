"""The scheduled calendar fill against the fake TMDB and IGDB servers (real clients over HTTP)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from chalicelib import db
from embedded.fakes.igdb import FakeIgdb
from embedded.fakes.tmdb import FakeTmdb
from tests.integration import catalog_support as support
from tests.integration.tracking_support import Api

V1 = "/api/v1"
TODAY = date(2026, 11, 22)
MOVIE, SHOW, GAME, DLC = 900001, 900002, 880001, 880002
PS5, PC = 167, 6


@pytest.fixture
def today(clock):
    clock.current = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
    return clock


@pytest.fixture
def fakes(settings_env, client, today):
    tmdb, igdb = FakeTmdb(today=TODAY, seed=False).start(), FakeIgdb(seed=False).start()
    tmdb.add_movie(MOVIE, "Future Film", release_date="2027-03-05",
                   _release_dates=[("US", "2027-03-05", 3), ("US", "2027-04-20", 4), ("FR", "2027-03-01", 3)])
    tmdb.add_show(SHOW, "Future Show", seasons=[(10, "2026-03-01"), (6, (TODAY - timedelta(days=14)).isoformat())],
                  status="Returning Series")
    igdb.add_game(GAME, "Future Game")
    igdb.add_game(DLC, "Future Game: First Expansion")
    igdb.add_release_date(GAME, PS5, date_format=4, y=2027)  # Q2 2027
    igdb.add_release_date(GAME, PC, "2027-02-02", region=2)
    igdb.add_release_date(GAME, PC, date_format=7)  # TBD: no event
    igdb.add_release_date(DLC, PC, "2027-06-06")
    settings_env(**support.upstream_env(tmdb, igdb))
    support.reset_process_state()
    yield tmdb, igdb
    tmdb.stop()
    igdb.stop()
    support.reset_process_state()


def one(sql: str, *params: Any) -> Any:
    with db.connection() as conn:
        row = conn.execute(sql, params).fetchone()
    return next(iter(row.values())) if row else None


@pytest.fixture
def tracked(fakes, client, make_user) -> dict[str, Any]:
    """The catalog rows of the fake titles, saved or followed by one user."""
    ids = {
        "movie": one("INSERT INTO media_items (media_type, title, tmdb_id) VALUES ('movie', 'Future Film', %s) "
                     "RETURNING id", MOVIE),
        "show": one("INSERT INTO media_items (media_type, title, tmdb_id, status) "
                    "VALUES ('show', 'Future Show', %s, 'returning') RETURNING id", SHOW),
        "game": one("INSERT INTO media_items (media_type, title, igdb_id) VALUES ('game', 'Future Game', %s) "
                    "RETURNING id", GAME),
        "dlc": one("INSERT INTO media_items (media_type, title, igdb_id) "
                   "VALUES ('game', 'Future Game: First Expansion', %s) RETURNING id", DLC),
    }
    one("INSERT INTO media_relations (media_id, relation, related_media_id, source) VALUES (%s, 'expansion', %s, "
        "'igdb') RETURNING media_id", ids["game"], ids["dlc"])
    one("INSERT INTO platforms (igdb_id, name, slug) VALUES (%s, 'PlayStation 5', 'ps5'), (%s, 'PC', 'win') "
        "RETURNING id", PS5, PC)
    # A demo event the real data must replace.
    one("INSERT INTO release_events (media_id, kind, release_date, release_type, is_demo, source) "
        "VALUES (%s, 'movie_release', '2030-01-01', 'theatrical', true, 'demo') RETURNING id", ids["movie"])
    _, headers = make_user()
    api = Api(client, headers)
    for key in ("movie", "game"):
        assert api("PUT", f"{V1}/watch-later/{ids[key]}")[0] == 200
    assert api("PUT", f"{V1}/follows/{ids['show']}", {"state": "follow"})[0] == 200
    return {**ids, "api": api}


def events(media_id: int) -> list[dict[str, Any]]:
    with db.connection() as conn:
        return conn.execute(
            "SELECT e.kind, e.release_date, e.release_precision, e.release_type, e.region, e.source, e.is_demo, "
            "p.slug AS platform FROM release_events e LEFT JOIN platforms p ON p.id = e.platform_id "
            "WHERE e.media_id = %s ORDER BY e.release_date, p.slug NULLS FIRST", (media_id,)).fetchall()


def test_the_fill_writes_movie_episode_game_and_dlc_dates(tracked, fakes):
    from chalicelib.calendar import fill

    result = fill.run_job()

    assert result["status"] == "ok", result
    assert result["stats"]["tmdb"]["failed"] == 0 and result["stats"]["igdb"]["games"] == 2
    movie = events(tracked["movie"])
    assert [(e["release_type"], e["release_date"], e["region"]) for e in movie] == [
        ("theatrical", date(2027, 3, 5), "US"), ("digital", date(2027, 4, 20), "US")]  # FR: nobody's region
    assert not any(e["is_demo"] for e in movie)  # the demo date was replaced
    show = events(tracked["show"])
    airs = [e for e in show if e["kind"] == "episode_air"]
    assert len(airs) == 6 and airs[0]["release_date"] == TODAY - timedelta(days=14)
    assert [e["release_date"] for e in show if e["kind"] == "season_premiere"] == [TODAY - timedelta(days=14)]
    game = events(tracked["game"])
    assert [(e["platform"], e["release_date"], e["release_precision"], e["region"]) for e in game] == [
        ("win", date(2027, 2, 2), "exact", "north_america"), ("ps5", date(2027, 4, 1), "quarter", "worldwide")]
    assert [(e["kind"], e["release_date"]) for e in events(tracked["dlc"])] == [("dlc_release", date(2027, 6, 6))]
    with db.connection() as conn:
        state = conn.execute("SELECT last_status FROM sync_state WHERE job_name = 'calendar.fill'").fetchone()
    assert state["last_status"] == "ok"


def test_a_second_fill_moves_postponed_dates_instead_of_adding_rows(tracked, fakes):
    from chalicelib.calendar import fill

    tmdb, _ = fakes
    fill.run_job()
    first = {e["release_type"]: e for e in events(tracked["movie"])}
    tmdb.movies[MOVIE]["_release_dates"] = [("US", "2027-05-01", 3)]

    fill.run_job()

    assert [(e["release_type"], e["release_date"]) for e in events(tracked["movie"])] == [
        ("theatrical", date(2027, 5, 1))]
    assert first["theatrical"]["release_date"] == date(2027, 3, 5)


def test_the_user_sees_the_filled_events_with_windows_and_platforms(tracked, fakes):
    from chalicelib.calendar import fill

    fill.run_job()
    status, body = tracked["api"]("GET", f"{V1}/calendar?from=2026-11-01&to=2027-06-30&watchlistOnly=true")

    assert status == 200
    titles = [e["title"] for e in body["items"]]
    assert "Future Show S02E03" in titles and "Future Show: Season 2 premiere" in titles
    assert "Future Film" in titles
    ps5 = next(e for e in body["items"] if e["title"] == "Future Game (PlayStation 5)")
    assert ps5["precision"] == "quarter" and ps5["date"] == "2027-04-01" and ps5["dateEnd"] == "2027-06-30"
    everything = tracked["api"]("GET", f"{V1}/calendar?from=2027-06-01&to=2027-06-30&mediaType=game")[1]["items"]
    assert [(e["title"], e["kind"]) for e in everything] == [  # the Q2 window overlaps June too
        ("Future Game (PlayStation 5)", "game_release"), ("Future Game: First Expansion (PC)", "dlc_release")]


def test_an_upstream_failure_keeps_the_stored_events(tracked, fakes):
    from chalicelib.calendar import fill

    tmdb, _ = fakes
    fill.run_job()
    before = events(tracked["movie"])
    tmdb.fail(f"/3/movie/{MOVIE}/release_dates", 500, times=20)

    result = fill.run_job()

    assert result["status"] == "ok" and result["stats"]["tmdb"]["failed"] == 1
    assert events(tracked["movie"]) == before


def test_without_credentials_the_fill_is_skipped(client, settings_env, today):
    from chalicelib.calendar import fill

    settings_env(TMDB_API_KEY="", TMDB_READ_TOKEN="", IGDB_CLIENT_ID="", IGDB_CLIENT_SECRET="", TWITCH_CLIENT_ID="",
                 TWITCH_CLIENT_SECRET="")
    result = fill.run_job()

    assert result["status"] == "skipped" and "credentials" in result["stats"]["reason"]


def test_the_scheduled_functions_run_through_lambda(client, tracked, fakes):
    event = client.events.generate_cw_event(source="aws.events", detail_type="Scheduled Event", detail={},
                                            resources=["arn:aws:events:us-east-1:000000000000:rule/seen"])

    filled = client.lambda_.invoke("calendar_fill", event).payload
    refreshed = client.lambda_.invoke("recommendations_refresh", event).payload

    assert filled["job"] == "calendar.fill" and filled["status"] == "ok"
    assert refreshed["job"] == "recommendations.snapshots" and refreshed["status"] == "ok"
    assert refreshed["stats"]["computed"] == 1  # the user who saved and followed things
