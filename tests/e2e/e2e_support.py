"""Small helpers shared by the browser tests (conftest.py holds the fixtures)."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from dataclasses import dataclass

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
