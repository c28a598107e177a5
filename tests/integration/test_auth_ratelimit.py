"""Rate limits in Redis: login per IP and per e-mail, register per IP, refresh per session,
the general per-user limiter, and what happens when Redis is down."""

import json

import pytest

from tests.integration.auth_support import cookie_jar, error_code, login, post, refresh, register


def assert_limited(response, retry_after: int) -> None:
    assert response.status_code == 429 and error_code(response) == "rate_limited"
    assert 1 <= int(response.headers["Retry-After"]) <= retry_after


def test_login_per_ip_limit_answers_429_until_the_window_slides(client, settings_env, clock):
    settings_env(SEEN_RATE_LOGIN_IP="3/60", SEEN_RATE_LOGIN_EMAIL="100/60")
    for i in range(3):
        assert login(client, f"nobody{i}@example.com", "wrong password!").status_code == 401
    assert_limited(login(client, "other@example.com", "wrong password!"), 60)
    clock.advance(seconds=59)
    assert login(client, "other@example.com", "wrong password!").status_code == 429
    clock.advance(seconds=2)
    assert login(client, "other@example.com", "wrong password!").status_code == 401


def test_login_per_email_limit_counts_failures_for_that_email_only(client, settings_env, clock):
    register(client, "target@example.com")
    settings_env(SEEN_RATE_LOGIN_EMAIL="2/900")
    for _ in range(2):
        assert login(client, "target@example.com", "guess guess guess").status_code == 401
    limited = login(client, "TARGET@example.com", "guess guess guess")
    assert_limited(limited, 900)
    assert login(client, "target@example.com").status_code == 429  # this client has been failing: it waits
    assert login(client, "someone@example.com", "guess guess guess").status_code == 401
    clock.advance(seconds=901)
    assert login(client, "target@example.com").status_code == 200


def test_a_successful_login_resets_that_address_counter(client, settings_env):
    register(client, "forgetful@example.com")
    settings_env(SEEN_RATE_LOGIN_ACCOUNT_IP="2/900")
    assert login(client, "forgetful@example.com", "wrong password!").status_code == 401
    assert login(client, "forgetful@example.com").status_code == 200
    assert login(client, "forgetful@example.com", "wrong password!").status_code == 401
    assert login(client, "forgetful@example.com").status_code == 200


def test_password_change_attempts_are_limited_like_logins(client, settings_env):
    session = register(client, "guessing@example.com")
    settings_env(SEEN_RATE_LOGIN_EMAIL="2/900")
    headers = {"Authorization": f"Bearer {json.loads(session.body)['accessToken']}"}
    body = {"currentPassword": "a wrong guess!", "newPassword": "a brand new passphrase"}
    for _ in range(2):
        assert post(client, "/api/v1/auth/password", body, headers=headers).status_code == 403
    assert_limited(post(client, "/api/v1/auth/password", body, headers=headers), 900)


def test_register_per_ip_limit(client, settings_env):
    settings_env(SEEN_RATE_REGISTER_IP="2/3600")
    assert register(client, "a@example.com").status_code == 201
    assert register(client, "b@example.com").status_code == 201
    assert_limited(register(client, "c@example.com"), 3600)
    from chalicelib import db

    with db.connection() as conn:
        assert conn.execute("SELECT count(*) AS n FROM users").fetchone()["n"] == 2


def test_refresh_per_session_limit_spends_nothing_when_limited(client, settings_env):
    settings_env(SEEN_RATE_REFRESH_SESSION="2/60")
    jar = cookie_jar(register(client, "spin@example.com"))
    other = cookie_jar(login(client, "spin@example.com"))
    for _ in range(2):
        jar = cookie_jar(refresh(client, jar))
    assert_limited(refresh(client, jar), 60)
    assert refresh(client, other).status_code == 200  # another session has its own budget
    from chalicelib import db

    with db.connection() as conn:
        revoked = conn.execute("SELECT count(*) AS n FROM sessions WHERE revoked_at IS NOT NULL").fetchone()["n"]
    assert revoked == 0  # a limited refresh is not mistaken for reuse


def test_general_limiter_counts_per_subject_and_reports_retry_after(redis_client, clock):
    from chalicelib import errors, ratelimit

    for _ in range(3):
        ratelimit.check("search", "user-1", 3, 10)
    with pytest.raises(errors.RateLimited) as caught:
        ratelimit.check("search", "user-1", 3, 10)
    assert caught.value.retry_after == 10
    ratelimit.check("search", "user-2", 3, 10)
    clock.advance(seconds=4)
    with pytest.raises(errors.RateLimited) as caught:
        ratelimit.check("search", "user-1", 3, 10)
    assert caught.value.retry_after == 6
    assert redis_client.exists("seen:v1:ratelimit:search:user-1")
    assert 0 < redis_client.pttl("seen:v1:ratelimit:search:user-1") <= 10_000


@pytest.fixture
def redis_down(client, settings_env):
    """Point the app at a port where nothing listens."""
    from chalicelib import cache
    from embedded import services

    settings_env(REDIS_URL=f"redis://127.0.0.1:{services.free_port()}/0", SEEN_REDIS_TIMEOUT="0.2")
    cache.reset()
    yield
    cache.reset()


def test_redis_down_fails_closed_for_login_and_register(client, redis_down):
    down_login = login(client, "anyone@example.com")
    assert down_login.status_code == 503 and error_code(down_login) == "rate_limiter_unavailable"
    down_register = register(client, "new@example.com")
    assert down_register.status_code == 503 and error_code(down_register) == "rate_limiter_unavailable"


def test_redis_down_fails_open_for_refresh_reads_and_the_general_limiter(client, settings_env):
    from chalicelib import cache, ratelimit
    from embedded import services

    session = register(client, "steady@example.com")
    settings_env(REDIS_URL=f"redis://127.0.0.1:{services.free_port()}/0", SEEN_REDIS_TIMEOUT="0.2")
    cache.reset()
    try:
        ratelimit.check("search", "user-1", 1, 60)
        ratelimit.check("search", "user-1", 1, 60)  # would be limited if Redis answered
        headers = {"Authorization": f"Bearer {json.loads(session.body)['accessToken']}"}
        assert client.http.get("/api/v1/auth/me", headers=headers).status_code == 200
        assert refresh(client, cookie_jar(session)).status_code == 200
    finally:
        cache.reset()
