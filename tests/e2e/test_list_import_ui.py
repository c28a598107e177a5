"""Issue 38's lists as collections, in Chromium: paste a public IMDb list's URL on the collections page, the
collection fills in the background (the stack's pump runs the imports consumer), and after the list changes
"Sync now" brings the change. The fake IMDb (embedded.fakes.lists, started with the stack by conftest) serves
the list page and its CSV export; the titles are the demo catalog's.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from embedded.fakes.lists import ImdbTitle

pytestmark = pytest.mark.e2e

LIST_ID = "ls000000777"


def test_import_an_imdb_list_then_a_change_shows_after_sync_now(dev_stack, page: Page, imdb_lists):
    imdb_lists.add_list(LIST_ID, "E2E favourites", [ImdbTitle("tt0133093", "The Matrix", 1999)])
    page.goto(dev_stack.base + "/app/collections")
    page.get_by_role("button", name="Import a list").click()
    page.get_by_label("List URL").fill(f"https://www.imdb.com/list/{LIST_ID}/")
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="E2E favourites")).to_be_visible(timeout=30_000)
    source = page.get_by_role("region", name="List source")
    expect(source.get_by_test_id("source-status")).to_contain_text("Synced", timeout=15_000)
    expect(page.get_by_text("The Matrix").first).to_be_visible()

    imdb_lists.add_list(LIST_ID, "E2E favourites", [ImdbTitle("tt1375666", "Inception", 2010),
                                                     ImdbTitle("tt0133093", "The Matrix", 1999)])
    source.get_by_role("button", name="Sync now").click()
    expect(page.get_by_text("Inception").first).to_be_visible(timeout=30_000)
    assert page.errors == []
