"""Secrets at rest: Fernet with ``SEEN_SETTINGS_KEY``, and ``key_id`` to name the key that encrypted each one.

Instance secrets (upstream API keys), indexer API keys and notification channel URLs are stored encrypted
with it. ``key_id`` is a hash prefix of the key, stored beside every ciphertext: after a key change it
says which rows the old key wrote (they no longer decrypt, and are logged as such when read).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from cryptography.fernet import Fernet, InvalidToken

from chalicelib.config import get_settings
from chalicelib.errors import ServiceUnavailable
from chalicelib.logs import get_logger

# Said to whoever tries to store a secret on a server without SEEN_SETTINGS_KEY: what happened and who can fix it.
NO_KEY_MESSAGE = ("This server has no key to encrypt secrets with, so this can't be saved. Ask the person who "
                  "runs /seen/ to set one up (see README: Secrets).")


class SettingsKeyMissing(ServiceUnavailable):
    code = "settings_key_missing"

    def __init__(self, fields: tuple[str, ...] = ()):
        super().__init__(NO_KEY_MESSAGE, fields=dict.fromkeys(fields, NO_KEY_MESSAGE) or None)


def fernet(fields: tuple[str, ...] = ()) -> tuple[Fernet, str]:
    """The key that encrypts secrets and its ``key_id``; ``fields`` (API names) carry the error when there is none."""
    key = get_settings().settings_key
    if not key:
        raise SettingsKeyMissing(fields)
    return Fernet(key.encode()), hashlib.sha256(key.encode()).hexdigest()[:12]


def encrypt(text: str, fields: tuple[str, ...] = ()) -> tuple[bytes, str]:
    """``(ciphertext, key_id)``; raises ``SettingsKeyMissing`` (503) when the server has no key."""
    key, key_id = fernet(fields)
    return key.encrypt(text.encode()), key_id


def decrypt(ciphertext: bytes) -> str | None:
    """The plain text; None when the server has no key or another key encrypted it (the caller logs which)."""
    try:
        key, _ = fernet()
        return key.decrypt(ciphertext).decode()
    except (InvalidToken, SettingsKeyMissing):
        return None


def decrypt_row(row: Mapping[str, object] | None) -> str | None:
    """A stored secret row (``key``, ``key_id``, ``secret_ciphertext``) decrypted; None when absent, or not
    decryptable with the configured key (logged)."""
    if row is None:
        return None
    ciphertext = row["secret_ciphertext"]
    text = decrypt(bytes(ciphertext)) if isinstance(ciphertext, bytes | bytearray | memoryview) else None
    if text is None:
        get_logger().warning("instance secret not decryptable", extra={
            "action": "instance_secret_undecryptable", "setting": row["key"], "key_id": row["key_id"]})
    return text
