"""A generated clip for the subtitle-sync tests: speech-like bursts at known times, and an SRT for them.

The audio is faint noise with bursts of a warbling tone (its pitch moves like a voice's) at irregular times
and lengths, so exactly one shift lines a track up with them; the picture is a plain test pattern. The SRT
has one cue per burst, each shifted by ``shift`` seconds (a track 2.5 s late says ``shift=2.5``). Clips are
cached by recipe under ``.data/subsync-media`` (encoding one takes about a second).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".data" / "subsync-media"
SECONDS = 75
# (start, end) of each burst, in seconds: irregular gaps and lengths, as lines of dialogue are.
BURSTS = ((3.0, 4.6), (6.1, 6.9), (9.4, 12.2), (13.0, 13.7), (17.5, 19.9), (21.2, 22.0), (25.6, 28.8),
          (30.3, 31.1), (34.0, 35.4), (38.8, 41.9), (43.0, 43.8), (47.2, 49.0), (52.5, 55.6), (57.1, 57.8),
          (61.0, 63.3), (66.4, 67.2), (69.9, 72.5))


def _audio() -> str:
    gate = "+".join(f"between(t,{a},{b})" for a, b in BURSTS)
    voice = "0.45*sin(2*PI*t*(260+90*sin(2*PI*4*t)))+0.2*sin(2*PI*t*(780+150*sin(2*PI*3*t)))"
    return f"({gate})*({voice})+0.004*(2*random(0)-1)"


def clip(name: str = "Sync.Test.Movie.2024.mp4") -> Path:
    """The clip (H.264/AAC MP4, ``SECONDS`` long), made once per recipe."""
    recipe = hashlib.sha256(f"{_audio()}|{SECONDS}|v1".encode()).hexdigest()[:12]
    path = CACHE / recipe / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.part.mp4")  # parallel workers may make it at once
        subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y",
                        "-f", "lavfi", "-i", f"testsrc=size=160x90:rate=10:duration={SECONDS}",
                        "-f", "lavfi", "-i", f"aevalsrc=exprs='{_audio()}':sample_rate=44100:duration={SECONDS}",
                        "-map", "0:v", "-map", "1:a", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt",
                        "yuv420p", "-c:a", "aac", "-b:a", "96k", "-movflags", "+faststart", str(partial)],
                       check=True, timeout=300)
        partial.rename(path)
    return path


def _clock(seconds: float) -> str:
    millis = round(seconds * 1000)
    return f"{millis // 3_600_000:02d}:{millis // 60_000 % 60:02d}:{millis // 1000 % 60:02d},{millis % 1000:03d}"


def srt(shift: float) -> str:
    """One cue per burst, ``shift`` seconds late (negative: early)."""
    return "\n".join(f"{n}\n{_clock(a + shift)} --> {_clock(b + shift)}\nLine number {n}\n"
                     for n, (a, b) in enumerate(BURSTS, start=1))
