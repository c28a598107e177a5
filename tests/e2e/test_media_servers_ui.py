"""Issue 36's "bring your server", as a household meets it in Chromium: an admin adds their (fake) Jellyfin in
Admin → Media servers, tests and syncs it; the stack's own imports consumer mirrors the library; then a member
sees "On your Jellyfin" with a link into Jellyfin on a title, an airing show Jellyfin holds is followed without
them doing anything, and its next episode is in their calendar's week.

The fake Jellyfin (embedded.fakes.jellyfin) runs in this process on loopback and speaks Jellyfin's wire format;
the admin allows the LAN address, as for a server at home.
"""

from __future__ import annotations

import re
import time
from datetime import date, timedelta

import psycopg
import pytest
from e2e_support import ARTIFACTS, Api
from playwright.sync_api import Page, expect

from embedded.fakes.jellyfin import FakeJellyfin
from embedded.fakes.media_library import generate
from tests import stack_support

pytestmark = pytest.mark.e2e

NEXT_EPISODE_IN_DAYS = 2


@pytest.fixture(scope="module")
def jellyfin():
    library = generate(movies=6, shows=3, seasons=1, episodes=3, seed=36)
    airing = next(show for show in library.shows.values() if show.status == "Continuing")
    airing.seasons[0].episodes[-1].air_date = date.today() + timedelta(days=NEXT_EPISODE_IN_DAYS)
    library.changed()
    fake = FakeJellyfin(library, server_name="Living room").start()
    yield fake
    fake.stop()


@pytest.fixture(scope="module")
def admin_page(dev_stack, browser):
    """A browser signed in as an admin (an account promoted in the database, then logged in)."""
    session = stack_support.register(dev_stack, "media-admin")
    with psycopg.connect(dev_stack.database, autocommit=True) as conn:
        conn.execute("UPDATE users SET role = 'admin' WHERE id = %s", (session["user"]["id"],))
    context = browser.new_context(viewport={"width": 1440, "height": 900}, reduced_motion="reduce")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(dev_stack.base + "/app/login")
    page.get_by_label("E-mail").fill(session["user"]["email"])
    page.get_by_label("Password").fill(stack_support.PASSWORD)
    page.locator("button[type=submit]").click()
    page.wait_for_url("**/app/dashboard", timeout=20_000)
    yield page
    context.close()
    # The stack is shared: what this server brought stops being owned (nor followed) by anyone.
    token = session["accessToken"]
    status, listed = stack_support.call(dev_stack.base, "GET", "/api/v1/admin/media-servers", None, token)
    for server in listed.get("items", []) if status == 200 else []:
        stack_support.call(dev_stack.base, "DELETE", f"/api/v1/admin/media-servers/{server['id']}", None, token)


def add_and_sync(page: Page, base: str, fake: FakeJellyfin) -> None:
    page.goto(base + "/app/admin?tab=media-servers")
    page.get_by_role("button", name="Add media server").click()
    dialog = page.get_by_role("dialog", name="Add a media server")
    dialog.get_by_role("radio", name="Jellyfin").check()
    dialog.get_by_label("Name").fill("Living room")
    dialog.get_by_label("URL").fill(fake.url)
    dialog.get_by_label("API key").fill(fake.api_key)
    dialog.get_by_label("On my home network").check()
    dialog.get_by_role("button", name="Add server").click()
    card = page.get_by_role("list", name="Media servers").get_by_role("listitem", name="Living room")
    expect(card).to_be_visible()
    card.get_by_role("button", name="Test Living room").click()
    expect(card.get_by_role("status").filter(has_text="Connected")).to_be_visible()
    card.get_by_role("button", name="Sync Living room now").click()
    expect(card.get_by_role("status", name="Last sync")).to_contain_text("added", timeout=60_000)
    page.screenshot(path=str(ARTIFACTS / "media-servers.png"), full_page=True)


def media_id(database: str, media_type: str, tmdb_id: int, timeout: float = 30) -> int:
    """The title's id once the sync's catalog rows are in (the "added" status can show a moment before them
    on a busy machine)."""
    deadline = time.monotonic() + timeout
    with psycopg.connect(database, autocommit=True) as conn:
        while True:
            row = conn.execute("SELECT id FROM media_items WHERE media_type = %s AND tmdb_id = %s",
                               (media_type, tmdb_id)).fetchone()
            if row or time.monotonic() > deadline:
                assert row, f"no {media_type} with TMDB id {tmdb_id} {timeout:.0f} s after the sync said added"
                return row[0]
            time.sleep(0.2)


def test_an_admin_adds_jellyfin_and_a_member_sees_what_it_holds(dev_stack, admin_page, jellyfin, page, account):
    add_and_sync(admin_page, dev_stack.base, jellyfin)
    library = jellyfin.library
    movie = sorted(library.movies.values(), key=lambda m: m.tmdb or 0)[0]
    airing = next(show for show in library.shows.values() if show.status == "Continuing")

    page.goto(f"{dev_stack.base}/app/movies/{media_id(dev_stack.database, 'movie', movie.tmdb)}")
    expect(page.get_by_test_id("owned-badge")).to_contain_text("On your Jellyfin")
    link = page.get_by_role("link", name="Open in Jellyfin")
    expect(link).to_have_attribute("href", f"{jellyfin.url}/web/#/details?id={movie.item_id}"
                                           f"&serverId={jellyfin.server_id}")
    page.screenshot(path=str(ARTIFACTS / "media-servers-owned.png"), full_page=True)

    show_id = media_id(dev_stack.database, "show", airing.tmdb)
    follows = Api(dev_stack.base, account).get("/api/v1/follows")
    assert show_id in {f["media"]["id"] for f in follows["items"]}, follows  # followed by default

    page.goto(f"{dev_stack.base}/app/calendar?view=week")
    week = page.get_by_role("list", name=re.compile("^Releases"))
    day = week.get_by_role("listitem", name=re.compile(
        (date.today() + timedelta(days=NEXT_EPISODE_IN_DAYS)).strftime("%B %-d")))
    expect(day.get_by_role("button", name=re.compile(f"^{airing.title} S01E03"))).to_be_visible()
    assert page.errors == []
