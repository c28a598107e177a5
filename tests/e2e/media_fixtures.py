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
import json
import shutil
import subprocess
from dataclasses import asdict, dataclass
from pathlib import Path

from embedded.services import ROOT

CACHE = ROOT / ".data" / "e2e-media"
SHOW = "Slow Horses"
PACK = "Slow.Horses.S01.720p.WEB-DL.x264-GRP"
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

    def key(self) -> str:
        return hashlib.sha256(json.dumps(asdict(self), sort_keys=True).encode()).hexdigest()[:12]


H264 = ("-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", "48",
        "-b:v", "2200k", "-maxrate", "2400k", "-bufsize", "4800k")
AAC = ("-c:a", "aac", "-b:a", "128k", "-ac", "2")


def episode(number: int, seconds: int = 36) -> Clip:
    # Film grain (noise) keeps the encoder near its bitrate: the test pattern alone compresses to almost nothing.
    return Clip(f"Slow.Horses.S01E{number:02d}.720p.WEB-DL.x264-GRP.mp4", seconds, H264, AAC,
                pattern=f"testsrc2=rate=24:size=640x360,noise=alls=24:allf=t+u,hue=h={number * 90}")


def _encode(clip: Clip, out: Path) -> None:
    source = clip.pattern if "=" in clip.pattern else f"{clip.pattern}=rate=24:size={clip.size}"
    command = ["ffmpeg", "-nostdin", "-v", "error", "-y",
               "-f", "lavfi", "-i", f"{source},trim=duration={clip.seconds}",
               "-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=48000:duration={clip.seconds}",
               *clip.video, *clip.audio, *clip.extra, "-shortest", str(out)]
    partial = out.with_name(out.name + ".part" + out.suffix)
    command[-1] = str(partial)
    subprocess.run(command, check=True, timeout=180)
    partial.rename(out)


def _srt(seconds: int, label: str) -> str:
    def stamp(t: int) -> str:
        return f"{t // 3600:02d}:{t // 60 % 60:02d}:{t % 60:02d},000"

    cues = []
    for index, start in enumerate(range(0, seconds, CUE_SECONDS), 1):
        end = min(start + CUE_SECONDS, seconds)
        cues.append(f"{index}\n{stamp(start)} --> {stamp(end)}\n{label} · line {index}\n")
    return "\n".join(cues)


def clip_file(clip: Clip, subdir: str = "") -> Path:
    """The clip's path in the cache (made once)."""
    folder = CACHE / clip.key() / subdir
    path = folder / clip.name
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        _encode(clip, path)
    return path


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


def probe(path: Path) -> dict:
    """ffprobe's streams and format of ``path`` (to check what a recipe made)."""
    out = subprocess.run(["ffprobe", "-v", "error", "-print_format", "json", "-show_streams", "-show_format",
                          str(path)], check=True, capture_output=True, timeout=60).stdout
    return json.loads(out)
