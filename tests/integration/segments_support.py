"""A generated season for the intro/credits tests: real H.264/AAC episodes made by ffmpeg's lavfi sources.

Every episode plays the SAME 20 s intro (picture and music) after a few seconds of its own (0, 5, 12, 8),
then content of its own, then the SAME 15 s credits to the end. The music is a tune of quarter-second notes
whose pitches come from a hash of the note number, so no stretch of it repeats (a periodic tone would match
itself at many shifts) and every part has a tune of its own. Episodes are cached by recipe under
``.data/segments-media`` (encoding a season takes a few seconds).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".data" / "segments-media"
INTRO_SECONDS = 20
CREDITS_SECONDS = 15
OFFSETS = (0, 5, 12, 8)
SIZE = "320x180"


@dataclass(frozen=True)
class Episode:
    path: Path
    intro_start: float
    intro_end: float
    credits_start: float
    credits_end: float


def tune(seed: int) -> str:
    """An aevalsrc expression: notes of 0.25 s over two octaves, pitches from a hash of the note number."""
    note = f"mod(floor(abs(sin(floor(t*4)*12.9898+{seed}*78.233)*43758.5453)),24)"
    pitch = f"220*pow(2,{note}/12)"
    return f"0.35*sin(2*PI*t*{pitch})+0.15*sin(3*PI*t*{pitch})"


def _part(seconds: float, picture: str, seed: int) -> list[str]:
    return ["-f", "lavfi", "-i", f"{picture}=size={SIZE}:rate=24:duration={seconds}",
            "-f", "lavfi", "-i", f"aevalsrc=exprs='{tune(seed)}':sample_rate=44100:duration={seconds}"]


def _parts(number: int, offset: int, seconds: int) -> list[tuple[float, str, int]]:
    body = seconds - offset - INTRO_SECONDS - CREDITS_SECONDS
    parts = [(offset, "testsrc2", 100 + number)] if offset else []
    return [*parts, (INTRO_SECONDS, "testsrc", 1), (body, "testsrc2", 200 + number),
            (CREDITS_SECONDS, "smptebars", 2)]


def make_episode(path: Path, number: int, offset: int, seconds: int = 90) -> None:
    parts = _parts(number, offset, seconds)
    inputs = [arg for length, picture, seed in parts for arg in _part(length, picture, seed)]
    streams = "".join(f"[{2 * n}:v][{2 * n + 1}:a]" for n in range(len(parts)))
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", *inputs, "-filter_complex",
                    f"{streams}concat=n={len(parts)}:v=1:a=1[v][a]", "-map", "[v]", "-map", "[a]",
                    "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", "48",
                    "-c:a", "aac", "-b:a", "96k", "-movflags", "+faststart", str(path)],
                   check=True, timeout=300)


def season(count: int = 3, seconds: int = 90, show: str = "Generated.Show") -> list[Episode]:
    """``count`` episodes (``Show.S01E0n.mp4``), made once per recipe and reused."""
    recipe = hashlib.sha256(f"{tune(0)}|{count}|{seconds}|{OFFSETS}|{SIZE}|v1".encode()).hexdigest()[:12]
    folder = CACHE / recipe
    folder.mkdir(parents=True, exist_ok=True)
    episodes = []
    for number, offset in zip(range(1, count + 1), OFFSETS, strict=False):
        path = folder / f"{show}.S01E{number:02d}.720p.WEB-DL.x264-GEN.mp4"
        if not path.exists():
            partial = path.with_suffix(f".{os.getpid()}.part.mp4")  # parallel workers may make it at once
            make_episode(partial, number, offset, seconds)
            partial.rename(path)
        episodes.append(Episode(path, offset, offset + INTRO_SECONDS, seconds - CREDITS_SECONDS, seconds))
    return episodes
