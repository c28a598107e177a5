"""A kid profile never acts for the household (issue 58): the owner's profile gets a PIN with the first kid, an
adult profile always asks a PIN of a kid's session, and a walk of the whole route table with a kid's token finds
no route the kid may use beyond a reviewed list."""

from __future__ import annotations

import re
import uuid

import pytest

from chalicelib import db, routetable
from tests.integration.auth_support import PASSWORD
from tests.integration.test_profiles import OWNER_PIN, PROFILES, acting, add, call, select, signed_up


def owner_of(client, headers: dict) -> dict:
    return next(p for p in call(client, "GET", PROFILES, headers)[1]["items"] if p["isOwner"])


def test_the_first_kid_needs_a_pin_on_the_owners_profile(client):
    _, headers, _ = signed_up(client)
    status, data, _ = call(client, "POST", PROFILES, headers, {"name": "Robin", "kind": "kid", "maxRating": "PG"})
    assert status == 422 and data["error"]["code"] == "owner_pin_required", data
    assert "ownerPin" in data["error"]["fields"]
    assert len(call(client, "GET", PROFILES, headers)[1]["items"]) == 1  # nothing was added
    add(client, headers, name="Robin", kind="kid", maxRating="PG", ownerPin="2580")
    assert owner_of(client, headers)["hasPin"] is True
    add(client, headers, name="Sky", kind="kid", ownerPin=None)  # the owner has one now: no need to send it
    add(client, headers, name="Grown-up")  # an adult profile never needs it


def test_making_an_adult_profile_a_kid_needs_the_owners_pin_too(client):
    _, headers, _ = signed_up(client)
    partner = add(client, headers, name="Partner")
    status, data, _ = call(client, "PATCH", f"{PROFILES}/{partner['id']}", headers, {"kind": "kid"})
    assert status == 422 and data["error"]["code"] == "owner_pin_required" and "ownerPin" in data["error"]["fields"]
    assert owner_of(client, headers)["hasPin"] is False
    status, data, _ = call(client, "PATCH", f"{PROFILES}/{partner['id']}", headers, {"kind": "kid", "ownerPin": "2580"})
    assert status == 200 and data["kind"] == "kid"
    assert owner_of(client, headers)["hasPin"] is True


def test_the_owners_pin_stays_while_the_household_has_a_kid(client):
    account_id, headers, _ = signed_up(client)
    kid = add(client, headers, kind="kid")
    status, data, _ = call(client, "PATCH", f"{PROFILES}/{account_id}", headers, {"pin": None})
    assert status == 422 and data["error"]["code"] == "owner_pin_required" and "pin" in data["error"]["fields"]
    assert call(client, "PATCH", f"{PROFILES}/{account_id}", headers, {"pin": "1470"})[0] == 200  # changed: fine
    assert call(client, "DELETE", f"{PROFILES}/{kid['id']}", headers)[0] == 204
    status, data, _ = call(client, "PATCH", f"{PROFILES}/{account_id}", headers, {"pin": None})
    assert status == 200 and data["hasPin"] is False  # no kid any more


def test_from_a_kids_session_every_adult_profile_asks_a_pin(client):
    account_id, owner, _ = signed_up(client)
    partner = add(client, owner, name="Partner")  # an adult without a PIN of its own
    kid = add(client, owner, kind="kid", maxRating="PG")
    kid_headers = acting(client, owner, kid["id"])
    for profile_id in (account_id, partner["id"]):
        status, data, _ = select(client, kid_headers, profile_id)
        assert status == 403 and data["error"]["code"] == "pin_required", data
        status, data, _ = select(client, kid_headers, profile_id, "0000")
        assert status == 403 and data["error"]["code"] == "wrong_pin", data
    grown = acting(client, kid_headers, partner["id"], OWNER_PIN)  # a PIN-less adult takes the owner's PIN
    assert call(client, "GET", PROFILES, grown)[1]["currentId"] == partner["id"]
    # an adult's session moves between adult profiles as before
    assert select(client, grown, account_id, OWNER_PIN)[0] == 200


def test_a_household_from_before_sets_the_owners_pin_from_the_kids_session_with_the_password(client):
    """A kid and a PIN-less owner (a household made before a kid needed the owner's PIN): the kid's session
    opens an adult profile only with the account's password, and the owner's new PIN is set on the way."""
    account_id, owner, _ = signed_up(client)
    kid = add(client, owner, kind="kid", maxRating="PG")
    with db.connection() as conn:  # as the upgrade finds it
        conn.execute("UPDATE profiles SET pin_hash = NULL WHERE id = %s", (account_id,))
    kid_headers = acting(client, owner, kid["id"])
    target = f"{PROFILES}/{account_id}/select"
    status, data, _ = call(client, "POST", target, kid_headers, {})
    assert status == 403 and data["error"]["code"] == "owner_pin_setup", data
    assert set(data["error"]["fields"]) == {"password", "ownerPin"}
    status, data, _ = call(client, "POST", target, kid_headers, {"password": "not the password", "ownerPin": "1111"})
    assert status == 403 and data["error"]["code"] == "invalid_credentials", data
    assert owner_of(client, kid_headers)["hasPin"] is False
    status, data, _ = call(client, "POST", target, kid_headers, {"password": PASSWORD, "ownerPin": "3690"})
    assert status == 200, data
    adult = {"Authorization": f"Bearer {data['accessToken']}"}
    assert owner_of(client, adult)["hasPin"] is True
    kid_again = acting(client, adult, kid["id"])
    assert select(client, kid_again, account_id)[1]["error"]["code"] == "pin_required"
    assert select(client, kid_again, account_id, "3690")[0] == 200


# Every route a kid's token may use, reviewed: anything not listed must answer a kid 403 ``not_for_kids``, and
# anything listed must not (so the list cannot go stale). Account-wide actions (the account's e-mail, name and
# password, every device's sessions, profiles other than picking one, instance settings), Get, downloads,
# imports, media-server links, webhooks and the library's shared files and scans are never on it.
KID_MAY = {
    # No session at all (the route is not the kid's to refuse): signing in, a refresh cookie, feeds and
    # players carrying their own signed token, media-server webhooks by secret, health and the API document.
    *(("POST", f"/api/v1/auth/{name}") for name in ("login", "register", "refresh", "logout")),
    ("GET", "/api/v1/calendar.ics"), ("GET", "/api/v1/health/live"), ("GET", "/api/v1/health/ready"),
    ("POST", "/api/v1/hooks/jellyfin/{secret}"), ("POST", "/api/v1/hooks/plex/{secret}"),
    ("GET", "/api/v1/library/{item_id}/hls/{playlist}"), ("GET", "/api/v1/library/{item_id}/trickplay"),
    ("GET", "/api/v1/openapi.json"),
    # The app's shell: which account is signed in (read only), who is watching, picking a profile (an adult one
    # asks a PIN), this profile's own theme and preferences, the app's own reports.
    ("GET", "/api/v1/auth/me"), ("GET", PROFILES), ("POST", f"{PROFILES}/{{profile_id}}/select"),
    ("GET", "/api/v1/settings"), ("GET", "/api/v1/me/preferences"), ("PUT", "/api/v1/me/preferences"),
    ("POST", "/api/v1/client-errors"), ("POST", "/api/v1/engagement/clicks"), ("POST", "/api/v1/playback/events"),
    ("GET", "/api/v1/notifications"), ("POST", "/api/v1/notifications/read"),
    # Browsing the catalog and the library, every answer through the content guard.
    *(("GET", f"/api/v1/{path}") for path in (
        "discover", "genres", "search", "search/suggest", "movies", "movies/{movie_id}", "shows", "shows/{show_id}",
        "shows/{show_id}/seasons/{season_number}", "games", "games/{game_id}", "people/{person_id}", "calendar",
        "dashboard", "recommendations", "resume", "me/titles/{media_id}", "library", "library/titles",
        "library/versions", "library/{item_id}", "library/{item_id}/stream",
        "media-servers/{server_id}/items/{item_id}/stream")),
    # Watching: playback sessions, progress, the profile's own subtitle offset and a track's auto-sync.
    ("POST", "/api/v1/playback/sessions"), ("GET", "/api/v1/playback/sessions/{session_id}"),
    ("POST", "/api/v1/playback/sessions/{session_id}/heartbeat"),
    ("GET", "/api/v1/progress"), ("POST", "/api/v1/progress"), ("GET", "/api/v1/progress/continue-watching"),
    ("GET", "/api/v1/shows/{show_id}/progress"),
    ("PUT", "/api/v1/library/{item_id}/subtitles/{track_id}/offset"),
    ("POST", "/api/v1/library/{item_id}/subtitles/{track_id}/sync"),
    # The profile's own lists: watch later, watched, ratings, favorites, follows, backlog, collections (a list
    # imported from a URL or a file fills the kid's own collection; the guard still hides what is above it),
    # its iCal feed's token, recommendations it dismisses.
    ("GET", "/api/v1/watch-later"), ("PUT", "/api/v1/watch-later/order"), ("PUT", "/api/v1/watch-later/{media_id}"),
    ("DELETE", "/api/v1/watch-later/{media_id}"),
    ("GET", "/api/v1/watched"), ("POST", "/api/v1/watched"), ("DELETE", "/api/v1/watched"),
    ("POST", "/api/v1/watched/bulk"), ("DELETE", "/api/v1/watched/{entry_id}"),
    ("GET", "/api/v1/ratings"), *((method, "/api/v1/ratings/{media_id}") for method in ("GET", "PUT", "DELETE")),
    ("GET", "/api/v1/favorites"), ("PUT", "/api/v1/favorites/{media_id}"), ("DELETE", "/api/v1/favorites/{media_id}"),
    ("GET", "/api/v1/follows"), ("PUT", "/api/v1/follows/{media_id}"), ("DELETE", "/api/v1/follows/{media_id}"),
    ("PUT", "/api/v1/follows/people/{person_id}"), ("DELETE", "/api/v1/follows/people/{person_id}"),
    ("GET", "/api/v1/games/backlog"),
    *((method, "/api/v1/games/backlog/{media_id}") for method in ("GET", "PUT", "DELETE")),
    ("GET", "/api/v1/collections"), ("POST", "/api/v1/collections"), ("PUT", "/api/v1/collections/order"),
    *((method, "/api/v1/collections/{collection_id}") for method in ("GET", "PATCH", "DELETE")),
    ("GET", "/api/v1/collections/{collection_id}/items"), ("POST", "/api/v1/collections/{collection_id}/items"),
    ("PUT", "/api/v1/collections/{collection_id}/items/order"),
    ("DELETE", "/api/v1/collections/{collection_id}/items/{media_id}"),
    ("POST", "/api/v1/collections/import"), ("POST", "/api/v1/collections/import/file"),
    ("POST", "/api/v1/collections/{collection_id}/sync"),
    ("POST", "/api/v1/calendar/token"), ("POST", "/api/v1/recommendations/{media_id}/dismiss"),
}

PARAM = re.compile(r"{(\w+)}")


def _filled(path: str) -> str:
    """The route's path with each parameter a value no row has (the kid's answer comes before any lookup)."""
    return PARAM.sub(lambda match: "master.m3u8" if match[1] == "playlist" else str(uuid.uuid4()), path)


@pytest.fixture
def kid_headers(client) -> dict:
    _, owner, _ = signed_up(client, role="admin")  # an admin's household: admin routes are the kid's to refuse too
    return acting(client, owner, add(client, owner, kind="kid", maxRating="PG")["id"])


def test_a_kid_uses_no_route_beyond_the_reviewed_list(client, kid_headers):
    """Walks every route of the table with a kid's token and the least body: a route is refused to the kid
    (403 ``not_for_kids``) or on ``KID_MAY``, never both, never neither."""
    reached, refused, failed = set(), set(), []
    for route in routetable.load():
        status, data, _ = call(client, route.method, _filled(route.path), kid_headers,
                               {} if route.method in ("POST", "PUT", "PATCH") else None)
        code = (data or {}).get("error", {}).get("code") if isinstance(data, dict) else None
        if status >= 500:
            failed.append((route.method, route.path, status))
        (refused if (status, code) == (403, "not_for_kids") else reached).add((route.method, route.path))
    assert failed == []
    assert sorted(reached - KID_MAY) == [], "a kid may use these: refuse them or review them onto KID_MAY"
    assert sorted(KID_MAY & refused) == [], "refused to a kid now: take them off KID_MAY"
    assert sorted(KID_MAY - reached - refused) == [], "no such route any more"
