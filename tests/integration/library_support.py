"""Helpers for the library tests and bench: real little videos made by ffmpeg, a
library tree around them, and the real worker scanner running in-process
against the moto server (its events applied by the app's own SQS handler).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

SRT = """1
00:00:00,000 --> 00:00:01,000
Wake up, Neo.

2
00:00:01,000 --> 00:00:02,000
The Matrix has <i>you</i>.
"""

ASS = """[Script Info]
ScriptType: v4.00+

[V4+ Styles]
Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, \
Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, \
MarginV, Encoding
Style: Default,Arial,20,&H00FFFFFF,&H000000FF,&H00000000,&H00000000,0,0,0,0,100,100,0,0,1,2,2,2,10,10,10,1

[Events]
Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text
Dialogue: 0,0:00:00.00,0:00:01.50,Default,,0,0,0,,Folge dem weißen Kaninchen.
"""


def ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", *args], check=True, timeout=120)


def make_video(path: Path, container: str = "matroska", seconds: int = 2, language: str = "eng") -> Path:
    """A real H.264/AAC video (testsrc + sine) of ``seconds`` at 320x240."""
    path.parent.mkdir(parents=True, exist_ok=True)
    ffmpeg("-f", "lavfi", "-i", f"testsrc=duration={seconds}:size=320x240:rate=24", "-f", "lavfi",
           "-i", f"sine=duration={seconds}", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
           "-c:a", "aac", "-shortest", "-metadata:s:a:0", f"language={language}", "-f", container, str(path))
    return path


def make_video_with_subtitles(path: Path, source: Path, srt: Path) -> Path:
    """``source`` with ``srt`` muxed in as an embedded (subrip) German track."""
    ffmpeg("-i", str(source), "-i", str(srt), "-map", "0", "-map", "1", "-c", "copy", "-c:s", "srt",
           "-metadata:s:s:0", "language=ger", str(path))
    return path


def media_cache(root: Path) -> dict[str, Path]:
    """The few real videos every tree is made of (made once per directory)."""
    root.mkdir(parents=True, exist_ok=True)
    mkv, mp4 = root / "base.mkv", root / "base.mp4"
    if not mkv.exists():
        make_video(mkv)
    if not mp4.exists():
        make_video(mp4, container="mp4")
    srt = root / "base.srt"
    srt.write_text(SRT, encoding="utf-8")
    subbed = root / "subbed.mkv"
    if not subbed.exists():
        make_video_with_subtitles(subbed, mkv, srt)
    return {"mkv": mkv, "mp4": mp4, "subbed": subbed, "srt": srt}


def place(source: Path, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return target


def build_tree(root: Path, media: dict[str, Path], outside: Path) -> dict[str, Path]:
    """The test library: movies, Season folders, anime numbering, sidecars, junk and an escaping symlink."""
    files = {
        "matrix": place(media["mkv"], root / "Movies/The Matrix (1999)/The.Matrix.1999.1080p.BluRay.x264-GROUP.mkv"),
        "inception": place(media["mp4"], root / "Movies/Inception (2010)/Inception (2010).mp4"),
        "bb1": place(media["mkv"], root / "TV/Breaking Bad/Season 1/Breaking Bad - S01E01 - Pilot.mkv"),
        "bb2": place(media["subbed"], root / "TV/Breaking Bad/Season 1/Breaking Bad - S01E02.mkv"),
        "jjk": place(media["mkv"], root / "Anime/Jujutsu Kaisen/Season 2/[SubsPlease] Jujutsu Kaisen - 30 (1080p).mkv"),
        "home": place(media["mp4"], root / "Home Videos/qzv clip birthday.mp4"),
    }
    movie_dir = files["matrix"].parent
    (movie_dir / "The.Matrix.1999.1080p.BluRay.x264-GROUP.en.srt").write_text(SRT, encoding="utf-8")
    (movie_dir / "The.Matrix.1999.1080p.BluRay.x264-GROUP.de.forced.ass").write_text(ASS, encoding="utf-8")
    (movie_dir / "The.Matrix.1999.1080p.BluRay.x264-GROUP.nfo").write_text("<movie/>", encoding="utf-8")
    junk = root / "Movies/Broken (2001)/Broken (2001).mkv"
    junk.parent.mkdir(parents=True, exist_ok=True)
    junk.write_bytes(os.urandom(4096))
    files["junk"] = junk
    truncated = root / "Movies/Aliens (1986)/Aliens (1986).mkv"
    truncated.parent.mkdir(parents=True, exist_ok=True)
    truncated.write_bytes(media["mkv"].read_bytes()[: media["mkv"].stat().st_size // 3])
    files["truncated"] = truncated
    outside.mkdir(parents=True, exist_ok=True)
    secret = place(media["mkv"], outside / "Secret (2020).mkv")
    (root / "Movies/Secret (2020).mkv").symlink_to(secret)
    (root / "Linked").symlink_to(outside, target_is_directory=True)
    return files


def age(paths: list[Path] | Path, seconds: float = 60) -> None:
    """Make files look settled (modified ``seconds`` ago) so the scanner does not wait for them."""
    import time

    for path in [paths] if isinstance(paths, Path) else paths:
        then = time.time() - seconds
        os.utime(path, (then, then), follow_symlinks=False)


def worker_ctx(staging: Path, roots: list[Path], **env: str) -> Any:
    """A worker context like ``python -m worker`` builds (moto AWS from this process's env), no database."""
    from chalicelib import aws
    from chalicelib.config import WorkerSettings
    from chalicelib.logs import worker_logger
    from worker.context import WorkerContext

    settings = WorkerSettings.from_env({
        **os.environ, "SEEN_WORKER_ID": "library-test", "SEEN_STAGING_DIR": str(staging),
        "LIBRARY_ROOTS": ",".join(str(r) for r in roots), "LIBRARY_SETTLE_SECONDS": "0", **env})
    return WorkerContext(settings=settings, s3=aws.client("s3", transfers=True), sqs=aws.client("sqs"),
                         logger=worker_logger("WARNING"))


def scanner(staging: Path, roots: list[Path], **env: str) -> Any:
    from worker.scanner.loop import Scanner

    return Scanner(worker_ctx(staging, roots, **env))


def pump(app: Any) -> int:
    """Apply every queued worker event with the app's ``worker_events`` handler (as Lambda would)."""
    import threading

    from chalicelib import aws
    from embedded.lambdas import SqsPump

    sqs_pump = SqsPump(app, aws.client("sqs"), threading.Event(), lambda *a, **k: None)
    total = 0
    while True:
        done = sum(sqs_pump.run_once(config, wait_seconds=0) for config in sqs_pump.configs)
        total += done
        if done == 0:
            return total
