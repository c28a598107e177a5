"""Issue 34's player polish in Chromium against the `make dev` stack.

1. Play while downloading (a season pack seeded slowly by a real libtorrent peer on 127.0.0.1): the console
   stays clean (no error logged, no 4xx/5xx answer) while the first pieces arrive, because the stream endpoint
   says "not yet" with 202 + Retry-After; the subtitle menu lists the pack's .srt sidecar under "Subtitle files";
   the heading is the title, never the file name twice, and no play-mode label sits over the video.
2. A library MKV with an embedded SubRip track: the subtitle menu lists it under "In the video file".
3. Theater mode hides the sidebar and top bar and fits the whole video in the window (desktop and 390 px),
   and gives them back.

Waits are explicit (``expect``/``wait_for_function`` with timeouts); numbers worth knowing are printed.
"""

from __future__ import annotations

import re
import time

import pytest
from e2e_support import ARTIFACTS, Api, api_with_english_subtitles, seeding_peers_of
from media_fixtures import AAC, H264, PACK, Clip, clip_file, season_pack
from playwright.sync_api import ConsoleMessage, Page, Response, expect
from test_watch_now import add_magnet, drop_into_library, job_of, press_play_on_download, scanned_item, seed, video_js

from embedded.testpeers import Seeder

pytestmark = pytest.mark.e2e

MiB = 1024 * 1024
RATE = int(1.25 * MiB)  # slow enough that Play comes long before the first pieces and the end
VIDEO = "[data-testid=player-video]"


@pytest.fixture(scope="module")
def peers(api):
    yield from seeding_peers_of(api, RATE)


@pytest.fixture(scope="module")
def api(dev_stack, signed_in, account) -> Api:
    """The page's user on the API; subtitles on in English, so a track is chosen by default."""
    return api_with_english_subtitles(dev_stack.base, account)


class Console:
    """What a developer would see in the console: errors logged, and every answer of 400 or more (Chromium
    logs each one as an error), plus requests that never got an answer other than media aborts."""

    def __init__(self, page: Page) -> None:
        self.errors: list[str] = []
        self.failed: list[str] = []
        self.statuses: dict[str, list[int]] = {}
        page.on("console", self._console)
        page.on("response", self._response)

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(message.text)

    def _response(self, response: Response) -> None:
        path = re.sub(r"^https?://[^/]+", "", response.url).split("?")[0]
        self.statuses.setdefault(path, []).append(response.status)
        if response.status >= 400:
            self.failed.append(f"{response.status} {response.request.method} {path}")


def shot(page: Page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def subtitle_groups(page: Page) -> dict[str, list[str]]:
    """The open subtitle menu's groups: source -> the track names listed under it."""
    page.get_by_role("button", name="Subtitles").click()
    expect(page.get_by_role("menuitemradio", name="Off")).to_be_visible()
    return page.evaluate("""() => Object.fromEntries(
        Array.from(document.querySelectorAll('[data-testid=subtitle-group]')).map(group => [
            group.dataset.source,
            Array.from(group.querySelectorAll('[role=menuitemradio]')).map(item => item.textContent)]))""")


FITS = f"""() => {{
    const box = document.querySelector('{VIDEO}').getBoundingClientRect();
    const w = document.documentElement.clientWidth, h = document.documentElement.clientHeight;
    return {{top: box.top, bottom: box.bottom, left: box.left, right: box.right, w, h,
             main: document.getElementById('main').className,
             fits: box.top >= 0 && box.left >= 0 && box.bottom <= h + 0.5 && box.right <= w + 0.5
                   && box.height > h * 0.5 && box.width >= w - 1}};
}}"""


def fitted_in_window(page: Page, timeout: float = 5) -> dict:
    """The <video> box once it lies wholly inside the window and spans its width (the shell's padding eases
    out over 300 ms), or the last box seen."""
    deadline = time.monotonic() + timeout
    box = page.evaluate(FITS)
    while not box["fits"] and time.monotonic() < deadline:
        page.wait_for_timeout(100)
        box = page.evaluate(FITS)
    return box


def test_playing_while_downloading_keeps_the_console_clean_and_lists_the_sidecar_subtitles(
        dev_stack, page: Page, api: Api, peers: Seeder):
    console = Console(page)
    seeded = seed(peers, season_pack(episodes=2))
    add_magnet(page, dev_stack.base, seeded.magnet)
    job = job_of(api, seeded)
    pressed = time.monotonic()
    press_play_on_download(page, PACK, job["id"])
    video_js(page, "!v.paused && v.currentTime > 1", timeout=45_000)
    playing_after = time.monotonic() - pressed
    live = api.get(f"/api/v1/downloads/{job['id']}")
    assert live["status"] != "completed", live  # it played while downloading

    stream_path = f"/api/v1/downloads/{job['id']}/stream"
    asked = console.statuses.get(stream_path, [])
    assert asked and asked[-1] == 200 and set(asked) <= {200, 202}, asked

    groups = subtitle_groups(page)
    assert groups.get("sidecar"), groups  # the pack's Slow.Horses.S01E01...en.srt
    expect(page.get_by_text("Subtitle files", exact=True)).to_be_visible()
    shot(page, "player-subtitles-sidecar")
    page.keyboard.press("Escape")

    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text("S01E01")
    file_name = "Slow.Horses.S01E01.720p.WEB-DL.x264-GRP.mp4"
    assert page.get_by_text(file_name).count() == 1  # once, in the details line
    assert page.get_by_test_id("player-mode").count() == 0  # no mode label over the video
    page.get_by_role("button", name="Playback info").click()
    info = page.get_by_role("dialog", name="Playback info")
    expect(info).to_contain_text("Streaming while it downloads")
    expect(info.locator("[data-info=Resolution]")).to_have_text("640\u00d7360")
    shot(page, "player-playback-info")

    video_js(page, "v.currentTime > 3", timeout=15_000)
    print(f"\nplayer-ui: Play -> playing {playing_after:.2f} s; stream endpoint answered {asked}")
    assert console.failed == [], console.failed
    assert console.errors == [], console.errors
    assert page.errors == []


EMBEDDED = Clip("Big.Buck.Bunny.2008.720p.BluRay.x264-E2E.mkv", 20, H264, AAC, subtitles="English (embedded)")


def test_the_subtitle_menu_lists_an_embedded_track_and_theater_mode_fits_the_video(dev_stack, page: Page, api: Api):
    console = Console(page)
    source = clip_file(EMBEDDED)
    drop_into_library(dev_stack.library, source)
    item = scanned_item(api, source.name)
    page.goto(f"{dev_stack.base}/app/watch/{item['id']}")
    video_js(page, "!v.paused && v.currentTime > 0.5", timeout=60_000)

    groups = subtitle_groups(page)
    assert groups.get("embedded"), groups
    expect(page.get_by_text("In the video file", exact=True)).to_be_visible()
    shot(page, "player-subtitles-embedded")
    page.keyboard.press("Escape")

    sidebar = page.get_by_role("navigation", name="Main")
    top_bar = page.locator("header").first
    expect(sidebar).to_be_visible()
    expect(top_bar).to_be_visible()

    try:
        page.get_by_role("button", name="Theater mode").click()
        expect(sidebar).to_have_count(0)
        expect(top_bar).to_have_count(0)
        box = fitted_in_window(page)
        assert box["fits"], box  # the whole width, nothing cut
        shot(page, "player-theater")

        page.set_viewport_size({"width": 390, "height": 844})
        box = fitted_in_window(page)
        assert box["fits"], box
        shot(page, "player-theater-390")
        page.set_viewport_size({"width": 1440, "height": 900})

        page.keyboard.press("t")  # the shortcut leaves theater mode too
        expect(sidebar).to_be_visible()
        expect(top_bar).to_be_visible()
    finally:  # the preference lives in the shared context's storage: the next test starts without it
        page.evaluate("localStorage.removeItem('seen.player')")
    assert console.failed == [], console.failed
    assert console.errors == [], console.errors
    assert page.errors == []
