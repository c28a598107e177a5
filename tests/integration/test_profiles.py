"""Household profiles through the real API (issue 38, item 1): CRUD and its limits, PINs, selecting a
profile (the token and the session act as it, a refresh keeps it), data kept apart per profile, kid
profiles kept out of grown-up routes, and one account never reaching another's profiles."""

from __future__ import annotations

import json
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import jwt
import pytest

from chalicelib import db, ratelimit
from chalicelib.auth import guards
from chalicelib.contentrating import Limit
from chalicelib.profiles import service as profiles_service
from tests.integration.auth_support import JSON, bearer, cookie_jar, login, refresh, register

PROFILES = "/api/v1/me/profiles"
OWNER_PIN = "9753"  # what ``add`` sets on the owner's profile with its first kid (a household with kids needs it)


def call(client, method: str, path: str, headers: dict, body=None) -> tuple[int, Any, Any]:
    kwargs = {"headers": {**JSON, **headers}}
    if method in ("POST", "PUT", "PATCH"):
        kwargs["body"] = json.dumps(body if body is not None else {})
    response = getattr(client.http, method.lower())(path, **kwargs)
    return response.status_code, (json.loads(response.body) if response.body else None), response


def add(client, headers: dict, **body):
    if body.get("kind") == "kid":
        body.setdefault("ownerPin", OWNER_PIN)
    status, data, _ = call(client, "POST", PROFILES, headers, {"name": f"P{uuid.uuid4().hex[:6]}", **body})
    assert status == 201, data
    return data


def select(client, headers: dict, profile_id: str, pin: str | None = None):
    body = {} if pin is None else {"pin": pin}
    return call(client, "POST", f"{PROFILES}/{profile_id}/select", headers, body)


def acting(client, headers: dict, profile_id: str, pin: str | None = None) -> dict:
    status, data, _ = select(client, headers, profile_id, pin)
    assert status == 200, data
    return {"Authorization": f"Bearer {data['accessToken']}"}


def signed_up(client, role: str = "user"):
    """A new account through the real API: (account id, bearer headers, refresh-cookie jar)."""
    response = register(client, f"home-{uuid.uuid4().hex[:10]}@seen.test")
    assert response.status_code == 201, response.body
    ratelimit.reset("register_ip", "127.0.0.1")
    account_id = json.loads(response.body)["user"]["id"]
    if role == "admin":
        with db.connection() as conn:
            conn.execute("UPDATE users SET role = 'admin' WHERE id = %s", (account_id,))
    return account_id, bearer(response), cookie_jar(response)


@pytest.fixture
def movie(client):
    with db.connection() as conn:
        row = conn.execute("INSERT INTO media_items (media_type, title) VALUES ('movie', %s) RETURNING id",
                           (f"Film {uuid.uuid4().hex[:6]}",)).fetchone()
    return row["id"]


def test_an_account_starts_with_its_own_profile(client):
    account_id, headers, _ = signed_up(client)
    status, data, _ = call(client, "GET", PROFILES, headers)
    assert status == 200
    assert data["currentId"] == account_id
    [owner] = data["items"]
    assert owner["id"] == account_id and owner["isOwner"] and owner["kind"] == "adult"
    assert owner["hasPin"] is False and owner["maxRating"] is None and owner["theme"] == "dark"
    assert owner["name"].startswith("home-")


def test_an_account_made_before_profiles_gets_its_owner_profile_on_first_use(client, make_user):
    account_id, headers = make_user()
    with db.connection() as conn:
        conn.execute("DELETE FROM profiles WHERE id = %s", (account_id,))
        conn.execute("UPDATE users SET display_name = 'Alex' WHERE id = %s", (account_id,))
    assert call(client, "GET", "/api/v1/watch-later", headers)[0] == 200  # the principal needs no profile row
    status, data, _ = call(client, "GET", PROFILES, headers)
    assert status == 200 and [(p["id"], p["name"]) for p in data["items"]] == [(str(account_id), "Alex")]


def test_profiles_are_created_changed_and_deleted(client):
    _, headers, _ = signed_up(client)
    kid = add(client, headers, name="Robin", kind="kid", maxRating="PG", theme="light", avatar="fox",
              color="#A0B0C0")
    assert (kid["kind"], kid["maxRating"], kid["theme"], kid["avatar"], kid["color"]) == \
        ("kid", "PG", "light", "fox", "#a0b0c0")
    assert kid["isOwner"] is False and kid["allowedCollections"] == []
    patch = {"name": "Robin B", "maxRating": "12"}
    status, changed, _ = call(client, "PATCH", f"{PROFILES}/{kid['id']}", headers, patch)
    assert status == 200 and (changed["name"], changed["maxRating"], changed["kind"]) == ("Robin B", "12", "kid")
    status, grown, _ = call(client, "PATCH", f"{PROFILES}/{kid['id']}", headers, {"kind": "adult"})
    assert status == 200 and grown["kind"] == "adult" and grown["maxRating"] is None  # an adult has no limit
    assert call(client, "DELETE", f"{PROFILES}/{kid['id']}", headers)[0] == 204
    assert [p["id"] for p in call(client, "GET", PROFILES, headers)[1]["items"]] != [kid["id"]]
    assert len(call(client, "GET", PROFILES, headers)[1]["items"]) == 1
    assert call(client, "DELETE", f"{PROFILES}/{kid['id']}", headers)[0] == 404


def test_an_account_holds_at_most_six_profiles(client):
    _, headers, _ = signed_up(client)
    for _ in range(5):
        add(client, headers)
    status, data, _ = call(client, "POST", PROFILES, headers, {"name": "Seventh"})
    assert status == 409 and data["error"]["code"] == "profile_limit"
    assert len(call(client, "GET", PROFILES, headers)[1]["items"]) == 6


@pytest.mark.parametrize(("body", "field"), [
    ({"name": ""}, "name"),
    ({"name": "x" * 41}, "name"),
    ({"name": "A", "kind": "teen"}, "kind"),
    ({"name": "A", "pin": "12"}, "pin"),
    ({"name": "A", "pin": "1234567"}, "pin"),
    ({"name": "A", "pin": "12a4"}, "pin"),
    ({"name": "A", "pin": 1234}, "pin"),
    ({"name": "A", "kind": "kid", "maxRating": "XYZ-99"}, "maxRating"),
    ({"name": "A", "maxRating": "PG"}, "maxRating"),  # an adult has no rating limit
    ({"name": "A", "kind": "kid", "allowedCollections": ["not-a-uuid"]}, "allowedCollections.0"),
    ({"name": "A", "kind": "kid", "allowedCollections": [str(uuid.uuid4())]}, "allowedCollections"),
    ({"name": "A", "color": "red"}, "color"),
    ({"name": "A", "owner": True}, "owner"),
])
def test_bad_profiles_are_refused_with_the_field_named(client, body, field):
    _, headers, _ = signed_up(client)
    status, data, _ = call(client, "POST", PROFILES, headers, body)
    assert status == 422, data
    assert field in data["error"]["fields"], data
    assert len(call(client, "GET", PROFILES, headers)[1]["items"]) == 1


def test_names_are_unique_per_account_whatever_the_case(client):
    _, headers, _ = signed_up(client)
    _, other, _ = signed_up(client)
    first = add(client, headers, name="Sam")
    status, data, _ = call(client, "POST", PROFILES, headers, {"name": "SAM"})
    assert status == 409 and data["error"]["code"] == "profile_name_taken"
    second = add(client, headers, name="Kim")
    assert call(client, "PATCH", f"{PROFILES}/{second['id']}", headers, {"name": "sam"})[0] == 409
    assert call(client, "PATCH", f"{PROFILES}/{first['id']}", headers, {"name": "Sam"})[0] == 200  # its own name
    add(client, other, name="Sam")  # another household may use it


def test_a_kid_may_be_limited_to_the_households_collections_only(client):
    _, headers, _ = signed_up(client)
    _, stranger, _ = signed_up(client)
    status, mine, _ = call(client, "POST", "/api/v1/collections", headers, {"name": "Cartoons"})
    assert status == 201, mine
    theirs = call(client, "POST", "/api/v1/collections", stranger, {"name": "Theirs"})[1]
    kid = add(client, headers, kind="kid", allowedCollections=[mine["id"]])
    assert kid["allowedCollections"] == [mine["id"]]
    status, data, _ = call(client, "PATCH", f"{PROFILES}/{kid['id']}", headers, {"allowedCollections": [theirs["id"]]})
    assert status == 422 and "allowedCollections" in data["error"]["fields"]


def test_the_owner_profile_cannot_be_deleted_or_made_a_kid(client):
    account_id, headers, _ = signed_up(client)
    status, data, _ = call(client, "DELETE", f"{PROFILES}/{account_id}", headers)
    assert status == 409 and data["error"]["code"] == "owner_profile"
    status, data, _ = call(client, "PATCH", f"{PROFILES}/{account_id}", headers, {"kind": "kid"})
    assert status == 409 and data["error"]["code"] == "owner_profile"
    assert call(client, "PATCH", f"{PROFILES}/{account_id}", headers, {"name": "Owner"})[1]["name"] == "Owner"


def test_another_accounts_profiles_are_not_found(client):
    _, headers, _ = signed_up(client)
    other_id, other, _ = signed_up(client)
    theirs = add(client, other, name="Theirs")
    for profile_id in (theirs["id"], other_id, "not-a-uuid", str(uuid.uuid4())):
        assert call(client, "PATCH", f"{PROFILES}/{profile_id}", headers, {"name": "Mine"})[0] == 404
        assert call(client, "DELETE", f"{PROFILES}/{profile_id}", headers)[0] == 404
        status, data, _ = select(client, headers, profile_id)
        assert status == 404 and data["error"]["code"] == "profile_not_found"
    assert call(client, "GET", PROFILES, other)[1]["items"][1]["name"] == "Theirs"


def test_a_pin_is_stored_as_argon2id_and_never_shown(client):
    _, headers, _ = signed_up(client)
    profile = add(client, headers, pin="4821")
    assert profile["hasPin"] is True and "pin" not in profile and "pinHash" not in profile
    with db.connection() as conn:
        stored = conn.execute("SELECT pin_hash FROM profiles WHERE id = %s", (profile["id"],)).fetchone()["pin_hash"]
    assert stored.startswith("$argon2id$") and "4821" not in stored
    status, cleared, _ = call(client, "PATCH", f"{PROFILES}/{profile['id']}", headers, {"pin": None})
    assert status == 200 and cleared["hasPin"] is False
    assert select(client, headers, profile["id"])[0] == 200  # no PIN any more


def test_selecting_a_profile_with_a_pin_needs_the_right_pin(client):
    _, headers, _ = signed_up(client)
    profile = add(client, headers, pin="4821")
    status, data, _ = select(client, headers, profile["id"])
    assert status == 403 and data["error"]["code"] == "pin_required"
    status, data, _ = select(client, headers, profile["id"], "1111")
    assert status == 403 and data["error"]["code"] == "wrong_pin"
    status, data, _ = select(client, headers, profile["id"], "4821")
    assert status == 200 and data["profileId"] == profile["id"]


def test_wrong_pins_are_throttled_per_profile(client, clock):
    _, headers, _ = signed_up(client)
    email = call(client, "GET", "/api/v1/auth/me", headers)[1]["email"]
    profile = add(client, headers, pin="4821")
    other = add(client, headers, pin="1357")
    for _ in range(profiles_service.PIN_FAILURES):
        assert select(client, headers, profile["id"], "0000")[0] == 403
    status, data, response = select(client, headers, profile["id"], "4821")  # even the right one must wait
    assert status == 429, data
    assert 1 <= int(response.headers["Retry-After"]) <= profiles_service.PIN_WINDOW
    assert select(client, headers, other["id"], "1357")[0] == 200  # another profile is not held back
    clock.advance(seconds=profiles_service.PIN_WINDOW + 1)
    assert select(client, bearer(login(client, email)), profile["id"], "4821")[0] == 200


def test_parallel_wrong_pins_get_no_more_checks_than_the_limit(client, monkeypatch, settings_env):
    """Each PIN check is slowed so that every request is in flight at once: only PIN_FAILURES of them may be
    checked against the hash, the rest are refused before (429). The account's request slots are raised past
    the 16 at once: what is tested is the PIN throttle's own atomicity, not the slots refusing most first."""
    settings_env(SEEN_USER_IN_FLIGHT="32")
    _, headers, _ = signed_up(client)
    profile = add(client, headers, pin="4821")
    verify = profiles_service.passwords.verify
    checked = []

    def slow_verify(pin_hash, pin):
        checked.append(pin)
        time.sleep(0.3)
        return verify(pin_hash, pin)

    monkeypatch.setattr(profiles_service.passwords, "verify", slow_verify)
    with ThreadPoolExecutor(16) as pool:
        answers = list(pool.map(lambda _: select(client, headers, profile["id"], "0000")[0], range(32)))
    assert len(checked) == profiles_service.PIN_FAILURES
    assert sorted(answers) == [403] * profiles_service.PIN_FAILURES + [429] * (32 - profiles_service.PIN_FAILURES)


def test_the_selected_profile_is_in_the_token_and_survives_a_refresh(client):
    account_id, headers, jar = signed_up(client)
    profile = add(client, headers, name="Second")
    status, data, response = select(client, headers, profile["id"])
    assert status == 200 and data["user"]["id"] == account_id and data["profileId"] == profile["id"]
    assert "seen_refresh" not in cookie_jar(response)  # the session's refresh cookie stays as it is
    claims = jwt.decode(data["accessToken"], options={"verify_signature": False})
    assert (claims["sub"], claims["pid"]) == (account_id, profile["id"])
    now_headers = {"Authorization": f"Bearer {data['accessToken']}"}
    assert call(client, "GET", PROFILES, now_headers)[1]["currentId"] == profile["id"]
    assert call(client, "GET", "/api/v1/auth/me", now_headers)[1]["id"] == account_id  # still the account
    status, data, _ = call(client, "GET", PROFILES, headers)  # the token of the profile before
    assert status == 401 and data["error"]["code"] == "profile_changed"
    refreshed = refresh(client, jar)
    assert refreshed.status_code == 200, refreshed.body
    assert json.loads(refreshed.body)["profileId"] == profile["id"]
    assert call(client, "GET", PROFILES, bearer(refreshed))[1]["currentId"] == profile["id"]
    # another login of the same account is a session of its own: it starts as the owner profile
    other_session = bearer(login(client, json.loads(refreshed.body)["user"]["email"]))
    assert call(client, "GET", PROFILES, other_session)[1]["currentId"] == account_id


def test_two_profiles_keep_their_watch_later_ratings_and_progress_apart(client, movie):
    _, owner, _ = signed_up(client)
    second = acting(client, bearer(login(client, call(client, "GET", "/api/v1/auth/me", owner)[1]["email"])),
                    add(client, owner, name="Partner")["id"])
    assert call(client, "PUT", f"/api/v1/watch-later/{movie}", owner)[0] == 200
    assert call(client, "PUT", f"/api/v1/ratings/{movie}", owner, {"rating": 9})[0] == 200
    heartbeat = {"mediaId": movie, "durationSeconds": 6000.0, "positionSeconds": 1200.0}
    assert call(client, "POST", "/api/v1/progress", owner, heartbeat)[0] == 200
    assert call(client, "GET", "/api/v1/watch-later", second)[1]["items"] == []
    assert call(client, "GET", f"/api/v1/ratings/{movie}", second)[1]["rating"] is None
    assert call(client, "GET", "/api/v1/progress", second)[1]["items"] == []
    assert call(client, "PUT", f"/api/v1/ratings/{movie}", second, {"rating": 3})[0] == 200
    assert call(client, "GET", f"/api/v1/ratings/{movie}", owner)[1]["rating"] == 9
    assert call(client, "GET", f"/api/v1/ratings/{movie}", second)[1]["rating"] == 3
    assert len(call(client, "GET", "/api/v1/watch-later", owner)[1]["items"]) == 1
    assert len(call(client, "GET", "/api/v1/progress", owner)[1]["items"]) == 1


def test_deleting_a_profile_deletes_its_data_and_ends_its_sessions(client, movie):
    _, owner, _ = signed_up(client)
    email = call(client, "GET", "/api/v1/auth/me", owner)[1]["email"]
    device = login(client, email)
    profile = add(client, owner, name="Guest")
    guest = acting(client, bearer(device), profile["id"])
    assert call(client, "PUT", f"/api/v1/watch-later/{movie}", guest)[0] == 200
    assert call(client, "DELETE", f"{PROFILES}/{profile['id']}", owner)[0] == 204
    with db.connection() as conn:
        for table in ("user_watch_later", "users", "profiles"):
            column = "id" if table in ("users", "profiles") else "user_id"
            assert conn.execute(f"SELECT count(*) AS n FROM {table} WHERE {column} = %s",
                                (profile["id"],)).fetchone()["n"] == 0
    assert call(client, "GET", "/api/v1/watch-later", guest)[0] == 401
    assert refresh(client, cookie_jar(device)).status_code == 401  # never back to the owner profile
    assert call(client, "GET", "/api/v1/watch-later", owner)[0] == 200


@pytest.mark.parametrize(("method", "path"), [
    ("GET", "/api/v1/downloads"),
    ("GET", "/api/v1/sources?mediaId=1"),
    ("POST", "/api/v1/picks"),
    ("GET", "/api/v1/wanted"),
    ("PATCH", "/api/v1/settings"),
    ("GET", "/api/v1/admin/users"),
    ("GET", "/api/v1/admin/settings"),
    ("GET", "/api/v1/imports"),
    ("GET", "/api/v1/me/media-servers"),
    ("POST", PROFILES),
    ("PATCH", "/api/v1/auth/me"),
    ("GET", "/api/v1/channels"),  # YouTube videos carry no rating
    ("POST", "/api/v1/videos/1/get"),  # a video's Get downloads it
    ("POST", "/api/v1/auth/logout-all"),  # every device of the household
])
def test_a_kid_profile_cannot_reach_grown_up_routes(client, method, path):
    _, owner, _ = signed_up(client, role="admin")
    kid_headers = acting(client, owner, add(client, owner, kind="kid", maxRating="PG")["id"])
    status, data, _ = call(client, method, path, kid_headers, {"name": "x"} if method != "GET" else None)
    assert status == 403, data
    assert data["error"]["code"] == "not_for_kids"


def test_a_kid_profile_still_reads_its_own_things(client):
    _, owner, _ = signed_up(client)
    kid = add(client, owner, kind="kid", theme="light")
    kid_headers = acting(client, owner, kid["id"])
    assert call(client, "GET", "/api/v1/settings", kid_headers)[1]["theme"] == "light"
    assert call(client, "GET", "/api/v1/watch-later", kid_headers)[0] == 200
    status, data, _ = call(client, "GET", PROFILES, kid_headers)
    assert status == 200 and data["currentId"] == kid["id"]
    owner = data["items"][0]["id"]
    assert call(client, "POST", f"{PROFILES}/{owner}/select", kid_headers, {"pin": OWNER_PIN})[0] == 200


def test_admin_routes_answer_only_the_owner_profile_of_an_admin(client):
    _, owner, _ = signed_up(client, role="admin")
    assert call(client, "GET", "/api/v1/admin/users", owner)[0] == 200
    partner = acting(client, owner, add(client, owner, name="Partner")["id"])
    status, data, _ = call(client, "GET", "/api/v1/admin/users", partner)
    assert status == 403 and data["error"]["code"] == "forbidden"
    assert call(client, "GET", "/api/v1/downloads", partner)[0] == 200  # an adult profile: Get and downloads


def test_the_principal_carries_a_kids_limit_and_sees_changes_at_once(client):
    account_id, owner, _ = signed_up(client)
    parent = bearer(login(client, call(client, "GET", "/api/v1/auth/me", owner)[1]["email"]))
    status, collection, _ = call(client, "POST", "/api/v1/collections", owner, {"name": "Allowed"})
    assert status == 201, collection
    kid = add(client, owner, kind="kid", maxRating="PG-13", allowedCollections=[collection["id"]])
    token = acting(client, owner, kid["id"])["Authorization"].split()[1]
    principal = guards.principal_for(token)
    assert (str(principal.user_id), str(principal.account_id), principal.profile_kind) == \
        (kid["id"], account_id, "kid")
    assert principal.limit == Limit(13, (uuid.UUID(collection["id"]),))
    assert guards.principal_for(token) == principal  # the cached answer is the same
    patch = {"maxRating": "G", "allowedCollections": []}
    assert call(client, "PATCH", f"{PROFILES}/{kid['id']}", parent, patch)[0] == 200
    assert guards.principal_for(token).limit == Limit(0, ())
    assert call(client, "PATCH", f"{PROFILES}/{kid['id']}", parent, {"kind": "adult"})[0] == 200
    grown = guards.principal_for(token)
    assert grown.limit is None and grown.profile_kind == "adult"


@pytest.fixture
def before_profiles(template_url):
    """A database migrated up to the schema before profiles (0042)."""
    from chalicelib.db import migrate
    from embedded import services

    url = services.with_database(template_url, f"seen_test_prof_{uuid.uuid4().hex[:8]}")
    services.create_database(url)
    migrate.apply(url, target="0042")
    yield url
    services.drop_database(url)


def test_the_migration_keeps_todays_data_as_each_accounts_first_profile(before_profiles):
    import psycopg

    from chalicelib.db import migrate

    with psycopg.connect(before_profiles, autocommit=True) as conn:
        named = conn.execute("INSERT INTO users (email, password_hash, display_name) VALUES "
                             "('named@seen.test', 'h', '  A very long display name that goes past forty chars ')"
                             " RETURNING id").fetchone()[0]
        plain = conn.execute("INSERT INTO users (email, password_hash) VALUES ('plain.user@seen.test', 'h')"
                             " RETURNING id").fetchone()[0]
        media = conn.execute("INSERT INTO media_items (media_type, title) VALUES ('movie', 'Old') RETURNING id"
                             ).fetchone()[0]
        conn.execute("INSERT INTO user_watch_later (user_id, media_id) VALUES (%s, %s)", (plain, media))
    migrate.apply(before_profiles)
    with psycopg.connect(before_profiles) as conn:
        rows = {row[0]: row[1:] for row in conn.execute(
            "SELECT id, account_id, name, kind FROM profiles ORDER BY name").fetchall()}
        assert rows == {named: (named, "A very long display name that goes past", "adult"),
                        plain: (plain, "plain.user", "adult")}
        assert conn.execute("SELECT user_id FROM user_watch_later").fetchall() == [(plain,)]  # nothing moved


def test_disabling_an_account_disables_its_profiles_and_enabling_brings_them_back(client):
    _, admin, _ = signed_up(client, role="admin")
    account_id, owner, _ = signed_up(client)
    kid = add(client, owner, kind="kid", maxRating="PG")

    def disabled() -> dict[str, bool]:
        with db.connection() as conn:
            rows = conn.execute("SELECT id, disabled_at FROM users WHERE id = %s OR account_id = %s",
                                (account_id, account_id)).fetchall()
        return {str(row["id"]): row["disabled_at"] is not None for row in rows}

    assert call(client, "POST", f"/api/v1/admin/users/{account_id}/disable", admin)[0] == 200
    assert disabled() == {account_id: True, kid["id"]: True}  # the kid's iCal feed and webhooks stop with it
    assert call(client, "POST", f"/api/v1/admin/users/{account_id}/enable", admin)[0] == 200
    assert disabled() == {account_id: False, kid["id"]: False}
