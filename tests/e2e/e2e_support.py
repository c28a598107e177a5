"""Small helpers shared by the browser tests (conftest.py holds the fixtures)."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from embedded.services import ROOT

ARTIFACTS = ROOT / "test-artifacts" / "screenshots"


def fetch(url: str) -> tuple[int, bytes, dict]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), dict(exc.headers)
    except OSError:
        return 0, b"", {}


@dataclass
class Account:
    email: str
    password: str
    name: str


def signed_up_context(dev_stack, browser, account: Account):
    """A new browser context signed up as ``account`` through the register page; closed when done.

    Reduced motion: screenshots show pages settled, not mid fade-in.
    """
    context = browser.new_context(viewport={"width": 1440, "height": 900}, reduced_motion="reduce")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(dev_stack.base + "/app/dashboard")
    page.wait_for_url("**/app/login**")  # signed out: the guard sends us to the login page
    page.get_by_role("button", name=re.compile("Log in|Sign in", re.I)).wait_for()
    page.screenshot(path=str(ARTIFACTS / "login.png"), full_page=True)
    page.goto(dev_stack.base + "/app/register")
    page.get_by_label("Name").wait_for()
    page.screenshot(path=str(ARTIFACTS / "register.png"), full_page=True)
    page.get_by_label("Name").fill(account.name)
    page.get_by_label("E-mail").fill(account.email)
    page.get_by_label("Password").fill(account.password)
    page.locator("button[type=submit]").click()
    page.wait_for_url("**/app/dashboard", timeout=20_000)
    page.close()
    yield context
    context.close()


class Api:
    """The JSON API as ``account`` (a Bearer token from the login route), for what a test sets up or reads
    beside the page (the browser keeps its own session: the refresh cookie is not shared)."""

    def __init__(self, base: str, account: Account) -> None:
        self.base, self.token = base, ""
        status, body = self.call("POST", "/api/v1/auth/login", {"email": account.email, "password": account.password})
        assert status == 200, (status, body)
        self.token = body["accessToken"]

    def call(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=15) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as exc:
            status, raw = exc.code, exc.read()
        return status, (json.loads(raw) if raw else {})

    def get(self, path: str) -> dict:
        status, body = self.call("GET", path)
        assert status == 200, (path, status, body)
        return body


ACTIVE = ("queued", "preparing", "downloading", "stalled", "retrying")


def cancel_unfinished_downloads(api: Api) -> None:
    """Cancel the user's downloads still running (a module's end: its seeder goes, and a job left behind would
    wait for peers in one of the shared stack's download slots, for the stall timeout, under later tests)."""
    for job in api.get("/api/v1/downloads?limit=100")["items"]:
        if job["status"] in ACTIVE:
            api.call("DELETE", f"/api/v1/downloads/{job['id']}")


def seeding_peers_of(api: Api, rate: int) -> Iterator[Any]:
    """``seeding_peers`` for a module whose downloads are ``api``'s: the ones still running are cancelled before
    the seeder goes."""
    seeding = seeding_peers(rate)
    yield next(seeding)
    cancel_unfinished_downloads(api)
    next(seeding, None)


def api_with_english_subtitles(base: str, account: Account) -> Api:
    """The page's user on the API, subtitles on in English (so a player picks an English track by default)."""
    client = Api(base, account)
    status, body = client.call("PATCH", "/api/v1/settings", {"subtitleLanguage": "en"})
    assert status == 200, body
    return client


def seeding_peers(rate: int) -> Iterator[Any]:
    """A loopback tracker and a seeder uploading at ``rate`` bytes/s (a module fixture's body)."""
    from embedded.testpeers import Seeder, Tracker

    tracker = Tracker()
    seeder = Seeder(tracker, upload_rate=rate)
    yield seeder
    seeder.close()
    tracker.close()
