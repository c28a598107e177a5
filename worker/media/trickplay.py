"""Scrub previews (trickplay, issue 38 item 3): sprite sheets and a WebVTT thumbnails track.

One ffmpeg pass per file: ``fps=1/INTERVAL`` keeps a frame every ``INTERVAL`` seconds, ``scale`` makes it
``WIDTH`` wide, ``tile`` lays ``COLS`` x ``ROWS`` of them on one JPEG (the last sheet may be partly empty).
``showinfo`` between scale and tile reports every thumbnail kept, so the count and the thumbnail's height
come from ffmpeg itself rather than from a guess about the frame rate. The cost is one decode of the file:
only one frame in ``INTERVAL`` seconds is scaled and encoded. The WebVTT names each thumbnail as
``sprite_NNN.jpg#xywh=x,y,w,h``, relative to the track (the API serves it with presigned sprite URLs).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from worker.media.tools import ToolFailed, Tools

INTERVAL = 10
WIDTH = 240
COLS = 10
ROWS = 10
QUALITY = 5  # JPEG qscale (2 best .. 31 worst): thumbnails are small, a sheet of 100 stays ~200 KB
VTT = "thumbs.vtt"
SHEET = "sheet.json"  # stored last: its presence says every sprite and the track are stored
SPRITE_PATTERN = "sprite_%03d.jpg"
SHOWN = re.compile(r"\bn:\s*(\d+)\b.*?\bs:(\d+)x(\d+)")


@dataclass(frozen=True)
class Sheet:
    interval: int
    cols: int
    rows: int
    count: int
    width: int
    height: int

    def sprites(self) -> list[str]:
        per_sheet = self.cols * self.rows
        return [SPRITE_PATTERN % n for n in range((self.count + per_sheet - 1) // per_sheet)]

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str | bytes) -> Sheet | None:
        try:
            return cls(**{k: int(v) for k, v in json.loads(text).items()})
        except (ValueError, TypeError, AttributeError):
            return None


def command(source: Path, out: Path, tools: Tools, interval: int = INTERVAL) -> list[str]:
    chain = f"fps=1/{interval},scale={WIDTH}:-2,showinfo,tile={COLS}x{ROWS}"
    return [tools.ffmpeg, "-nostdin", "-hide_banner", "-nostats", "-threads", str(tools.threads),
            "-i", str(source), "-map", "0:v:0", "-an", "-sn", "-dn", "-vf", chain, "-filter_threads", "1",
            "-q:v", str(QUALITY), "-start_number", "0", "-f", "image2", str(out / SPRITE_PATTERN)]


def make(source: Path, out: Path, tools: Tools, should_stop: Callable[[], bool] = lambda: False,
         interval: int = INTERVAL) -> Sheet:
    """Sprites of ``source`` into ``out`` (which must exist); raises ToolFailed, with what ffmpeg said last, when
    it made none."""
    _, stderr = tools.run(command(source, out, tools, interval), should_stop)
    shown = [m for line in stderr.splitlines() if "showinfo" in line and (m := SHOWN.search(line))]
    if not shown or not (out / (SPRITE_PATTERN % 0)).exists():
        raise ToolFailed(f"ffmpeg made no thumbnails: {stderr.strip()[-300:]}")
    _, width, height = shown[-1].groups()
    return Sheet(interval, COLS, ROWS, len(shown), int(width), int(height))


def _clock(seconds: float) -> str:
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours:02d}:{minutes:02d}:{rest // 1000:02d}.{rest % 1000:03d}"


def vtt(sheet: Sheet, duration: float | None = None) -> str:
    """The thumbnails track: thumbnail n covers [n*interval, (n+1)*interval), the last up to ``duration``."""
    per_sheet = sheet.cols * sheet.rows
    lines = ["WEBVTT", ""]
    for n in range(sheet.count):
        start = n * sheet.interval
        end = start + sheet.interval
        if duration and n == sheet.count - 1 and duration > start:
            end = min(end, duration)
        cell = n % per_sheet
        x, y = (cell % sheet.cols) * sheet.width, (cell // sheet.cols) * sheet.height
        name = SPRITE_PATTERN % (n // per_sheet)
        lines += [f"{_clock(start)} --> {_clock(end)}", f"{name}#xywh={x},{y},{sheet.width},{sheet.height}", ""]
    return "\n".join(lines)
