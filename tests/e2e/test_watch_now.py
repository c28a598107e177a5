"""Issue 20's Done-when in Chromium against the `make dev` stack, with a real libtorrent peer on 127.0.0.1.

1. A season pack (3 episodes) seeded slowly (so the download lasts well past the first seconds of playback) is added on
   the Downloads page; Play on the running download plays episode 1 while the download is still running,
   a seek to 80% plays on, its English sidecar subtitles show, and at the end "Up next" plays episode 2 of
   the same pack.
2. An HEVC/AC3 MKV and an H.264/DTS MKV dropped into the library play through the HLS fallback (the
   worker's full transcode and audio-only variant).
3. The worker is killed (SIGKILL) while a download streams: the stack's supervisor starts it again, the
   player gets past what it had buffered, and the job completes.

Waits are explicit (``expect``/``wait_for_function`` with timeouts); numbers worth knowing are printed.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import time
from pathlib import Path

import pytest
from e2e_support import ARTIFACTS, Api, api_with_english_subtitles, seeding_peers_of
from media_fixtures import PACK, h264_dts, hevc_ac3, season_pack, single_episode
from playwright.sync_api import Page, Response, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from embedded.testpeers import Seeded, Seeder

pytestmark = pytest.mark.e2e

MiB = 1024 * 1024
PACK_RATE = int(1.25 * MiB)  # playback must start long before the pack is downloaded
KILL_RATE = 600 * 1024  # ~10 MiB episode: ~17 s, long enough to kill the worker in the middle
VIDEO = "[data-testid=player-video]"


@pytest.fixture(scope="module")
def peers(api):
    yield from seeding_peers_of(api, PACK_RATE)


@pytest.fixture(scope="module")
def api(dev_stack, signed_in, account) -> Api:
    """The page's user (signed up by ``signed_in``) on the API; subtitles on in English by default."""
    return api_with_english_subtitles(dev_stack.base, account)


def shot(page: Page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def video_js(page: Page, expression: str, timeout: int = 20_000):
    """Wait until ``expression`` (over the player's <video> as ``v``) is truthy; returns its value."""
    script = f"() => {{ const v = document.querySelector('{VIDEO}'); return v && ({expression}); }}"
    return page.wait_for_function(script, timeout=timeout).json_value()


def job_of(api: Api, seeded: Seeded, timeout: float = 15) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for job in api.get("/api/v1/downloads?limit=50")["items"]:
            if (job.get("infoHash") or "").lower() == seeded.info_hash:
                return job
        time.sleep(0.3)
    raise AssertionError(f"no download job for {seeded.name}")


def seed(peers: Seeder, path: Path, timeout: float = 15) -> Seeded:
    """Seed ``path`` and wait for the seeder's announce to reach the tracker, as in a swarm that exists before
    anyone adds its magnet (else the downloader's first announce finds nobody and waits out the interval)."""
    seeded = peers.seed(path)
    deadline = time.monotonic() + timeout
    while not peers.tracker.swarms.get(bytes.fromhex(seeded.info_hash)):
        assert time.monotonic() < deadline, "the seeder never announced"
        time.sleep(0.05)
    return seeded


def add_magnet(page: Page, base: str, magnet: str) -> None:
    page.goto(base + "/app/downloads")
    expect(page.get_by_role("heading", level=1, name="Downloads")).to_be_visible(timeout=15_000)
    page.get_by_role("tab", name=re.compile("Magnet")).click()
    page.get_by_role("textbox", name=re.compile("Magnet")).fill(magnet)
    page.get_by_role("button", name="Add download").click()


def press_play_on_download(page: Page, name: str, job_id: str) -> None:
    """The running download's Play (a button or link on its card) opens the player on it."""
    card = page.get_by_role("list", name="Downloads").locator("li[data-status]").filter(has_text=name).first
    expect(card).to_be_visible(timeout=15_000)
    play = re.compile(r"^Play\b")
    card.get_by_role("button", name=play).or_(card.get_by_role("link", name=play)).first.click()
    page.wait_for_url(f"**/app/watch/download/{job_id}**")


def stream_answers(page: Page, job_id: str, waits: list[str] | None = None) -> list[dict]:
    """Every 200 answer of the download's stream endpoint the page receives (in order); ``waits`` collects
    the URLs of its 202 (not yet: pieces awaited) answers."""
    answers: list[dict] = []

    def keep(response: Response) -> None:
        if f"/api/v1/downloads/{job_id}/stream" not in response.url:
            return
        if response.status == 202 and waits is not None:
            waits.append(response.url)
        if response.status == 200:
            with contextlib.suppress(Exception):  # a body the page never read (it navigated away)
                answers.append(response.json())
    page.on("response", keep)
    return answers


def next_file_ready(dev_stack, job_id: str, path_part: str, timeout: float = 20) -> dict:
    """Wait until the worker reports the file's first 2 MiB and its tail on disk (``files_json`` on the job's
    telemetry item in the stack's DynamoDB), as the API requires before it hands out a progressive URL."""
    import boto3

    dynamo = boto3.client("dynamodb", endpoint_url=dev_stack.aws_endpoint, region_name="us-east-1",
                          aws_access_key_id="seen-local", aws_secret_access_key="seen-local")
    deadline, entry = time.monotonic() + timeout, {}
    while time.monotonic() < deadline:
        item = dynamo.get_item(TableName="seen-download-telemetry", Key={"job_id": {"S": job_id}}).get("Item", {})
        files = json.loads(item.get("files_json", {}).get("S") or "[]")
        entry = next((f for f in files if path_part in f["path"] and f["path"].endswith(".mp4")), {})
        if entry and entry["tailReady"] and entry["contiguousBytes"] >= min(2 * MiB, entry["size"]):
            return entry
        time.sleep(0.5)
    raise AssertionError(f"{path_part} was not made ready while the episode before it played: {entry}")


def showing_cue(page: Page, answers: list[dict]) -> str:
    """The text of the cue on screen (a subtitle track showing, with an active cue)."""
    try:
        return video_js(page, "Array.from(v.textTracks).filter(t => t.mode === 'showing' && t.activeCues "
                              "&& t.activeCues.length).map(t => t.activeCues[0].text)[0]", timeout=10_000)
    except PlaywrightTimeout:
        tracks = page.evaluate(f"Array.from(document.querySelector('{VIDEO}').textTracks).map(t => "
                               "({mode: t.mode, label: t.label, cues: t.cues && t.cues.length}))")
        last = answers[-1] if answers else {}
        raise AssertionError(f"no subtitle shown: tracks {tracks}; {last.get('path')} ({last.get('mode')}) came "
                             f"with subtitles {last.get('subtitles')}") from None


def test_a_torrent_plays_while_downloading_seeks_shows_subtitles_and_plays_the_next_episode(
        dev_stack, page: Page, api: Api, peers: Seeder):
    seeded = seed(peers, season_pack(episodes=3))  # ~31 MiB: ~25 s to download at PACK_RATE
    add_magnet(page, dev_stack.base, seeded.magnet)
    job = job_of(api, seeded)
    waits: list[str] = []
    answers = stream_answers(page, job["id"], waits)
    pressed = time.monotonic()
    press_play_on_download(page, PACK, job["id"])

    video_js(page, "!v.paused && v.currentTime > 0.1", timeout=30_000)
    first_frame = time.monotonic() - pressed
    video_js(page, "!v.paused && v.currentTime > 2", timeout=15_000)
    live = api.get(f"/api/v1/downloads/{job['id']}")
    assert live["status"] != "completed" and live["progress"] < 100, live  # it played before the end
    expect(page.get_by_test_id("player-stage")).to_have_attribute("data-mode", "progressive")
    assert answers and "S01E01" in answers[-1]["path"], answers
    shot(page, "watch-now-progressive")

    duration = video_js(page, "isFinite(v.duration) && v.duration > 0 && v.duration")
    target = round(duration * 0.8, 1)
    page.evaluate(f"document.querySelector('{VIDEO}').currentTime = {target}")
    video_js(page, f"!v.paused && v.currentTime > {target + 1.5}", timeout=15_000)

    assert "S01E01" in showing_cue(page, answers)
    shot(page, "watch-now-seek-subtitles")

    # Prefetched: the next episode's first pieces and tail are on disk before this one ends.
    next_file_ready(dev_stack, job["id"], "S01E02")
    first_src = page.evaluate(f"document.querySelector('{VIDEO}').currentSrc")
    page.evaluate(f"document.querySelector('{VIDEO}').currentTime = {duration - 1.5}")
    up_next = page.get_by_test_id("up-next")
    expect(up_next).to_be_visible(timeout=15_000)
    shot(page, "watch-now-up-next")
    clicked, waited = time.monotonic(), len(waits)
    up_next.get_by_role("button", name=re.compile("Play now")).click()
    video_js(page, f"v.currentSrc && v.currentSrc !== {first_src!r} && !v.paused && v.currentTime > 0.1",
             timeout=15_000)
    next_playing = time.monotonic() - clicked
    assert "S01E02" in answers[-1]["path"], [a.get("path") for a in answers]
    assert waits[waited:] == []  # prefetched: the next episode's stream was ready when asked for
    assert "S01E02" in showing_cue(page, answers)
    shot(page, "watch-now-next-episode")
    print(f"\nwatch-now: press Play -> first frame {first_frame:.2f} s; next episode -> playing {next_playing:.2f} s;"
          f" download at {live['progress']:.0f}% when 2 s had played")
    assert page.errors == []


def drop_into_library(root: Path, source: Path) -> None:
    """Copied an hour old: the scanner leaves files alone while they may still be being written."""
    target = root / "Movies" / source.name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    then = time.time() - 3600
    os.utime(target, (then, then))


def scanned_item(api: Api, file_name: str, timeout: float = 60) -> dict:
    status, scan = api.call("POST", "/api/v1/library/rescan", {})
    assert status == 202, scan
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        items = api.get("/api/v1/library?pageSize=100")["items"]
        found = [item for item in items if item["fileName"] == file_name]
        if found:
            return found[0]
        time.sleep(0.5)
    raise AssertionError(f"{file_name} was not indexed (scan {api.get('/api/v1/library/scans/' + scan['id'])})")


@pytest.mark.parametrize("make, kind", [(hevc_ac3, "hls"), (h264_dts, "hls_audio")], ids=["hevc-ac3", "h264-dts"])
def test_a_file_the_browser_cannot_decode_plays_through_the_hls_fallback(dev_stack, page: Page, api: Api, make, kind):
    source = make()
    drop_into_library(dev_stack.library, source)
    item = scanned_item(api, source.name)
    page.goto(f"{dev_stack.base}/app/watch/{item['id']}")
    expect(page.get_by_test_id("player-stage")).to_have_attribute("data-mode", "hls", timeout=30_000)
    video_js(page, "!v.paused && v.currentTime > 1.5", timeout=60_000)
    stream = api.get(f"/api/v1/library/{item['id']}/stream")  # the server's own choice for this file
    assert stream["mode"] == "hls" and stream["ready"], stream
    assert stream["kind"] == kind, stream  # the full transcode for HEVC, the audio-only variant for DTS
    shot(page, f"watch-fallback-{kind}")
    assert page.errors == []


def worker_pid(stack_pid: int) -> int:
    """The stack supervisor's child running ``python -m worker``."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().split(b"\0")
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        if ppid == stack_pid and cmdline[1:3] == [b"-m", b"worker"]:
            return int(entry.name)
    raise AssertionError("the stack runs no worker")


def test_killing_the_worker_while_streaming_loses_nothing(dev_stack, page: Page, api: Api, peers: Seeder):
    peers.set_upload_rate(KILL_RATE)
    seeded = seed(peers, single_episode(3))
    add_magnet(page, dev_stack.base, seeded.magnet)
    job = job_of(api, seeded)
    press_play_on_download(page, seeded.name, job["id"])
    video_js(page, "!v.paused && v.currentTime > 1", timeout=30_000)

    before = worker_pid(dev_stack.proc.pid)
    buffered = video_js(page, "v.buffered.length && v.buffered.end(v.buffered.length - 1)")
    os.kill(before, signal.SIGKILL)
    killed = time.monotonic()
    assert api.get(f"/api/v1/downloads/{job['id']}")["status"] != "completed"
    shot(page, "watch-now-worker-killed")

    # Past what the browser held when the worker died: the restarted worker served the rest.
    video_js(page, f"!v.paused && v.currentTime > {buffered + 2}", timeout=60_000)
    resumed = time.monotonic() - killed
    after = worker_pid(dev_stack.proc.pid)
    assert after != before
    deadline = time.monotonic() + 60
    while (status := api.get(f"/api/v1/downloads/{job['id']}")["status"]) != "completed":
        assert status not in ("failed", "cancelled") and time.monotonic() < deadline, status
        time.sleep(0.5)
    shot(page, "watch-now-worker-restarted")
    print(f"\nwatch-now: worker killed at {buffered:.1f} s buffered; played past it {resumed:.1f} s later")
    assert page.errors == []


def test_an_active_download_fits_the_dashboard_on_a_phone(dev_stack, page: Page, api: Api, peers: Seeder):
    """A release name is one long word: its card must truncate it, not widen the page past a 390 px phone."""
    peers.set_upload_rate(KILL_RATE // 4)  # still downloading while the dashboard is looked at
    seeded = seed(peers, single_episode(4))
    add_magnet(page, dev_stack.base, seeded.magnet)
    job_of(api, seeded)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{dev_stack.base}/app/dashboard")
    expect(page.get_by_role("list", name="Active downloads").get_by_role("listitem").first).to_be_visible(
        timeout=20_000)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the dashboard is {width}px wide in a 390px window"
