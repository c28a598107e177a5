"""Test services: real Postgres, real Redis, a moto server over HTTP.

Environment is fixed in ``pytest_configure`` before any app module is imported (settings and the pynamodb models
read it once). Postgres: one migrated template database per run; ``conn`` runs a test in a rolled-back
transaction, ``app_db`` gives a test its own ``CREATE DATABASE ... TEMPLATE`` copy (reset after an earlier test:
tests/db_support.py) and points the app at it. Redis: db 15 (``SEEN_TEST_REDIS_DB``), flushed per test. AWS:
one moto server per run, reset per test by ``aws``.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import urllib.request
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from embedded import services
from tests import db_support

HERE = Path(__file__).parent
RUN_ID = db_support.RUN_ID
TEMPLATE_DB = f"seen_test_tpl_{RUN_ID}"
# Parallel runs on one machine each take their own Redis db (it is flushed per test).
REDIS_TEST_DB = int(os.environ.get("SEEN_TEST_REDIS_DB", "15"))
# pytest-xdist workers (`-n N`): worker gwK's tests flush db REDIS_WORKER_DBS[K][0] and its browser stack uses
# [1]. Never 0 (`make dev`'s), 1 (the serial step that runs beside the workers: scripts/test_stages.py), 7 (the
# isolation test's stack) or 13 (the bench smoke run's): six workers at most.
REDIS_WORKER_DBS = ((15, 14), (12, 11), (10, 9), (8, 6), (5, 4), (3, 2))
SLOW_S = 2.0  # seconds, in a parallel run of the whole suite: `make test-fast` leaves such a test out
_started = services.Started()


class _LoggerRegistry(dict):
    """logging's registry of loggers, whose ``values()`` is a snapshot. pytest's log capture walks it at every
    test's setup without logging's lock (``catching_logs.__enter__``); a thread an earlier test left running
    (a fake server, a pool) that creates a logger meanwhile made the setup fail with "dictionary changed size
    during iteration". ``list()`` of a dict's values is one step the interpreter does not interrupt."""

    def values(self):  # type: ignore[override]
        return list(super().values())


logging.Logger.manager.loggerDict = _LoggerRegistry(logging.Logger.manager.loggerDict)
_state: dict[str, str] = {}


def _distributed(config: pytest.Config) -> bool:
    """True in the controller of an xdist run: its workers run the tests, it only prepares what they share."""
    return getattr(config.option, "dist", "no") != "no" and bool(getattr(config.option, "numprocesses", 0))


def pytest_configure(config: pytest.Config) -> None:
    workerinput = getattr(config, "workerinput", None)
    if workerinput is None:
        base_pg = os.environ.get("TEST_DATABASE_URL") or os.environ.get(
            "DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
        master = services.ensure_postgres(_started, services.with_database(base_pg, TEMPLATE_DB))
        redis_base = services.ensure_redis(_started, os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))
        _state.update(master=master, redis_base=redis_base)
        if not _distributed(config):
            _start_test_services(master, REDIS_TEST_DB, int(os.environ.get("SEEN_TEST_STACK_REDIS_DB", "14")))
        from chalicelib.db import migrate  # after the environment is set: settings are read once

        migrate.apply(master)  # once per run: xdist workers copy it (a copy is ~0.2 s, migrating ~10 s)
        return
    _state.update(master=workerinput["seen_master"], redis_base=workerinput["seen_redis"])
    # Every database of the run carries the controller's run id: the controller drops what a worker could not.
    db_support.RUN_ID = workerinput["seen_run"]
    number = int(workerinput["workerid"].removeprefix("gw"))
    # Each worker has a template of its own: Postgres refuses to copy a database another connection is in,
    # and ``conn`` tests sit in their worker's template.
    template_url = services.with_database(_state["master"],
                                          f"seen_test_tpl_{db_support.RUN_ID}_{workerinput['workerid']}")
    services.create_database(template_url, template=services.database_name(_state["master"]), drop=True)
    if number >= len(REDIS_WORKER_DBS):
        raise pytest.UsageError(f"at most {len(REDIS_WORKER_DBS)} xdist workers (Redis has 16 dbs): -n {number + 1}")
    _start_test_services(template_url, *REDIS_WORKER_DBS[number])


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node) -> None:
    """xdist: what the controller prepared, handed to each worker it starts."""
    node.workerinput["seen_master"] = _state["master"]
    node.workerinput["seen_redis"] = _state["redis_base"]
    node.workerinput["seen_run"] = RUN_ID


def _start_test_services(template_url: str, redis_db: int, stack_redis_db: int) -> None:
    """This process's moto server and environment: the template its tests copy, its own Redis dbs."""
    redis_url = _state["redis_base"].rsplit("/", 1)[0] + f"/{redis_db}"
    endpoint = services.start_moto(_started, services.free_port())
    _state.update(template_url=template_url, redis_url=redis_url, endpoint=endpoint)
    os.environ.update({
        **services.aws_env(endpoint),
        "SEEN_STAGE": "test",
        "DATABASE_URL": template_url,
        "REDIS_URL": redis_url,
        # Tests that start a stack of their own give it this process's Redis db (flushed per test).
        "SEEN_TEST_REDIS_DB": str(redis_db),
        "SEEN_TEST_STACK_REDIS_DB": str(stack_redis_db),  # the browser tests' shared stack (tests/e2e)
        "SEEN_DB_POOL_SIZE": "4",
        "LOG_LEVEL": "INFO",
        # chalice.test.Client applies the "dev" stage of .chalice/config.json during requests
        # (SEEN_STAGE=dev), and dev requires a signing secret: give the suite its own.
        "SEEN_JWT_SECRET": "seen-test-suite-only-jwt-signing-key-0123456789",
        "SEEN_STREAM_SECRET": "seen-test-suite-only-stream-signing-key-0123456789",
        # Workers the tests start serve no Range server unless a test gives them a port of their own.
        "SEEN_STREAM_PORT": "0",
        "SEEN_COOKIE_SECURE": "false",
        # The suite never asks live Jikan (MyAnimeList): anime tests point it at their fake.
        "JIKAN_BASE_URL": "",
        # Cheap argon2id in tests (each user costs one hash); the bench measures the real parameters.
        "SEEN_ARGON2_TIME_COST": "1",
        "SEEN_ARGON2_MEMORY_KIB": "8192",
        "SEEN_ARGON2_PARALLELISM": "1",
    })


def pytest_unconfigure(config: pytest.Config) -> None:
    if "master" not in _state:
        return
    if "template_url" in _state:  # this process ran tests
        from chalicelib import db

        db.reset()
        db_support.close_all()
        if _state["template_url"] != _state["master"]:
            services.drop_database(_state["template_url"])
    if getattr(config, "workerinput", None) is None:
        services.drop_database(_state["master"])
        # A worker drops its databases as it ends, but xdist kills a worker that takes over 10 s to end, and a
        # DROP DATABASE (a checkpoint each) can take seconds while the machine is busy: what is left, the
        # controller drops once every worker is gone.
        db_support.drop_run(_state["master"], RUN_ID)
    _started.stop()


def _known_durations() -> dict[str, float]:
    """Each test's seconds (JUnit names, ``module.path::name``): the repository's record of the long ones
    (tests/durations.json), then this checkout's last run (.data/test-times.json, scripts/test_stages.py)."""
    try:
        last = json.loads((services.DATA / "test-times.json").read_text()).get("durations", {})
    except (OSError, ValueError):
        last = {}
    return {**_recorded_durations(), **last}


def _junit_name(nodeid: str) -> str:
    """``tests/unit/test_x.py::Class::test_y[1]`` as JUnit XML names it: ``tests.unit.test_x.Class::test_y[1]``."""
    path, *scopes, name = nodeid.split("::")
    return ".".join([path.removesuffix(".py").replace("/", "."), *scopes]) + "::" + name


@functools.cache
def _recorded_durations() -> dict[str, float]:
    """The repository's record (tests/durations.json): the same on every machine, unlike a checkout's last run."""
    try:
        return json.loads((HERE / "durations.json").read_text())
    except (OSError, ValueError):
        return {}


def pytest_itemcollected(item: pytest.Item) -> None:
    """A test the repository's record gives ``SLOW_S`` or more is marked ``slow`` (`make test-fast` leaves it out)."""
    if _recorded_durations().get(_junit_name(item.nodeid), 0) >= SLOW_S:
        item.add_marker(pytest.mark.slow)


def xdist_scope(nodeid: str) -> str:
    """The unit ``--dist loadscope`` hands a worker whole (xdist's own rule): a module, or a class in it. So a
    module-scoped fixture (a stack, a seeded swarm) is set up once and a module's tests run in their order."""
    return nodeid.rsplit("::", 1)[0]


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """In a parallel run, the longest scopes first: xdist hands them out in collection order (with
    ``--no-loadscope-reorder``), and a long one handed out last is the whole run's tail. A scope counts as the sum
    of its tests (a test never timed as a short one); one that stops its worker's stack goes last of all."""
    if getattr(config, "workerinput", None) is None:
        return
    if twins := sorted(nodeid for nodeid, count in Counter(item.nodeid for item in items).items() if count > 1):
        # xdist schedules by node id: of tests that share one (schemathesis' per-operation cases), one would run.
        raise pytest.UsageError(f"tests that share a node id cannot run under xdist; mark them serial: {twins[:3]}")
    known = _known_durations()
    scopes: dict[str, list[pytest.Item]] = {}
    for item in items:
        scopes.setdefault(xdist_scope(item.nodeid), []).append(item)
    seconds = {scope: sum(known.get(_junit_name(item.nodeid), 0.1) for item in members)
               for scope, members in scopes.items()}
    order = sorted(scopes, key=lambda scope: (any(item.get_closest_marker("stops_stack") for item in scopes[scope]),
                                               -seconds[scope]))  # stable: equal times keep the collection order
    items[:] = [item for scope in order for item in scopes[scope]]


@pytest.fixture(scope="session")
def template_url() -> str:
    return _state["template_url"]


@pytest.fixture(scope="session")
def aws_endpoint() -> str:
    return _state["endpoint"]


@pytest.fixture
def conn(template_url: str) -> Iterator:
    """A connection to the migrated template inside a transaction that is rolled back."""
    import psycopg
    from psycopg.rows import dict_row

    with db_support.copies_of(template_url).quiet, psycopg.connect(template_url, row_factory=dict_row) as connection:
        yield connection
        connection.rollback()


@pytest.fixture(autouse=True)
def _environment_kept() -> Iterator[None]:
    """The process environment after a test as it was before it. chalice.test.Client puts .chalice/config.json's
    "dev" stage into os.environ for each request and puts back what it found after: two requests at once (a
    test's threads) put back each other's patch, and the dev stage (one database connection per process, as
    in Lambda) stayed for the worker's later tests, whose threads then shared that one connection."""
    saved = _environment()
    yield
    if _environment() != saved:
        from chalicelib import config

        os.environ.clear()
        os.environ.update(saved)
        config.get_settings.cache_clear()
        config.get_aws_settings.cache_clear()


def _environment() -> dict[str, str]:
    """A copy of os.environ. Iterating it is not atomic: a thread of an earlier test still inside a chalice
    client request (which patches the environment) can change it mid-copy; the copy is then taken again."""
    for _ in range(10):
        try:
            return dict(os.environ)
        except RuntimeError:  # "dictionary changed size during iteration"
            continue
    return dict(os.environ)


def _point_app_at(database_url: str) -> None:
    from chalicelib import config, db
    from chalicelib.settings import credentials

    db.reset()
    # Credentials stored through the admin API are cached per process for a minute: another database's
    # (an earlier test's TMDB key) must not answer for this one.
    credentials.forget()
    os.environ["DATABASE_URL"] = database_url
    config.get_settings.cache_clear()


@pytest.fixture
def app_db(template_url: str) -> Iterator[str]:
    """A fresh database copied from the template, used by the app for this test."""
    url = db_support.copies_of(template_url).take()
    _point_app_at(url)
    try:
        yield url
    finally:
        _point_app_at(template_url)
        db_support.copies_of(template_url).give_back(url)


@pytest.fixture
def redis_client() -> Iterator:
    """The app's Redis (test db index), flushed before and after the test."""
    from chalicelib import cache

    cache.reset()
    client = cache.get_redis()
    client.flushdb()
    yield client
    client.flushdb()
    cache.reset()


@pytest.fixture
def aws(aws_endpoint: str) -> Iterator[str]:
    """An emptied moto server with the bucket, queues and tables created."""
    from chalicelib import aws as aws_clients
    from chalicelib import awsinit

    request = urllib.request.Request(aws_endpoint + "/moto-api/reset", method="POST")
    urllib.request.urlopen(request, timeout=5).close()
    aws_clients.reset(keep_session=True)  # the suite's credentials never change; the session keeps the models
    awsinit.ensure_resources()
    yield aws_endpoint


@pytest.fixture
def client(app_db: str, redis_client, aws) -> Iterator:
    """chalice.test.Client on the real app, with a fresh database, Redis and AWS."""
    from chalice.test import Client

    from app import app

    with Client(app) as test_client:
        yield test_client


# --- Accounts (issue 3): a controllable clock and users created through the real API.


class FakeClock:
    """A clock that only moves when told to (``advance``); installed by the ``clock`` fixture."""

    def __init__(self, start=None):
        from datetime import UTC, datetime

        self.current = start or datetime.now(UTC).replace(microsecond=0)

    def __call__(self):
        return self.current

    def advance(self, seconds: float = 0, **delta) -> None:
        from datetime import timedelta

        self.current += timedelta(seconds=seconds, **delta)


@pytest.fixture
def clock() -> Iterator[FakeClock]:
    """Freeze ``chalicelib.clock.now()``; ``clock.advance(seconds=...)`` moves it (no sleeping)."""
    from chalicelib import clock as app_clock

    fake = FakeClock()
    app_clock.set_clock(fake)
    yield fake
    app_clock.set_clock(None)


@pytest.fixture
def settings_env(monkeypatch):
    """``settings_env(SEEN_X="1", ...)``: set variables and re-read the settings; undone after the test."""
    from chalicelib import config

    def apply(**values: str) -> None:
        for name, value in values.items():
            monkeypatch.setenv(name, value)
        config.get_settings.cache_clear()
        # Read them now: chalice.test.Client patches the environment with the
        # "dev" stage of .chalice/config.json *during* requests.
        config.get_settings()

    yield apply
    monkeypatch.undo()
    config.get_settings.cache_clear()


TEST_PASSWORD = "correct horse battery staple"


@pytest.fixture
def make_user(client, redis_client):
    """Factory: ``make_user(email=None, role="user", password=TEST_PASSWORD, display_name=None)``
    registers an account through ``POST /api/v1/auth/register`` and returns ``(user_id, headers)``,
    headers being ``{"Authorization": "Bearer ...", "Content-Type": "application/json"}``.
    """
    import json

    from chalicelib import db, ratelimit

    def make(email: str | None = None, role: str = "user", password: str = TEST_PASSWORD,
             display_name: str | None = None) -> tuple[uuid.UUID, dict[str, str]]:
        email = email or f"user-{uuid.uuid4().hex[:10]}@seen.test"
        body = {"email": email, "password": password, **({"displayName": display_name} if display_name else {})}
        response = client.http.post("/api/v1/auth/register", body=json.dumps(body),
                                    headers={"Content-Type": "application/json"})
        assert response.status_code == 201, response.body
        ratelimit.reset("register_ip", "127.0.0.1")  # tests may create many users from one address
        session = json.loads(response.body)
        user_id = uuid.UUID(session["user"]["id"])
        if session["user"]["role"] != role:  # the first account on an empty instance is admin
            with db.connection() as conn:
                conn.execute("UPDATE users SET role = %s WHERE id = %s", (role, user_id))
        headers = {"Authorization": f"Bearer {session['accessToken']}", "Content-Type": "application/json"}
        return user_id, headers

    return make


@pytest.fixture
def auth_headers(make_user):
    """Factory: ``auth_headers(email=None, role="user") -> dict`` of request headers for a new account."""

    def make(email: str | None = None, role: str = "user") -> dict[str, str]:
        return make_user(email=email, role=role)[1]

    return make
