"""The calendar through the real app, on the demo catalog with its demo schedule (offline, as `make dev`).

The demo schedule is loaded for a fixed day (TODAY) and the app's clock is
frozen there, so the scheduled episodes and announced titles fall on known
dates whatever day the suite runs.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlencode

import pytest
from icalendar import Calendar

from chalicelib import cache, db
from embedded import services
from tests.integration import catalog_support as support
from tests.integration.tracking_support import Api, code

V1 = "/api/v1"
TODAY = date(2026, 11, 22)
SHOW = "Severance"  # ongoing in the demo data: gets a scheduled next season


@pytest.fixture(scope="module")
def calendar_template(template_url):
    """The migrated template plus the demo catalog and its calendar for TODAY."""
    import psycopg
    from psycopg.rows import dict_row

    from chalicelib.calendar import fill
    from chalicelib.catalog import demo

    url = services.with_database(template_url, f"seen_test_cal_{uuid.uuid4().hex[:10]}")
    services.create_database(url, template=services.database_name(template_url))
    with psycopg.connect(url, row_factory=dict_row, autocommit=True) as conn, conn.transaction():
        demo.load(conn, today=TODAY)
        fill.load_demo_events(conn, today=TODAY)
    yield url
    services.drop_database(url)


@pytest.fixture
def app_db(calendar_template):
    yield from support.app_database(calendar_template)


@pytest.fixture
def today(clock):
    clock.current = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
    return clock


def calendar(api: Api, **params: Any) -> tuple[int, Any]:
    return api("GET", f"{V1}/calendar?{urlencode(params)}")


def items(api: Api, **params: Any) -> list[dict[str, Any]]:
    status, body = calendar(api, **params)
    assert status == 200, body
    assert body["total"] == len(body["items"])
    return body["items"]


def follow(api: Api, title: str) -> int:
    media_id = support.media_id(title, "show")
    assert api("PUT", f"{V1}/follows/{media_id}", {"state": "follow"})[0] == 200
    return media_id


def test_offline_the_calendar_shows_a_followed_shows_episodes_and_upcoming_games(client, auth_headers, today):
    api = Api(client, auth_headers())
    follow(api, SHOW)

    found = items(api, **{"from": "2026-11-22", "to": "2027-01-31"})

    episodes = [e for e in found if e["kind"] == "episode_air" and e["media"]["title"] == SHOW]
    assert len(episodes) >= 4 and all(e["followed"] and e["isDemo"] for e in episodes)
    assert episodes[0]["title"].startswith(f"{SHOW} S03E") and episodes[0]["episode"]["seasonNumber"] == 3
    games = [e for e in found if e["kind"] == "game_release"]
    assert {"Fable", "Pragmata"} <= {e["media"]["title"] for e in games}
    assert all(e["precision"] == "year" and e["dateEnd"] == "2026-12-31" for e in games)
    dune = next(e for e in found if e["media"]["title"] == "Dune: Part Three")
    assert dune["date"] == "2026-12-18" and dune["kind"] == "movie_release"
    assert [e["date"] for e in found] == sorted(e["date"] for e in found)


def test_episodes_of_shows_you_do_not_follow_stay_out_but_premieres_show(client, auth_headers, today):
    found = items(Api(client, auth_headers()), month="2026-12")

    assert not [e for e in found if e["kind"] == "episode_air"]
    premieres = [e for e in found if e["kind"] == "season_premiere"]
    assert premieres and all(e["date"].startswith("2026-12") for e in premieres)


def test_filters(client, auth_headers, today):
    api = Api(client, auth_headers())
    follow(api, SHOW)
    span = {"from": "2026-11-01", "to": "2027-01-31"}

    games = items(api, mediaType="game", **span)
    ps5 = items(api, platform="ps5", **span)
    shows = items(api, mediaType="show", **span)
    mine = items(api, watchlistOnly="true", **span)
    dramas = items(api, genre="drama", **span)

    assert games and {e["kind"] for e in games} == {"game_release"}
    assert ps5 and {e["platform"]["slug"] for e in ps5} == {"ps5"}
    assert {"Grand Theft Auto VI", "Pragmata"} <= {e["media"]["title"] for e in ps5}
    assert {e["kind"] for e in shows} == {"episode_air", "season_premiere"}
    assert mine and {e["media"]["title"] for e in mine} == {SHOW}
    assert dramas and all("drama" in e["genres"] for e in dramas)


@pytest.mark.parametrize("params, error, field", [
    ({"from": "2026-01-01", "to": "2027-01-05"}, "invalid_range", "to"),
    ({"from": "2026-03-01", "to": "2026-02-01"}, "invalid_range", "from"),
    ({"from": "2026-03-01"}, "invalid_range", "to"),
    ({"month": "2026-13"}, "validation_error", "month"),
    ({"from": "yesterday", "to": "2026-02-01"}, "validation_error", "from"),
    ({"mediaType": "book"}, "validation_error", "mediaType"),
    ({"platform": "dreamcast-9000"}, "unknown_filter", "platform"),
    ({"genre": "no-such-genre"}, "unknown_filter", "genre"),
    ({"platform": "../etc"}, "validation_error", "platform"),
])
def test_bad_input_is_a_clear_422(client, auth_headers, today, params, error, field):
    status, body = calendar(Api(client, auth_headers()), **params)

    assert status == 422 and code(body) == error and field in body["error"]["fields"]


def test_months_are_cached_per_user_and_dropped_when_follows_change(client, make_user, today):
    user_id, headers = make_user()
    api = Api(client, headers)
    items(api, **{"from": "2026-11-20", "to": "2027-01-10"})
    keys = {k.decode() for k in cache.get_redis().scan_iter(match=cache.Keys.calendar_pattern(user_id))}
    assert keys == {cache.Keys.calendar(user_id, m) for m in ("2026-11", "2026-12", "2027-01")}

    follow(api, SHOW)

    assert not list(cache.get_redis().scan_iter(match=cache.Keys.calendar_pattern(user_id)))
    assert any(e["kind"] == "episode_air" for e in items(api, month="2026-12"))


def test_saving_a_show_to_watch_later_brings_its_episodes(client, auth_headers, today):
    api = Api(client, auth_headers())
    show = support.media_id(SHOW, "show")
    assert api("PUT", f"{V1}/watch-later/{show}")[0] == 200

    found = [e for e in items(api, month="2026-12") if e["kind"] == "episode_air"]

    # Saving a still-airing show also follows it by default (issue 23: tracking it counts).
    assert found and all(e["onWatchLater"] and e["followed"] for e in found)


def feed(client, token: str, **params: Any):
    return client.http.get(f"{V1}/calendar.ics?{urlencode({'token': token, **params})}")


def test_the_ical_feed_is_per_user_secret_and_rotatable(client, make_user, today):
    _, alice_headers = make_user()
    _, bob_headers = make_user()
    alice, bob = Api(client, alice_headers), Api(client, bob_headers)
    follow(alice, SHOW)
    follow(bob, "The Last of Us")

    status, created = alice("POST", f"{V1}/calendar/token")
    assert status == 201 and created["feedPath"] == f"{V1}/calendar.ics?token={created['token']}"
    response = feed(client, created["token"])

    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/calendar")
    parsed = Calendar.from_ical(response.body)
    summaries = [str(e["SUMMARY"]) for e in parsed.walk("VEVENT")]
    assert any(s.startswith(f"{SHOW} S03E") for s in summaries)
    assert not any(s.startswith("The Last of Us S") for s in summaries)  # Bob's show, not Alice's
    assert any(s.startswith("Dune: Part Three") for s in summaries)
    assert all(e.decoded("DTSTART") < e.decoded("DTEND") for e in parsed.walk("VEVENT"))
    with db.connection() as conn:
        stored = conn.execute("SELECT calendar_token_hash FROM user_preferences WHERE calendar_token_hash IS NOT NULL"
                              ).fetchall()
    assert created["token"].encode() not in b"".join(bytes(r["calendar_token_hash"]) for r in stored)

    rotated = alice("POST", f"{V1}/calendar/token")[1]
    old = feed(client, created["token"])
    assert old.status_code == 404 and code(support.body(old)) == "calendar_feed_not_found"
    assert feed(client, rotated["token"]).status_code == 200


def test_the_feed_url_is_built_on_the_sites_address_not_on_the_requests_host(client, make_user, settings_env):
    _, headers = make_user()
    spoofed = {**headers, "Host": "evil.example", "X-Forwarded-Proto": "http"}
    created = json.loads(client.http.post(f"{V1}/calendar/token", headers=spoofed).body)
    assert created["feedUrl"].startswith("http://evil.example/")  # make dev: no address configured, the Host
    settings_env(SEEN_PUBLIC_URL="https://seen.example.com/")
    created = json.loads(client.http.post(f"{V1}/calendar/token", headers=spoofed).body)
    assert created["feedUrl"] == f"https://seen.example.com{V1}/calendar.ics?token={created['token']}"


@pytest.mark.parametrize("token, status", [("A" * 43, 404), ("short", 422), ("x" * 43 + "!", 422)])
def test_bad_feed_tokens_say_nothing_about_anyone(client, make_user, today, token, status):
    _, headers = make_user()
    api = Api(client, headers)
    rotated = api("POST", f"{V1}/calendar/token")[1]["token"]
    api("POST", f"{V1}/calendar/token")

    response = feed(client, token)

    assert response.status_code == status
    answer = support.body(response)
    if status == 404:  # a token nobody ever had gets the very answer a rotated one gets
        assert answer == support.body(feed(client, rotated))
    else:  # a malformed token is refused for its shape alone
        assert code(answer) == "validation_error" and set(answer["error"]["fields"]) == {"token"}
    assert token not in response.body.decode() and "user" not in response.body.decode().lower()


def test_the_calendar_needs_a_user(client):
    assert client.http.get(f"{V1}/calendar").status_code == 401
    assert client.http.post(f"{V1}/calendar/token").status_code == 401
