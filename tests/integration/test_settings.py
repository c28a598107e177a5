"""GET/PATCH /api/v1/settings and /api/v1/admin/settings: round trips, validation, write-only secrets, authz."""

from __future__ import annotations

import json

import pytest
from cryptography.fernet import Fernet

from chalicelib import config
from tests.integration.tracking_support import Api

USER = "/api/v1/settings"
ADMIN = "/api/v1/admin/settings"
KEY = Fernet.generate_key().decode()


@pytest.fixture
def settings_key(monkeypatch):
    monkeypatch.setenv("SEEN_SETTINGS_KEY", KEY)
    config.get_settings.cache_clear()
    yield KEY
    monkeypatch.delenv("SEEN_SETTINGS_KEY")
    config.get_settings.cache_clear()


@pytest.fixture
def me(client, auth_headers):
    return Api(client, auth_headers())


@pytest.fixture
def admin(client, auth_headers):
    return Api(client, auth_headers(role="admin"))


def test_user_settings_default_then_round_trip(me):
    status, data = me("GET", USER)
    assert status == 200
    assert data["watchedThresholdPercent"] == 90 and data["theme"] == "dark" and data["updatedAt"] is None
    status, data = me("PATCH", USER, {"watchedThresholdPercent": 75, "subtitleLanguage": "en", "region": "DE"})
    assert status == 200 and data["watchedThresholdPercent"] == 75 and data["region"] == "DE"
    status, data = me("PATCH", USER, {"theme": "light", "subtitleLanguage": None})
    assert status == 200
    assert (data["theme"], data["subtitleLanguage"], data["watchedThresholdPercent"]) == ("light", None, 75)
    assert me("GET", USER)[1] == data


@pytest.mark.parametrize("body", [
    {"watchedThresholdPercent": 49}, {"watchedThresholdPercent": 101}, {"watchedThresholdPercent": "90"},
    {"autoplayNext": "yes"}, {"theme": "neon"}, {"region": "germany"}, {"colour": "red"},
    {"theme": "light", "watchedThresholdPercent": 20},
])
def test_bad_user_settings_are_422_and_change_nothing(me, body):
    before = me("GET", USER)[1]
    status, data = me("PATCH", USER, body)
    assert status == 422 and data["error"]["code"] == "validation_error"
    assert me("GET", USER)[1] == before


def test_settings_are_per_user(client, me, auth_headers):
    me("PATCH", USER, {"theme": "light"})
    other = Api(client, auth_headers())
    assert other("GET", USER)[1]["theme"] == "dark"


def test_secrets_are_write_only_and_stored_encrypted(admin, settings_key, client):
    from chalicelib import db
    from chalicelib.settings import service

    status, data = admin("PATCH", ADMIN, {"tmdbApiKey": "tmdb-secret-123", "twitchClientId": "abc",
                                          "libraryRoots": ["/srv/media", "/srv/media"]})
    assert status == 200, data
    assert data["tmdbApiKey"]["set"] is True and data["twitchClientSecret"]["set"] is False
    assert data["libraryRoots"] == ["/srv/media"] and data["twitchClientId"] == "abc"
    response = client.http.get(ADMIN, headers=admin.headers)
    assert "tmdb-secret-123" not in response.body.decode()
    with db.connection() as conn:
        row = conn.execute("SELECT value, secret_ciphertext, key_id FROM instance_settings "
                           "WHERE key = 'tmdb.api_key'").fetchone()
        assert row["value"] is None and b"tmdb-secret-123" not in bytes(row["secret_ciphertext"])
        # The clients read it at call time: no redeploy needed.
        assert service.instance_secret(conn, "tmdb_api_key") == "tmdb-secret-123"
    status, data = admin("PATCH", ADMIN, {"tmdbApiKey": None})
    assert status == 200 and data["tmdbApiKey"]["set"] is False


def test_a_secret_without_a_configured_key_is_503_and_nothing_is_written(admin, monkeypatch):
    monkeypatch.delenv("SEEN_SETTINGS_KEY", raising=False)
    config.get_settings.cache_clear()
    status, data = admin("PATCH", ADMIN, {"twitchClientId": "abc", "twitchClientSecret": "s"})
    assert status == 503 and data["error"]["code"] == "settings_key_missing"
    assert admin("GET", ADMIN)[1]["twitchClientId"] is None


def test_a_tmdb_key_is_saved_and_used_when_the_server_has_a_settings_key(admin, settings_key):
    from chalicelib.settings import credentials

    status, data = admin("PATCH", ADMIN, {"tmdbApiKey": "tmdb-key-from-the-settings-page"})
    assert status == 200, data
    assert data["tmdbApiKey"]["set"] is True and data["tmdbApiKey"]["updatedAt"]
    assert data["secretsStorable"] is True
    assert admin("GET", ADMIN)[1]["tmdbApiKey"]["set"] is True
    # The catalog clients take it at once (no redeploy): it replaces the environment's key.
    assert credentials.catalog_settings().tmdb_api_key == "tmdb-key-from-the-settings-page"


def test_without_a_settings_key_saving_a_tmdb_key_says_in_words_what_to_do(admin, monkeypatch):
    monkeypatch.delenv("SEEN_SETTINGS_KEY", raising=False)
    config.get_settings.cache_clear()
    status, data = admin("PATCH", ADMIN, {"tmdbApiKey": "k", "omdbApiKey": "o", "twitchClientId": "abc"})
    assert status == 503 and data["error"]["code"] == "settings_key_missing"
    message = data["error"]["message"]
    assert message.startswith("This server has no key to encrypt secrets with")
    assert "Ask the person who runs /seen/" in message and "README: Secrets" in message
    assert "SEEN_SETTINGS_KEY" not in message  # words, not only a variable name
    # Each secret field sent carries the reason, so the page shows it next to the field.
    assert set(data["error"]["fields"]) == {"tmdbApiKey", "omdbApiKey"}
    assert all("no key to encrypt secrets" in text for text in data["error"]["fields"].values())
    after = admin("GET", ADMIN)[1]
    assert after["tmdbApiKey"]["set"] is False
    assert after["secretsStorable"] is False  # the page can say so before anyone types a key


@pytest.mark.parametrize("body", [
    {"downloadsMaxConcurrent": 0}, {"downloadsMaxConcurrent": "3"}, {"libraryRoots": ["relative/path"]},
    {"tmdbKey": "x"}, {"twitchClientId": "ok", "downloadEventsRetentionDays": -1},
])
def test_bad_instance_settings_are_422_and_change_nothing(admin, body):
    before = admin("GET", ADMIN)[1]
    status, data = admin("PATCH", ADMIN, body)
    assert status == 422 and data["error"]["code"] == "validation_error"
    assert admin("GET", ADMIN)[1] == before


def test_instance_settings_are_admin_only(client, me):
    assert me("GET", ADMIN)[0] == 403
    status, data = me("PATCH", ADMIN, {"twitchClientId": "x"})
    assert status == 403 and data["error"]["code"] in ("forbidden", "admin_required")
    assert client.http.get(ADMIN).status_code == 401
    assert json.loads(client.http.get(USER).body)["error"]["code"]
