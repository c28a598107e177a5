"""Register, login, me, refresh, logout and password change through the real app."""

import json

import pytest

from tests.integration.auth_support import (
    JSON,
    PASSWORD,
    bearer,
    cookie_jar,
    error_code,
    login,
    logout,
    post,
    refresh,
    register,
    set_cookies,
)


def count(table: str) -> int:
    from chalicelib import db

    with db.connection() as conn:
        return conn.execute(f"SELECT count(*) AS n FROM {table}").fetchone()["n"]


def test_register_logs_in_and_sets_the_refresh_and_csrf_cookies(client):
    response = register(client, "Ada@Example.com", display_name="Ada")
    assert response.status_code == 201
    body = json.loads(response.body)
    assert body["user"]["email"] == "ada@example.com"
    assert body["user"]["displayName"] == "Ada"
    assert body["tokenType"] == "Bearer" and body["expiresIn"] == 900
    assert body["user"]["lastLoginAt"] == body["user"]["createdAt"]  # registering is the first login
    cookies = set_cookies(response)
    refresh_cookie, csrf_cookie = cookies["seen_refresh"], cookies["seen_csrf"]
    assert refresh_cookie["httponly"] is True
    assert refresh_cookie["samesite"] == "Strict" and refresh_cookie["path"] == "/api/v1/auth"
    assert refresh_cookie["max-age"] == str(30 * 24 * 3600)
    assert "secure" not in refresh_cookie  # the test stage is plain http
    assert "httponly" not in csrf_cookie and csrf_cookie["path"] == "/"
    assert csrf_cookie["value"] == body["csrfToken"]
    assert "refreshToken" not in body and refresh_cookie["value"] not in response.body.decode()
    assert response.headers["Cache-Control"] == "no-store"


def test_refresh_token_is_stored_only_as_its_sha256(client):
    import hashlib

    from chalicelib import db

    jar = cookie_jar(register(client, "hash@example.com"))
    with db.connection() as conn:
        stored = conn.execute("SELECT token_hash FROM refresh_tokens").fetchone()["token_hash"]
    assert bytes(stored) == hashlib.sha256(jar["seen_refresh"].encode()).digest()


def test_full_session_register_login_me_refresh_logout(client):
    register(client, "flow@example.com")
    logged_in = login(client, " FLOW@example.com ")
    assert logged_in.status_code == 200
    me = client.http.get("/api/v1/auth/me", headers=bearer(logged_in))
    assert me.status_code == 200 and json.loads(me.body)["email"] == "flow@example.com"

    jar = cookie_jar(logged_in)
    refreshed = refresh(client, jar)
    assert refreshed.status_code == 200
    new_jar = cookie_jar(refreshed)
    assert new_jar["seen_refresh"] != jar["seen_refresh"]
    assert client.http.get("/api/v1/auth/me", headers=bearer(refreshed)).status_code == 200

    out = logout(client, new_jar)
    assert out.status_code == 204
    assert all(cookie["max-age"] == "0" for cookie in set_cookies(out).values())
    again = refresh(client, new_jar)
    assert again.status_code == 401 and error_code(again) == "session_revoked"
    assert client.http.get("/api/v1/auth/me", headers=bearer(refreshed)).status_code == 401


def test_login_answers_the_same_for_unknown_email_and_wrong_password(client):
    register(client, "known@example.com")
    wrong_password = login(client, "known@example.com", "not the password at all")
    unknown = login(client, "nobody@example.com", "not the password at all")
    assert wrong_password.status_code == unknown.status_code == 401
    assert json.loads(wrong_password.body) == json.loads(unknown.body)
    assert error_code(unknown) == "invalid_credentials"
    assert "Set-Cookie" not in unknown.headers


def test_me_patch_sets_and_clears_the_display_name(client, make_user):
    _, headers = make_user()
    changed = client.http.patch("/api/v1/auth/me", body=json.dumps({"displayName": "  Grace  "}), headers=headers)
    assert changed.status_code == 200 and json.loads(changed.body)["displayName"] == "Grace"
    cleared = client.http.patch("/api/v1/auth/me", body=json.dumps({"displayName": None}), headers=headers)
    assert json.loads(cleared.body)["displayName"] is None
    too_long = client.http.patch("/api/v1/auth/me", body=json.dumps({"displayName": "x" * 201}), headers=headers)
    assert too_long.status_code == 422 and "displayName" in json.loads(too_long.body)["error"]["fields"]
    role = client.http.patch("/api/v1/auth/me", body=json.dumps({"displayName": "x", "role": "admin"}),
                             headers=headers)
    assert role.status_code == 422


@pytest.mark.parametrize(
    ("body", "status", "code", "field"),
    [
        ({"password": PASSWORD}, 422, "validation_error", "email"),
        ({"email": "a@example.com"}, 422, "validation_error", "password"),
        ({"email": "not-an-email", "password": PASSWORD}, 422, "validation_error", "email"),
        ({"email": "a@example.com", "password": 1234567890123}, 422, "validation_error", "password"),
        ({"email": "a" * 320 + "@example.com", "password": PASSWORD}, 422, "validation_error", "email"),
        ({"email": "a@example.com", "password": PASSWORD, "role": "admin"}, 422, "validation_error", "role"),
        ({"email": "a@example.com", "password": "short"}, 422, "weak_password", "password"),
        ({"email": "a@example.com", "password": "x" * 257}, 422, "weak_password", "password"),
        ({"email": "longname@example.com", "password": "LongName@Example.com"}, 422, "weak_password", "password"),
        ({"email": "a@example.com", "password": PASSWORD, "displayName": ""}, 422, "validation_error",
         "displayName"),
    ],
)
def test_bad_registrations_get_a_stable_code_and_write_nothing(client, body, status, code, field):
    response = post(client, "/api/v1/auth/register", body)
    assert response.status_code == status
    error = json.loads(response.body)["error"]
    assert error["code"] == code and field in error["fields"]
    assert count("users") == 0 and count("sessions") == 0


def test_malformed_json_is_400_and_writes_nothing(client):
    response = post(client, "/api/v1/auth/register", '{"email": ')
    assert response.status_code == 400 and error_code(response) == "invalid_json"
    assert count("users") == 0


def test_a_taken_email_is_409_whatever_its_case_and_leaves_one_row(client):
    assert register(client, "taken@example.com").status_code == 201
    again = register(client, "  TAKEN@example.com")
    assert again.status_code == 409 and error_code(again) == "email_taken"
    assert count("users") == 1 and count("sessions") == 1


def test_passwords_are_taken_as_typed_not_stripped(client):
    register(client, "spaces@example.com", password="  padded password  ")
    assert login(client, "spaces@example.com", "padded password").status_code == 401
    assert login(client, "spaces@example.com", "  padded password  ").status_code == 200


def test_password_hash_is_argon2id_with_the_configured_parameters(client):
    from chalicelib import db

    register(client, "argon@example.com")
    with db.connection() as conn:
        stored = conn.execute("SELECT password_hash FROM users").fetchone()["password_hash"]
    assert stored.startswith("$argon2id$v=19$m=8192,t=1,p=1$")  # tests/conftest.py's cheap parameters
    assert PASSWORD not in stored


def test_logout_all_ends_every_session(client):
    first = register(client, "many@example.com")
    second = login(client, "many@example.com")
    out = post(client, "/api/v1/auth/logout-all", headers=bearer(first))
    assert out.status_code == 204
    for session in (first, second):
        assert client.http.get("/api/v1/auth/me", headers=bearer(session)).status_code == 401
        assert error_code(refresh(client, cookie_jar(session))) == "session_revoked"


def test_password_change_keeps_this_session_and_revokes_the_others(client):
    here = register(client, "change@example.com")
    elsewhere = login(client, "change@example.com")
    new_password = "a much better passphrase"
    wrong = post(client, "/api/v1/auth/password", {"currentPassword": "wrong password!", "newPassword": new_password},
                 headers=bearer(here))
    assert wrong.status_code == 403 and error_code(wrong) == "invalid_credentials"
    weak = post(client, "/api/v1/auth/password", {"currentPassword": PASSWORD, "newPassword": "short"},
                headers=bearer(here))
    assert weak.status_code == 422 and error_code(weak) == "weak_password"
    assert "newPassword" in json.loads(weak.body)["error"]["fields"]

    changed = post(client, "/api/v1/auth/password", {"currentPassword": PASSWORD, "newPassword": new_password},
                   headers=bearer(here))
    assert changed.status_code == 204
    assert client.http.get("/api/v1/auth/me", headers=bearer(here)).status_code == 200
    assert refresh(client, cookie_jar(here)).status_code == 200
    assert client.http.get("/api/v1/auth/me", headers=bearer(elsewhere)).status_code == 401
    assert login(client, "change@example.com").status_code == 401
    assert login(client, "change@example.com", new_password).status_code == 200


def test_logout_is_idempotent_and_needs_the_csrf_token(client):
    jar = cookie_jar(register(client, "bye@example.com"))
    assert logout(client, jar, csrf="forged").status_code == 403
    assert client.http.get("/api/v1/auth/me").status_code == 401
    assert logout(client, jar).status_code == 204
    assert logout(client, jar).status_code == 204
    assert logout(client, {"seen_csrf": "abc"}).status_code == 204  # no refresh cookie: nothing to end


def test_me_without_a_token_is_401_unauthorized(client):
    for headers in ({}, {"Authorization": "Basic abc"}, {"Authorization": "Bearer "}):
        response = client.http.get("/api/v1/auth/me", headers={**JSON, **headers})
        assert response.status_code == 401 and error_code(response) == "unauthorized"


def test_login_upgrades_a_hash_made_with_older_parameters(client, settings_env):
    from chalicelib import db

    register(client, "upgrade@example.com")
    settings_env(SEEN_ARGON2_TIME_COST="2")
    assert login(client, "upgrade@example.com").status_code == 200
    with db.connection() as conn:
        stored = conn.execute("SELECT password_hash FROM users").fetchone()["password_hash"]
    assert "$m=8192,t=2,p=1$" in stored
    assert login(client, "upgrade@example.com").status_code == 200
