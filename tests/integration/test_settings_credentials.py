"""Credentials stored through PATCH /api/v1/admin/settings reach the TMDB and IGDB clients without a redeploy.

The fakes accept only the stored credentials (or only the environment's), so
a request that authenticates proves which credential the real client sent.
"""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet

from embedded.fakes import Reply
from embedded.fakes.igdb import FakeIgdb
from embedded.fakes.tmdb import FakeTmdb
from tests.integration import catalog_support as support
from tests.integration.tracking_support import Api

ADMIN = "/api/v1/admin/settings"
SETTINGS_ENV = {"SEEN_SETTINGS_KEY": Fernet.generate_key().decode(), "SEEN_CATALOG_RETRIES": "0"}


@pytest.fixture
def admin(client, auth_headers):
    return Api(client, auth_headers(role="admin"))


@pytest.fixture
def fresh_credentials():
    from chalicelib.settings import credentials

    credentials.forget()
    support.reset_process_state()
    yield credentials
    credentials.forget()
    support.reset_process_state()


class SearchingTmdb(FakeTmdb):
    """The catalog's fake plus ``/search/movie`` by exact title (what the library's matcher asks)."""

    def handle(self, request):
        if not request.path.startswith("/3/search/movie") or request.query.get("api_key") != self.api_key:
            return super().handle(request)
        hits = [self._summary(m) for m in self.movies.values() if m["title"] == request.query.get("query")]
        return Reply(200, {"page": 1, "results": hits, "total_pages": 1, "total_results": len(hits)})


@pytest.fixture
def tmdb(settings_env, client, fresh_credentials):
    """A fake TMDB that accepts only ``stored-tmdb-key``; the environment holds ``env-tmdb-key``."""
    fake = SearchingTmdb(api_key="stored-tmdb-key", seed=False).start()
    settings_env(**{**support.upstream_env(fake, None), **SETTINGS_ENV, "TMDB_API_KEY": "env-tmdb-key"})
    yield fake
    fake.stop()


@pytest.fixture
def igdb(settings_env, client, fresh_credentials):
    """A fake IGDB/Twitch that accepts only the stored client; the environment holds another one."""
    fake = FakeIgdb(client_id="stored-client", client_secret="stored-secret", seed=False).start()
    settings_env(**{**support.upstream_env(None, fake), **SETTINGS_ENV, "IGDB_CLIENT_ID": "env-client",
                    "IGDB_CLIENT_SECRET": "env-secret"})
    yield fake
    fake.stop()


def sent_tmdb_keys(fake: FakeTmdb) -> list[str | None]:
    return [r.query.get("api_key") for r in fake.requests]


def run(job: str) -> dict:
    from chalicelib.catalog import sync

    return sync.run_job(job)


def test_env_key_is_used_while_nothing_is_stored(tmdb):
    assert run("catalog.tmdb_genres")["status"] == "failed"  # the fake refuses the environment's key
    assert set(sent_tmdb_keys(tmdb)) == {"env-tmdb-key"}


def test_a_tmdb_key_stored_through_the_api_is_the_one_tmdb_receives(tmdb, admin):
    run("catalog.tmdb_genres")  # caches "nothing stored" for this container
    assert admin("PATCH", ADMIN, {"tmdbApiKey": "stored-tmdb-key"})[0] == 200
    tmdb.requests.clear()
    result = run("catalog.tmdb_genres")
    assert result["status"] == "ok", result
    assert set(sent_tmdb_keys(tmdb)) == {"stored-tmdb-key"}
    assert support.rows("SELECT count(*) AS n FROM genres")[0]["n"] > 0


def test_clearing_the_stored_key_falls_back_to_the_environment(tmdb, admin, redis_client):
    assert admin("PATCH", ADMIN, {"tmdbApiKey": "stored-tmdb-key"})[0] == 200
    assert run("catalog.tmdb_genres")["status"] == "ok"
    assert admin("PATCH", ADMIN, {"tmdbApiKey": None})[0] == 200
    redis_client.flushdb()  # TMDB answers are cached: make the next run ask again
    tmdb.requests.clear()
    assert run("catalog.tmdb_genres")["status"] == "failed"
    assert set(sent_tmdb_keys(tmdb)) == {"env-tmdb-key"}


def test_another_containers_change_arrives_once_the_cache_expires(tmdb, admin, fresh_credentials, monkeypatch):
    import time

    from chalicelib import db

    assert admin("PATCH", ADMIN, {"tmdbApiKey": "stored-tmdb-key"})[0] == 200
    assert fresh_credentials.catalog_settings().tmdb_api_key == "stored-tmdb-key"
    # Another container removes the key: this one keeps its cached value for up to a minute...
    with db.connection() as conn:
        db.queries().settings_instance_delete(conn, key="tmdb.api_key")
    assert fresh_credentials.catalog_settings().tmdb_api_key == "stored-tmdb-key"
    # ...and reads the change once the minute has passed.
    later = time.monotonic() + fresh_credentials.TTL_SECONDS + 1
    monkeypatch.setattr(fresh_credentials.time, "monotonic", lambda: later)
    assert fresh_credentials.catalog_settings().tmdb_api_key == "env-tmdb-key"


def test_a_stored_key_replaces_an_environment_read_token(tmdb, admin, settings_env, redis_client):
    settings_env(TMDB_READ_TOKEN="env-read-token")
    assert admin("PATCH", ADMIN, {"tmdbApiKey": "stored-tmdb-key"})[0] == 200
    assert run("catalog.tmdb_genres")["status"] == "ok"
    assert {r.headers.get("authorization") for r in tmdb.requests} == {None}


def test_stored_twitch_credentials_are_the_ones_igdb_receives(igdb, admin):
    assert run("catalog.igdb_games")["status"] == "failed"  # environment credentials: refused by Twitch
    assert admin("PATCH", ADMIN, {"twitchClientId": "stored-client",
                                  "twitchClientSecret": "stored-secret"})[0] == 200
    igdb.requests.clear()
    result = run("catalog.igdb_games")
    assert result["status"] == "ok", result
    token_calls = [r for r in igdb.requests if r.path.startswith("/oauth2/token")]
    assert [(r.query["client_id"], r.query["client_secret"]) for r in token_calls] == [
        ("stored-client", "stored-secret")]
    assert {r.headers.get("client-id") for r in igdb.requests if r.path.startswith("/v4")} == {"stored-client"}


def test_library_tmdb_search_uses_the_stored_key(tmdb, admin):
    from chalicelib.library import upstream
    from chalicelib.library.matching import ParsedName

    assert admin("PATCH", ADMIN, {"tmdbApiKey": "stored-tmdb-key"})[0] == 200
    tmdb.add_movie(4242, "Stored Key Movie", release_date="2001-02-03")
    hits = upstream.fetch_candidates(ParsedName.from_guess({"title": "Stored Key Movie", "type": "movie"}), 0.8)
    assert [h.tmdb_id for h in hits] == [4242]
    assert set(sent_tmdb_keys(tmdb)) == {"stored-tmdb-key"}
