"""The cached per-request session check (chalicelib.auth.principals) on the real Postgres and Redis.

Warm requests skip Postgres; whatever ends a session or changes a user takes effect on the next
request; a check that raced an invalidation cannot cache the old answer; entries go stale on their own.
"""

from __future__ import annotations

import json

import psycopg
import pytest

from chalicelib import cache
from chalicelib.auth import principals

ME = "/api/v1/auth/me"


@pytest.fixture
def statements(monkeypatch):
    """Every non-empty statement any connection sends (the pool's '' health checks left out)."""
    sent: list[str] = []
    original = psycopg.Cursor.execute

    def counting(self, query, params=None, **kwargs):
        if str(query).strip():
            sent.append(str(query))
        return original(self, query, params, **kwargs)

    monkeypatch.setattr(psycopg.Cursor, "execute", counting)
    return sent


def _session_checks(sent: list[str]) -> int:
    return sum("FROM sessions s" in s and "JOIN users u" in s for s in sent)


def _login(client, email: str) -> dict[str, str]:
    response = client.http.post("/api/v1/auth/login", body=json.dumps({"email": email, "password":
                                "correct horse battery staple"}), headers={"Content-Type": "application/json"})
    assert response.status_code == 200, response.body
    return {"Authorization": f"Bearer {json.loads(response.body)['accessToken']}"}


def test_a_warm_request_checks_its_session_in_redis_only(client, make_user, statements, redis_client):
    user_id, headers = make_user()
    assert client.http.get(ME, headers=headers).status_code == 200
    assert _session_checks(statements) == 1
    statements.clear()
    for _ in range(3):
        assert client.http.get(ME, headers=headers).status_code == 200
    assert _session_checks(statements) == 0
    assert redis_client.exists(principals.key(user_id))


def test_an_entry_is_trusted_for_a_minute_at_most(client, make_user, statements, redis_client, clock):
    _, headers = make_user()
    client.http.get(ME, headers=headers)
    clock.advance(seconds=principals.FRESH_SECONDS - 1)
    statements.clear()
    client.http.get(ME, headers=headers)
    assert _session_checks(statements) == 0
    clock.advance(seconds=1)
    client.http.get(ME, headers=headers)
    assert _session_checks(statements) == 1


def test_a_password_change_refuses_the_other_sessions_at_once(client, make_user, redis_client):
    email = "cached@example.com"
    _, first = make_user(email=email)
    second = _login(client, email)
    assert client.http.get(ME, headers=second).status_code == 200  # cached now
    body = {"currentPassword": "correct horse battery staple", "newPassword": "another long passphrase here"}
    changed = client.http.post("/api/v1/auth/password", body=json.dumps(body),
                               headers={**first, "Content-Type": "application/json"})
    assert changed.status_code == 204, changed.body
    refused = client.http.get(ME, headers=second)
    assert refused.status_code == 401 and json.loads(refused.body)["error"]["code"] == "session_revoked"
    assert client.http.get(ME, headers=first).status_code == 200


def test_logout_everywhere_refuses_every_session_at_once(client, make_user, redis_client):
    email = "everywhere@example.com"
    _, first = make_user(email=email)
    second = _login(client, email)
    for headers in (first, second):
        assert client.http.get(ME, headers=headers).status_code == 200
    assert client.http.post("/api/v1/auth/logout-all", headers=first).status_code == 204
    for headers in (first, second):
        assert client.http.get(ME, headers=headers).status_code == 401


def test_a_check_that_raced_an_invalidation_is_not_cached(client, make_user, redis_client):
    user_id, headers = make_user()
    token = headers["Authorization"].split()[1]
    from chalicelib.auth import tokens

    session_id = tokens.decode_access(token).session_id
    seen = principals.lookup(user_id, session_id)  # read before the (slow) database check...
    assert seen.role is None and seen.gen == b""
    principals.forget_user(user_id)  # ...an admin disables the user and invalidates meanwhile...
    principals.remember(user_id, session_id, "user", seen)  # ...so the old answer must not land
    assert principals.lookup(user_id, session_id).role is None
    fresh = principals.lookup(user_id, session_id)
    principals.remember(user_id, session_id, "user", fresh)  # a check after the invalidation does
    assert principals.lookup(user_id, session_id).role == "user"
    principals.forget_session(user_id, session_id)
    assert principals.lookup(user_id, session_id).role is None


def test_with_redis_down_every_request_checks_postgres(client, make_user, statements, settings_env):
    _, headers = make_user()
    settings_env(REDIS_URL="redis://127.0.0.1:1/0")  # nothing listens on port 1
    cache.reset()
    try:
        for _ in range(2):
            assert client.http.get(ME, headers=headers).status_code == 200
        assert _session_checks(statements) == 2
    finally:
        cache.reset()
