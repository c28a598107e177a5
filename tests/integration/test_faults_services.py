"""Infrastructure faults under the real app: Postgres restarted under traffic, Redis down.

Postgres: the app runs (chalice test client, in-process, its real psycopg
pool) against a private cluster that the test stops with ``pg_ctl stop -m
fast`` and starts again; nothing about the app is restarted in between.
Redis: the app's REDIS_URL points at a redis-server this test started and
then killed, so the port refuses connections.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
import uuid

import pytest

from embedded import services
from tests.integration.faults_support import PrivatePostgres

OUTAGE_SECONDS = 8
RECOVERY_SECONDS = 5  # the same process answers 200 again this soon after Postgres is back
PASSWORD = "correct horse battery staple"
JSON = {"Content-Type": "application/json"}


def _point_app(database_url: str | None = None, redis_url: str | None = None) -> None:
    from chalicelib import cache, config, db

    db.reset()
    cache.reset()
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    if redis_url:
        os.environ["REDIS_URL"] = redis_url
    config.get_settings.cache_clear()


@pytest.fixture
def private_pg(monkeypatch, redis_client, aws):
    """The app on a migrated database in a private Postgres cluster (1 s pool timeout)."""
    from chalicelib.db import migrate

    cluster = PrivatePostgres()
    try:
        url = services.with_database(cluster.start(), "seen_faults")
        services.create_database(url)
        migrate.apply(url)
        monkeypatch.setenv("SEEN_DB_CONNECT_TIMEOUT", "1")
        monkeypatch.setenv("DATABASE_URL", url)
        _point_app(url)
        yield cluster
    finally:
        monkeypatch.undo()
        _point_app(os.environ["DATABASE_URL"])
        cluster.close()


def _client():
    from chalice.test import Client

    from app import app

    return Client(app)


def register(client, email: str) -> dict:
    response = client.http.post("/api/v1/auth/register", headers=JSON,
                                body=json.dumps({"email": email, "password": PASSWORD}))
    assert response.status_code == 201, response.body
    return {**JSON, "Authorization": "Bearer " + json.loads(response.body)["accessToken"]}


def traffic(client, headers: dict, email: str) -> list:
    """One read and one write (a login) — the calls a signed-in SPA keeps making."""
    from chalicelib import ratelimit

    ratelimit.reset("login_ip", "127.0.0.1")
    return [client.http.get("/api/v1/watch-later", headers=headers),
            client.http.post("/api/v1/auth/login", headers=JSON,
                             body=json.dumps({"email": email, "password": PASSWORD}))]


def assert_envelope(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.body
    error = json.loads(response.body)["error"]
    assert error["code"] == code and error["message"]
    return error


def test_postgres_restart_under_traffic_answers_503_then_recovers_without_an_api_restart(private_pg):
    email = f"pg-{uuid.uuid4().hex[:8]}@seen.test"
    with _client() as client:
        headers = register(client, email)
        assert [r.status_code for r in traffic(client, headers, email)] == [200, 200]
        private_pg.stop()
        outage = time.monotonic() + OUTAGE_SECONDS
        while time.monotonic() < outage:  # traffic goes on while the database is away
            sent = time.monotonic()
            for response in traffic(client, headers, email):
                assert_envelope(response, 503, "database_unavailable")
                assert response.headers.get("Retry-After") == "5"
            assert time.monotonic() - sent < 5  # each request gives up after the pool timeout, not later
            time.sleep(0.5)
        private_pg.start()
        back = time.monotonic()
        while (codes := [r.status_code for r in traffic(client, headers, email)]) != [200, 200]:
            assert set(codes) <= {200, 503}, codes
            assert time.monotonic() - back < RECOVERY_SECONDS, "the API did not recover after Postgres came back"
            time.sleep(0.25)
        assert [r.status_code for r in traffic(client, headers, email)] == [200, 200]
        print(f"recovered {time.monotonic() - back:.1f}s after Postgres was back")


@pytest.fixture
def redis_down(client, monkeypatch, tmp_path):
    """The app's Redis is a server this test started and then killed: its port now refuses connections."""
    port = services.free_port()
    proc = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no", "--dir", str(tmp_path)], stdout=subprocess.DEVNULL)
    try:
        url = f"redis://127.0.0.1:{port}/0"
        services.wait_until(lambda: services.redis_reachable(url), "test redis", proc=proc)
        monkeypatch.setenv("REDIS_URL", url)
        _point_app(redis_url=url)
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(10)
        monkeypatch.undo()
        _point_app(redis_url=os.environ["REDIS_URL"])


def test_with_redis_down_reads_come_from_postgres_and_login_fails_with_a_clear_503(client, make_user,
                                                                                   redis_down):
    from chalicelib import cache

    email = f"redis-{uuid.uuid4().hex[:8]}@seen.test"
    _user, headers = make_user(email=email)
    assert client.http.get("/api/v1/dashboard", headers=headers).status_code == 200  # cached while Redis lived
    redis_down.kill()
    redis_down.wait(10)
    for _ in range(2):  # the second read is after the cache's back-off kicked in
        for path in ("/api/v1/dashboard", "/api/v1/watch-later", "/api/v1/discover"):
            response = client.http.get(path, headers=headers)
            assert response.status_code == 200, (path, response.body)
    assert not cache.available()  # it noticed, and now skips Redis instead of timing out on every call
    login = client.http.post("/api/v1/auth/login", headers=JSON,
                             body=json.dumps({"email": email, "password": PASSWORD}))
    assert_envelope(login, 503, "rate_limiter_unavailable")
    register_ = client.http.post("/api/v1/auth/register", headers=JSON,
                                 body=json.dumps({"email": "new-" + email, "password": PASSWORD}))
    assert_envelope(register_, 503, "rate_limiter_unavailable")
