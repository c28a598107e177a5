"""Skip intro and scrub previews (issue 38) in Chromium against the `make dev` stack.

A generated season (the same 20 s intro and 15 s credits in every episode, see
``tests/integration/segments_support.py``) is dropped into the library; the stack's own worker finds the
intro and credits and makes the scrub previews. On the watch page "Skip intro" jumps past the intro, and
hovering the seek bar shows a thumbnail from a presigned sprite.

Waits are explicit (``expect``/``wait_for_function`` with timeouts); numbers worth knowing are printed.
"""

from __future__ import annotations

import os
import shutil
import time

import pytest
from e2e_support import ARTIFACTS, Api
from playwright.sync_api import Page, expect
from test_watch_now import scanned_item, video_js

from tests.integration.segments_support import season

pytestmark = [pytest.mark.e2e,
              pytest.mark.skipif(shutil.which("fpcalc") is None, reason="fpcalc (libchromaprint-tools) missing")]

SEEK = "input[aria-label=Seek]"


@pytest.fixture(scope="module")
def api(dev_stack, signed_in, account) -> Api:
    return Api(dev_stack.base, account)


def drop_season(root, episodes) -> None:
    """Copied an hour old, into a show's season folder (the scanner leaves fresh files alone)."""
    folder = root / "TV" / "Generated Show" / "Season 01"
    folder.mkdir(parents=True, exist_ok=True)
    then = time.time() - 3600
    for episode in episodes:
        target = folder / episode.path.name
        shutil.copyfile(episode.path, target)
        os.utime(target, (then, then))


def analysed(api: Api, item_id: str, timeout: float = 240) -> dict:
    """The stream answer once the worker's intro, credits and previews are in."""
    deadline = time.monotonic() + timeout
    while True:
        answer = api.get(f"/api/v1/library/{item_id}/stream")
        if {s["kind"] for s in answer["segments"]} == {"intro", "credits"} and answer["trickplay"]:
            return answer
        assert time.monotonic() < deadline, f"no intro/credits/previews: {answer['segments']} {answer['trickplay']}"
        time.sleep(1)


def test_skip_intro_jumps_past_the_intro_and_the_seek_bar_previews_thumbnails(dev_stack, page: Page, api: Api):
    episodes = season(3)
    drop_season(dev_stack.library, episodes)
    first = episodes[0]  # the intro starts the episode: the button is there as soon as it plays
    item = scanned_item(api, first.path.name)
    for episode in episodes[1:]:
        scanned_item(api, episode.path.name)
    dropped = time.monotonic()
    answer = analysed(api, item["id"])
    found = {s["kind"]: s for s in answer["segments"]}
    print(f"\nskip-intro: analysis in {time.monotonic() - dropped:.1f} s; intro {found['intro']} credits "
          f"{found['credits']}")
    assert abs(found["intro"]["end"] - first.intro_end) <= 1, found

    page.goto(f"{dev_stack.base}/app/watch/{item['id']}")
    video_js(page, "!v.paused && v.currentTime > 0.5", timeout=60_000)
    skip = page.get_by_role("button", name="Skip intro")
    expect(skip).to_be_visible(timeout=10_000)
    page.screenshot(path=str(ARTIFACTS / "player-skip-intro.png"))
    skip.click()
    landed = video_js(page, f"v.currentTime >= {found['intro']['end'] - 0.5} && v.currentTime", timeout=15_000)
    assert landed < found["intro"]["end"] + 3, landed  # past the intro, not somewhere far beyond
    expect(skip).to_have_count(0)

    bar = page.locator(SEEK)
    box = bar.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] / 2)
    preview = page.get_by_test_id("seek-preview")
    expect(preview).to_be_visible(timeout=10_000)
    image = page.get_by_test_id("seek-preview-image")
    style = image.get_attribute("style") or ""
    assert "sprite_000.jpg" in style and "X-Amz-Signature" in style, style
    assert abs(int(preview.get_attribute("data-time") or -9) - answer_duration(page) / 2) <= 1  # under the pointer
    loaded = page.evaluate("""() => new Promise(resolve => {
        const el = document.querySelector('[data-testid=seek-preview-image]');
        const url = getComputedStyle(el).backgroundImage.slice(5, -2);
        const img = new Image();
        img.onload = () => resolve(img.naturalWidth);
        img.onerror = () => resolve(0);
        img.src = url;
    })""")
    assert loaded >= 240  # the sprite itself loads (presigned, allowed by the page's CSP)
    page.screenshot(path=str(ARTIFACTS / "player-seek-preview.png"))
    assert page.errors == []


def answer_duration(page: Page) -> float:
    return page.evaluate("() => document.querySelector('[data-testid=player-video]').duration")
