"""Issue 36's YouTube channels, as a household meets them in Chromium: follow a channel by its @handle, see its
videos, a new video arrives with the next feed read, Get downloads it with yt-dlp (the stack's own worker, from
the fake YouTube's watch page on loopback), the library files it as that video, and it plays in the browser.

The fake YouTube (embedded.fakes.youtube, started with the stack by conftest) serves the channel page, its Atom
feed as YouTube shapes it, and a watch page whose HTML5 <video> yt-dlp's generic extractor reads.
"""

from __future__ import annotations

import datetime as dt
import subprocess

import psycopg
import pytest
from e2e_support import ARTIFACTS
from playwright.sync_api import Page, expect

from tests import stack_support

pytestmark = pytest.mark.e2e

CHANNEL = "UCe2eFakeChannelForSeen0"
VIDEO = "[data-testid=player-video]"


@pytest.fixture(scope="module")
def clip(tmp_path_factory) -> bytes:
    """A real 6-second H.264/AAC MP4 (faststart), as a browser plays it."""
    path = tmp_path_factory.mktemp("clip") / "clip.mp4"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=duration=6:size=320x240:rate=25",
                    "-f", "lavfi", "-i", "sine=frequency=440:duration=6", "-c:v", "libx264", "-pix_fmt", "yuv420p",
                    "-c:a", "aac", "-shortest", "-movflags", "+faststart", str(path)], check=True)
    return path.read_bytes()


@pytest.fixture(scope="module")
def channel(youtube, clip):
    now = dt.datetime.now(dt.UTC)
    fake = youtube.add_channel(CHANNEL, "E2E Kitchen", "@e2ekitchen")
    youtube.add_video(CHANNEL, "e2eVid00001", "Knife skills", now - dt.timedelta(days=3), views=120, media=clip)
    youtube.add_video(CHANNEL, "e2eVid00002", "Stock from scraps", now - dt.timedelta(days=1), views=80, media=clip)
    return fake


def admin_token(stack) -> str:
    session = stack_support.register(stack, "channels-admin")
    with psycopg.connect(stack.database, autocommit=True) as conn:
        conn.execute("UPDATE users SET role = 'admin' WHERE id = %s", (session["user"]["id"],))
    status, body = stack_support.call(stack.base, "POST", "/api/v1/auth/login",
                                      {"email": session["user"]["email"], "password": stack_support.PASSWORD})
    assert status == 200, body
    return body["accessToken"]


def video_js(page: Page, expression: str, timeout: int = 20_000):
    script = f"() => {{ const v = document.querySelector('{VIDEO}'); return v && ({expression}); }}"
    return page.wait_for_function(script, timeout=timeout).json_value()


def test_follow_a_channel_get_a_new_video_with_yt_dlp_and_play_it(dev_stack, page: Page, youtube, channel, clip):
    page.goto(dev_stack.base + "/app/channels")
    page.get_by_test_id("channel-follow-input").fill("@e2ekitchen")
    page.get_by_test_id("channel-follow-submit").click()
    card = page.get_by_test_id("channel-card").filter(has_text="E2E Kitchen")
    expect(card).to_be_visible(timeout=20_000)
    card.click()
    cards = page.get_by_test_id("video-card")
    expect(cards).to_have_count(2)
    expect(cards.first).to_contain_text("Stock from scraps")

    # A new video: the next feed read (an admin's "run now" of the schedule) brings it.
    youtube.add_video(CHANNEL, "e2eVid00003", "Perfect omelette", dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5),
                      views=3, media=clip)
    status, job = stack_support.call(dev_stack.base, "POST", "/api/v1/admin/sync-jobs/channels.refresh/run", None,
                                     admin_token(dev_stack))
    assert status == 200 and job["status"] == "ok", job
    page.reload()
    expect(cards).to_have_count(3, timeout=15_000)
    newest = cards.first
    expect(newest).to_contain_text("Perfect omelette")

    newest.get_by_test_id("video-get").click()
    expect(newest.get_by_test_id("video-status")).to_be_visible(timeout=15_000)
    play = newest.get_by_test_id("video-play")
    expect(play).to_be_visible(timeout=120_000)  # yt-dlp → the bucket → the library, then the card can play
    assert any(r.path == "/media/e2eVid00003.mp4" for r in youtube.requests)
    page.screenshot(path=str(ARTIFACTS / "channel.png"), full_page=True)
    play.click()
    video_js(page, "!v.paused && v.currentTime > 1", timeout=30_000)
    assert not page.errors, page.errors
