"""Helpers shared by the auth test modules: JSON calls and cookie handling."""

from __future__ import annotations

import json
from http.cookies import SimpleCookie

PASSWORD = "correct horse battery staple"
JSON = {"Content-Type": "application/json"}


def post(client, path: str, body=None, headers: dict | None = None):
    raw = "" if body is None else (body if isinstance(body, str) else json.dumps(body))
    return client.http.post(path, body=raw, headers={**JSON, **(headers or {})})


def register(client, email: str, password: str = PASSWORD, **extra):
    return post(client, "/api/v1/auth/register", {"email": email, "password": password, **extra})


def login(client, email: str, password: str = PASSWORD):
    return post(client, "/api/v1/auth/login", {"email": email, "password": password})


def error_code(response) -> str:
    return json.loads(response.body)["error"]["code"]


def set_cookies(response) -> dict[str, dict]:
    """Set-Cookie headers of a response: name -> {"value": ..., attributes (lower-case)}."""
    raw = response.headers.get("Set-Cookie") or []
    raw = [raw] if isinstance(raw, str) else raw
    cookies: dict[str, dict] = {}
    for line in raw:
        name_value, *attributes = [part.strip() for part in line.split(";")]
        name, _, value = name_value.partition("=")
        attrs = {}
        for attribute in attributes:
            key, _, val = attribute.partition("=")
            attrs[key.lower()] = val or True
        cookies[name] = {"value": value, **attrs}
    return cookies


def cookie_jar(response) -> dict[str, str]:
    return {name: cookie["value"] for name, cookie in set_cookies(response).items()}


def cookie_auth(jar: dict[str, str], csrf: str | None = "same") -> dict[str, str]:
    """Headers for a cookie-authenticated call; ``csrf="same"`` echoes the CSRF cookie."""
    morsels = SimpleCookie()
    for name, value in jar.items():
        morsels[name] = value
    headers = {"Cookie": "; ".join(f"{name}={morsel.coded_value}" for name, morsel in morsels.items())}
    if csrf == "same":
        headers["X-CSRF-Token"] = jar.get("seen_csrf", "")
    elif csrf is not None:
        headers["X-CSRF-Token"] = csrf
    return headers


def bearer(response) -> dict[str, str]:
    return {"Authorization": f"Bearer {json.loads(response.body)['accessToken']}", **JSON}


def refresh(client, jar: dict[str, str], csrf: str | None = "same"):
    return post(client, "/api/v1/auth/refresh", headers=cookie_auth(jar, csrf))


def logout(client, jar: dict[str, str], csrf: str | None = "same"):
    return post(client, "/api/v1/auth/logout", headers=cookie_auth(jar, csrf))
