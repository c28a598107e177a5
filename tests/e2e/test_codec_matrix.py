"""Issue 34's codec matrix in Chromium: fourteen common container/codec mixes, each dropped into the library,
indexed by the real scanner, and played through the app's player page (the worker remuxes or transcodes what
the browser cannot decode) until the ``<video>``'s time advances.

The clips (``codec_matrix_media``) are scanned once; each is then played in a new tab of the one signed-in
browser. Besides "it plays", each checks the kind of stream the server settled on (so a file that only played
because the browser was lenient is caught), and the last clip checks that the default (second) audio track is
the one in the played MP4 and that its embedded SubRip cue is shown on the video.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from codec_matrix_media import MATRIX, SUBTITLE_LABEL, MatrixClip
from e2e_support import ARTIFACTS, Api, api_with_english_subtitles
from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

pytestmark = pytest.mark.e2e

VIDEO = "[data-testid=player-video]"
FOLDER = "Codec Matrix"
PLAYS_WITHIN_MS = 120_000  # a transcode waits for a media slot, the worker's poll and the first segments
timings: dict[str, float] = {}


@pytest.fixture(scope="module")
def api(dev_stack, signed_in, account) -> Api:
    """The page's user on the API; subtitles on in English, so the embedded track is picked."""
    return api_with_english_subtitles(dev_stack.base, account)


def _drop(root: Path, source: Path) -> None:
    """Copied an hour old: the scanner leaves files alone while they may still be being written."""
    target = root / FOLDER / source.name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    then = time.time() - 3600
    os.utime(target, (then, then))


@pytest.fixture(scope="module")
def matrix(dev_stack, api) -> dict[str, dict]:
    """Every clip in the library (one scan): clip id -> library item."""
    paths = {clip.id: clip.path() for clip in MATRIX}
    for path in paths.values():
        _drop(dev_stack.library, path)
    status, scan = api.call("POST", "/api/v1/library/rescan", {})
    assert status == 202, scan
    wanted = {path.name: clip_id for clip_id, path in paths.items()}
    found: dict[str, dict] = {}
    deadline = time.monotonic() + 180
    while len(found) < len(wanted):
        missing = sorted(set(wanted) - {item["fileName"] for item in found.values()})
        if time.monotonic() > deadline:
            raise AssertionError(f"not indexed: {missing} (scan {api.get('/api/v1/library/scans/' + scan['id'])})")
        for item in api.get("/api/v1/library?pageSize=100")["items"]:
            if item["fileName"] in wanted:
                found[wanted[item["fileName"]]] = item
        time.sleep(1)
    return found


def video_js(page: Page, expression: str, timeout: int):
    script = f"() => {{ const v = document.querySelector('{VIDEO}'); return v && ({expression}); }}"
    return page.wait_for_function(script, timeout=timeout).json_value()


def _why_not(page: Page, api: Api, item: dict) -> str:
    """What the page and the server said, for a clip that did not play."""
    state = page.evaluate(f"""() => {{ const v = document.querySelector('{VIDEO}');
        return v ? {{src: v.currentSrc, time: v.currentTime, paused: v.paused, ready: v.readyState,
                     error: v.error && v.error.message}} : document.body.innerText.slice(0, 400); }}""")
    status, stream = api.call("GET", f"/api/v1/library/{item['id']}/stream")
    return f"player: {state}; stream answer {status}: {json.dumps(stream)[:600]}"


def showing_cue(page: Page) -> str:
    """The text of the cue on screen (a subtitle track showing, with an active cue)."""
    return video_js(page, "Array.from(v.textTracks).filter(t => t.mode === 'showing' && t.activeCues "
                          "&& t.activeCues.length).map(t => t.activeCues[0].text)[0]", timeout=15_000)


def first_audio_language(url: str, scratch: Path) -> str | None:
    """The language of the first audio track of the MP4 the player was given (the one a <video> plays)."""
    import urllib.request

    target = scratch / "played.mp4"
    with urllib.request.urlopen(url, timeout=30) as response:
        target.write_bytes(response.read())
    out = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "a:0", "-show_entries", "stream_tags=language",
                          "-of", "json", str(target)], capture_output=True, check=True, timeout=60).stdout
    streams = json.loads(out)["streams"]
    return (streams[0].get("tags") or {}).get("language") if streams else None


@pytest.mark.parametrize("clip", MATRIX, ids=[clip.id for clip in MATRIX])
def test_every_file_of_the_codec_matrix_plays_in_chromium(dev_stack, page: Page, api: Api, matrix,
                                                          clip: MatrixClip, tmp_path):
    item = matrix[clip.id]
    assert (item["flagged"], item["probeError"]) == (False, None), item  # a clean file, not a damaged one
    started = time.monotonic()
    page.goto(f"{dev_stack.base}/app/watch/{item['id']}")
    try:
        video_js(page, "!v.paused && v.currentTime > 1.5", timeout=PLAYS_WITHIN_MS)
    except PlaywrightTimeout:
        page.screenshot(path=str(ARTIFACTS / f"codec-matrix-{clip.id}-failed.png"))
        raise AssertionError(f"{clip.id} did not play: {_why_not(page, api, item)}") from None
    timings[clip.id] = time.monotonic() - started
    stream = api.get(f"/api/v1/library/{item['id']}/stream")
    assert (stream["kind"], stream["ready"], stream["notice"]) == (clip.expected, True, None), stream
    if clip.id == "two-audio-subrip":
        assert SUBTITLE_LABEL in showing_cue(page)
        [track] = [t for t in stream["subtitles"] if t["source"] == "embedded"]
        assert (track["language"], track["label"]) == ("en", "English (embedded)")
        assert first_audio_language(stream["url"], tmp_path) == "ger"  # the file's default track, not the first
    page.screenshot(path=str(ARTIFACTS / f"codec-matrix-{clip.id}.png"))
    print(f"\ncodec matrix: {clip.id} ({stream['kind']}) playing {timings[clip.id]:.1f} s after opening the page")
    assert page.errors == []
