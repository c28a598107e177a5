"""Issue 19's Done-when in Chromium: "a browser test clicks Get on an episode and sees the job".

The stack is `make dev`'s, so its indexer is H1's fake Torznab indexer registered as "Demo indexer (local)"
(real HTTP, real Torznab XML; releases of Breaking Bad S01 whose files a libtorrent peer on 127.0.0.1
seeds). The admin tests it on Admin -> Indexers (its caps), opens an episode page, clicks Get, sees the
ranked list (best pre-selected, score parts and reasons), gets the best and finds its job on the Downloads
page (queued, downloading or already done: the worker is real). Adding an indexer (its key typed once and
never shown) is covered by the page tests (src/pages/Admin.indexers.test.tsx): storing a key needs
SEEN_SETTINGS_KEY, which `make dev` does not set.
"""

from __future__ import annotations

import re

import psycopg
import pytest
from e2e_support import ARTIFACTS
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

SHOW, TMDB_ID = "Breaking Bad", 1396
DEMO_INDEXER = "Demo indexer (local)"


def show_id(database: str) -> int:
    with psycopg.connect(database) as conn:
        row = conn.execute("SELECT id FROM media_items WHERE media_type = 'show' AND tmdb_id = %s",
                           (TMDB_ID,)).fetchone()
    assert row, f"{SHOW} is not in the demo catalog"
    return row[0]


def test_the_demo_indexer_answers_its_test_on_the_admin_page(dev_stack, page: Page):
    page.goto(dev_stack.base + "/app/admin?tab=indexers")
    row = page.get_by_role("listitem", name=DEMO_INDEXER)
    expect(row).to_contain_text("No API key", timeout=15_000)
    row.get_by_role("button", name=f"Test {DEMO_INDEXER}").click()
    outcome = row.get_by_role("status")
    expect(outcome).to_contain_text("Indexer answered", timeout=15_000)
    for param in ("season", "ep"):  # tvsearch by season and episode, the key the search uses for an episode
        expect(outcome).to_contain_text(re.compile(rf"TV search: [a-z, ]*\b{param}\b"))
    expect(row).to_contain_text("tested just now")
    page.screenshot(path=str(ARTIFACTS / "admin-indexers.png"), full_page=True)
    assert page.errors == []


def test_get_on_an_episode_lists_ranked_releases_and_starts_the_best(dev_stack, page: Page):
    page.goto(f"{dev_stack.base}/app/shows/{show_id(dev_stack.database)}/season/1/episode/2")
    expect(page.get_by_role("heading", level=1)).to_be_visible(timeout=15_000)
    page.get_by_role("button", name="Get", exact=True).click()
    dialog = page.get_by_role("dialog", name=f"Get {SHOW} · S01E02")
    releases = dialog.get_by_role("list", name="Releases")
    expect(releases).to_be_visible(timeout=30_000)

    best = releases.get_by_role("listitem").first
    expect(best.get_by_text("Best match")).to_be_visible()
    expect(best.get_by_role("radio")).to_be_checked()
    name = best.get_by_role("radio").get_attribute("aria-label")
    # One episode: a healthy single-episode release is the best match, never the season pack (Sonarr's rule).
    assert name and re.match(r"Breaking\.Bad\.S01E02\.", name), name
    for pack in releases.get_by_role("listitem").filter(has_text="Season pack S01").all():
        expect(pack).to_contain_text("Season pack: ranked below single-episode releases")
    expect(best).to_contain_text(DEMO_INDEXER)
    expect(best.get_by_role("meter", name="Health")).to_have_attribute("aria-valuenow", re.compile(r"^\d+$"))
    expect(best.get_by_role("list", name="Why").get_by_role("listitem").first).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "get-dialog.png"), full_page=True)

    dialog.get_by_role("button", name="Get this release").click()
    expect(dialog.get_by_role("status")).to_contain_text(re.compile(r"(Download started|Already picked): "),
                                                         timeout=30_000)
    expect(dialog.get_by_role("status")).to_contain_text(name)
    dialog.get_by_role("link", name="View in Downloads").click()
    page.wait_for_url("**/app/downloads")
    # Downloads shows the title and episode (the release name is a detail); either names this job.
    shown = re.compile(f"{re.escape(name)}|{SHOW} · S01E02")
    job = page.get_by_role("list", name="Downloads").locator("li[data-status]").filter(has_text=shown)
    expect(job.first).to_be_visible(timeout=15_000)
    expect(job.first).to_have_attribute("data-status", re.compile("queued|preparing|downloading|completed"))
    page.screenshot(path=str(ARTIFACTS / "get-downloads.png"), full_page=True)
    assert page.errors == []


def test_a_season_added_to_wanted_shows_grouped_with_roll_ups(dev_stack, page: Page):
    """The show page's "Add season 1 to wanted" expands into the aired episodes; the Wanted page groups them."""
    page.goto(f"{dev_stack.base}/app/shows/{show_id(dev_stack.database)}?season=1")
    page.get_by_role("button", name="Add season 1 to wanted").click()
    expect(page.get_by_text(f"{SHOW} · Season 1: 7 episodes")).to_be_visible(timeout=15_000)

    page.get_by_role("link", name="Wanted").click()
    page.wait_for_url("**/app/wanted")
    group = page.get_by_role("article", name=SHOW)
    season = group.get_by_role("region", name=f"{SHOW} season 1")
    expect(season).to_contain_text(re.compile(r"(\d of 7|All 7) done"), timeout=15_000)
    expect(season.get_by_role("button", name=re.compile(r"^Remove Breaking Bad S01E0\d from wanted$"))).to_have_count(7)

    switch = group.get_by_role("switch", name="Get new episodes automatically")
    switch.check()
    page.reload()
    expect(page.get_by_role("article", name=SHOW).get_by_role("switch")).to_be_checked(timeout=15_000)

    season.get_by_role("button", name="Remove Breaking Bad S01E07 from wanted").click()
    expect(season.get_by_role("button", name=re.compile("^Remove .* from wanted$"))).to_have_count(6)
    page.reload()
    expect(page.get_by_role("article", name=SHOW).get_by_role("region", name=f"{SHOW} season 1")
           .get_by_role("button", name=re.compile("^Remove .* from wanted$"))).to_have_count(6, timeout=15_000)
    page.screenshot(path=str(ARTIFACTS / "wanted.png"), full_page=True)
    assert page.errors == []


def test_get_on_a_title_no_indexer_carries_says_who_was_asked_and_what_to_do(dev_stack, page: Page):
    """A film the demo indexer has nothing for: the dialog names the indexer, the query and the next step."""
    with psycopg.connect(dev_stack.database) as conn:
        movie = conn.execute(
            "INSERT INTO media_items (media_type, title, release_date, imdb_id, runtime_minutes, overview) "
            "VALUES ('movie', 'A Film Nobody Seeds', '2019-05-01', 'tt9999991', 101, 'Nobody has it.') "
            "RETURNING id").fetchone()[0]
    page.goto(f"{dev_stack.base}/app/movies/{movie}")
    expect(page.get_by_role("heading", level=1, name="A Film Nobody Seeds")).to_be_visible(timeout=15_000)
    page.get_by_role("button", name="Get", exact=True).click()
    dialog = page.get_by_role("dialog", name="Get A Film Nobody Seeds")
    report = dialog.get_by_role("region", name="Why nothing fits")
    expect(report).to_be_visible(timeout=30_000)
    line = report.get_by_role("list", name="Indexers asked").get_by_role("listitem")
    expect(line).to_have_count(1)
    # Releases without ids answer any id search; they are then rejected as another title.
    expect(line).to_have_text(re.compile(
        rf"^Asked {re.escape(DEMO_INDEXER)} for A Film Nobody Seeds \(IMDb tt9999991[^)]*\): "
        r"(no releases|\d+ releases?, (all )?rejected — \d+ wrong title)$"))
    steps = report.get_by_role("list", name="What you can do")
    expect(steps).to_contain_text("add another indexer under Admin → Indexers")
    page.screenshot(path=str(ARTIFACTS / "get-nothing-found.png"), full_page=True)
    report.get_by_role("link", name="Open Admin → Indexers").click()
    page.wait_for_url("**/app/admin?tab=indexers")
    expect(page.get_by_role("listitem", name=DEMO_INDEXER)).to_be_visible(timeout=15_000)
    assert page.errors == []
