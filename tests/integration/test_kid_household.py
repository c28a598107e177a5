"""A kid profile never acts for the household (issue 58): the owner's profile gets a PIN with the first kid, and
an adult profile always asks a PIN of a kid's session."""

from __future__ import annotations

from chalicelib import db
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

