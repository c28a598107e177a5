"""Real little videos for the Watch-now browser tests, made by ffmpeg and cached under .data/e2e-media/.

Each clip lives in a directory keyed by a hash of the parameters that made it, so a changed recipe makes
a new clip and an unchanged one is reused across runs (encoding takes a few seconds each).

- ``season_pack(n)``: ``Slow.Horses.S01.720p.WEB-DL.x264-GRP/`` with S01E01..S01E0n (a demo-catalog show,
  so the library matches them), H.264 + AAC in MP4 at ~2.4 Mbit/s (~10 MiB each), the ``moov`` atom at the
  END (no faststart: a player streaming it must fetch the file's tail first), and an English ``.srt``
  sidecar per episode whose cues cover the whole runtime.
- ``hevc_ac3()``: HEVC (libx265) + AC3 in MKV (a browser decodes neither: full HLS transcode).
- ``h264_dts()``: H.264 + DTS in MKV (video fine, audio not: the audio-only HLS variant).
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from embedded import demo_media
from embedded.demo_media import AAC, CUE_SECONDS, H264, Clip, probe
from embedded.services import ROOT

__all__ = ["AAC", "CACHE", "CUE_SECONDS", "H264", "PACK", "SHOW", "Clip", "clip_file", "episode", "h264_dts",
           "hevc_ac3", "probe", "season_pack", "single_episode"]

CACHE = ROOT / ".data" / "e2e-media"
SHOW = "Slow Horses"
PACK = "Slow.Horses.S01.720p.WEB-DL.x264-GRP"


def episode(number: int, seconds: int = 36) -> Clip:
    # Film grain (noise) keeps the encoder near its bitrate: the test pattern alone compresses to almost nothing.
    return Clip(f"Slow.Horses.S01E{number:02d}.720p.WEB-DL.x264-GRP.mp4", seconds, H264, AAC,
                pattern=f"testsrc2=rate=24:size=640x360,noise=alls=24:allf=t+u,hue=h={number * 90}")


def _srt(seconds: int, label: str) -> str:
    return demo_media.srt(seconds, label)


def clip_file(clip: Clip, subdir: str = "") -> Path:
    """The clip's path in the cache (made once; the encoder is the demo media's)."""
    return demo_media.clip_file(clip, CACHE, subdir)


def season_pack(episodes: int = 2) -> Path:
    """The season pack's directory (a torrent of it is a multi-file torrent named like the folder)."""
    clips = [episode(n) for n in range(1, episodes + 1)]
    key = hashlib.sha256("".join(c.key() for c in clips).encode()).hexdigest()[:12]
    folder = CACHE / f"pack-{key}" / PACK
    for number, clip in enumerate(clips, 1):
        video = folder / clip.name
        if not video.exists():
            folder.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(clip_file(clip), video)
        srt = folder / (Path(clip.name).stem + ".en.srt")
        if not srt.exists():
            srt.write_text(_srt(clip.seconds, f"Slow Horses S01E{number:02d}"), encoding="utf-8")
    return folder


def single_episode(number: int) -> Path:
    """One episode alone in a folder of its own (a single-file torrent of its own info hash)."""
    return clip_file(episode(number, seconds=36), subdir="single")


def hevc_ac3() -> Path:
    return clip_file(Clip("Blade.Runner.1982.720p.BluRay.x265-GRP.mkv", 10,
                          ("-c:v", "libx265", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
                           "-x265-params", "log-level=error"),
                          ("-c:a", "ac3", "-b:a", "192k", "-ac", "2"), size="320x240"))


def h264_dts() -> Path:
    return clip_file(Clip("Alien.1979.720p.BluRay.DTS.x264-GRP.mkv", 10,
                          ("-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"),
                          ("-c:a", "dca", "-strict", "-2", "-ac", "2"), size="320x240"))
