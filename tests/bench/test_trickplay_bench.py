"""Scrub previews (issue 38, item 3): the worker's one-pass trickplay vs a plain ffmpeg decode of the file.

The subject is ``worker.media.trickplay.make`` on a generated 720p H.264 film (a frame every 10 s, scaled to
240 wide, tiled 10 x 10 into JPEG sprites), exactly as the worker runs it (niced, two decoder threads). The
reference decodes the same file's video with the same threads and priority and writes nothing
(``-f null``): the least any preview maker must do. The report gives the ratio (goal <= 1.5: the thumbnails
cost little beyond the decode) and generation time per hour of video.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest

from worker.media import trickplay
from worker.media.tools import Tools

from .conftest import bench_size, benchmark_stats, measure

ROOT = Path(__file__).resolve().parents[2]
SECONDS = bench_size(180, 12)
SIZE = bench_size("1280x720", "320x180")
ROUNDS = bench_size(3, 1)
GOAL = 1.5


@pytest.fixture(scope="module")
def film() -> Path:
    """A 24 fps H.264/AAC film at ~4 Mbit/s with film grain (so decoding costs about what a real one does),
    cached by recipe."""
    recipe = hashlib.sha256(f"{SECONDS}|{SIZE}|v2".encode()).hexdigest()[:12]
    path = ROOT / ".data" / "bench-media" / f"trickplay-{recipe}.mp4"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".part.mp4")
        subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i",
                        f"testsrc2=size={SIZE}:rate=24:duration={SECONDS},noise=alls=8:allf=t",
                        "-f", "lavfi", "-i", f"sine=frequency=440:duration={SECONDS}",
                        "-c:v", "libx264", "-preset", "ultrafast", "-b:v", "4M", "-maxrate", "4M",
                        "-bufsize", "8M", "-g", "96", "-pix_fmt", "yuv420p",
                        "-c:a", "aac", "-shortest", str(partial)], check=True, timeout=1800)
        partial.rename(path)
    return path


def test_trickplay_generation_vs_a_plain_decode(benchmark, report, film, tmp_path):
    tools = Tools()
    out = tmp_path / "sprites"
    sheets: list[trickplay.Sheet] = []

    def generate() -> None:
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir()
        sheets.append(trickplay.make(film, out, tools))

    benchmark.pedantic(generate, rounds=ROUNDS)
    decode = [tools.ffmpeg, "-nostdin", "-v", "error", "-threads", str(tools.threads), "-i", str(film),
              "-map", "0:v:0", "-f", "null", "-"]
    reference = measure(lambda: tools.run(decode), rounds=ROUNDS, warmup=0)
    sheet = sheets[-1]
    assert abs(sheet.count - SECONDS / trickplay.INTERVAL) <= 1, sheet  # a thumbnail per interval, really made
    assert all((out / name).stat().st_size > 0 for name in sheet.sprites())
    subject = benchmark_stats(benchmark)
    per_hour = subject["median"] * 3600 / SECONDS
    benchmark.extra_info["trickplay_vs_decode"] = report.ratio(
        "trickplay sprites + WebVTT vs a plain decode of the same file", subject, reference,
        subject_label=f"one ffmpeg pass: fps=1/{trickplay.INTERVAL}, scale={trickplay.WIDTH}, "
                      f"tile={trickplay.COLS}x{trickplay.ROWS} (niced, {tools.threads} threads)",
        reference_label="ffmpeg -f null decode of the video, same threads and priority",
        goal=GOAL, film_seconds=SECONDS, film_size=SIZE, thumbnails=sheet.count)
    report.figure("trickplay generation per hour of video (seconds, median)",
                  seconds_per_hour=round(per_hour, 1), decode_seconds_per_hour=round(
                      reference["median"] * 3600 / SECONDS, 1), film_size=SIZE)
