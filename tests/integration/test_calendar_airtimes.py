"""Episode air times in the calendar (timed first, then "Anytime"), followed people's titles, and the
iCal feed's timed events, on the demo catalog and its demo schedule (clock frozen on TODAY)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from tests import db_support
from tests.integration import catalog_support as support
from tests.integration.tracking_support import Api

V1 = "/api/v1"
TODAY = date(2026, 11, 22)


@pytest.fixture(scope="module")
def calendar_template(template_url):
    """The demo catalog and its schedule as of TODAY (tests/db_support.py makes it once per process)."""
    yield db_support.built_template(template_url, "air", _load_schedule)


def _load_schedule(url: str) -> None:
    import psycopg
    from psycopg.rows import dict_row

    from chalicelib.calendar import fill
    from chalicelib.catalog import demo

    with psycopg.connect(url, row_factory=dict_row, autocommit=True) as conn, conn.transaction():
        demo.load(conn, today=TODAY)
        fill.load_demo_events(conn, today=TODAY)


@pytest.fixture
def app_db(calendar_template):
    yield from support.app_database(calendar_template)


@pytest.fixture
def today(clock):
    clock.current = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
    return clock


@pytest.fixture
def api(client, auth_headers, today) -> Api:
    return Api(client, auth_headers())


def follow(api: Api, title: str) -> int:
    media_id = support.media_id(title, "show")
    assert api("PUT", f"{V1}/follows/{media_id}", {"state": "follow"})[0] == 200
    return media_id


def events(api: Api, **params: Any) -> list[dict[str, Any]]:
    status, body = api("GET", f"{V1}/calendar?{urlencode({'from': '2026-11-01', 'to': '2027-02-28', **params})}")
    assert status == 200, body
    return body["items"]


def test_a_broadcast_shows_episodes_have_an_air_time_and_a_streaming_shows_are_anytime(api):
    follow(api, "The Last of Us")  # HBO: 21:00 in New York
    follow(api, "Severance")  # Apple TV+: a streaming drop

    found = [e for e in events(api) if e["kind"] == "episode_air"]

    hbo = [e for e in found if e["media"]["title"] == "The Last of Us"]
    apple = [e for e in found if e["media"]["title"] == "Severance"]
    assert hbo and apple
    for event in hbo:
        local = datetime.fromisoformat(event["airsAt"]).astimezone(ZoneInfo("America/New_York"))
        assert (local.date().isoformat(), local.hour, local.minute) == (event["date"], 21, 0)
        assert event["anytime"] is False and event["reason"] == "followed"
    assert all(e["airsAt"] is None and e["anytime"] is True for e in apple)


def test_a_days_timed_events_come_first_in_time_order_then_anytime(api):
    follow(api, "The Last of Us")
    follow(api, "Severance")
    [hbo] = support.rows("SELECT id FROM release_events WHERE kind = 'episode_air' AND media_id = %(m)s"
                         " ORDER BY release_date LIMIT 1", m=support.media_id("The Last of Us", "show"))
    apple = support.rows("SELECT id FROM release_events WHERE kind = 'episode_air' AND media_id = %(m)s"
                         " ORDER BY release_date LIMIT 2", m=support.media_id("Severance", "show"))
    support.rows("UPDATE release_events SET release_date = '2026-12-10', release_at = NULL WHERE id = %(a)s",
                 a=apple[0]["id"])
    support.rows("UPDATE release_events SET release_date = '2026-12-10', release_at = '2026-12-10T23:00:00Z'"
                 " WHERE id = %(a)s", a=apple[1]["id"])
    support.rows("UPDATE release_events SET release_date = '2026-12-10', release_at = '2026-12-10T14:00:00Z'"
                 " WHERE id = %(h)s", h=hbo["id"])

    day = [e for e in events(api) if e["date"] == "2026-12-10"]

    mine = [e for e in day if e["id"] in (hbo["id"], apple[0]["id"], apple[1]["id"])]
    assert [e["id"] for e in mine] == [hbo["id"], apple[1]["id"], apple[0]["id"]]
    assert [e["anytime"] for e in day] == sorted(e["anytime"] for e in day)  # every timed one before Anytime


def test_a_followed_persons_new_title_appears_with_the_reason(api, make_user):
    wick = support.media_id("John Wick: Chapter 4", "movie")
    support.rows("INSERT INTO release_events (media_id, kind, release_date, release_type, region, source)"
                 " VALUES (%(m)s, 'movie_release', '2026-12-05', 'digital', 'US', 'tmdb')", m=wick)
    support.rows("INSERT INTO user_person_follows (user_id, person_id)"
                 " SELECT u.id, p.id FROM users u, people p WHERE p.tmdb_id = 6384"
                 " AND u.id = (SELECT user_id FROM sessions ORDER BY created_at DESC LIMIT 1)")

    mine = [e for e in events(api, watchlistOnly="true") if e["media"]["id"] == wick]

    assert [(e["reason"], e["personName"]) for e in mine] == [("person", "Keanu Reeves")]
    _, other = make_user()
    theirs = [e for e in events(Api(api.client, other)) if e["media"]["id"] == wick]
    assert [(e["reason"], e["personName"]) for e in theirs] == [(None, None)]


def test_the_ical_feed_has_timed_episodes_and_all_day_releases(api):
    follow(api, "The Last of Us")
    status, created = api("POST", f"{V1}/calendar/token")
    assert status == 201

    response = api.client.http.get(f"{V1}/calendar.ics?{urlencode({'token': created['token']})}")

    calendar = Calendar.from_ical(response.body)
    starts = {str(e["summary"]): e.decoded("dtstart") for e in calendar.walk("VEVENT")}
    timed = [v for k, v in starts.items() if k.startswith("The Last of Us S")]
    assert timed and all(isinstance(v, datetime) and v.tzinfo is not None for v in timed)
    assert any(type(v) is date for v in starts.values())  # movies and games stay all-day


def week(api: Api, **params: Any) -> tuple[int, Any]:
    return api("GET", f"{V1}/calendar?{urlencode({'view': 'week', **params})}")


def test_the_week_view_is_seven_days_from_today_timed_episodes_first_with_their_art(api):
    follow(api, "The Last of Us")  # HBO: its usual 21:00 slot, an approximation
    follow(api, "Severance")  # a streaming drop: Anytime
    shows = {support.media_id(t, "show"): t for t in ("The Last of Us", "Severance")}
    firsts = support.rows("SELECT DISTINCT ON (media_id) id, media_id, episode_id FROM release_events"
                          " WHERE kind = 'episode_air' AND media_id = ANY(%(m)s) ORDER BY media_id, release_date",
                          m=list(shows))
    for row in firsts:  # both next episodes on the third day of the week
        support.rows("UPDATE release_events SET release_date = '2026-11-24',"
                     " release_at = CASE WHEN %(timed)s THEN '2026-11-25T02:00:00Z'::timestamptz END"
                     " WHERE id = %(id)s", id=row["id"], timed=shows[row["media_id"]] == "The Last of Us")
        support.rows("UPDATE episodes SET still_path = '/still.jpg', overview = 'What happens.' WHERE id = %(e)s",
                     e=row["episode_id"])

    status, body = week(api)

    assert status == 200, body
    assert (body["from"], body["to"]) == ("2026-11-22", "2026-11-28")  # today first, seven days
    assert all(e["dateEnd"] >= "2026-11-22" and e["date"] <= "2026-11-28" for e in body["items"])
    mine = [e for e in body["items"] if e["id"] in {row["id"] for row in firsts}]
    assert [(e["date"], e["media"]["title"]) for e in mine] == [
        ("2026-11-24", "The Last of Us"), ("2026-11-24", "Severance")]
    hbo, apple = mine
    assert hbo["airAt"] == hbo["airsAt"] and datetime.fromisoformat(hbo["airAt"]) == datetime(
        2026, 11, 25, 2, tzinfo=UTC)
    assert (hbo["anytime"], hbo["airTimeApproximate"]) == (False, True)
    assert (apple["airAt"], apple["anytime"], apple["airTimeApproximate"]) == (None, True, False)
    for event in mine:
        assert event["episode"]["stillUrl"].endswith("/still.jpg"), event["episode"]
        assert event["episode"]["overview"] == "What happens."
        assert event["media"]["backdropUrl"] is None or event["media"]["backdropUrl"].startswith("http")


def test_a_week_starts_where_asked_and_takes_no_end(api):
    status, body = week(api, **{"from": "2026-12-30"})
    assert status == 200 and (body["from"], body["to"]) == ("2026-12-30", "2027-01-05"), body

    for params, field in (({"to": "2026-12-31"}, "to"), ({"month": "2026-12"}, "month")):
        status, body = week(api, **params)
        assert status == 422 and body["error"]["code"] == "invalid_range", body
        assert field in body["error"]["fields"], body
    status, body = api("GET", f"{V1}/calendar?view=fortnight")
    assert status == 422 and "view" in body["error"]["fields"], body
