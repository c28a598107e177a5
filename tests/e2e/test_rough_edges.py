"""Issue 22's rough edges, in Chromium against the `make dev` stack, as a new user meets them.

- A signed-in user who is not an admin opens /app/admin and gets an "Admins only" page (not the login
  page); a signed-out visitor still goes to the login page.
- A game out on three platforms is one card on the dashboard's upcoming row, listing the platforms.
- On 900 and 768px tall windows (and 657, what a browser leaves of a 768px screen) the sidebar shows Settings,
  Admin and Collapse; on shorter windows the nav scrolls, visibly, to them.

The stack's first account is its admin: the shared ``signed_in`` fixture makes it, so the member made here
is an ordinary user. Waits are explicit, never sleeps; every load waits for the network to settle before
the next one (each load rotates the refresh cookie, and leaving mid-refresh would look like token reuse).
"""

from __future__ import annotations

import json
import re
import urllib.request
import uuid
from datetime import date

import psycopg
import pytest
from e2e_support import ARTIFACTS, Account
from playwright.sync_api import BrowserContext, Page, expect

pytestmark = pytest.mark.e2e

PLATFORMS = ("win", "ps5", "series-x-s")  # demo platform slugs


@pytest.fixture(scope="module")
def multi_platform_game(dev_stack) -> str:
    """A demo game releasing today on PC, PS5 and Xbox Series X|S: three calendar events. (The same day for all:
    the dashboard lists the first 12 events by date, and a later one could fall past them; cards of platforms
    with different dates are covered by the page tests, src/pages/Dashboard.test.tsx.)"""
    today = date.today()
    with psycopg.connect(dev_stack.database) as conn, conn.transaction():
        media_id, title = conn.execute(
            "SELECT id, title FROM media_items WHERE media_type = 'game' ORDER BY title LIMIT 1").fetchone()
        ids = [conn.execute(
            "INSERT INTO release_events (media_id, platform_id, kind, release_date, release_precision, is_demo,"
            " source) SELECT %s, id, 'game_release', %s, 'exact', true, 'demo' FROM platforms WHERE slug = %s"
            " RETURNING id", (media_id, today, slug)).fetchone()[0]
            for slug in PLATFORMS]
    yield title
    with psycopg.connect(dev_stack.database) as conn:
        conn.execute("DELETE FROM release_events WHERE id = ANY(%s)", (ids,))


def register(base: str, account: Account) -> None:
    """Sign up through the API (the register page is covered by the shared fixture); must not be the admin."""
    request = urllib.request.Request(
        base + "/api/v1/auth/register", method="POST", headers={"Content-Type": "application/json"},
        data=json.dumps({"email": account.email, "password": account.password, "displayName": account.name}).encode())
    with urllib.request.urlopen(request, timeout=15) as response:
        body = json.loads(response.read())
    assert body["user"]["role"] == "user", body


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
def member(dev_stack, browser, signed_in, multi_platform_game):
    """A browser context signed in as a second, ordinary account (made after the admin and the game's events,
    so its calendar cache starts empty)."""
    account = Account(f"member-{uuid.uuid4().hex[:8]}@seen.test", "correct horse battery staple", "Member Person")
    register(dev_stack.base, account)
    context = browser.new_context(viewport={"width": 1440, "height": 900}, reduced_motion="reduce")
    context.set_default_timeout(15_000)
    _sign_in(context, dev_stack.base, account)
    yield context
    context.close()


@pytest.fixture
def member_page(member):
    tab = member.new_page()
    yield tab
    tab.wait_for_load_state("networkidle")
    tab.close()


def test_a_non_admin_opening_the_admin_page_sees_admins_only_not_the_login_page(dev_stack, member_page: Page):
    page = member_page
    page.goto(dev_stack.base + "/app/admin")
    expect(page.get_by_role("heading", level=1, name="Admins only")).to_be_visible(timeout=20_000)
    expect(page.get_by_text(re.compile(r"signed in as member-.*@seen\.test"))).to_be_visible()
    assert page.url.endswith("/app/admin"), page.url
    expect(page.get_by_role("tab")).to_have_count(0)
    page.screenshot(path=str(ARTIFACTS / "admin-non-admin.png"), full_page=True)

    # The way back goes to the dashboard, whose sidebar offers a non-admin no Admin link (issue 34).
    page.get_by_role("link", name="Back to your dashboard").click()
    expect(page.get_by_role("heading", level=1, name="Dashboard")).to_be_visible()
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Settings")).to_be_visible()
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Admin")).to_have_count(0)
    assert "/app/login" not in page.url


def test_a_signed_out_visitor_at_the_admin_page_still_goes_to_the_login_page(dev_stack, browser):
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    try:
        page = context.new_page()
        page.goto(dev_stack.base + "/app/admin")
        page.wait_for_url("**/app/login?next=%2Fapp%2Fadmin", timeout=20_000)
        expect(page.get_by_role("heading", name="Admins only")).to_have_count(0)
    finally:
        context.close()


def test_a_game_on_three_platforms_is_one_upcoming_card_listing_them(dev_stack, member_page: Page,
                                                                      multi_platform_game: str):
    page = member_page
    page.goto(dev_stack.base + "/app/dashboard")
    row = page.get_by_role("region", name="Upcoming releases")
    cards = row.get_by_role("link", name=re.compile(re.escape(multi_platform_game)))
    expect(cards.first).to_be_visible(timeout=20_000)
    expect(cards).to_have_count(1)
    card = cards.first
    expect(card).to_have_attribute("href", re.compile(r"/app/games/\d+$"))
    platforms = card.get_by_test_id("release-platforms")
    expect(platforms).to_have_text(re.compile(r"^Game · PC, PS5 and Series X\|S$"))
    expect(card).to_contain_text("Today")
    # The full names are in the tooltip.
    expect(platforms).to_have_attribute("title", "PC (Microsoft Windows) · PlayStation 5 · Xbox Series X|S")
    card.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "dashboard-upcoming-grouped.png"))


def _fully_in_view(page: Page, name: str) -> bool:
    """The link's whole box is inside the window and it is what the window shows at its centre."""
    return page.get_by_role("navigation", name="Main").get_by_role("link", name=name).evaluate(
        """(link) => {
            const box = link.getBoundingClientRect();
            if (box.top < 0 || box.bottom > window.innerHeight || box.height === 0) return false;
            const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
            return link === hit || link.contains(hit);
        }""")


# A 900px-tall window (1440x900 laptops), a 1366x768 one, and the page area a browser leaves on a 768px screen.
@pytest.mark.parametrize("height", [900, 768, 657])
def test_the_whole_sidebar_fits_a_1366_wide_laptop(dev_stack, page: Page, height: int):
    # The admin's tab (the shared ``page``): only admins have the Admin link (issue 34).
    page.set_viewport_size({"width": 1366, "height": height})
    page.goto(dev_stack.base + "/app/dashboard")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Admin")).to_be_visible(timeout=20_000)
    for name in ("Dashboard", "Downloads", "Settings", "Admin"):
        assert _fully_in_view(page, name), f"{name} is out of sight at 1366x{height}"
    expect(page.get_by_role("button", name="Collapse sidebar")).to_be_in_viewport(ratio=1)
    page.screenshot(path=str(ARTIFACTS / f"sidebar-1366x{height}.png"))


def test_on_a_shorter_window_the_nav_scrolls_visibly_to_settings_and_admin(dev_stack, page: Page):
    page.set_viewport_size({"width": 1366, "height": 480})
    page.goto(dev_stack.base + "/app/dashboard")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Dashboard")).to_be_visible(timeout=20_000)
    scroll = nav.evaluate("(n) => ({ over: n.scrollHeight > n.clientHeight, overflow: getComputedStyle(n).overflowY,"
                          " bar: getComputedStyle(n).scrollbarWidth })")
    assert scroll == {"over": True, "overflow": "auto", "bar": "thin"}, scroll
    nav.evaluate("(n) => n.scrollTo(0, n.scrollHeight)")
    for name in ("Settings", "Admin"):
        assert _fully_in_view(page, name), f"{name} is not reachable by scrolling the nav"
