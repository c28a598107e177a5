"""Issue 34's "Versions, like Plex", as a person sees it in Chromium: three files of one film (one that plays
as it is, an HEVC + AC3 file the worker converts, a damaged one) are scanned by the real worker and shown as
ONE library card with "3 versions", each with its quality, size, codecs, file name and how it plays or why not;
the film's page has Play, which starts the best version and plays; an episode's page has its name, synopsis,
air date, Mark watched and Play.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path

import pytest
from e2e_support import ARTIFACTS, Api
from media_fixtures import AAC, H264, Clip, clip_file
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

VIDEO = "[data-testid=player-video]"
MOVIE, MOVIE_DIR = "The Prestige", "Movies/The Prestige (2006)"
DIRECT = Clip("The.Prestige.2006.720p.WEB-DL.x264-GRP.mp4", 8, H264, AAC)
HEVC = Clip("The.Prestige.2006.1080p.BluRay.x265-GRP.mkv", 6,
            ("-c:v", "libx265", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-x265-params", "log-level=error"),
            ("-c:a", "ac3", "-b:a", "192k", "-ac", "2"), size="320x240")
DAMAGED = "The.Prestige.2006.2160p.UHD.BluRay.x265-GRP.mkv"
EPISODE = Clip("Sherlock.S01E01.720p.WEB-DL.x264-GRP.mp4", 8, H264, AAC)
EPISODE_DIR = "TV/Sherlock/Season 1"


def _place(target: Path, data: bytes | None = None, source: Path | None = None) -> None:
    """Written an hour old: the scanner leaves files alone while they may still be being written."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if source is not None:
        shutil.copyfile(source, target)
    else:
        target.write_bytes(data or b"")
    then = time.time() - 3600
    os.utime(target, (then, then))


@pytest.fixture(scope="module")
def api(dev_stack, signed_in, account) -> Api:
    return Api(dev_stack.base, account)


@pytest.fixture(scope="module")
def scanned(dev_stack, api) -> dict:
    """The three films and the episode in the library (one scan): the film's title card."""
    root = dev_stack.library
    _place(root / MOVIE_DIR / DIRECT.name, source=clip_file(DIRECT))
    _place(root / MOVIE_DIR / HEVC.name, source=clip_file(HEVC))
    _place(root / MOVIE_DIR / DAMAGED, data=os.urandom(64 * 1024))
    _place(root / EPISODE_DIR / EPISODE.name, source=clip_file(EPISODE))
    status, scan = api.call("POST", "/api/v1/library/rescan", {})
    assert status == 202, scan
    wanted = {DIRECT.name, HEVC.name, DAMAGED}
    deadline = time.monotonic() + 180
    while True:
        cards = api.get("/api/v1/library/titles?query=prestige&pageSize=100")["items"]
        card = next((c for c in cards if c["title"] == MOVIE), None)
        names = {v["fileName"] for v in card["versions"]} if card else set()
        episodes = api.get("/api/v1/library/titles?query=sherlock&pageSize=100")["items"]
        if wanted <= names and any(c.get("episode") for c in episodes):
            return card
        if time.monotonic() > deadline:
            state = api.get("/api/v1/library/scans/" + scan["id"])
            raise AssertionError(f"not filed: {cards} {episodes} (scan {state})")
        time.sleep(1)


def episode_watched(api: Api, show_id: int, seconds: float = 10) -> bool:
    """Whether the show's progress says S01E01 is watched (the button shows it at once; the POST may lag)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        progress = api.get(f"/api/v1/shows/{show_id}/progress")
        if any(e["watched"] for s in progress["seasons"] if s["seasonNumber"] == 1 for e in s["episodes"]
               if e["episodeNumber"] == 1):
            return True
        time.sleep(0.5)
    return False


def video_js(page: Page, expression: str, timeout: int):
    script = f"() => {{ const v = document.querySelector('{VIDEO}'); return v && ({expression}); }}"
    return page.wait_for_function(script, timeout=timeout).json_value()


def test_a_films_files_are_one_card_whose_versions_say_how_each_plays(dev_stack, page: Page, scanned):
    page.goto(dev_stack.base + "/app/library?q=prestige")
    cards = page.get_by_role("article", name=MOVIE)
    expect(cards).to_have_count(1, timeout=15_000)
    card = cards.first
    expect(card.get_by_role("link", name=f"Play {MOVIE}")).to_be_visible()
    expect(card).to_contain_text(DIRECT.name)  # the best version's file name and size are on the card
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(ARTIFACTS / "library-versions-card.png"))
    card.get_by_role("button", name=f"3 versions of {MOVIE}").click()
    dialog = page.get_by_role("dialog", name=MOVIE)
    rows = dialog.get_by_role("list", name=f"Versions of {MOVIE}").get_by_role("listitem")
    expect(rows).to_have_count(3)
    page.screenshot(path=str(ARTIFACTS / "library-versions.png"))
    texts = [rows.nth(i).inner_text() for i in range(3)]
    # Best first: the file that plays as it is, then the one converted on Play, the damaged one last.
    assert DIRECT.name in texts[0] and "Plays directly in the browser" in texts[0], texts
    assert "WEB-DL" in texts[0] and "H.264 · AAC" in texts[0], texts
    assert HEVC.name in texts[1] and "HEVC video: converted when you press Play, about a minute" in texts[1], texts
    assert "BluRay" in texts[1] and re.search(r"\d+(\.\d)? (kB|MB)", texts[1]), texts
    assert DAMAGED in texts[2] and "Damaged file: ffprobe could not read it" in texts[2], texts
    expect(rows.nth(2).get_by_role("link", name=re.compile("^Play"))).to_have_count(0)
    expect(page.get_by_text(re.compile(r"^Not playable in the browser$"))).to_have_count(0)
    page.set_viewport_size({"width": 390, "height": 844})  # a phone: the dialog is a bottom sheet
    page.screenshot(path=str(ARTIFACTS / "library-versions-390.png"))
    assert page.errors == []


def test_the_films_page_plays_its_best_version(dev_stack, page: Page, api: Api, scanned):
    page.goto(f"{dev_stack.base}/app/movies/{scanned['media']['id']}")
    play = page.get_by_role("link", name=re.compile(r"^(Play|Resume from \d+:\d\d)$"))
    expect(play).to_be_visible(timeout=15_000)
    best = api.get(f"/api/v1/library/versions?mediaId={scanned['media']['id']}")
    assert best["versions"][0]["fileName"] == DIRECT.name and best["bestId"] == best["versions"][0]["id"], best
    assert play.get_attribute("href") == f"/app/watch/{best['bestId']}"
    page.get_by_role("button", name="3 versions").click()
    expect(page.get_by_role("dialog", name=f"Play a version of {MOVIE}")).to_contain_text(HEVC.name)
    page.screenshot(path=str(ARTIFACTS / "detail-play-versions.png"))
    page.keyboard.press("Escape")
    play.click()
    page.wait_for_url(f"**/app/watch/{best['bestId']}")
    video_js(page, "!v.paused && v.currentTime > 1", timeout=60_000)


def test_the_episode_page_has_synopsis_air_date_mark_watched_and_play(dev_stack, page: Page, api: Api, scanned):
    show = next(c for c in api.get("/api/v1/library/titles?query=sherlock&pageSize=100")["items"] if c.get("episode"))
    page.goto(f"{dev_stack.base}/app/shows/{show['media']['id']}/season/1/episode/1")
    expect(page.get_by_role("heading", level=1, name="A Study in Pink")).to_be_visible(timeout=15_000)
    about = page.get_by_role("region", name="About this episode")
    expect(about.get_by_role("heading", name="Synopsis")).to_be_visible()
    expect(about).to_contain_text("meets a consulting detective looking for a flatmate")
    expect(about).to_contain_text("Aired Jul 25, 2010")
    play = page.get_by_role("link", name=re.compile(r"^(Play|Resume from \d+:\d\d)$"))
    expect(play).to_have_attribute("href", f"/app/watch/{show['id']}")
    page.screenshot(path=str(ARTIFACTS / "episode-detail.png"), full_page=True)
    page.get_by_role("button", name="Mark watched").click()
    expect(page.get_by_role("button", name="Remove the latest watch")).to_be_visible()
    assert episode_watched(api, show["media"]["id"]), "the show's progress never said S01E01 was watched"
    play.click()
    video_js(page, "!v.paused && v.currentTime > 1", timeout=60_000)
    assert page.errors == []
