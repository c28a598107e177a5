"""Short real videos for the demo indexer (``make dev``) and the browser tests, made once by ffmpeg.

Each clip is cached in a directory keyed by a hash of its recipe (``Clip.key``): an unchanged recipe is
reused across runs, a changed one makes a new clip. Files are written under a temporary name and renamed
into place, so a reader never sees half a clip and two processes making the same one do not clash.

The demo set (``DEMO``, under ``.data/demo-media/``), all with a 440 Hz tone and film grain over the test
pattern (the pattern alone compresses to almost nothing, so no release would take any time to download):

- ``movie_mp4``: H.264 + AAC in MP4 with ``moov`` first (plays in the browser at once, also while downloading);
- ``movie_subs_mkv``: H.264 + AAC in MKV with an embedded English SubRip track (remux; embedded subtitles);
- ``movie_hevc_mkv``: HEVC + AC3 in MKV (a browser decodes neither: the full HLS transcode);
- ``movie_dts_mkv``: H.264 + DTS in MKV (the audio-only HLS variant);
- ``episode_mp4(n)``: four H.264 + AAC episode clips (a hue each), reused for every episode of every show.

``ensure_demo()`` makes whatever is missing (about 20 s on two cores the first time); ``demo_clip(name)``
waits for one of them. ``python -m embedded.demo_media`` makes them and prints what it made.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from embedded.services import ROOT

DEMO_CACHE = ROOT / ".data" / "demo-media"
CUE_SECONDS = 2


@dataclass(frozen=True)
class Clip:
    name: str  # file name, e.g. Slow.Horses.S01E01.720p.WEB-DL.x264-GRP.mp4
    seconds: int
    video: tuple[str, ...]  # ffmpeg video codec options
    audio: tuple[str, ...]  # ffmpeg audio codec options
    size: str = "640x360"
    pattern: str = "testsrc2"  # lavfi source
    extra: tuple[str, ...] = ()  # muxer options
    subtitles: str = ""  # the label of an embedded SubRip track ("" for none)

    def key(self) -> str:
        fields = asdict(self)
        if not self.subtitles:  # recipes from before subtitles existed keep their keys (and their caches)
            fields.pop("subtitles")
        else:
            fields["whole"] = True  # made without -shortest (it cut the file at the last cue's start)
        return hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).hexdigest()[:12]


H264 = ("-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", "48",
        "-b:v", "2200k", "-maxrate", "2400k", "-bufsize", "4800k")
AAC = ("-c:a", "aac", "-b:a", "128k", "-ac", "2")
# The demo's bitrate: ~1.1 Mbit/s, so a minute is ~8 MiB (some seconds to download from the demo peer).
H264_DEMO = ("-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", "48",
             "-b:v", "1000k", "-maxrate", "1100k", "-bufsize", "2200k")
AAC_DEMO = ("-c:a", "aac", "-b:a", "96k", "-ac", "2")
HEVC = ("-c:v", "libx265", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-x265-params", "log-level=error")
FASTSTART = ("-movflags", "+faststart")


def grain(number: int, size: str = "640x360") -> str:
    """The test pattern with film grain (keeps the encoder near its bitrate) in hue ``number``."""
    return f"testsrc2=rate=24:size={size},noise=alls=24:allf=t+u,hue=h={number * 90}"


def srt(seconds: int, label: str) -> str:
    """SubRip cues covering ``seconds``, one every ``CUE_SECONDS``: "<label> · line <n>"."""
    def stamp(t: int) -> str:
        return f"{t // 3600:02d}:{t // 60 % 60:02d}:{t % 60:02d},000"

    cues = []
    for index, start in enumerate(range(0, seconds, CUE_SECONDS), 1):
        end = min(start + CUE_SECONDS, seconds)
        cues.append(f"{index}\n{stamp(start)} --> {stamp(end)}\n{label} · line {index}\n")
    return "\n".join(cues)


def encode(clip: Clip, out: Path) -> None:
    """Make ``clip`` at ``out`` (written under a temporary name, then renamed into place)."""
    source = clip.pattern if "=" in clip.pattern else f"{clip.pattern}=rate=24:size={clip.size}"
    partial = out.with_name(f"{out.name}.{os.getpid()}.{threading.get_ident()}.part{out.suffix}")
    inputs = ["-f", "lavfi", "-i", f"{source},trim=duration={clip.seconds}",
              "-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=48000:duration={clip.seconds}"]
    maps: list[str] = []
    cues = None
    if clip.subtitles:
        cues = partial.with_suffix(".srt")
        cues.write_text(srt(clip.seconds, clip.subtitles), encoding="utf-8")
        inputs += ["-i", str(cues)]
        maps = ["-map", "0:v", "-map", "1:a", "-map", "2:s", "-c:s", "srt", "-metadata:s:s:0", "language=eng"]
    # Both lavfi inputs are trimmed to the clip's length already. -shortest would also end the file at the
    # subtitle stream's last packet, the START of the last cue: a subtitled file would look truncated.
    shortest = [] if clip.subtitles else ["-shortest"]
    command = ["ffmpeg", "-nostdin", "-v", "error", "-y", *inputs, *maps,
               *clip.video, *clip.audio, *clip.extra, *shortest, str(partial)]
    try:
        subprocess.run(command, check=True, timeout=180)
        partial.rename(out)
    finally:
        partial.unlink(missing_ok=True)
        if cues is not None:
            cues.unlink(missing_ok=True)


def clip_file(clip: Clip, cache: Path, subdir: str = "") -> Path:
    """The clip's path under ``cache`` (made once)."""
    folder = cache / clip.key() / subdir
    path = folder / clip.name
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        encode(clip, path)
    return path


def probe(path: Path) -> dict:
    """ffprobe's streams and format of ``path`` (to check what a recipe made)."""
    out = subprocess.run(["ffprobe", "-v", "error", "-print_format", "json", "-show_streams", "-show_format",
                          str(path)], check=True, capture_output=True, timeout=60).stdout
    return json.loads(out)


# --- the demo set ----------------------------------------------------------------------------------------

MOVIE_SECONDS = 90
EPISODE_SECONDS = 45
EPISODE_CLIPS = 4


def episode_mp4(number: int) -> Clip:
    """Episode clip ``number`` (1..EPISODE_CLIPS): H.264 + AAC MP4, moov first."""
    return Clip(f"demo-episode-{number}.mp4", EPISODE_SECONDS, H264_DEMO, AAC_DEMO, pattern=grain(number),
                extra=FASTSTART)


DEMO: dict[str, Clip] = {
    "movie_mp4": Clip("demo-movie.mp4", MOVIE_SECONDS, H264_DEMO, AAC_DEMO, pattern=grain(0), extra=FASTSTART),
    "movie_subs_mkv": Clip("demo-movie-subs.mkv", MOVIE_SECONDS, H264_DEMO, AAC_DEMO, pattern=grain(1),
                           subtitles="Demo subtitles"),
    "movie_hevc_mkv": Clip("demo-movie-hevc.mkv", 30, HEVC, ("-c:a", "ac3", "-b:a", "128k", "-ac", "2"),
                           pattern=grain(2, "480x270")),
    "movie_dts_mkv": Clip("demo-movie-dts.mkv", 30, H264_DEMO, ("-c:a", "dca", "-strict", "-2", "-ac", "2"),
                          pattern=grain(3, "480x270")),
    **{f"episode_{n}": episode_mp4(n) for n in range(1, EPISODE_CLIPS + 1)},
}

class ClipNotReady(Exception):
    """A demo clip is not made yet, or ffmpeg failed to make it (the message says which)."""


_lock = threading.Lock()
_made = threading.Condition(_lock)
_failed: dict[str, str] = {}


def ensure_demo(cache: Path = DEMO_CACHE) -> dict[str, Path]:
    """Make every missing demo clip (most wanted first); returns them by name. Clips of recipes that
    changed since are removed."""
    prune(cache)
    paths = {}
    for name, clip in DEMO.items():
        try:
            paths[name] = clip_file(clip, cache)
        except (OSError, subprocess.SubprocessError) as exc:
            with _lock:
                _failed[name] = str(exc)[:300]
        with _made:
            _made.notify_all()
    return paths


def prune(cache: Path) -> list[str]:
    """Remove the clip folders no current recipe makes (a recipe's key is 12 hex digits); returns their names."""
    keep = {clip.key() for clip in DEMO.values()}
    stale = [p for p in (cache.iterdir() if cache.is_dir() else ())
             if p.is_dir() and re.fullmatch(r"[0-9a-f]{12}", p.name) and p.name not in keep]
    for folder in stale:
        shutil.rmtree(folder, ignore_errors=True)
    return [p.name for p in stale]


def start_background(cache: Path = DEMO_CACHE) -> threading.Thread:
    """``ensure_demo`` in a thread: ``make dev`` starts at once; a search waits for a clip it needs."""
    thread = threading.Thread(target=ensure_demo, args=(cache,), name="demo-media", daemon=True)
    thread.start()
    return thread


def demo_clip(name: str, cache: Path = DEMO_CACHE, timeout: float = 60.0) -> Path:
    """The cached demo clip ``name`` (a key of ``DEMO``), waiting up to ``timeout`` s for the background
    encoder; ClipNotReady if it is not there by then or ffmpeg failed to make it."""
    clip = DEMO[name]
    path = cache / clip.key() / clip.name
    deadline = time.monotonic() + timeout
    with _made:
        while not path.exists():
            if name in _failed:
                raise ClipNotReady(f"ffmpeg could not make the demo clip {name}: {_failed[name]}")
            left = deadline - time.monotonic()
            if left <= 0:
                raise ClipNotReady(f"the demo clip {name} is not made yet")
            _made.wait(min(left, 0.5))
    return path


if __name__ == "__main__":
    began = time.monotonic()
    for name, made in ensure_demo().items():
        print(f"{name}: {made} ({made.stat().st_size / 1048576:.1f} MiB)")
    print(f"{time.monotonic() - began:.1f} s; failed: {_failed or 'none'}")
