"""Subtitles in sync (issue 38 item 4) in Chromium against the `make dev` stack.

A generated clip (speech-like bursts at known times, ``tests/integration/subsync_support.py``) is dropped
into the library with a sidecar ``.en.srt`` 2.5 s late. On the watch page (subtitles on in English, so the
track shows): the menu's + and the H key move the cues live and the offset survives a reload; "Auto-sync"
queues the stack's own worker, the menu shows the offset it found, and after a reload the served track is
the synced one.

Waits are explicit (``expect``/``wait_for_function`` with timeouts); numbers worth knowing are printed.
"""

from __future__ import annotations

import os
import re
import shutil
import time

import pytest
from e2e_support import ARTIFACTS, Api, api_with_english_subtitles
from playwright.sync_api import Page, expect
from test_watch_now import scanned_item, video_js

from tests.integration.subsync_support import BURSTS, clip, srt

pytestmark = pytest.mark.e2e
LATE = 2.5
FIRST_CUE = ("v.textTracks[0] && v.textTracks[0].cues && v.textTracks[0].cues.length "
             "&& v.textTracks[0].cues[0].startTime")


@pytest.fixture(scope="module")
def api(dev_stack, signed_in, account) -> Api:
    """The page's user on the API; subtitles on in English, so the sidecar track shows by default."""
    return api_with_english_subtitles(dev_stack.base, account)


def drop_with_sidecar(root, video, sidecar_text: str) -> None:
    folder = root / "Movies"
    folder.mkdir(parents=True, exist_ok=True)
    then = time.time() - 3600  # the scanner leaves fresh files alone
    shutil.copyfile(video, folder / video.name)
    (folder / (video.stem + ".en.srt")).write_text(sidecar_text)
    for path in (folder / video.name, folder / (video.stem + ".en.srt")):
        os.utime(path, (then, then))


def first_cue(page: Page, expected: float, timeout: int = 15_000) -> float:
    """The showing track's first cue start, once it is ``expected`` (within 0.05 s)."""
    script = f"(() => {{ const x = {FIRST_CUE}; return Math.abs(x - {expected}) < 0.05 ? String(x) : false; }})()"
    return float(video_js(page, script, timeout=timeout))


def open_timing(page: Page) -> None:
    if not page.get_by_test_id("subtitle-timing").is_visible():
        page.get_by_test_id("subtitle-menu").click()
    expect(page.get_by_test_id("subtitle-timing")).to_be_visible(timeout=5_000)


def test_offset_persists_across_reload_and_auto_sync_finds_the_delay(dev_stack, page: Page, api: Api):
    video = clip("Subtitle.Sync.Clip.2024.mp4")
    drop_with_sidecar(dev_stack.library, video, srt(LATE))
    item = scanned_item(api, video.name)
    [track] = api.get(f"/api/v1/library/{item['id']}/stream")["subtitles"]
    late_start = BURSTS[0][0] + LATE

    page.goto(f"{dev_stack.base}/app/watch/{item['id']}")
    video_js(page, "v.readyState >= 1")
    first_cue(page, late_start)
    open_timing(page)
    expect(page.get_by_test_id("subtitle-offset")).to_have_text("0.0 s")
    for _ in range(3):
        page.get_by_test_id("subtitle-later").click()
    expect(page.get_by_test_id("subtitle-offset")).to_have_text("+0.3 s")
    first_cue(page, late_start + 0.3)  # applied to the rendered cues at once
    page.keyboard.press("Escape")
    page.locator("[data-testid=player-video]").focus()
    page.keyboard.press("h")
    page.keyboard.press("h")
    page.keyboard.press("g")  # VLC's keys: +0.1, +0.1, -0.1
    first_cue(page, late_start + 0.4)
    deadline = time.monotonic() + 10  # saved with a debounce
    while api.get(f"/api/v1/library/{item['id']}/stream")["subtitles"][0]["offsetSeconds"] != 0.4:
        assert time.monotonic() < deadline, "the offset was not saved"
        time.sleep(0.3)

    page.reload()
    video_js(page, "v.readyState >= 1")
    first_cue(page, late_start + 0.4)  # restored after the reload
    open_timing(page)
    expect(page.get_by_test_id("subtitle-offset")).to_have_text("+0.4 s")
    page.screenshot(path=str(ARTIFACTS / "player-subtitle-timing.png"))

    asked = time.monotonic()
    page.get_by_test_id("subtitle-auto-sync").click()
    status = page.get_by_test_id("subtitle-sync-status")
    expect(status).to_have_attribute("data-status", re.compile("queued|running|done"), timeout=5_000)
    expect(status).to_have_attribute("data-status", "done", timeout=180_000)
    found = float(status.get_attribute("data-offset") or "nan")
    assert "Synced" in status.inner_text()
    print(f"\nsubtitle-sync: auto-sync in {time.monotonic() - asked:.1f} s, offset {found} s")
    assert abs(found + LATE) <= 0.2, found
    first_cue(page, late_start + found + 0.4)  # the found offset applies to the loaded track at once
    page.screenshot(path=str(ARTIFACTS / "player-subtitle-synced.png"))

    page.reload()
    video_js(page, "v.readyState >= 1")
    synced = api.get(f"/api/v1/library/{item['id']}/stream")["subtitles"][0]
    assert synced["id"] == track["id"] and synced["synced"] is True
    assert abs(first_cue(page, late_start + found + 0.4) - (BURSTS[0][0] + 0.4)) <= 0.2  # the synced file, offset kept
    assert page.errors == []
