"""Effective upstream credentials: a key stored through the admin API wins over the environment's.

The catalog clients (TMDB, IGDB/Twitch, TVDB) and everything built on them (sync,
lazy details, the library's TMDB matching) ask :func:`catalog_settings` for
their settings. It overlays the instance settings (``PATCH
/api/v1/admin/settings``) on the environment's ``CatalogSettings``, per field:
a stored value if there is one, else the environment's. The stored values are
read with one statement and kept for ``TTL_SECONDS`` per warm container, so a
change reaches every function within a minute without a redeploy; the
container that made the change forgets them at once (:func:`forget`).
"""

from __future__ import annotations

import dataclasses
import threading
import time

from chalicelib import db
from chalicelib.config import CatalogSettings, get_settings
from chalicelib.settings import crypto, queries
from chalicelib.settings.models import SECRETS, VALUES

TTL_SECONDS = 60.0


@dataclasses.dataclass(frozen=True)
class Stored:
    """The credentials set through the admin API (None = not set, the environment's applies)."""

    tmdb_api_key: str | None = dataclasses.field(default=None, repr=False)
    twitch_client_id: str | None = None
    twitch_client_secret: str | None = dataclasses.field(default=None, repr=False)
    opensubtitles_api_key: str | None = dataclasses.field(default=None, repr=False)
    omdb_api_key: str | None = dataclasses.field(default=None, repr=False)
    tvdb_api_key: str | None = dataclasses.field(default=None, repr=False)
    tvdb_pin: str | None = dataclasses.field(default=None, repr=False)


_lock = threading.Lock()
_cached: tuple[Stored, float] | None = None


def forget() -> None:
    """Drop the cached values (after a change in this container, and in tests)."""
    global _cached
    with _lock:
        _cached = None


def _load() -> Stored:
    with db.connection() as conn:
        rows = {row["key"]: row for row in queries.instance_all(conn)}
    client_id = (rows.get(VALUES["twitch_client_id"]) or {}).get("value")
    return Stored(tmdb_api_key=crypto.decrypt_row(rows.get(SECRETS["tmdb_api_key"])),
                  twitch_client_id=client_id if isinstance(client_id, str) else None,
                  twitch_client_secret=crypto.decrypt_row(rows.get(SECRETS["twitch_client_secret"])),
                  opensubtitles_api_key=crypto.decrypt_row(rows.get(SECRETS["opensubtitles_api_key"])),
                  omdb_api_key=crypto.decrypt_row(rows.get(SECRETS["omdb_api_key"])),
                  tvdb_api_key=crypto.decrypt_row(rows.get(SECRETS["tvdb_api_key"])),
                  tvdb_pin=crypto.decrypt_row(rows.get(SECRETS["tvdb_pin"])))


def stored() -> Stored:
    """The stored credentials, read at most once per ``TTL_SECONDS`` in this container."""
    global _cached
    with _lock:
        if _cached is not None and _cached[1] > time.monotonic():
            return _cached[0]
    value = _load()
    with _lock:
        _cached = (value, time.monotonic() + TTL_SECONDS)
    return value


def omdb_api_key() -> str | None:
    """The OMDb key: the one stored through the admin API, else the environment's ``OMDB_API_KEY``."""
    return stored().omdb_api_key or get_settings().ratings.omdb_api_key


def catalog_settings(base: CatalogSettings | None = None) -> CatalogSettings:
    """``base`` (default: the environment's catalog settings) with the stored credentials laid over it."""
    base = base or get_settings().catalog
    found = stored()
    changes: dict[str, str | None] = {}
    if found.tmdb_api_key:
        # A stored v3 key is the admin's latest word: it replaces an environment read token too.
        changes.update(tmdb_api_key=found.tmdb_api_key, tmdb_read_token=None)
    if found.twitch_client_id:
        changes["igdb_client_id"] = found.twitch_client_id
    if found.twitch_client_secret:
        changes["igdb_client_secret"] = found.twitch_client_secret
    if found.tvdb_api_key:
        # A PIN belongs to its key: the environment's PIN never goes with a stored key.
        changes.update(tvdb_api_key=found.tvdb_api_key, tvdb_pin=found.tvdb_pin)
    elif found.tvdb_pin:
        changes["tvdb_pin"] = found.tvdb_pin
    return dataclasses.replace(base, **changes) if changes else base
