"""Admin user management and role checks: list/search, role changes, disable/enable."""

import json
import uuid

import pytest

from tests.integration.auth_support import bearer, cookie_jar, error_code, login, post, refresh, register

USERS = "/api/v1/admin/users"


@pytest.fixture
def admin(make_user):
    return make_user(email="root@example.com", role="admin")


def patch(client, path, body, headers):
    return client.http.patch(path, body=json.dumps(body), headers=headers)


def test_admin_routes_need_a_token_and_the_admin_role(client, make_user):
    _, user = make_user()
    assert error_code(client.http.get(USERS)) == "unauthorized"
    for response in (
        client.http.get(USERS, headers=user),
        patch(client, f"{USERS}/{uuid.uuid4()}", {"role": "admin"}, user),
        post(client, f"{USERS}/{uuid.uuid4()}/disable", headers=user),
        post(client, f"{USERS}/{uuid.uuid4()}/enable", headers=user),
    ):
        assert response.status_code == 403 and error_code(response) == "forbidden"


def test_list_is_paged_oldest_first_with_a_total(client, admin, make_user):
    _, headers = admin
    emails = [f"member{i}@example.com" for i in range(5)]
    for email in emails:
        make_user(email=email)
    first = json.loads(client.http.get(f"{USERS}?pageSize=2", headers=headers).body)
    assert first["total"] == 6 and first["page"] == 1 and first["pageSize"] == 2
    assert [item["email"] for item in first["items"]] == ["root@example.com", "member0@example.com"]
    last = json.loads(client.http.get(f"{USERS}?page=3&pageSize=2", headers=headers).body)
    assert [item["email"] for item in last["items"]] == ["member3@example.com", "member4@example.com"]
    beyond = json.loads(client.http.get(f"{USERS}?page=9&pageSize=2", headers=headers).body)
    assert beyond["items"] == [] and beyond["total"] == 6
    assert set(first["items"][0]) >= {"id", "email", "role", "disabled", "createdAt", "lastActiveAt"}
    assert "passwordHash" not in first["items"][0]


def test_search_matches_part_of_the_email_case_insensitively_and_literally(client, admin, make_user):
    _, headers = admin
    for email in ("alice_a@example.com", "aliceXa@example.com", "bob@other.org"):
        make_user(email=email)

    def search(q):
        body = json.loads(client.http.get(f"{USERS}?q={q}", headers=headers).body)
        return sorted(item["email"] for item in body["items"]), body["total"]

    assert search("ALICE") == (["alice_a@example.com", "alicexa@example.com"], 2)
    assert search("alice_a") == (["alice_a@example.com"], 1)  # "_" is not a wildcard
    assert search("%25") == ([], 0)
    assert search("other.org") == (["bob@other.org"], 1)


@pytest.mark.parametrize("query", ["page=0", "pageSize=101", "pageSize=x", "sort=email"])
def test_bad_list_parameters_are_422(client, admin, query):
    response = client.http.get(f"{USERS}?{query}", headers=admin[1])
    assert response.status_code == 422 and error_code(response) == "validation_error"


def test_role_change_takes_effect_on_the_next_request(client, admin, make_user):
    _, headers = admin
    user_id, user_headers = make_user()
    assert client.http.get(USERS, headers=user_headers).status_code == 403
    promoted = patch(client, f"{USERS}/{user_id}", {"role": "admin"}, headers)
    assert promoted.status_code == 200 and json.loads(promoted.body)["role"] == "admin"
    assert client.http.get(USERS, headers=user_headers).status_code == 200  # same access token
    demoted = patch(client, f"{USERS}/{user_id}", {"role": "user"}, headers)
    assert json.loads(demoted.body)["role"] == "user"
    assert client.http.get(USERS, headers=user_headers).status_code == 403


def test_bad_role_changes(client, admin, make_user):
    admin_id, headers = admin
    user_id, _ = make_user()
    invalid = patch(client, f"{USERS}/{user_id}", {"role": "root"}, headers)
    assert invalid.status_code == 422 and "role" in json.loads(invalid.body)["error"]["fields"]
    for target in (uuid.uuid4(), "not-a-uuid"):
        missing = patch(client, f"{USERS}/{target}", {"role": "admin"}, headers)
        assert missing.status_code == 404 and error_code(missing) == "user_not_found"
    itself = patch(client, f"{USERS}/{admin_id}", {"role": "user"}, headers)
    assert itself.status_code == 409 and error_code(itself) == "self_modification"
    assert post(client, f"{USERS}/{admin_id}/disable", headers=headers).status_code == 409


def test_disabling_a_user_stops_access_and_refresh_at_once(client, admin):
    _, headers = admin
    session = register(client, "victim@example.com")
    other = login(client, "victim@example.com")
    user_id = json.loads(session.body)["user"]["id"]
    for warm in (session, other):  # both session checks cached in Redis: the disable must drop them
        assert client.http.get("/api/v1/auth/me", headers=bearer(warm)).status_code == 200

    disabled = post(client, f"{USERS}/{user_id}/disable", headers=headers)
    assert disabled.status_code == 200
    assert json.loads(disabled.body)["disabled"] is True
    for response in (client.http.get("/api/v1/auth/me", headers=bearer(session)),
                     client.http.get("/api/v1/auth/me", headers=bearer(other)),
                     refresh(client, cookie_jar(session)),
                     login(client, "victim@example.com")):
        assert response.status_code == 403 and error_code(response) == "account_disabled"
    assert login(client, "victim@example.com", "wrong password here").status_code == 401  # no oracle

    enabled = post(client, f"{USERS}/{user_id}/enable", headers=headers)
    assert json.loads(enabled.body)["disabled"] is False
    # Sessions revoked by the disable stay revoked; a new login works.
    assert error_code(client.http.get("/api/v1/auth/me", headers=bearer(session))) == "session_revoked"
    assert login(client, "victim@example.com").status_code == 200


def test_disabling_twice_keeps_the_first_time(client, admin, make_user, clock):
    _, headers = admin
    user_id, _ = make_user()
    first = json.loads(post(client, f"{USERS}/{user_id}/disable", headers=headers).body)["disabledAt"]
    clock.advance(seconds=90)
    second = json.loads(post(client, f"{USERS}/{user_id}/disable", headers=headers).body)["disabledAt"]
    assert first == second
