"""MP4 stream variants: browser codecs in a container the browser cannot open.

An MKV (or AVI, TS, MOV) whose video is H.264 and whose audio is AAC or MP3
plays in every browser once the same streams sit in an MP4. ffmpeg copies
them (``-c copy``, no re-encode, so it runs at disk speed) and moves the index
to the front (``-movflags +faststart``) so playback starts before the whole
file is fetched. Subtitle and attachment streams stay behind: subtitles are
served as WebVTT tracks instead.

Audio an MP4 cannot carry as it is (FLAC is "experimental" in ffmpeg's MP4
muxer, TrueHD, PCM, DTS...) is converted to AAC stereo when the media loop
makes the variant (``convert_audio``), so a remux never fails on it; the video
is still copied. The file's default audio track goes first (the one a
``<video>`` plays).
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from worker.priority import DEFAULT_NICE, run_niced

PLAYABLE_CONTAINERS = {"mp4": "video/mp4", "webm": "video/webm", "ogg": "video/ogg"}
OTHER_MIME_TYPES = {"mkv": "video/x-matroska", "avi": "video/x-msvideo", "ts": "video/mp2t", "mov": "video/quicktime",
                    "wmv": "video/x-ms-wmv", "mpeg": "video/mpeg", "flv": "video/x-flv"}
REMUX_VIDEO = {"h264"}
REMUX_AUDIO = {"aac", "mp3"}
REMUX_PIXEL_FORMATS = {None, "yuv420p", "yuvj420p"}  # 10-bit or 4:4:4 H.264 needs a transcode, not a copy
COPY_AUDIO = {"aac", "mp3", "opus"}  # audio ffmpeg copies into an MP4 that browsers play
REMUXABLE_CONTAINERS = {"mkv", "avi", "ts", "mov", "flv"}


class RemuxError(Exception):
    """ffmpeg could not make the variant (the original stays playable or not, as it was)."""


def mime_type(container: str | None) -> str:
    if container in PLAYABLE_CONTAINERS:
        return PLAYABLE_CONTAINERS[container]
    return OTHER_MIME_TYPES.get(container or "", "application/octet-stream")


def browser_playable(summary: dict[str, Any] | None) -> bool:
    """Whether the original file plays in a browser as it is (container and codecs)."""
    if not summary or summary.get("container") not in PLAYABLE_CONTAINERS:
        return False
    if summary.get("container") == "mp4":
        return summary.get("videoCodec") in ("h264", "av1", "vp9") and set(summary.get("audioCodecs") or ()) <= {
            "aac", "mp3", "opus", "flac"}
    return True


def needs_remux(summary: dict[str, Any] | None) -> bool:
    """Browser codecs in a container the browser cannot play."""
    if not summary or summary.get("container") not in REMUXABLE_CONTAINERS:
        return False
    audio = set(summary.get("audioCodecs") or ())
    return (summary.get("videoCodec") in REMUX_VIDEO and audio <= REMUX_AUDIO
            and summary.get("pixFmt") in REMUX_PIXEL_FORMATS)


def converts_audio(audio_codecs: list[str] | tuple[str, ...]) -> bool:
    """Whether a remux of these audio tracks converts them to AAC (some cannot be copied into an MP4)."""
    return not set(audio_codecs) <= COPY_AUDIO


def audio_maps(summary: dict[str, Any] | None, every: bool = True) -> list[str]:
    """``-map`` arguments for the audio: the default track first, then (``every``) the others."""
    count = len((summary or {}).get("audioCodecs") or ())
    if not count:
        return ["-map", "0:a?"] if every else ["-map", "0:a:0?"]
    first = (summary or {}).get("audioDefault") or 0
    order = [first, *(n for n in range(count) if n != first)] if every else [first]
    return [arg for n in order for arg in ("-map", f"0:a:{n}")]


def remux(source: Path, target: Path, ffmpeg: str = "ffmpeg", timeout: float = 3600.0,
          summary: dict[str, Any] | None = None, convert_audio: bool = False, nice: int = DEFAULT_NICE) -> None:
    """Copy the video and audio streams of ``source`` into the MP4 ``target`` (raises ``RemuxError``).

    ``convert_audio``: the audio becomes AAC stereo instead of a copy; ``summary`` (the probe) puts the
    default audio track first."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    audio = ["-c:a", "aac", "-ac", "2", "-b:a", "192k"] if convert_audio else ["-c:a", "copy"]
    command = [ffmpeg, "-nostdin", "-v", "error", "-y", "-i", str(source), "-map", "0:v:0", *audio_maps(summary),
               "-c:v", "copy", *audio, "-disposition:a", "0", "-disposition:a:0", "default",
               "-sn", "-dn", "-movflags", "+faststart", "-f", "mp4", str(partial)]
    try:
        done = run_niced(command, timeout, nice)  # a copy is cheap, an audio conversion is not
    except (OSError, subprocess.TimeoutExpired) as exc:
        partial.unlink(missing_ok=True)
        raise RemuxError(f"ffmpeg failed: {type(exc).__name__}") from exc
    if done.returncode != 0 or not partial.exists() or partial.stat().st_size == 0:
        partial.unlink(missing_ok=True)
        raise RemuxError(done.stderr.decode(errors="replace").strip()[-300:] or f"ffmpeg exited {done.returncode}")
    partial.replace(target)
