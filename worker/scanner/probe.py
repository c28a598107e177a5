"""ffprobe: what is inside a media file.

``probe`` runs ``ffprobe -print_format json -show_format -show_streams``
with a timeout and trims the answer to what the library needs: container,
duration, resolution, codecs, audio languages and the embedded subtitle
tracks. A file ffprobe cannot read (junk with a video extension, a truncated
download) is never an exception here: the result carries ``error`` and as
much as was known, and the file is indexed flagged. An empty file or one that
cannot be opened is flagged without starting ffprobe at all (``readable``
tells the indexer whether there are bytes to store).
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from chalicelib import jsondepth

# ffprobe's format_name lists every name a demuxer answers to; the extension picks among them.
_CONTAINERS = {"matroska": "mkv", "webm": "webm", "mov": "mp4", "mp4": "mp4", "avi": "avi", "mpegts": "ts",
               "mpeg": "mpeg", "asf": "wmv", "flv": "flv", "ogg": "ogg"}
_EXTENSION_CONTAINERS = {".mkv": "mkv", ".webm": "webm", ".mp4": "mp4", ".m4v": "mp4", ".mov": "mov",
                         ".avi": "avi", ".ts": "ts", ".m2ts": "ts", ".mts": "ts", ".wmv": "wmv", ".mpg": "mpeg",
                         ".mpeg": "mpeg", ".flv": "flv", ".ogv": "ogg", ".3gp": "mp4"}
TextFormat = Literal["srt", "ass", "ssa", "vtt", "mov_text"]
TEXT_SUBTITLE_CODECS: dict[str, TextFormat] = {"subrip": "srt", "srt": "srt", "ass": "ass", "ssa": "ssa",
                                               "webvtt": "vtt", "mov_text": "mov_text"}
MAX_ERROR = 500
TAIL_SECONDS = 10.0  # how much of the end is read to see whether the file is complete
TAIL_TOLERANCE = 1.0  # seconds between the last video packet and the stated end that are normal


@dataclass(frozen=True)
class ProbeResult:
    summary: dict[str, Any] | None  # trimmed ffprobe answer, None when nothing was readable
    error: str | None = None  # why the file is flagged
    readable: bool = True  # False: the file could not be opened, there is nothing to store


def precheck(path: Path) -> ProbeResult | None:
    """Flag an empty or unopenable file without asking ffprobe (None: worth probing)."""
    try:
        size = path.stat().st_size
        with open(path, "rb") as handle:
            handle.read(1)
    except OSError as exc:  # permissions, a directory, an I/O error, gone since the walk
        return ProbeResult(None, f"unreadable: {exc.strerror or type(exc).__name__}", readable=False)
    return ProbeResult(None, "empty file") if size == 0 else None  # a placeholder or an interrupted copy


def probe(path: Path, ffprobe: str = "ffprobe", timeout: float = 60.0) -> ProbeResult:
    """Probe ``path``; never raises for a bad file, a missing ffprobe or a hang (timeout)."""
    flagged = precheck(path)
    if flagged is not None:
        return flagged
    command = [ffprobe, "-v", "error", "-print_format", "json", "-show_format", "-show_streams", str(path)]
    try:
        done = subprocess.run(command, capture_output=True, timeout=timeout, check=False)
    except FileNotFoundError:
        return ProbeResult(None, f"ffprobe not found ({ffprobe})")
    except subprocess.TimeoutExpired:
        return ProbeResult(None, f"ffprobe timed out after {timeout:g} s")
    stderr = done.stderr.decode(errors="replace").strip()
    try:
        data = jsondepth.loads(done.stdout or b"{}")  # a file's tags are a stranger's text
    except ValueError:
        data = {}
    summary = summarise(data, path.suffix.lower()) if data.get("streams") or data.get("format") else None
    if done.returncode != 0 or summary is None:
        return ProbeResult(summary, _short(stderr) or f"ffprobe exited with {done.returncode}")
    problem = _problem(summary, stderr) or _truncated(path, summary, ffprobe, timeout)
    return ProbeResult(summary, problem)


def _truncated(path: Path, summary: dict[str, Any], ffprobe: str, timeout: float) -> str | None:
    """A header can promise two hours that the file no longer holds (a cut-off copy or download):
    read the video packets of the last seconds and see where the data really ends."""
    duration = summary.get("duration") or 0.0
    start = max(0.0, duration - TAIL_SECONDS)
    command = [ffprobe, "-v", "error", "-read_intervals", f"{start:.3f}%", "-select_streams", "v:0",
               "-show_entries", "packet=pts_time", "-of", "csv=p=0", str(path)]
    try:
        done = subprocess.run(command, capture_output=True, timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None  # the main probe worked; a failing second look proves nothing
    times = [_number(line.strip().rstrip(",")) for line in done.stdout.decode(errors="replace").splitlines()]
    last = max((t for t in times if t is not None), default=None)
    if b"ended prematurely" in done.stderr or last is None or last + max(TAIL_TOLERANCE, duration * 0.02) < duration:
        ends = "no video data" if last is None else f"video data ends at {last:.1f} s"
        return f"truncated: {ends} of {duration:.1f} s"
    return None


def _short(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    return "; ".join(lines[-3:])[:MAX_ERROR]


def _problem(summary: dict[str, Any], stderr: str) -> str | None:
    """Readable but damaged: no video, no duration, or ffprobe complained (truncated, corrupt)."""
    if summary.get("videoCodec") is None:
        return "no video stream"
    if stderr:
        return _short(stderr)
    if not summary.get("duration"):
        return "unknown duration (truncated?)"
    return None


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number >= 0 and number == number and number != float("inf") else None


def container_of(format_name: str | None, extension: str) -> str | None:
    names = [n.strip() for n in (format_name or "").split(",") if n.strip()]
    by_extension = _EXTENSION_CONTAINERS.get(extension)
    if by_extension and (not names or any(_CONTAINERS.get(n) == by_extension or n == by_extension
                                          for n in names)):
        return by_extension
    for name in names:
        if name in _CONTAINERS:
            return _CONTAINERS[name]
    return names[0] if names else by_extension


def _tags(stream: dict[str, Any]) -> dict[str, str]:
    return {str(k).lower(): str(v) for k, v in (stream.get("tags") or {}).items()}


def summarise(data: dict[str, Any], extension: str = "") -> dict[str, Any]:
    """The library's view of an ffprobe JSON answer."""
    streams = data.get("streams") or []
    fmt = data.get("format") or {}
    video = next((s for s in streams if s.get("codec_type") == "video"
                  and not (s.get("disposition") or {}).get("attached_pic")), None)
    audio = [s for s in streams if s.get("codec_type") == "audio"]
    duration = _number(fmt.get("duration")) or (_number(video.get("duration")) if video else None)
    return {
        "container": container_of(fmt.get("format_name"), extension),
        "formatName": fmt.get("format_name"),
        "duration": round(duration, 3) if duration else None,
        "bitRate": int(_number(fmt.get("bit_rate")) or 0) or None,
        "width": int(video["width"]) if video and video.get("width") else None,
        "height": int(video["height"]) if video and video.get("height") else None,
        "videoCodec": video.get("codec_name") if video else None,
        "audioCodecs": [s.get("codec_name") for s in audio if s.get("codec_name")],
        "audioLanguages": [_tags(s).get("language", "und") for s in audio],
        "audioDefault": next((n for n, s in enumerate(audio) if (s.get("disposition") or {}).get("default")), None),
        "pixFmt": video.get("pix_fmt") if video else None,
        "subtitles": [_subtitle(s) for s in streams if s.get("codec_type") == "subtitle"],
        "streams": len(streams),
    }


def _subtitle(stream: dict[str, Any]) -> dict[str, Any]:
    tags, disposition = _tags(stream), stream.get("disposition") or {}
    return {"index": stream.get("index"), "codec": stream.get("codec_name"), "language": tags.get("language", "und"),
            "title": tags.get("title"), "default": bool(disposition.get("default")),
            "forced": bool(disposition.get("forced")), "text": stream.get("codec_name") in TEXT_SUBTITLE_CODECS}
