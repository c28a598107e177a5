"""Issue 34's screen fixes, in Chromium against the `make dev` stack.

- A member who follows a person gets a dashboard whose rows render (the "From people you follow" row names
  the person under each title), not placeholders forever.
- The Services panel and the Admin link (sidebar, profile menu) are the admin's only.
- Downloads are called by their title (and episode), not by the release file name, which is one line in
  the card's details.

The stack's first account is its admin (the shared ``signed_in``/``page`` fixtures); the member made here is
an ordinary user. Waits are explicit, never sleeps; each load waits for the network to settle before the next
(a load rotates the refresh cookie).
"""

from __future__ import annotations

import json
import re
import urllib.request
import uuid

import psycopg
import pytest
import redis
from e2e_support import ARTIFACTS, Account, Api
from playwright.sync_api import BrowserContext, Page, expect

pytestmark = pytest.mark.e2e

PASSWORD = "correct horse battery staple"


def _sign_in(context: BrowserContext, base: str, account: Account) -> None:
    page = context.new_page()
    page.goto(base + "/app/login")
    page.get_by_label("E-mail").fill(account.email)
    page.get_by_label("Password").fill(account.password)
    page.locator("button[type=submit]").click()
    page.wait_for_url("**/app/dashboard", timeout=20_000)
    page.wait_for_load_state("networkidle")
    page.close()


@pytest.fixture(scope="module")
def member_account(dev_stack, signed_in) -> Account:
    """An ordinary account, registered through the API after the admin (the rate limit on sign-ups of this
    test session is forgotten first)."""
    cache = redis.Redis.from_url(dev_stack.redis_url)
    for key in cache.scan_iter("seen:v1:ratelimit:register*"):
        cache.delete(key)
    account = Account(f"screens-{uuid.uuid4().hex[:8]}@seen.test", PASSWORD, "Screens Member")
    request = urllib.request.Request(
        dev_stack.base + "/api/v1/auth/register", method="POST", headers={"Content-Type": "application/json"},
        data=json.dumps({"email": account.email, "password": account.password, "displayName": account.name}).encode())
    with urllib.request.urlopen(request, timeout=15) as response:
        body = json.loads(response.read())
    assert body["user"]["role"] == "user", body
    return account


@pytest.fixture(scope="module")
def member(dev_stack, browser, member_account):
    context = browser.new_context(viewport={"width": 1440, "height": 900}, reduced_motion="reduce")
    context.set_default_timeout(15_000)
    _sign_in(context, dev_stack.base, member_account)
    yield context
    context.close()


@pytest.fixture
def member_page(member):
    tab = member.new_page()
    tab.errors = []
    tab.on("pageerror", lambda exc: tab.errors.append(str(exc)))
    yield tab
    tab.wait_for_load_state("networkidle")
    tab.close()


def credited_person(database: str) -> tuple[int, str, str]:
    """(person id, name, a movie title) of the first-billed cast member of a demo movie."""
    with psycopg.connect(database) as conn:
        row = conn.execute(
            "SELECT p.id, p.name, m.title FROM media_credits c JOIN people p ON p.id = c.person_id "
            "JOIN media_items m ON m.id = c.media_id WHERE m.media_type = 'movie' AND c.kind = 'cast' "
            "ORDER BY m.popularity DESC NULLS LAST, c.ordering LIMIT 1").fetchone()
    assert row, "the demo catalog has no credits"
    return row


def media_id(database: str, media_type: str, tmdb_id: int) -> int:
    with psycopg.connect(database) as conn:
        row = conn.execute("SELECT id FROM media_items WHERE media_type = %s AND tmdb_id = %s",
                           (media_type, tmdb_id)).fetchone()
    assert row, f"tmdb {tmdb_id} is not in the demo catalog"
    return row[0]


def test_the_dashboard_of_someone_who_follows_a_person_renders_its_rows(dev_stack, member_page: Page,
                                                                         member_account: Account):
    page = member_page
    person, name, title = credited_person(dev_stack.database)
    api = Api(dev_stack.base, member_account)
    status, body = api.call("PUT", f"/api/v1/follows/people/{person}")
    assert status == 200, (status, body)

    page.goto(dev_stack.base + "/app/dashboard")
    row = page.get_by_role("region", name="From people you follow")
    card = row.get_by_role("link", name=re.compile(re.escape(title))).first
    expect(card).to_be_visible(timeout=20_000)
    expect(card).to_contain_text(f"With {name}")
    # The rest of the dashboard rendered too: no widget stuck loading, none broken.
    expect(page.get_by_role("region", name="Trending").get_by_role("link").first).to_be_visible()
    expect(page.get_by_text(re.compile(r"^Loading .*…$"))).to_have_count(0)
    expect(page.get_by_test_id("part-failed")).to_have_count(0)
    page.screenshot(path=str(ARTIFACTS / "dashboard-following-a-person.png"), full_page=True)
    assert not page.errors, page.errors


def test_a_member_sees_no_services_panel_and_no_admin_link(dev_stack, member_page: Page):
    page = member_page
    page.goto(dev_stack.base + "/app/dashboard")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Settings")).to_be_visible(timeout=20_000)
    expect(page.get_by_role("region", name="Continue watching")).to_be_visible()
    expect(nav.get_by_role("link", name="Admin")).to_have_count(0)
    expect(page.get_by_role("region", name="Services")).to_have_count(0)
    page.get_by_role("button", name=re.compile(r"^Account: ")).click()
    menu = page.get_by_role("menu")
    expect(menu.get_by_role("menuitem", name="Settings")).to_be_visible()
    expect(menu.get_by_role("menuitem", name="Admin")).to_have_count(0)
    page.keyboard.press("Escape")

    # At phone width, the drawer's nav is the same.
    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_role("button", name=re.compile("navigation", re.I)).first.click()
    drawer = page.get_by_role("dialog", name="Navigation")
    expect(drawer.get_by_role("link", name="Settings")).to_be_visible()
    expect(drawer.get_by_role("link", name="Admin")).to_have_count(0)


def test_the_admin_sees_the_services_panel_and_the_admin_link(dev_stack, page: Page):
    page.goto(dev_stack.base + "/app/dashboard")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Admin")).to_be_visible(timeout=20_000)
    expect(page.get_by_role("region", name="Services")).to_be_visible()
    page.get_by_role("button", name=re.compile(r"^Account: ")).click()
    expect(page.get_by_role("menu").get_by_role("menuitem", name="Admin")).to_be_visible()
    page.keyboard.press("Escape")
    page.wait_for_load_state("networkidle")


def test_downloads_show_the_title_not_the_release_file_name(dev_stack, member_page: Page,
                                                            member_account: Account):
    page = member_page
    api = Api(dev_stack.base, member_account)
    # Interstellar, a demo movie the demo indexer serves (test_screenshots gets The Matrix).
    movie = media_id(dev_stack.database, "movie", 157336)
    status, body = api.call("POST", "/api/v1/picks", {"mediaId": movie})
    assert status in (200, 201), (status, body)
    release = body["pick"]["name"]
    assert "Interstellar" in release and release != "Interstellar", release

    page.goto(dev_stack.base + "/app/downloads")
    downloads = page.get_by_role("list", name="Downloads")
    card = downloads.get_by_role("listitem").filter(has_text="Interstellar").first
    expect(card).to_be_visible(timeout=20_000)
    expect(card.locator("p.font-medium").first).to_have_text("Interstellar")
    expect(card.get_by_test_id("download-quality")).to_have_text(re.compile(r"\d{3,4}p"))
    expect(card).not_to_contain_text(release)  # the file name waits in the details
    card.get_by_role("button", name=re.compile(r"^Show details of Interstellar")).click()
    expect(card.get_by_test_id("release-name")).to_contain_text(release)
    page.screenshot(path=str(ARTIFACTS / "downloads-titles.png"), full_page=True)
    assert not page.errors, page.errors
