"""Fixtures the tracking, dashboard and title-state tests share: a catalog writer and a signed-in user's API."""

from __future__ import annotations

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
