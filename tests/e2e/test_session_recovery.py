"""Issue 37 (item 1), sessions that recover, in Chromium against the `make dev` stack.

A film no demo release carries gets two releases on a fake Torznab indexer of this test (real HTTP, real Torznab
XML), each seeded by its own libtorrent peer on 127.0.0.1: the best one slowly (its download lasts well past the
first seconds of playback), the second one faster. The best is picked and played while it downloads; its seeder
stops mid-play. With the stall setting lowered to 5 s, the playback session switches to the second release: the
player continues at the second where it waited and plays on, the page says which release plays now and why, and
the pick history shows the replaced pick with the switch's reason.

Waits are explicit (``expect``/``wait_for_function`` with timeouts); nothing sleeps for a fixed time.
"""

from __future__ import annotations

import re
import shutil
import time
import uuid
from pathlib import Path

import psycopg
import pytest
from e2e_support import ARTIFACTS, Api, cancel_unfinished_downloads
from media_fixtures import AAC, CACHE, H264, Clip, clip_file
from playwright.sync_api import Page, expect

from embedded.fakes.torznab import FakeIndexer, FakeRelease
from embedded.testpeers import Seeded, Seeder, Tracker

pytestmark = pytest.mark.e2e

MiB = 1024 * 1024
SLOW_RATE = 420 * 1024  # a little above the clip's ~300 KB/s: playback starts, the buffer stays a few seconds ahead
FAST_RATE = 3 * MiB
STALL_SECONDS = 5
TITLE, YEAR = "A Film That Stalls", 2019
BEST = "A.Film.That.Stalls.2019.1080p.WEB-DL.x264-GRP"  # release names; their files are <name>.mp4
SECOND = "A.Film.That.Stalls.2019.720p.WEB-DL.x264-GRP"
VIDEO = "[data-testid=player-video]"

# Every media event of every <video> on the page, captured on the way down (they do not bubble): where the
# stalled video waited, and where the next one started.
WATCH_MEDIA = """() => {
  window.__media = [];
  for (const type of ['waiting', 'playing', 'timeupdate']) {
    document.addEventListener(type, (e) => {
      const v = e.target;
      if (v instanceof HTMLVideoElement) window.__media.push({ type, src: v.currentSrc, t: v.currentTime });
    }, true);
  }
}"""


def film_clip() -> Path:
    """90 s of H.264 + AAC at ~2.4 Mbit/s (~26 MiB): at SLOW_RATE its download lasts over a minute."""
    return clip_file(Clip("film-that-stalls.mp4", 90, H264, AAC,
                          pattern="testsrc2=rate=24:size=640x360,noise=alls=24:allf=t+u,hue=h=200"))


def release_file(name: str) -> Path:
    """The clip under a release's name, alone in a folder (a single-file torrent of its own info hash)."""
    path = CACHE / "session-recovery" / name / f"{name}.mp4"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(film_clip(), path)
    return path


def seed(seeder: Seeder, tracker: Tracker, path: Path, timeout: float = 15) -> Seeded:
    """Seeded, and announced: the downloader's first announce finds the peer."""
    seeded = seeder.seed(path, peer_in_magnet=True)
    deadline = time.monotonic() + timeout
    while not tracker.swarms.get(bytes.fromhex(seeded.info_hash)):
        assert time.monotonic() < deadline, "the seeder never announced"
        time.sleep(0.05)
    return seeded


@pytest.fixture(scope="module")
def api(dev_stack, signed_in, account) -> Api:
    return Api(dev_stack.base, account)


@pytest.fixture(scope="module")
def film(dev_stack, api):
    """The film, its two seeded releases on an indexer of this test; everything goes at the module's end."""
    imdb = f"tt98{uuid.uuid4().int % 100_000:05d}"
    tracker = Tracker()
    slow, fast = Seeder(tracker, upload_rate=SLOW_RATE), Seeder(tracker, upload_rate=FAST_RATE)
    best, second = seed(slow, tracker, release_file(BEST)), seed(fast, tracker, release_file(SECOND))
    indexer = FakeIndexer([
        FakeRelease(BEST, size=4_400_000_000, seeders=120, infohash=best.info_hash, magnet=best.magnet, imdbid=imdb,
                    category=2040),
        FakeRelease(SECOND, size=1_600_000_000, seeders=35, infohash=second.info_hash, magnet=second.magnet,
                    imdbid=imdb, category=2040),
    ], api_key=None).start()
    with psycopg.connect(dev_stack.database, autocommit=True) as conn:
        media_id = conn.execute(
            "INSERT INTO media_items (media_type, title, release_date, imdb_id, runtime_minutes, overview) "
            "VALUES ('movie', %s, %s, %s, 101, 'Its first seeder goes away.') RETURNING id",
            (TITLE, f"{YEAR}-05-01", imdb)).fetchone()[0]
        indexer_id = conn.execute(
            "INSERT INTO indexers (name, url, categories, enabled) VALUES (%s, %s, '{}', true) RETURNING id",
            (f"Stalling indexer {imdb}", indexer.url)).fetchone()[0]
    yield {"id": media_id, "best": best, "second": second, "slow": slow}
    cancel_unfinished_downloads(api)
    with psycopg.connect(dev_stack.database, autocommit=True) as conn:  # later tests see only the demo indexer
        conn.execute("DELETE FROM indexers WHERE id = %s", (indexer_id,))
    indexer.stop()
    for seeder in (slow, fast):
        seeder.close()
    tracker.close()


def media_events(page: Page, type_: str) -> list[dict]:
    return [e for e in page.evaluate("window.__media") if e["type"] == type_]


def test_a_torrent_whose_seeder_stops_mid_play_switches_to_the_second_release_at_the_same_second(
        dev_stack, page: Page, api: Api, film):
    status, settings = api.call("PATCH", "/api/v1/settings", {"stallSwitchSeconds": STALL_SECONDS})
    assert status == 200 and settings["stallSwitchSeconds"] == STALL_SECONDS, settings
    status, picked = api.call("POST", "/api/v1/picks", {"mediaId": film["id"]})
    assert status == 201, picked
    assert picked["pick"]["name"] == BEST, picked["pick"]  # the best-ranked release plays first
    first_job = picked["job"]["id"]

    page.add_init_script(f"({WATCH_MEDIA})()")
    page.goto(f"{dev_stack.base}/app/watch/download/{first_job}")
    script = f"() => {{ const v = document.querySelector('{VIDEO}'); return v && !v.paused && v.currentTime > 3; }}"
    page.wait_for_function(script, timeout=60_000)
    first_src = page.evaluate(f"document.querySelector('{VIDEO}').currentSrc")
    live = api.get(f"/api/v1/downloads/{first_job}")
    assert live["status"] != "completed" and live["progress"] < 100, live  # it plays while it downloads

    film["slow"].close()  # the best release's only seeder goes away mid-play
    stopped_at = live["progress"]
    page.wait_for_url(re.compile(rf"/app/watch/download/(?!{first_job})[0-9a-f-]{{36}}\?"), timeout=90_000)
    second_job = re.search(r"/app/watch/download/([0-9a-f-]{36})", page.url).group(1)
    session_id = re.search(r"[?&]session=([0-9a-f-]{36})", page.url).group(1)

    # The stalled video got no further than one second (a reload of its stream passes 0 on the way back); the
    # second release's video starts there and plays on.
    waited = max(e["t"] for e in media_events(page, "timeupdate") if e["src"] == first_src)
    assert waited > 3, waited
    resumed = page.wait_for_function(
        f"""() => {{ const v = document.querySelector('{VIDEO}');
                    return v && v.currentSrc && v.currentSrc !== {first_src!r} && !v.paused && v.readyState >= 3
                      && v.currentTime; }}""", timeout=60_000).json_value()
    assert abs(resumed - waited) <= 1.0, (waited, resumed)
    first_frame = next(e["t"] for e in media_events(page, "playing") if e["src"] and e["src"] != first_src)
    assert abs(first_frame - waited) <= 1.0, (waited, first_frame)
    page.wait_for_function(f"() => document.querySelector('{VIDEO}').currentTime > {resumed + 2}", timeout=30_000)

    notice = page.get_by_test_id("session-notice")
    expect(notice).to_have_text(f"Switched to {SECOND} — the previous one stalled")
    page.screenshot(path=str(ARTIFACTS / "session-recovery-switched.png"), full_page=True)

    session = api.get(f"/api/v1/playback/sessions/{session_id}")
    [switch] = session["switches"]
    assert (session["file"]["downloadId"], session["pick"]["name"], switch["release"]) == (
        second_job, SECOND, SECOND)
    assert abs(switch["positionSeconds"] - waited) <= 1.0, (switch, waited)
    history = api.get(f"/api/v1/picks?mediaId={film['id']}")
    assert (history["current"]["name"], history["current"]["reason"]) == (SECOND, "fallback")
    [replaced] = history["trail"]
    assert (replaced["name"], replaced["replacedBy"]) == (BEST, history["current"]["id"])
    assert re.fullmatch(rf"switched: the stream stalled {STALL_SECONDS} s at \d+:\d\d", replaced["replacedReason"])
    stalled_job = api.get(f"/api/v1/downloads/{first_job}")
    assert stalled_job["status"] == "cancelled" and stalled_job["progress"] < 100, stalled_job
    print(f"\nsession-recovery: seeder stopped at {stopped_at:.0f}% downloaded; waited at {waited:.1f} s, "
          f"the second release resumed at {resumed:.1f} s")
    assert page.errors == []
