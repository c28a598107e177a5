"""On a fresh `make dev` an admin can save an API key (issue 34 item 3: it answered 503 "SEEN_SETTINGS_KEY is not
configured"): the stack made its settings key under .data/secrets/ and encrypts with it."""

from __future__ import annotations

import stat

import psycopg
from cryptography.fernet import Fernet

from embedded.services import ROOT
from tests import stack_support

ADMIN = "/api/v1/admin/settings"


def test_an_admin_saves_a_key_on_make_dev_and_it_is_kept_encrypted_with_the_stacks_own_key(dev_stack):
    session = stack_support.register(dev_stack, "secrets")
    with psycopg.connect(dev_stack.database, autocommit=True) as conn:
        conn.execute("UPDATE users SET role = 'admin' WHERE id = %s", (session["user"]["id"],))
    token = session["accessToken"]
    # The Twitch secret alone turns nothing on (IGDB needs the client id too), so the shared stack is unchanged.
    status, body = stack_support.call(dev_stack.base, "PATCH", ADMIN, {"twitchClientSecret": "twitch-from-e2e"}, token)
    assert status == 200, body
    assert body["twitchClientSecret"]["set"] is True
    try:
        key_file = ROOT / ".data" / "secrets" / "settings_key"
        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
        with psycopg.connect(dev_stack.database) as conn:
            ciphertext = conn.execute("SELECT secret_ciphertext FROM instance_settings "
                                      "WHERE key = 'twitch.client_secret'").fetchone()[0]
        assert Fernet(key_file.read_text().strip().encode()).decrypt(bytes(ciphertext)) == b"twitch-from-e2e"
    finally:
        status, body = stack_support.call(dev_stack.base, "PATCH", ADMIN, {"twitchClientSecret": None}, token)
        assert status == 200 and body["twitchClientSecret"]["set"] is False, body
