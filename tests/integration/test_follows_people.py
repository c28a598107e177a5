"""Follows of people (PUT/DELETE /follows/people/{id}, GET /follows), the default show follows
(tracked or owned, still airing; unfollowing writes a mute) and the dashboard's "From people you follow"."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from chalicelib import cache
from chalicelib.tracking import follows
from tests.integration.people_support import People
from tests.integration.tracking_support import code

V1 = "/api/v1"


@pytest.fixture
def people(cat):
    return People(cat.conn)


def test_following_a_person_is_listed_for_that_user_only(me, people, make_user, client):
    _, api = me
    ada = people.person("Ada Follow", profile_path="/ada.jpg", known_for_department="Acting")
    bo = people.person("Bo Follow")
    status, follow = api("PUT", f"{V1}/follows/people/{ada}")
    assert status == 200
    assert follow["person"] == {"id": ada, "name": "Ada Follow", "profileUrl": follow["person"]["profileUrl"],
                                "knownForDepartment": "Acting"}
    assert follow["person"]["profileUrl"].endswith("/w185/ada.jpg")
    again = api("PUT", f"{V1}/follows/people/{ada}")[1]
    assert again == follow  # no change: the first "since" stays
    api("PUT", f"{V1}/follows/people/{bo}")
    listed = api("GET", f"{V1}/follows")[1]
    assert listed["items"] == []  # shows: unchanged
    assert [(p["person"]["id"], p["since"]) for p in listed["people"]][1] == (ada, follow["since"])
    assert [p["person"]["id"] for p in listed["people"]] == [bo, ada]  # newest first
    assert api("GET", f"{V1}/people/{ada}")[1]["following"] is True
    # Another user follows nobody and sees the person unfollowed.
    _, other = make_user()
    assert json.loads(client.http.get(f"{V1}/follows", headers=other).body)["people"] == []
    assert json.loads(client.http.get(f"{V1}/people/{ada}", headers=other).body)["following"] is False
    theirs = client.http.delete(f"{V1}/follows/people/{ada}", headers=other)
    assert theirs.status_code == 404 and json.loads(theirs.body)["error"]["code"] == "not_tracked"
    assert [p["person"]["id"] for p in api("GET", f"{V1}/follows")[1]["people"]] == [bo, ada]


def test_unfollowing_a_person(me, people):
    _, api = me
    ada = people.person("Ada Unfollow")
    api("PUT", f"{V1}/follows/people/{ada}")
    assert api("DELETE", f"{V1}/follows/people/{ada}") == (204, None)
    assert api("GET", f"{V1}/follows")[1]["people"] == []
    status, data = api("DELETE", f"{V1}/follows/people/{ada}")
    assert (status, code(data)) == (404, "not_tracked")


@pytest.mark.parametrize("method", ["PUT", "DELETE"])
@pytest.mark.parametrize("raw", ["987654321", "abc", "0", "99999999999999999999999"])
def test_following_an_unknown_person_is_a_404(me, method, raw):
    _, api = me
    status, data = api(method, f"{V1}/follows/people/{raw}")
    assert (status, code(data)) == (404, "person_not_found")


def test_a_person_follow_change_drops_the_dashboard_and_calendar(me, people):
    user_id, api = me
    ada = people.person("Ada Cache")
    for change in ("PUT", "DELETE"):
        cache.set_json(cache.Keys.dashboard(user_id), {"stale": 1}, 60)
        cache.set_json(cache.Keys.calendar(user_id, "2030-01"), {"stale": 1}, 60)
        assert api(change, f"{V1}/follows/people/{ada}")[0] in (200, 204)
        assert cache.get_json(cache.Keys.dashboard(user_id)) is None
        assert cache.get_json(cache.Keys.calendar(user_id, "2030-01")) is None


# ---------------------------------------------------- default show follows


def test_a_still_airing_show_on_watch_later_or_in_the_library_is_followed_by_default(me, cat, make_user, client):
    user_id, api = me
    later, _ = cat.show(status="returning")
    owned, owned_eps = cat.show(status="returning")
    ended_later, _ = cat.show(status="ended")
    movie = cat.movie(status="planned")
    for media_id in (later, ended_later, movie):
        assert api("PUT", f"{V1}/watch-later/{media_id}")[0] in (200, 201)
    cat.conn.execute("INSERT INTO library_items (storage_key, file_name, size_bytes, match_state, media_id, "
                     "episode_id) VALUES ('lib/owned-s01e01.mkv', 'owned-s01e01.mkv', 1, 'matched', %s, %s)",
                     (owned, owned_eps[(1, 1)]))
    states = {i["media"]["id"]: i["state"] for i in api("GET", f"{V1}/follows")[1]["items"]}
    assert states == {later: "implicit", owned: "implicit"}
    assert follows.followed_show_ids(cat.conn, user_id) == {later, owned}
    # A file on the household's disk counts for everyone; another user's watch later does not.
    other_id, _ = make_user()
    assert follows.followed_show_ids(cat.conn, other_id) == {owned}


def test_a_file_another_user_downloaded_does_not_make_a_show_followed(me, cat, make_user):
    user_id, _ = me
    show, _ = cat.show(status="returning")
    other_id, _ = make_user()
    job = cat.conn.execute("INSERT INTO download_jobs (user_id, source_type, source, status) "
                           "VALUES (%s, 'http', 'https://example.test/a.mkv', 'queued') RETURNING id",
                           (other_id,)).fetchone()["id"]
    cat.conn.execute("INSERT INTO library_items (storage_key, file_name, size_bytes, match_state, media_id, "
                     "source_job_id) VALUES ('lib/theirs.mkv', 'theirs.mkv', 1, 'matched', %s, %s)", (show, job))
    assert follows.followed_show_ids(cat.conn, other_id) == {show}
    assert follows.followed_show_ids(cat.conn, user_id) == set()


def test_unfollowing_a_show_followed_by_default_writes_a_mute_that_the_default_respects(me, cat):
    user_id, api = me
    show, _ = cat.show(status="returning")
    api("PUT", f"{V1}/watch-later/{show}")
    api("PUT", f"{V1}/follows/{show}", {"state": "follow"})
    assert api("DELETE", f"{V1}/follows/{show}")[0] == 204  # followed both ways: a mute, not a drop
    [item] = api("GET", f"{V1}/follows")[1]["items"]
    assert (item["media"]["id"], item["state"], item["followed"]) == (show, "mute", False)
    assert show not in follows.followed_show_ids(cat.conn, user_id)
    assert api("DELETE", f"{V1}/follows/{show}")[0] == 204  # lifts the mute: back to the default
    [item] = api("GET", f"{V1}/follows")[1]["items"]
    assert (item["state"], item["followed"]) == ("implicit", True)


# ------------------------------------------------------------ dashboard row


def test_the_dashboard_lists_titles_of_followed_people_newest_first(me, cat, people, make_user, client):
    user_id, api = me
    ada, bo, stranger = people.person("Ada Dash"), people.person("Bo Dash"), people.person("Cy Dash")
    today = date.today()
    upcoming = cat.movie("Upcoming One", release_date=today + timedelta(days=30))
    recent = cat.movie("Recent One", release_date=today - timedelta(days=10))
    old = cat.movie("Old One", release_date=date(1999, 1, 1))
    watched = cat.movie("Watched One", release_date=today - timedelta(days=5))
    dismissed = cat.movie("Dismissed One", release_date=today - timedelta(days=6))
    show, eps = cat.show({1: 1}, title="Seen Show")
    unrelated = cat.movie("Unrelated", release_date=today)
    people.credit(upcoming, ada, "cast", 0)
    people.credit(upcoming, bo, "crew", 0, job="Director")
    for media_id in (recent, old, watched, dismissed, show):
        people.credit(media_id, bo, "cast", 1)
    people.credit(unrelated, stranger, "cast", 0)
    api("POST", f"{V1}/watched", {"mediaId": watched})
    api("POST", f"{V1}/watched", {"mediaId": show, "episodeId": eps[(1, 1)]})
    cat.conn.execute("INSERT INTO user_dismissals (user_id, media_id) VALUES (%s, %s)", (user_id, dismissed))
    assert api("GET", f"{V1}/dashboard")[1]["fromPeopleYouFollow"] == {"items": [], "error": None}
    api("PUT", f"{V1}/follows/people/{ada}")
    api("PUT", f"{V1}/follows/people/{bo}")
    row = api("GET", f"{V1}/dashboard")[1]["fromPeopleYouFollow"]  # the follow dropped the cached dashboard
    assert row["error"] is None
    assert [i["media"]["id"] for i in row["items"]] == [upcoming, recent, old]
    assert row["items"][0]["people"] == [{"id": ada, "name": "Ada Dash"}, {"id": bo, "name": "Bo Dash"}]
    assert row["items"][0]["media"]["title"] == "Upcoming One" and row["items"][1]["people"] == [
        {"id": bo, "name": "Bo Dash"}]
    # Another user follows nobody.
    _, other = make_user()
    theirs = json.loads(client.http.get(f"{V1}/dashboard", headers=other).body)
    assert theirs["fromPeopleYouFollow"] == {"items": [], "error": None}
    api("DELETE", f"{V1}/follows/people/{bo}")
    assert [i["media"]["id"] for i in api("GET", f"{V1}/dashboard")[1]["fromPeopleYouFollow"]["items"]] == [upcoming]
