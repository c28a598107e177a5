"""Access-token checks, expiry (injected clock), refresh rotation, reuse detection, CSRF."""

import base64
import json
import threading
import uuid

import jwt
import pytest

from tests.integration.auth_support import (
    JSON,
    bearer,
    cookie_jar,
    error_code,
    login,
    refresh,
    register,
    set_cookies,
)

ME = "/api/v1/auth/me"


def me(client, token: str):
    return client.http.get(ME, headers={"Authorization": f"Bearer {token}", **JSON})


def access_of(response) -> str:
    return json.loads(response.body)["accessToken"]


def test_access_token_carries_sub_role_sid_and_expires_in_15_minutes(client, clock):
    response = register(client, "claims@example.com")
    claims = jwt.decode(access_of(response), options={"verify_signature": False})
    assert claims["sub"] == json.loads(response.body)["user"]["id"]
    assert claims["role"] == "admin"  # first account
    uuid.UUID(claims["sid"])
    assert claims["exp"] - claims["iat"] == 900
    assert claims["iat"] == int(clock.current.timestamp())


def test_access_token_expires_after_15_minutes_of_clock_time(client, clock):
    token = access_of(register(client, "expiry@example.com"))
    clock.advance(seconds=15 * 60 - 1)
    assert me(client, token).status_code == 200
    clock.advance(seconds=1)
    expired = me(client, token)
    assert expired.status_code == 401 and error_code(expired) == "token_expired"


def test_refresh_token_expires_after_30_days_and_each_refresh_extends_it(client, clock):
    jar = cookie_jar(register(client, "long@example.com"))
    clock.advance(days=29)
    refreshed = refresh(client, jar)
    assert refreshed.status_code == 200
    jar = cookie_jar(refreshed)
    clock.advance(days=29)  # 58 days after login, 29 after the last refresh
    assert refresh(client, jar).status_code == 200
    stale = cookie_jar(login(client, "long@example.com"))
    clock.advance(days=30, seconds=1)
    expired = refresh(client, stale)
    assert expired.status_code == 401 and error_code(expired) == "token_expired"
    assert set_cookies(expired)["seen_refresh"]["max-age"] == "0"


def _forge(token: str, **changes) -> str:
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims.update(changes)
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{forged}.{signature}"


def test_tampered_foreign_and_malformed_tokens_are_invalid(client, clock):
    from chalicelib.config import get_settings

    secret = get_settings().auth.jwt_secret
    token = access_of(register(client, "tamper@example.com"))
    claims = jwt.decode(token, options={"verify_signature": False})
    other_key = "another-secret-that-is-long-enough-1234"
    candidates = [
        _forge(token, role="superuser"),
        _forge(token, exp=claims["exp"] + 3600),
        jwt.encode(claims, other_key, algorithm="HS256"),
        jwt.encode(claims, None, algorithm="none"),
        jwt.encode({**claims, "typ": "refresh"}, secret, algorithm="HS256"),
        jwt.encode({k: v for k, v in claims.items() if k != "sid"}, secret, algorithm="HS256"),
        jwt.encode({**claims, "sub": "not-a-uuid"}, secret, algorithm="HS256"),
        "not.a.jwt",
        "garbage",
    ]
    for candidate in candidates:
        response = me(client, candidate)
        assert response.status_code == 401, candidate
        assert error_code(response) == "invalid_token", candidate
    assert me(client, token).status_code == 200


def test_a_validly_signed_token_for_an_unknown_session_is_refused(client, clock):
    from chalicelib.auth import tokens

    user = json.loads(register(client, "ghost@example.com").body)["user"]
    token = tokens.issue_access(uuid.UUID(user["id"]), "admin", uuid.uuid4())
    response = me(client, token)
    assert response.status_code == 401 and error_code(response) == "session_revoked"


def test_refresh_rotates_and_a_reused_token_revokes_the_whole_session(client):
    first = register(client, "reuse@example.com")
    jar0 = cookie_jar(first)
    second = refresh(client, jar0)
    jar1 = cookie_jar(second)
    assert second.status_code == 200 and jar1["seen_refresh"] != jar0["seen_refresh"]
    assert jar1["seen_csrf"] != jar0["seen_csrf"]

    reused = refresh(client, {**jar1, "seen_refresh": jar0["seen_refresh"]})
    assert reused.status_code == 401 and error_code(reused) == "session_revoked"
    assert set_cookies(reused)["seen_refresh"]["max-age"] == "0"
    # The family is gone: the live token and the access tokens of the session too.
    assert error_code(refresh(client, jar1)) == "session_revoked"
    assert error_code(client.http.get(ME, headers=bearer(second))) == "session_revoked"
    assert error_code(client.http.get(ME, headers=bearer(first))) == "session_revoked"


def test_reuse_in_one_session_leaves_other_sessions_alone(client):
    jar_a = cookie_jar(register(client, "two@example.com"))
    other = login(client, "two@example.com")
    refresh(client, jar_a)
    refresh(client, jar_a)  # reuse: revokes session A only
    assert client.http.get(ME, headers=bearer(other)).status_code == 200
    assert refresh(client, cookie_jar(other)).status_code == 200


def test_unknown_and_missing_refresh_tokens_are_refused(client):
    jar = cookie_jar(register(client, "missing@example.com"))
    unknown = refresh(client, {**jar, "seen_refresh": "x" * 43})
    assert unknown.status_code == 401 and error_code(unknown) == "invalid_token"
    missing = refresh(client, {"seen_csrf": jar["seen_csrf"]})
    assert missing.status_code == 401 and error_code(missing) == "unauthorized"


@pytest.mark.parametrize("csrf", [None, "", "forged-value"])
def test_refresh_without_the_matching_csrf_header_is_403_and_rotates_nothing(client, csrf):
    jar = cookie_jar(register(client, "csrf@example.com"))
    response = refresh(client, jar, csrf=csrf)
    assert response.status_code == 403 and error_code(response) == "csrf_failed"
    assert "Set-Cookie" not in response.headers  # a forged request must not log the victim out
    assert refresh(client, jar).status_code == 200  # the token was not spent


def test_csrf_header_without_the_cookie_is_refused(client):
    jar = cookie_jar(register(client, "nocookie@example.com"))
    response = refresh(client, {"seen_refresh": jar["seen_refresh"]}, csrf=jar["seen_csrf"])
    assert response.status_code == 403 and error_code(response) == "csrf_failed"


def test_two_concurrent_refreshes_with_one_token_mint_at_most_one_successor(client):
    from chalicelib import db
    from chalicelib.auth import service
    from chalicelib.auth.errors import SessionRevoked

    token = cookie_jar(register(client, "race@example.com"))["seen_refresh"]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def attempt() -> None:
        with db.connection() as conn:
            barrier.wait()
            try:
                service.refresh(conn, token)
                outcomes.append("rotated")
            except SessionRevoked:
                outcomes.append("revoked")

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["revoked", "rotated"]
    with db.connection() as conn:
        generations = [row["generation"] for row in conn.execute(
            "SELECT generation FROM refresh_tokens ORDER BY generation").fetchall()]
        session = conn.execute("SELECT revoked_reason FROM sessions").fetchone()
    assert generations == [0, 1]
    assert session["revoked_reason"] == "reuse_detected"
