"""`make dev` as a person meets it: the whole embedded runtime, then a real Chromium.

Starts the same supervisor `make dev` runs (on free ports, its own database and
its own moto server), checks the front door, drives the SPA in Debian's
Chromium, saves a screenshot of every route, then presses Ctrl-C and checks
that nothing it started is left running or listening.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid

import pytest
import redis

from embedded import services
from embedded.services import ROOT

pytestmark = pytest.mark.e2e

ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
ROUTES = ["dashboard", "discover", "movies", "shows", "games", "watch-later", "watched", "downloads", "calendar",
          "recommendations", "library", "collections", "settings", "admin"]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def fetch(url: str) -> tuple[int, bytes, dict]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), dict(exc.headers)
    except OSError:
        return 0, b"", {}


def descendants_alive(ports: list[int]) -> list[str]:
    out = subprocess.run(["ps", "-eo", "pid,args"], capture_output=True, text=True).stdout
    return [line for line in out.splitlines() if any(f"--port {p}" in line or f"-p {p}" in line
                                                     or f"--api-port {p}" in line for p in ports)]


@pytest.fixture(scope="module")
def dev_stack(template_url):
    if not (ROOT / "frontend" / "dist" / "index.html").exists():
        pytest.fail("frontend/dist is missing: `make test` builds it first (make build)")
    gateway, api, aws_port = services.free_port(), services.free_port(), services.free_port()
    database = services.with_database(template_url, f"seen_e2e_{uuid.uuid4().hex[:8]}")
    env = {k: v for k, v in os.environ.items() if k not in ("AWS_ENDPOINT_URL", "SEEN_STAGE")}
    redis_url = os.environ["REDIS_URL"].rsplit("/", 1)[0] + "/14"
    # A fresh cache: rate-limit windows from an earlier run (same IP) must not carry over.
    redis.Redis.from_url(redis_url).flushdb()
    env.update(DATABASE_URL=database, REDIS_URL=redis_url,
               PYTHONPATH=f"{ROOT}{os.pathsep}{ROOT / 'localstack'}", SEEN_HEARTBEAT_INTERVAL="1")
    log = open(ROOT / ".data" / "e2e-dev.log", "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen([sys.executable, "-m", "embedded", "--gateway-port", str(gateway),
                             "--api-port", str(api), "--aws-port", str(aws_port)],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{gateway}"
    deadline = time.monotonic() + 120
    while fetch(base + "/api/v1/health/ready")[0] != 200:
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"make dev did not come up:\n{(ROOT / '.data' / 'e2e-dev.log').read_text()[-3000:]}")
        time.sleep(0.5)
    stack = {"base": base, "proc": proc, "ports": [gateway, api, aws_port]}
    try:
        yield stack
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
        log.close()
        services.drop_database(database)


def test_front_door_serves_the_api_and_the_spa(dev_stack):
    base = dev_stack["base"]
    status, body, _ = fetch(base + "/api/v1/health/ready")
    ready = json.loads(body)
    assert status == 200, ready
    assert set(ready["components"]) == {"postgres", "redis", "s3", "sqs", "dynamodb"}
    assert all(component["ok"] for component in ready["components"].values())

    status, body, headers = fetch(base + "/app/dashboard")
    assert status == 200 and b'<div id="root"' in body
    assert headers["Content-Type"].startswith("text/html")

    status, body, _ = fetch(base + "/api/v1/no/such/route")
    assert status == 404 and json.loads(body)["error"]["code"] == "not_found"

    status, _, headers = fetch(base + "/")
    assert status == 200  # urllib followed the redirect to /app/dashboard


def test_worker_heartbeat_reaches_dynamodb(dev_stack):
    import boto3

    endpoint = f"http://127.0.0.1:{dev_stack['ports'][2]}"
    table = boto3.client("dynamodb", endpoint_url=endpoint, region_name="us-east-1",
                         aws_access_key_id="seen-local", aws_secret_access_key="seen-local")
    deadline = time.monotonic() + 30
    items: list = []
    while time.monotonic() < deadline and not items:
        items = table.scan(TableName="seen-worker-heartbeats")["Items"]
        time.sleep(0.5)
    assert items and int(items[0]["free_disk_bytes"]["N"]) > 0


def test_every_route_renders_in_chromium(dev_stack):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    base = dev_stack["base"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        # Reduced motion: screenshots show pages settled, not mid fade-in.
        page = browser.new_page(viewport={"width": 1440, "height": 900}, reduced_motion="reduce")
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(base + "/app/dashboard")
        page.wait_for_url("**/app/login**")  # signed out: the guard sends us to the login page
        page.goto(base + "/app/register")
        page.get_by_label("Name").fill("E2E Person")
        page.get_by_label("E-mail").fill(f"e2e-{uuid.uuid4().hex[:8]}@seen.test")
        page.get_by_label("Password").fill("correct horse battery staple")
        page.locator("button[type=submit]").click()
        page.wait_for_url("**/app/dashboard", timeout=20_000)
        summary = page.get_by_test_id("health-summary")
        summary.wait_for(timeout=20_000)
        assert page.locator('[data-component][data-ok="true"]').count() == 5
        for route in ROUTES:
            # Through the sidebar, as a person would: a full reload per page would
            # re-bootstrap the session each time (and trip the refresh rate limit).
            page.locator(f'nav a[href="/app/{route}"]').first.click()
            page.wait_for_url(f"**/app/{route}", timeout=10_000)
            page.locator("h1").first.wait_for(timeout=10_000)
            assert page.locator("nav [aria-current='page']").count() >= 1, route
            page.screenshot(path=str(ARTIFACTS / f"{route}.png"), full_page=True)
        browser.close()
    assert errors == []


def test_ctrl_c_stops_everything_and_leaves_nothing_listening(dev_stack):
    proc = dev_stack["proc"]
    proc.send_signal(signal.SIGINT)
    assert proc.wait(45) == 0
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(services.port_open("127.0.0.1", p) for p in dev_stack["ports"]):
        time.sleep(0.2)
    assert [p for p in dev_stack["ports"] if services.port_open("127.0.0.1", p)] == []
    assert descendants_alive(dev_stack["ports"]) == []
