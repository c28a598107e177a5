"""Issue 18's Done-when, as a person sees it: a folder tree holding a season pack, a daily show and an anime
series is scanned (the Rescan button, the real worker, ffprobe, the moto bucket, the app's event handler) and
the Library page in Chromium shows every file under the right show, season and episode, matched.

The names are the kinds the old parser filed wrong: files in a season-pack folder with and without SxxEyy,
a daily show dated three ways, and an anime's absolute numbers crossing into its second season.
"""

from __future__ import annotations

import os
import re
import subprocess
import time
from datetime import date, timedelta
from pathlib import Path

import psycopg
import pytest
from e2e_support import ARTIFACTS
from playwright.sync_api import Page, expect
from psycopg.rows import dict_row

pytestmark = pytest.mark.e2e

PACK = "Downloads/Severance.S02.1080p.ATVP.WEB-DL.DDP5.1.H.264-GRP"
FOLDER_PACK = "Downloads/Chernobyl.S01.1080p.WEB-DL.DDP5.1.H.264-GRP"
DAILY = "TV/The Daily Show"
ANIME = "Anime/Jujutsu Kaisen"
# path -> the card's accessible name prefix (show · SxxEyy), as the Library page labels a matched episode
FILED = {
    f"{PACK}/Severance.S02E01.1080p.ATVP.WEB-DL.mkv": "Severance · S02E01",
    f"{PACK}/Severance.S02E02.1080p.ATVP.WEB-DL.mkv": "Severance · S02E02",
    f"{FOLDER_PACK}/01 - Episode.mkv": "Chernobyl · S01E01",
    f"{FOLDER_PACK}/Chernobyl.E02.1080p.WEB-DL.mkv": "Chernobyl · S01E02",
    f"{DAILY}/The.Daily.Show.2018_03_20.720p.mkv": "The Daily Show · S23E02",
    f"{DAILY}/The.Daily.Show.2018.03.21.Guest.Name.720p.mkv": "The Daily Show · S23E03",
    f"{DAILY}/The Daily Show - 22.03.2018.mkv": "The Daily Show · S23E04",
    f"{ANIME}/[SubsPlease] Jujutsu Kaisen - 24 (1080p).mkv": "Jujutsu Kaisen · S01E24",
    f"{ANIME}/[SubsPlease] Jujutsu Kaisen - 25 (1080p).mkv": "Jujutsu Kaisen · S02E01",
}


def add_daily_show(database: str) -> None:
    """The demo catalog has no daily show: season 23 of The Daily Show, one episode a weekday from 2018-03-19."""
    from chalicelib.catalog import store
    from chalicelib.catalog.records import EpisodeRecord, MediaRecord, SeasonRecord

    first = date(2018, 3, 19)
    episodes = [EpisodeRecord(23, n, air_date=first + timedelta(days=n - 1)) for n in range(1, 6)]
    record = MediaRecord("show", "The Daily Show", tmdb_id=2224, release_date=date(1996, 7, 22),
                         seasons=[SeasonRecord(23, name="Season 23", episode_count=5, episodes=episodes)])
    with psycopg.connect(database, row_factory=dict_row) as conn, conn.transaction():
        store.save(conn, [record])


def write_tree(root: Path, work: Path) -> None:
    """One real 1 s video copied under every name, an hour old (the scanner skips files still being written)."""
    video = work / "base.mkv"
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=duration=1:size=160x120",
                    "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", str(video)],
                   check=True, timeout=60)
    then = time.time() - 3600
    for rel in FILED:
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(video.read_bytes())
        os.utime(target, (then, then))


def cards_of(page: Page) -> dict[str, str]:
    """Every card's accessible name -> its text, on the page as it is now."""
    return {card.get_attribute("aria-label"): card.inner_text() for card in page.locator("article[aria-label]").all()}


def filed_cards(page: Page, base: str, attempts: int = 6) -> dict[str, str]:
    """The event handler files what the worker reported a moment after the scan ends: look again a few times."""
    for _ in range(attempts):
        page.goto(base + "/app/library?type=show")
        expect(page.locator("article[aria-label]").first).to_be_visible(timeout=15_000)
        # Each load refreshes the session (a rotating cookie): leaving mid-refresh would lose the new cookie
        # and the context's next refresh would look like reuse, signing every later test out.
        page.wait_for_load_state("networkidle")
        cards = cards_of(page)
        if all(any(name.startswith(label) for name in cards) for label in FILED.values()):
            return cards
        page.wait_for_timeout(2_000)
    return cards


def test_a_scanned_tree_shows_every_episode_under_its_show_season_and_episode(dev_stack, page: Page, tmp_path):
    add_daily_show(dev_stack.database)
    write_tree(dev_stack.library, tmp_path)
    page.goto(dev_stack.base + "/app/library?type=show")
    expect(page.get_by_role("heading", level=1, name="Library")).to_be_visible(timeout=15_000)
    page.get_by_role("button", name=re.compile("Rescan library")).click()
    expect(page.get_by_text(re.compile(r"Scan finished · \d+ files? indexed"))).to_be_visible(timeout=120_000)
    cards = filed_cards(page, dev_stack.base)
    page.screenshot(path=str(ARTIFACTS / "library-scanned-tree.png"), full_page=True)
    shown = {label: [text for name, text in cards.items() if re.match(re.escape(label) + r"\b", name)]
             for label in FILED.values()}
    assert {label: len(texts) for label, texts in shown.items()} == dict.fromkeys(FILED.values(), 1), cards
    assert all("Matched" in texts[0] for texts in shown.values()), shown
