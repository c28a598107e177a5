"""Issue 19's Done-when in Chromium: "a browser test clicks Get on an episode and sees the job".

A fake Torznab indexer (``embedded.fakes.torznab``: real HTTP, real Torznab XML) offers releases of
Breaking Bad S01E02 (demo catalog); the best of them is a real file seeded by a libtorrent peer on
127.0.0.1, the others are a weaker release, a season pack and a CAM copy the scoring rejects. The admin
registers the indexer on the Admin page (key typed once, never shown) and tests it, opens the episode
page, clicks Get, sees the ranked list (best pre-selected, the reject folded away), gets the best and
finds its job on the Downloads page (queued, downloading or already done: the worker is real).
"""

from __future__ import annotations

import re
import subprocess

import psycopg
import pytest
from e2e_support import ARTIFACTS
from playwright.sync_api import Page, expect

from embedded.fakes.torznab import FakeIndexer, FakeRelease

pytestmark = pytest.mark.e2e

SHOW, TMDB_ID = "Breaking Bad", 1396
BEST = "Breaking.Bad.S01E02.1080p.WEB-DL.DDP5.1.H.264-NTb"
OTHERS = [  # ids as the fake matches a tvsearch; sizes that fit a 47-minute episode
    FakeRelease("Breaking.Bad.S01E02.720p.HDTV.x264-CTU", 700_000_000, 12, 2, tmdbid=TMDB_ID, category=5040),
    FakeRelease("Breaking.Bad.S01.1080p.BluRay.x264-ROVERS", 9_000_000_000, 25, 4, tmdbid=TMDB_ID, category=5040),
    FakeRelease("Breaking.Bad.S01E02.CAM.XviD-NoGRP", 350_000_000, 300, 30, tmdbid=TMDB_ID, category=5040),
]
API_KEY_TYPED = "e2e-typed-key-not-shown"


@pytest.fixture
def indexer(tmp_path):
    """The fake indexer with the best release seeded for real (a 1 s video under the release's name)."""
    video = tmp_path / f"{BEST}.mkv"
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=duration=1:size=160x120",
                    "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", str(video)],
                   check=True, timeout=60)
    fake = FakeIndexer(list(OTHERS), api_key=API_KEY_TYPED).start()
    # The size shown is an episode's (the scoring rejects absurd sizes); the torrent holds the little video.
    fake.seed(video, BEST, size=1_400_000_000, seeders=180, leechers=6, tmdbid=TMDB_ID, category=5040)
    yield fake
    fake.stop()


def show_id(database: str) -> int:
    with psycopg.connect(database) as conn:
        row = conn.execute("SELECT id FROM media_items WHERE media_type = 'show' AND tmdb_id = %s",
                           (TMDB_ID,)).fetchone()
    assert row, f"{SHOW} is not in the demo catalog"
    return row[0]


def register_indexer(page: Page, base: str, fake: FakeIndexer) -> None:
    """Admin -> Indexers: add the fake (URL and the key typed once), then Test reads its caps."""
    page.goto(base + "/app/admin?tab=indexers")
    page.get_by_role("button", name="Add indexer").click()
    form = page.get_by_role("form", name="New indexer")
    form.get_by_label("Name").fill("E2E fake indexer")
    form.get_by_label("Torznab URL").fill(fake.url)
    form.get_by_label("API key").fill(API_KEY_TYPED)
    form.get_by_role("button", name="Add indexer").click()
    row = page.get_by_role("listitem", name="E2E fake indexer")
    expect(row.or_(form.get_by_role("alert"))).to_be_visible(timeout=15_000)
    if form.is_visible():  # the API refused it, e.g. a stack without SEEN_SETTINGS_KEY cannot store the key
        pytest.fail(f"adding the indexer was refused: {form.get_by_role('alert').all_inner_texts()}")
    expect(row).to_contain_text("API key stored")
    row.get_by_role("button", name="Test E2E fake indexer").click()
    expect(row.get_by_role("status")).to_contain_text(re.compile(r"TV search: .*season"), timeout=15_000)
    assert API_KEY_TYPED not in page.content()


def test_get_on_an_episode_lists_ranked_releases_and_starts_the_best(dev_stack, page: Page, indexer):
    register_indexer(page, dev_stack.base, indexer)

    page.goto(f"{dev_stack.base}/app/shows/{show_id(dev_stack.database)}/season/1/episode/2")
    expect(page.get_by_role("heading", level=1)).to_be_visible(timeout=15_000)
    page.get_by_role("button", name="Get", exact=True).click()
    dialog = page.get_by_role("dialog", name=f"Get {SHOW} · S01E02")
    releases = dialog.get_by_role("list", name="Releases")
    expect(releases).to_be_visible(timeout=30_000)

    radios = releases.get_by_role("radio")
    expect(radios.first).to_have_attribute("aria-label", BEST)
    expect(radios.first).to_be_checked()
    assert "Breaking.Bad.S01E02.CAM.XviD-NoGRP" not in [radios.nth(i).get_attribute("aria-label")
                                                        for i in range(radios.count())]
    expect(dialog.get_by_text(re.compile(r"^\d+ rejected releases?$"))).to_be_visible()
    expect(dialog.get_by_text("Breaking.Bad.S01E02.CAM.XviD-NoGRP")).to_be_hidden()  # folded away
    best_row = releases.get_by_role("listitem").first
    expect(best_row.get_by_role("meter", name="Health")).to_have_attribute("aria-valuenow", re.compile(r"^\d+$"))
    expect(best_row.get_by_role("list", name="Why").get_by_role("listitem").first).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "get-dialog.png"), full_page=True)

    dialog.get_by_role("button", name="Get this release").click()
    expect(dialog.get_by_role("status")).to_contain_text(f"Download started: {BEST}", timeout=30_000)
    dialog.get_by_role("link", name="View in Downloads").click()
    page.wait_for_url("**/app/downloads")
    job = page.get_by_role("list", name="Downloads").locator("li[data-status]").filter(has_text=BEST)
    expect(job).to_be_visible(timeout=15_000)
    expect(job).to_have_attribute("data-status", re.compile("queued|preparing|downloading|completed"))
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
