"""Per-user webhook secrets.

The secret is an HMAC of the user id and a generation under the server's signing key, so the URL can
be shown again at any time without storing the secret: the database keeps only its SHA-256 (to find
the user by it) and the generation. Rotating bumps the generation; the old URL then matches nothing.
Changing ``SEEN_JWT_SECRET`` also changes every URL (documented in docs/media-servers.md).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from uuid import UUID

from chalicelib import db, errors
from chalicelib.config import get_settings
from chalicelib.db import Conn
from chalicelib.scrobble import queries
from chalicelib.scrobble.queries import HookRow


class HookNotFound(errors.NotFound):
    """A wrong, rotated or disabled user's secret: one answer for all three."""

    code = "webhook_not_found"


def derive(user_id: UUID, generation: int) -> str:
    key = get_settings().auth.jwt_secret.encode()
    mac = hmac.new(key, f"seen-webhook|{user_id}|{generation}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).rstrip(b"=").decode()


def digest(secret: str) -> bytes:
    return hashlib.sha256(secret.encode()).digest()


def current(conn: Conn, user_id: UUID) -> tuple[str, HookRow]:
    """The user's secret (made on first use) and its row."""
    row = queries.get(conn, user_id=user_id)
    if row is None:
        queries.put(conn, user_id=user_id, generation=1, secret_hash=digest(derive(user_id, 1)))
        row = queries.get(conn, user_id=user_id)
        if row is None:  # pragma: no cover - the user was deleted in between
            raise HookNotFound("No webhook for this user")
    return derive(user_id, row["generation"]), row


def rotate(conn: Conn, user_id: UUID) -> tuple[str, HookRow]:
    """A new secret: the previous URLs stop working."""
    _, row = current(conn, user_id)
    generation = row["generation"] + 1
    queries.put(conn, user_id=user_id, generation=generation, secret_hash=digest(derive(user_id, generation)))
    return current(conn, user_id)


def current_secret(user_id: UUID) -> tuple[str, HookRow]:
    """``current`` in a transaction of its own (``GET /me/webhooks``)."""
    with db.transaction() as conn:
        return current(conn, user_id)


def rotate_secret(user_id: UUID) -> tuple[str, HookRow]:
    """``rotate`` in a transaction of its own (``POST /me/webhooks/rotate``)."""
    with db.transaction() as conn:
        return rotate(conn, user_id)


def owner(conn: Conn, secret: str) -> UUID:
    """The user a secret belongs to; HookNotFound otherwise (compared in constant time)."""
    expected = digest(secret)
    row = queries.owner(conn, secret_hash=expected)
    if row is None or not hmac.compare_digest(bytes(row["secret_hash"]), expected):
        raise HookNotFound("No webhook for this URL (it may have been rotated)")
    return row["user_id"]
