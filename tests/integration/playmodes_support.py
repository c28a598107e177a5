"""Helpers for the play-mode tests: short real clips in the codecs browsers cannot play, indexed by
the real scanner, and the worker's media loop running in-process against the moto server."""

from __future__ import annotations

import contextlib
import json
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from library_support import age, ffmpeg, pump, worker_ctx

from chalicelib import aws
from chalicelib.config import get_aws_settings
from chalicelib.messages import MediaPrepare, parse_command

SECONDS = 5
VIDEO = ["-f", "lavfi", "-i", f"testsrc=duration={SECONDS}:size=320x240:rate=24",
         "-f", "lavfi", "-i", f"sine=duration={SECONDS}:sample_rate=48000", "-shortest", "-pix_fmt", "yuv420p"]
CLIPS = {
    "hevc_ac3": ("Hevc Film (2001).mkv", ["-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "log-level=error",
                                          "-c:a", "ac3", "-f", "matroska"]),
    "h264_dts": ("Dts Film (2002).mkv", ["-c:v", "libx264", "-preset", "ultrafast", "-c:a", "dca", "-strict", "-2",
                                         "-f", "matroska"]),
    "h264_aac_mp4": ("Direct Film (2003).mp4", ["-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac",
                                                "-movflags", "+faststart", "-f", "mp4"]),
    "h264_aac_mkv": ("Remux Film (2004).mkv", ["-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac",
                                               "-f", "matroska"]),
    "h264_flac": ("Flac Film (2005).mkv", ["-c:v", "libx264", "-preset", "ultrafast", "-c:a", "flac",
                                           "-f", "matroska"]),
}


def make_clips(folder: Path) -> dict[str, Path]:
    """The test clips (made once per folder)."""
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for name, (file_name, args) in CLIPS.items():
        path = folder / file_name
        if not path.exists():
            ffmpeg(*VIDEO, *args, str(path))
        out[name] = path
    return out


def probe(path: Path) -> dict[str, Any]:
    done = subprocess.run(["ffprobe", "-v", "error", "-show_streams", "-show_format", "-of", "json", str(path)],
                          capture_output=True, check=True, timeout=60)
    data = json.loads(done.stdout)
    return {"video": [s["codec_name"] for s in data["streams"] if s["codec_type"] == "video"],
            "audio": [s["codec_name"] for s in data["streams"] if s["codec_type"] == "audio"],
            "duration": float(data["format"].get("duration") or 0),
            "height": next((s["height"] for s in data["streams"] if s["codec_type"] == "video"), None)}


def index(app: Any, tmp: Path, files: list[Path], **env: str) -> None:
    """Scan ``files`` (copied into a fresh library root) with the real scanner and apply its events."""
    import shutil

    from worker.scanner.loop import Scanner, ScanRequest

    root = tmp / "library"
    root.mkdir(exist_ok=True)
    for path in files:
        shutil.copyfile(path, root / path.name)
        age(root / path.name)
    scanner = Scanner(worker_ctx(tmp / "scan-staging", [root], **env))
    report = scanner.scan(ScanRequest())
    assert report.indexed == len(files), report
    pump(app)


def media_commands() -> list:
    """Every media.prepare now in the media queue (received and deleted; media.analyze, which indexing
    sends for scrub previews and intros, is drained with them and left out)."""
    from downloads_support import drain_queue

    commands = [parse_command(m["Body"]) for m in drain_queue(get_aws_settings().media_queue)]
    return [command for command in commands if isinstance(command, MediaPrepare)]


@contextlib.contextmanager
def media_worker(tmp: Path, **env: str) -> Iterator[Any]:
    """The worker's media loop on a thread (its context yielded), stopped at the end."""
    from worker.media import loop

    env = {"SEEN_COMMAND_WAIT": "1", "SEEN_TRANSCODE_PRESET": "ultrafast", **env}
    ctx = worker_ctx(tmp / "media-staging", [], **env)
    thread = threading.Thread(target=loop.run, args=(ctx,), name="media-test")
    thread.start()
    try:
        yield ctx
    finally:
        ctx.stopping.set()
        thread.join(30)
        assert not thread.is_alive(), "the media loop did not stop"


def until(app: Any, check: Callable[[], Any], seconds: float, what: str) -> Any:
    """Apply worker events until ``check`` returns something truthy."""
    deadline = time.monotonic() + seconds
    while True:
        pump(app)
        found = check()
        if found:
            return found
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def media_queue_url() -> str:
    return aws.queue_url(get_aws_settings().media_queue)
