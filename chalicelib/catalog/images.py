"""Artwork URLs from stored image paths.

TMDB stores paths such as ``/abc.jpg``; the base URL comes from TMDB's
/configuration (remembered by the client) or the configured default. IGDB
stores image ids (``co1wyy``) that go into IGDB's image URL template. A null
path gives a null URL: the SPA draws a placeholder.
"""

from __future__ import annotations

import threading
import time

from chalicelib import cache
from chalicelib.config import get_settings

SIZES = {  # (TMDB size, IGDB size) per kind of picture
    "poster": ("w342", "t_cover_big"),
    "backdrop": ("w1280", "t_1080p"),
    "still": ("w300", "t_screenshot_med"),
    "season": ("w185", "t_cover_big"),
    "profile": ("w185", "t_thumb"),  # people (cast, person pages); IGDB has none, the pair keeps the shape
    "logo": ("w500", "t_logo_med"),
}
_REFRESH_SECONDS = 300.0
_base: tuple[str, float] | None = None
_lock = threading.Lock()


def image_config_key() -> str:
    """Where the TMDB client keeps the image base URL from /configuration for the response builders."""
    return cache.Keys.tmdb("image-config")


def tmdb_base() -> str:
    """TMDB's image base URL, re-read from the cache every few minutes (not per request)."""
    global _base
    with _lock:
        if _base and _base[1] > time.monotonic():
            return _base[0]
    stored = cache.get_json(image_config_key()) or {}
    value = stored.get("base") or get_settings().catalog.tmdb_image_base_url
    if not value.endswith("/"):
        value += "/"
    with _lock:
        _base = (value, time.monotonic() + _REFRESH_SECONDS)
    return value


def reset() -> None:
    global _base
    with _lock:
        _base = None


def url(media_type: str, path: str | None, kind: str = "poster") -> str | None:
    """The URL of a stored image path (``None`` when there is no picture)."""
    if not path:
        return None
    if path.startswith(("https://", "http://")):
        return path
    tmdb_size, igdb_size = SIZES[kind]
    if media_type == "game":
        return f"{get_settings().catalog.igdb_image_base_url.rstrip('/')}/{igdb_size}/{path}.jpg"
    return f"{tmdb_base()}{tmdb_size}/{path.lstrip('/')}"
