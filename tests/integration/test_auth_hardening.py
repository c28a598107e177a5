"""Security baseline on the HTTP edge: headers, CORS for configured origins only, client address."""

from tests.integration.auth_support import JSON, PASSWORD, post, register

ALLOWED = "https://app.example.com"


def test_auth_responses_are_not_cached_sniffed_or_framed(client):
    for response in (register(client, "hdr@example.com"), client.http.get("/api/v1/auth/me")):
        assert response.headers["Cache-Control"] == "no-store"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"


def test_cors_headers_only_for_configured_origins(client, settings_env):
    settings_env(SEEN_CORS_ORIGINS=f"{ALLOWED}, http://localhost:5173")
    allowed = client.http.get("/api/v1/auth/me", headers={"Origin": ALLOWED, **JSON})
    assert allowed.status_code == 401  # CORS headers ride on errors too, so the SPA can read them
    assert allowed.headers["Access-Control-Allow-Origin"] == ALLOWED
    assert allowed.headers["Access-Control-Allow-Credentials"] == "true"
    assert "Origin" in allowed.headers["Vary"]
    other = client.http.get("/api/v1/auth/me", headers={"Origin": "https://evil.example", **JSON})
    assert "Access-Control-Allow-Origin" not in other.headers
    assert "Origin" in other.headers["Vary"]


def test_preflight_answers_configured_origins_with_the_path_methods(client, settings_env):
    settings_env(SEEN_CORS_ORIGINS=ALLOWED)
    request = {"Access-Control-Request-Method": "PATCH", "Access-Control-Request-Headers": "authorization"}
    ok = client.http.options("/api/v1/auth/me", headers={"Origin": ALLOWED, **request})
    assert ok.status_code == 204
    assert ok.headers["Access-Control-Allow-Origin"] == ALLOWED
    assert ok.headers["Access-Control-Allow-Methods"] == "GET, OPTIONS, PATCH"
    assert "X-CSRF-Token" in ok.headers["Access-Control-Allow-Headers"]
    refused = client.http.options("/api/v1/auth/me", headers={"Origin": "https://evil.example", **request})
    assert refused.status_code == 204
    assert "Access-Control-Allow-Origin" not in refused.headers
    assert "Access-Control-Allow-Methods" not in refused.headers


def test_without_configured_origins_nobody_gets_cors_headers(client):
    response = client.http.get("/api/v1/health/live", headers={"Origin": ALLOWED})
    assert "Access-Control-Allow-Origin" not in response.headers


def _session_ip(email: str) -> str | None:
    from chalicelib import db

    with db.connection() as conn:
        row = conn.execute("SELECT host(s.ip) AS ip FROM sessions s JOIN users u ON u.id = s.user_id "
                           "WHERE u.email = %s", (email,)).fetchone()
    return row["ip"]


def sign_up(client, email: str, headers: dict[str, str]):
    body = {"email": email, "password": PASSWORD}
    assert post(client, "/api/v1/auth/register", body, headers=headers).status_code == 201


def test_forwarded_for_is_ignored_unless_proxies_are_trusted(client, settings_env):
    settings_env(SEEN_TRUSTED_PROXIES="")
    sign_up(client, "direct@example.com", {"X-Forwarded-For": "203.0.113.9"})
    assert _session_ip("direct@example.com") == "127.0.0.1"
    settings_env(SEEN_TRUSTED_PROXIES="127.0.0.1/32")
    sign_up(client, "proxied@example.com", {"X-Forwarded-For": "198.51.100.1, 203.0.113.9"})
    assert _session_ip("proxied@example.com") == "203.0.113.9"
    sign_up(client, "junk@example.com", {"X-Forwarded-For": "not-an-address"})
    assert _session_ip("junk@example.com") == "127.0.0.1"  # the proxy is all that is known


def test_session_records_the_user_agent(client):
    from chalicelib import db

    sign_up(client, "ua@example.com", {"User-Agent": "curl/8.0"})
    with db.connection() as conn:
        assert conn.execute("SELECT user_agent FROM sessions").fetchone()["user_agent"] == "curl/8.0"
