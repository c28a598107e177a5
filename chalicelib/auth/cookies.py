"""The refresh and CSRF cookies, and the double-submit check.

``seen_refresh`` (HttpOnly, SameSite=Strict, Path=/api/v1/auth) carries the
refresh token to the only routes that need it. ``seen_csrf`` is readable by
the SPA (Path=/) and must be echoed in ``X-CSRF-Token`` on every
cookie-authenticated call (refresh, logout): a cross-site form can make the
browser send cookies but cannot read one to copy it into a header.
"""

from __future__ import annotations

import secrets
from http.cookies import CookieError, SimpleCookie
from typing import Any

from chalicelib.auth.errors import CsrfFailed
from chalicelib.config import get_settings

REFRESH_COOKIE = "seen_refresh"
CSRF_COOKIE = "seen_csrf"
CSRF_HEADER = "x-csrf-token"
REFRESH_PATH = "/api/v1/auth"


def _cookie(name: str, value: str, *, path: str, max_age: int, http_only: bool) -> str:
    parts = [f"{name}={value}", f"Path={path}", f"Max-Age={max_age}", "SameSite=Strict"]
    if max_age == 0:
        parts.append("Expires=Thu, 01 Jan 1970 00:00:00 GMT")
    if http_only:
        parts.append("HttpOnly")
    if get_settings().auth.cookie_secure:
        parts.append("Secure")
    return "; ".join(parts)


def session_cookies(refresh_token: str, csrf_token: str) -> list[str]:
    """``Set-Cookie`` values for a new or rotated refresh token and its CSRF token."""
    max_age = get_settings().auth.refresh_ttl
    return [_cookie(REFRESH_COOKIE, refresh_token, path=REFRESH_PATH, max_age=max_age, http_only=True),
            _cookie(CSRF_COOKIE, csrf_token, path="/", max_age=max_age, http_only=False)]


def csrf_cookies(csrf_token: str) -> list[str]:
    """A new CSRF cookie alone (a profile switch: the refresh cookie stays as it is)."""
    max_age = get_settings().auth.refresh_ttl
    return [_cookie(CSRF_COOKIE, csrf_token, path="/", max_age=max_age, http_only=False)]


def cleared_cookies() -> list[str]:
    """``Set-Cookie`` values that delete both cookies."""
    return [_cookie(REFRESH_COOKIE, "", path=REFRESH_PATH, max_age=0, http_only=True),
            _cookie(CSRF_COOKIE, "", path="/", max_age=0, http_only=False)]


def read_cookies(request: Any) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(request.headers.get("cookie") or "")
    except CookieError:
        return {}
    return {name: morsel.value for name, morsel in jar.items()}


def refresh_token_of(request: Any) -> str | None:
    return read_cookies(request).get(REFRESH_COOKIE) or None


def require_csrf(request: Any) -> None:
    """Raise ``CsrfFailed`` unless the CSRF cookie and header are present and equal."""
    cookie = read_cookies(request).get(CSRF_COOKIE) or ""
    header = request.headers.get(CSRF_HEADER) or ""
    if not cookie or not header or not secrets.compare_digest(cookie.encode(), header.encode()):
        raise CsrfFailed("The CSRF token is missing or does not match")
