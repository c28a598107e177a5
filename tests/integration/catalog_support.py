"""Helpers shared by the catalog tests: a demo-catalog database template, the
fake TMDB/IGDB servers wired into the settings, and small request helpers.

Test modules use them through thin fixtures of their own (overriding the
suite's ``app_db`` where a test needs the demo catalog), so each module reads
top to bottom without hidden plugins.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any

from embedded.fakes.igdb import FakeIgdb
from embedded.fakes.tmdb import FakeTmdb
from tests import db_support


def demo_template(template_url: str) -> Iterator[str]:
    """A database copied from the migrated template with the demo catalog loaded: made once per test process
    and shared by every module that asks (their tests only use copies of it), dropped when the process ends."""
    yield db_support.built_template(template_url, "demo", _load_demo)


def _load_demo(url: str) -> None:
    import psycopg
    from psycopg.rows import dict_row

    from chalicelib.catalog import curated, demo

    with psycopg.connect(url, row_factory=dict_row, autocommit=True) as conn, conn.transaction():
        demo.load(conn)
        curated.refresh(conn)


def app_database(template: str) -> Iterator[str]:
    """Like the suite's ``app_db`` but a copy of ``template`` (e.g. the demo template), reset and reused after
    the test like the suite's (tests/db_support.py)."""
    from chalicelib import config, db

    previous = os.environ["DATABASE_URL"]
    copies = db_support.copies_of(template)
    url = copies.take()

    def point(target: str) -> None:
        db.reset()
        os.environ["DATABASE_URL"] = target
        config.get_settings.cache_clear()

    point(url)
    try:
        yield url
    finally:
        point(previous)
        copies.give_back(url)


def upstream_env(tmdb: FakeTmdb | None, igdb: FakeIgdb | None) -> dict[str, str]:
    """Settings that point the real clients at the fakes (fast backoff, no rate-limit waits)."""
    env = {"SEEN_CATALOG_BACKOFF": "0.01", "TMDB_RATE_LIMIT": "1000", "IGDB_RATE_LIMIT": "1000"}
    if tmdb is not None:
        env.update(TMDB_API_KEY=tmdb.api_key, TMDB_BASE_URL=tmdb.url)
    if igdb is not None:
        env.update(IGDB_CLIENT_ID=igdb.client_id, IGDB_CLIENT_SECRET=igdb.client_secret, IGDB_BASE_URL=igdb.url,
                   TWITCH_TOKEN_URL=igdb.token_url)
    return env


def reset_process_state() -> None:
    """Forget per-process caches the clients keep (Twitch tokens, TMDB image base)."""
    from chalicelib.catalog import igdb, images

    igdb.forget_tokens()
    images.reset()


def body(response: Any) -> Any:
    return json.loads(response.body)


def get(client: Any, path: str, headers: dict[str, str], **params: Any) -> Any:
    """GET with query parameters (``None`` values dropped); returns the response."""
    from urllib.parse import urlencode

    query = urlencode({k: v for k, v in params.items() if v is not None})
    return client.http.get(f"{path}?{query}" if query else path, headers=headers)


def rows(sql: str, **params: Any) -> list[dict[str, Any]]:
    """Run ``sql`` on the app's current database."""
    from chalicelib import db

    with db.connection() as conn:
        cursor = conn.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


def media_id(title: str, media_type: str | None = None) -> int:
    found = rows("SELECT id FROM media_items WHERE title = %(title)s AND (%(t)s::text IS NULL OR media_type = %(t)s)"
                 " ORDER BY id LIMIT 1", title=title, t=media_type)
    assert found, f"{title!r} is not in the catalog"
    return found[0]["id"]
