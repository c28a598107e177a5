"""TheTVDB air times against the fake TMDB and the fake TVDB over HTTP (real clients, real Postgres and Redis).

With a key stored through the admin settings, a followed show's episodes air at TVDB's time in the show's
zone and the calendar says so without "approximate"; without a key, or while TVDB is down, the network's
usual slot stays, marked approximate; a token TVDB refuses is replaced by one new login."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from cryptography.fernet import Fernet

from embedded.fakes.tmdb import FakeTmdb
from embedded.fakes.tvdb import FakeTvdb
from tests.integration import catalog_support as support
from tests.integration.tracking_support import Api

V1 = "/api/v1"
TODAY = date(2026, 11, 22)
SHOW, TVDB_ID = 900002, 81189
NEW_YORK = ZoneInfo("America/New_York")


@pytest.fixture
def today(clock):
    clock.current = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
    return clock


def forget_process_state() -> None:
    from chalicelib.catalog import tvdb_airtimes
    from chalicelib.settings import credentials

    credentials.forget()
    support.reset_process_state()
    tvdb_airtimes.forget()


@pytest.fixture
def fakes(settings_env, client, today):
    """A returning AMC show on the fake TMDB (an episode today, weekly) and its series on the fake TVDB,
    which airs it at 22:30 New York time and asks for a subscriber PIN."""
    tmdb, tvdb = FakeTmdb(today=TODAY, seed=False).start(), FakeTvdb(pin="4321", seed=False).start()
    tmdb.add_show(SHOW, "Future Show", seasons=[(6, (TODAY - timedelta(days=14)).isoformat())],
                  status="Returning Series", networks=[{"id": 174, "name": "AMC", "origin_country": "US"}])
    tvdb.add_series(TVDB_ID, "Future Show", airs_time="22:30", network="AMC", network_country="usa", tmdb_id=SHOW)
    settings_env(**support.upstream_env(tmdb, None), TVDB_BASE_URL=tvdb.url, TVDB_ALLOW_PRIVATE="true",
                 TVDB_RATE_LIMIT="1000", SEEN_SETTINGS_KEY=Fernet.generate_key().decode())
    forget_process_state()
    yield tmdb, tvdb
    tmdb.stop()
    tvdb.stop()
    forget_process_state()


@pytest.fixture
def follower(fakes, client, make_user) -> Api:
    """A user following the show (so the calendar fill refreshes it and the calendar lists it)."""
    from chalicelib import db

    with db.connection() as conn:
        conn.execute("INSERT INTO media_items (media_type, title, tmdb_id, status)"
                     " VALUES ('show', 'Future Show', %s, 'returning')", (SHOW,))
    api = Api(client, make_user()[1])
    show_id = support.media_id("Future Show", "show")
    assert api("PUT", f"{V1}/follows/{show_id}", {"state": "follow"})[0] == 200
    return api


@pytest.fixture
def admin(client, auth_headers) -> Api:
    return Api(client, auth_headers(role="admin"))


def store_tvdb_key(admin: Api, tvdb: FakeTvdb) -> dict[str, Any]:
    status, body = admin("PATCH", f"{V1}/admin/settings", {"tvdbApiKey": tvdb.api_key, "tvdbPin": tvdb.pin})
    assert status == 200, body
    return body


def fill() -> dict[str, Any]:
    from chalicelib.calendar import fill as calendar_fill

    result = calendar_fill.run_job()
    assert result["status"] == "ok", result
    return result


def air_time() -> dict[str, Any]:
    [row] = support.rows("SELECT extra->>'airTime' AS at, extra->>'airTimezone' AS zone,"
                         " extra->>'airTimeSource' AS source FROM media_items WHERE tmdb_id = %(t)s", t=SHOW)
    return row


def todays_event(api: Api) -> dict[str, Any]:
    status, body = api("GET", f"{V1}/calendar?view=week")
    assert status == 200, body
    [event] = [e for e in body["items"] if e["kind"] == "episode_air" and e["date"] == TODAY.isoformat()]
    return event


def local_times() -> set[tuple[int, int]]:
    rows = support.rows("SELECT air_at FROM episodes e JOIN media_items m ON m.id = e.media_id"
                        " WHERE m.tmdb_id = %(t)s AND e.air_date IS NOT NULL", t=SHOW)
    assert rows
    return {(r["air_at"].astimezone(NEW_YORK).hour, r["air_at"].astimezone(NEW_YORK).minute) for r in rows}


def test_with_a_stored_key_episodes_air_at_tvdbs_time_and_the_calendar_says_exact(fakes, follower, admin):
    _, tvdb = fakes
    body = store_tvdb_key(admin, tvdb)
    assert body["tvdbApiKey"]["set"] is True and body["tvdbPin"]["set"] is True
    assert tvdb.api_key not in str(body) and tvdb.pin not in str(admin("GET", f"{V1}/admin/settings")[1])

    fill()

    assert air_time() == {"at": "22:30", "zone": "America/New_York", "source": "tvdb"}
    assert local_times() == {(22, 30)}
    event = todays_event(follower)
    assert event["airTimeApproximate"] is False and event["anytime"] is False
    assert datetime.fromisoformat(event["airAt"]) == datetime(2026, 11, 22, 22, 30, tzinfo=NEW_YORK)
    # Found by its TMDB id (the calendar's records carry no external ids), once: a second fill asks nothing.
    assert tvdb.paths() == ["/v4/login", f"/v4/search/remoteid/{SHOW}", f"/v4/series/{TVDB_ID}/extended"]
    fill()
    assert len(tvdb.requests) == 3


def test_without_a_key_the_networks_slot_stays_and_is_marked_approximate(fakes, follower):
    _, tvdb = fakes

    fill()

    assert air_time() == {"at": "21:00", "zone": "America/New_York", "source": "network"}  # AMC's usual slot
    event = todays_event(follower)
    assert event["airTimeApproximate"] is True
    assert datetime.fromisoformat(event["airAt"]) == datetime(2026, 11, 22, 21, 0, tzinfo=NEW_YORK)
    assert tvdb.requests == []


def test_a_refused_token_is_replaced_by_one_new_login(fakes, follower, admin):
    from chalicelib import cache

    _, tvdb = fakes
    store_tvdb_key(admin, tvdb)
    fill()
    tvdb.expire_tokens()  # a month later
    tvdb.series[TVDB_ID]["airsTime"] = "23:00"
    cache.invalidate(cache.Keys.tvdb_series(f"show:tmdb:{SHOW}"))  # a day later: the answer is asked again

    fill()

    search, series = f"/v4/search/remoteid/{SHOW}", f"/v4/series/{TVDB_ID}/extended"
    # The first request of the second fill is refused (401): one login, the same request again, and on.
    assert tvdb.paths() == ["/v4/login", search, series, search, "/v4/login", search, series]
    assert air_time() == {"at": "23:00", "zone": "America/New_York", "source": "tvdb"}
    assert local_times() == {(23, 0)}


def test_tvdb_down_keeps_the_approximation_and_the_fill_succeeds(fakes, follower, admin, caplog):
    _, tvdb = fakes
    store_tvdb_key(admin, tvdb)
    tvdb.fail("/v4/", 503, times=100)

    with caplog.at_level(logging.WARNING):
        result = fill()

    assert result["stats"]["tmdb"] == {"movies": 0, "shows": 1, "events": 7, "failed": 0}
    assert air_time()["source"] == "network"
    assert todays_event(follower)["airTimeApproximate"] is True
    assert [r for r in caplog.records if getattr(r, "action", None) == "tvdb_unavailable"]
    assert len(tvdb.requests) == 2  # the login and its one retry; then TVDB is left alone for a while


def test_tvdb_down_after_an_answer_keeps_the_last_known_time(fakes, follower, admin):
    from chalicelib import cache

    _, tvdb = fakes
    store_tvdb_key(admin, tvdb)
    fill()
    key = cache.Keys.tvdb_series(f"show:tmdb:{SHOW}")
    stale = cache.get_json(key)
    cache.set_json(key, {**stale, "at": stale["at"] - 2 * 24 * 3600}, 3600)  # two days old: asked again
    tvdb.fail("/v4/", 500, times=100)

    fill()

    assert air_time()["source"] == "tvdb" and local_times() == {(22, 30)}


def test_lazy_details_use_tmdbs_tvdb_id_and_the_environments_key(fakes, client, auth_headers, settings_env):
    tmdb, tvdb = fakes
    settings_env(TVDB_API_KEY=tvdb.api_key)
    tvdb.pin = None  # the environment's key is not a subscriber key
    tmdb.shows[SHOW]["tvdb_id"] = TVDB_ID
    [row] = support.rows("INSERT INTO media_items (media_type, title, tmdb_id) VALUES ('show', 'Future Show', %(t)s)"
                         " RETURNING id", t=SHOW)

    response = client.http.get(f"{V1}/shows/{row['id']}", headers=auth_headers())

    assert response.status_code == 200
    assert air_time() == {"at": "22:30", "zone": "America/New_York", "source": "tvdb"}
    assert tvdb.paths() == ["/v4/login", f"/v4/series/{TVDB_ID}/extended"]  # no search: TMDB knew the id


def test_a_stored_key_never_takes_the_environments_pin(fakes, admin, settings_env):
    from chalicelib.settings import credentials

    settings_env(TVDB_API_KEY="env-key", TVDB_PIN="env-pin")
    assert (credentials.catalog_settings().tvdb_api_key, credentials.catalog_settings().tvdb_pin) == (
        "env-key", "env-pin")

    assert admin("PATCH", f"{V1}/admin/settings", {"tvdbApiKey": "stored-key"})[0] == 200

    assert (credentials.catalog_settings().tvdb_api_key, credentials.catalog_settings().tvdb_pin) == (
        "stored-key", None)
