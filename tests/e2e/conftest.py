"""One `make dev` stack and one Chromium for every browser test.

The stack is the supervisor `make dev` runs (``python -m embedded``) on free
ports, with its own database, Redis db 14, its own moto server, library root
and staging directory. It is started once per session: both test files share
it (and share one signed-up user, because registration is rate limited per IP).
Tests marked ``stops_stack`` press Ctrl-C on it, so they are moved to the end.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis
from e2e_support import ARTIFACTS, Account, fetch, signed_up_context

from embedded import services
from embedded.services import ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 # The player test presses play without a user gesture.
                 "--autoplay-policy=no-user-gesture-required"]
STACK_LOG = ROOT / ".data" / "e2e-dev.log"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "stops_stack: stops the shared dev stack (runs after every other e2e test)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: item.get_closest_marker("stops_stack") is not None)  # stable: order kept


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """A failed browser test shows what the API and the worker were saying at the time."""
    report = yield
    if report.failed and call.when == "call":
        for name in ("api.log", "worker.log"):
            path = ROOT / ".data" / "logs" / name
            if path.exists():
                report.sections.append((f"tail of {path}", path.read_text(errors="replace")[-4000:]))
    return report


@dataclass
class Stack:
    base: str
    proc: subprocess.Popen
    ports: list[int]
    aws_endpoint: str
    database: str = ""  # the stack's own database (a test may add catalog rows the demo lacks)
    library: Path | None = None  # its library root (LIBRARY_ROOTS); the worker scans on request only


def _stack_env(database: str, work: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("AWS_ENDPOINT_URL", "SEEN_STAGE")}
    redis_url = os.environ["REDIS_URL"].rsplit("/", 1)[0] + "/14"
    # A fresh cache: rate-limit windows from an earlier run (same IP) must not carry over.
    redis.Redis.from_url(redis_url).flushdb()
    env.update(DATABASE_URL=database, REDIS_URL=redis_url,
               PYTHONPATH=f"{ROOT}{os.pathsep}{ROOT / 'localstack'}", SEEN_HEARTBEAT_INTERVAL="1",
               # The journey downloads from a file server on 127.0.0.1, which the SSRF guard refuses
               # unless told otherwise (`make dev` itself keeps the guard on).
               SEEN_DOWNLOAD_ALLOW_PRIVATE="true", DOWNLOAD_POLL_INTERVAL="0.5",
               LIBRARY_ROOTS=str(work / "library"), SEEN_STAGING_DIR=str(work / "staging"),
               LIBRARY_SCAN_INTERVAL="0")
    (work / "library").mkdir(parents=True, exist_ok=True)
    return env


def _wait_ready(proc: subprocess.Popen, base: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while fetch(base + "/api/v1/health/ready")[0] != 200:
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"make dev did not come up:\n{STACK_LOG.read_text(errors='replace')[-3000:]}")
        time.sleep(0.5)


@pytest.fixture(scope="session")
def dev_stack(template_url, tmp_path_factory):
    # SEEN_E2E_WEB_DIST: test a private build (`npx vite build --outDir DIR`) instead of frontend/dist.
    dist = Path(os.environ.get("SEEN_E2E_WEB_DIST") or ROOT / "frontend" / "dist")
    if not (dist / "index.html").exists():
        pytest.fail(f"{dist} is missing: `make test` builds it first (make build)")
    gateway, api, aws_port = services.free_port(), services.free_port(), services.free_port()
    database = services.with_database(template_url, f"seen_e2e_{uuid.uuid4().hex[:8]}")
    work = tmp_path_factory.mktemp("e2e-stack")
    env = _stack_env(database, work)
    STACK_LOG.parent.mkdir(parents=True, exist_ok=True)
    log = open(STACK_LOG, "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen([sys.executable, "-m", "embedded", "--gateway-port", str(gateway),
                             "--api-port", str(api), "--aws-port", str(aws_port), "--web-dist", str(dist),
                             "--stream-port", "0"],  # the worker's Range server on a free port
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{gateway}"
    try:
        _wait_ready(proc, base)
        yield Stack(base, proc, [gateway, api, aws_port], f"http://127.0.0.1:{aws_port}", database, work / "library")
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
        log.close()
        services.drop_database(database)


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


@pytest.fixture
def page(signed_in):
    """A fresh tab in the signed-in context; page errors (uncaught exceptions) are collected."""
    tab = signed_in.new_page()
    tab.errors = []
    tab.on("pageerror", lambda exc: tab.errors.append(str(exc)))
    yield tab
    tab.close()
