"""`make dev` as a person meets it: the whole embedded runtime, then a real Chromium.

Against the supervisor `make dev` runs (started once by conftest.py on free
ports, with its own database and moto server): checks the front door, drives
the SPA in Debian's Chromium, saves a screenshot of every route, then presses
Ctrl-C and checks that nothing it started is left running or listening (that
test runs after every other e2e test: the stack is shared).
"""

from __future__ import annotations

import json
import signal
import subprocess
import time

import pytest
from e2e_support import ARTIFACTS, fetch

from embedded import services

pytestmark = pytest.mark.e2e

ROUTES = ["dashboard", "discover", "movies", "shows", "games", "watch-later", "watched", "downloads", "calendar",
          "recommendations", "library", "collections", "settings", "admin"]


def descendants_alive(ports: list[int]) -> list[str]:
    out = subprocess.run(["ps", "-eo", "pid,args"], capture_output=True, text=True).stdout
    return [line for line in out.splitlines() if any(f"--port {p}" in line or f"-p {p}" in line
                                                     or f"--api-port {p}" in line for p in ports)]


def test_front_door_serves_the_api_and_the_spa(dev_stack):
    base = dev_stack.base
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

    table = boto3.client("dynamodb", endpoint_url=dev_stack.aws_endpoint, region_name="us-east-1",
                         aws_access_key_id="seen-local", aws_secret_access_key="seen-local")
    deadline = time.monotonic() + 30
    items: list = []
    while time.monotonic() < deadline and not items:
        items = table.scan(TableName="seen-worker-heartbeats")["Items"]
        time.sleep(0.5)
    assert items and int(items[0]["free_disk_bytes"]["N"]) > 0


def test_every_route_renders_in_chromium(dev_stack, page):
    page.goto(dev_stack.base + "/app/dashboard")
    page.get_by_test_id("health-summary").wait_for(timeout=20_000)
    assert page.locator('[data-component][data-ok="true"]').count() == 5
    for route in ROUTES:
        # Through the sidebar, as a person would: a full reload per page would
        # re-bootstrap the session each time (and trip the refresh rate limit).
        page.locator(f'nav a[href="/app/{route}"]').first.click()
        page.wait_for_url(f"**/app/{route}", timeout=10_000)
        page.locator("h1").first.wait_for(timeout=10_000)
        assert page.locator("nav [aria-current='page']").count() >= 1, route
        page.screenshot(path=str(ARTIFACTS / f"{route}.png"), full_page=True)
    assert page.errors == []


@pytest.mark.stops_stack
def test_ctrl_c_stops_everything_and_leaves_nothing_listening(dev_stack):
    proc = dev_stack.proc
    proc.send_signal(signal.SIGINT)
    assert proc.wait(45) == 0
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(services.port_open("127.0.0.1", p) for p in dev_stack.ports):
        time.sleep(0.2)
    assert [p for p in dev_stack.ports if services.port_open("127.0.0.1", p)] == []
    assert descendants_alive(dev_stack.ports) == []
