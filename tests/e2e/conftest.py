"""One `make dev` stack and one Chromium for the browser tests of a pytest process.

The stack is the supervisor `make dev` runs (``python -m embedded``) on free
ports, with its own database, Redis db (14, or the xdist worker's second db:
tests/conftest.py), its own moto server, library root and staging directory.
It is started once per session, so once per xdist worker: the browser tests a
worker runs share it (and share one signed-up user, because registration is
rate limited per IP). Tests marked ``stops_stack`` press Ctrl-C on it, so they
are moved to the end (tests/conftest.py keeps them last in a parallel run).
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from e2e_support import ARTIFACTS, Account, signed_up_context

from embedded.services import ROOT
from tests import stack_support

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 # The player test presses play without a user gesture.
                 "--autoplay-policy=no-user-gesture-required"]
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")  # xdist: a stack per worker (gw0, gw1, ...), a log each
STACK_LOG = ROOT / ".data" / (f"e2e-dev-{WORKER}.log" if WORKER else "e2e-dev.log")
HERE = Path(__file__).parent


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "stops_stack: stops the shared dev stack (runs after every other e2e test)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: item.get_closest_marker("stops_stack") is not None)  # stable: order kept
    for item in items:
        if Path(item.path).parent == HERE:
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """A failed browser test shows what the API and the worker were saying at the time."""
    report = yield
    stack = item.funcargs.get("dev_stack") if hasattr(item, "funcargs") else None
    if report.failed and call.when == "call" and stack is not None:
        report.sections.append(("the stack's download jobs", _jobs(stack.database)))
        for name in ("server.log", "worker.log"):  # the stack's own logs (each stack has its log directory)
            path = stack.log_dir / name
            if path.exists():
                text = path.read_text(errors="replace")
                report.sections.append((f"warnings in {path}", _warnings(text)))
                report.sections.append((f"tail of {path}", text[-6000:]))
    return report


def _warnings(log: str, keep: int = 40) -> str:
    """The last warnings and errors of a log: a test polling once a second pushes them out of its tail."""
    lines = [line[:600] for line in log.splitlines()
             if '"level":"WARNING"' in line or '"level":"ERROR"' in line or "Traceback" in line]
    return "\n".join(lines[-keep:]) or "(none)"


def _jobs(database: str) -> str:
    """Every download job of the stack, newest last: who holds the worker's slots when a test waits."""
    import psycopg

    try:
        with psycopg.connect(database, connect_timeout=5) as conn:
            rows = conn.execute(
                "SELECT left(id::text, 8), left(user_id::text, 8), status, queued_reason, error_code, "
                "round(progress::numeric, 1), attempt, created_at::time(0), updated_at::time(0), left(title, 50) "
                "FROM download_jobs ORDER BY created_at").fetchall()
    except psycopg.Error as exc:
        return f"(not readable: {exc})"
    return "\n".join(" ".join(str(value) for value in row) for row in rows) or "(none)"


@pytest.fixture(scope="session")
def youtube():
    """The fake YouTube the stack reads channel feeds from (tests add their own channels and videos)."""
    from embedded.fakes.youtube import FakeYouTube

    fake = FakeYouTube().start()
    yield fake
    fake.stop()


@pytest.fixture(scope="session")
def imdb_lists():
    """The fake IMDb the stack reads public lists from (lists as collections; tests add their own lists)."""
    from embedded.fakes.lists import FakeImdbLists

    fake = FakeImdbLists().start()
    yield fake
    fake.stop()


@pytest.fixture(scope="session")
def dev_stack(template_url, tmp_path_factory, youtube, imdb_lists):
    # SEEN_E2E_WEB_DIST: test a private build (`npx vite build --outDir DIR`) instead of frontend/dist.
    dist = Path(os.environ.get("SEEN_E2E_WEB_DIST") or ROOT / "frontend" / "dist")
    if not (dist / "index.html").exists():
        pytest.fail(f"{dist} is missing: `make test` builds it first (make build)")
    try:
        stack = stack_support.launch(template_url, tmp_path_factory.mktemp("e2e-stack"), STACK_LOG,
                                     redis_db=int(os.environ.get("SEEN_TEST_STACK_REDIS_DB", "14")),
                                     dist=dist, YOUTUBE_BASE_URL=youtube.origin, YOUTUBE_ALLOW_PRIVATE="true",
                                     IMDB_LIST_BASE_URL=imdb_lists.origin, SEEN_LISTS_ALLOW_PRIVATE="true")
    except RuntimeError as exc:
        pytest.fail(str(exc))
    try:
        yield stack
    finally:
        stack_support.stop(stack)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def account() -> Account:
    return Account(f"e2e-{uuid.uuid4().hex[:8]}@seen.test", "correct horse battery staple", "E2E Person")


@pytest.fixture(scope="session")
def signed_in(dev_stack, browser, account):
    """A browser context whose user signed up through the register page (once per stack)."""
    yield from signed_up_context(dev_stack, browser, account)


@pytest.fixture(scope="module")
def home(browser):
    """A module's own browser, for a household account of its own (signed in by its first test)."""
    context = browser.new_context(viewport={"width": 1440, "height": 900}, reduced_motion="reduce")
    context.set_default_timeout(15_000)
    yield context
    context.close()


def _tab_in(context, *, settle: bool):
    """A fresh tab of ``context`` whose page errors (uncaught exceptions) are collected in ``errors``; closed
    after the test (once the network is idle, when ``settle``: a load in flight may still rotate a cookie)."""
    tab = context.new_page()
    tab.errors = []
    tab.on("pageerror", lambda exc: tab.errors.append(str(exc)))
    yield tab
    if settle:
        tab.wait_for_load_state("networkidle")
    tab.close()


@pytest.fixture
def tab(home):
    """A fresh tab in the module's own browser."""
    yield from _tab_in(home, settle=True)


@pytest.fixture
def page(signed_in):
    """A fresh tab in the signed-in context."""
    yield from _tab_in(signed_in, settle=False)
