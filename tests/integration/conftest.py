"""Fixtures the tracking, dashboard and title-state tests share: a catalog writer and a signed-in user's API."""

from __future__ import annotations

import socket

import pytest

from tests.integration.tracking_support import Api, Catalog


@pytest.fixture
def cat(client):
    """Inserts catalog rows (movies, shows with seasons and episodes, games) on a committed connection."""
    from chalicelib import db

    with db.connection() as conn:
        yield Catalog(conn)


@pytest.fixture
def me(client, make_user):
    """A fresh user: (user_id, Api bound to their bearer token)."""
    user_id, headers = make_user()
    return user_id, Api(client, headers)


@pytest.fixture
def resolver(monkeypatch):
    """``resolver(name, *answers)``: ``name`` resolves to the next answer on each lookup (the last repeats)."""
    real = socket.getaddrinfo
    names: dict[str, list[str]] = {}
    lookups: dict[str, int] = {}

    def getaddrinfo(host, port, *args, **kwargs):
        if host not in names:
            return real(host, port, *args, **kwargs)
        answers = names[host]
        address = answers[min(lookups.get(host, 0), len(answers) - 1)]
        lookups[host] = lookups.get(host, 0) + 1
        return [(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, int(port or 0)))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)

    def add(name: str, *answers: str) -> dict[str, int]:
        names[name] = list(answers)
        return lookups

    return add
