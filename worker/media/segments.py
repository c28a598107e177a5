"""Intro and credits of a season's episodes (issue 38, item 2).

Each file is read once into a :class:`FileAnalysis`: its chapters (ffprobe), audio fingerprints of its first
and last minutes (ffmpeg to 11 kHz mono, then chromaprint's ``fpcalc -raw``) and the black or silent stretches
near its end (ffmpeg's ``blackdetect``/``silencedetect``). The analysis is kept in the bucket, so a new
episode of the season costs one file's work, not the season's.

The intro is the longest stretch of audio an episode's first minutes share with another episode's (at least
``MIN_INTRO`` seconds); the credits the same over the last minutes, stretched to the end of the file when
only black or silence follows them (the fingerprint stops matching where the music fades). Chapters named
like "Intro"/"Opening" or "Credits"/"Ending" win over both. A window is at most half the file, so a short
episode's intro window never reaches its credits.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

from chalicelib import jsondepth
from worker.media.fingerprint import Fingerprint, Span, shared
from worker.media.tools import ToolFailed, Tools

VERSION = 1  # of the stored analysis: a new one makes every file be read again
HEAD_SECONDS = 600.0
TAIL_SECONDS = 420.0
WINDOW_SHARE = 0.5
MIN_INTRO = 15.0
MIN_CREDITS = 10.0
END_SLACK = 3.0  # credits matched to within this of the end run to the end
SAMPLE_RATE = 11025  # chromaprint's own rate: nothing is resampled twice
INTRO_TITLES = re.compile(r"\b(intro|opening|op|title sequence)\b", re.IGNORECASE)
CREDITS_TITLES = re.compile(r"\b(credits|ending|end credits|outro|ed)\b", re.IGNORECASE)
BLACK = re.compile(r"black_start:\s*([\d.]+)\s+black_end:\s*([\d.]+)")
SILENCE_START = re.compile(r"silence_start:\s*(-?[\d.]+)")
SILENCE_END = re.compile(r"silence_end:\s*([\d.]+)")
NO_STREAM = "does not contain any stream"  # ffmpeg, when the mapped audio track is not there
Kind = Literal["intro", "credits"]
NO_STOP: Callable[[], bool] = lambda: False  # noqa: E731 - a default that never stops


@dataclass(frozen=True)
class Chapter:
    title: str
    start: float
    end: float


@dataclass(frozen=True)
class Segment:
    kind: Kind
    start: float
    end: float
    source: Literal["chapters", "fingerprint"]


@dataclass(frozen=True)
class FileAnalysis:
    """What the season comparison needs of one file; stored as JSON next to its other outputs."""

    duration: float
    chapters: tuple[Chapter, ...] = ()
    head: Fingerprint | None = None
    tail: Fingerprint | None = None
    quiet: tuple[Span, ...] = ()  # black or silent stretches in the tail window, seconds from the file's start

    def to_json(self) -> str:
        data = asdict(self)
        data["version"] = VERSION
        return json.dumps(data, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str | bytes) -> FileAnalysis | None:
        """The stored analysis, or None when it is of another version (or unreadable)."""
        try:
            data = json.loads(text)
            if data.get("version") != VERSION:
                return None
            return cls(duration=float(data["duration"]),
                       chapters=tuple(Chapter(**c) for c in data["chapters"]),
                       head=_fingerprint(data["head"]), tail=_fingerprint(data["tail"]),
                       quiet=tuple(Span(**q) for q in data["quiet"]))
        except (ValueError, KeyError, TypeError, AttributeError):
            return None


def _fingerprint(data: dict | None) -> Fingerprint | None:
    return Fingerprint(float(data["start"]), tuple(int(i) for i in data["items"])) if data else None


# --- reading one file ---------------------------------------------------------------------------------------


def window(duration: float, longest: float) -> float:
    return min(longest, duration * WINDOW_SHARE)


def analyze_file(path: Path, duration: float, tools: Tools, scratch: Path,
                 should_stop: Callable[[], bool] = NO_STOP) -> FileAnalysis:
    """Chapters, head and tail fingerprints and the quiet stretches near the end of one file."""
    head = fingerprint(path, 0.0, window(duration, HEAD_SECONDS), tools, scratch, should_stop)
    tail_start = max(0.0, duration - window(duration, TAIL_SECONDS))
    tail = fingerprint(path, tail_start, duration - tail_start, tools, scratch, should_stop)
    return FileAnalysis(duration=duration, chapters=chapters(path, tools), head=head, tail=tail,
                        quiet=quiet_spans(path, tail_start, tools, should_stop))


def chapters(path: Path, tools: Tools) -> tuple[Chapter, ...]:
    stdout, _ = tools.run([tools.ffprobe, "-v", "error", "-print_format", "json", "-show_chapters", str(path)])
    found = []
    for chapter in jsondepth.loads(stdout or "{}").get("chapters", []):
        title = str((chapter.get("tags") or {}).get("title") or "")
        try:
            found.append(Chapter(title, float(chapter["start_time"]), float(chapter["end_time"])))
        except (KeyError, TypeError, ValueError):
            continue  # a chapter without times names nothing we can skip
    return tuple(found)


def fingerprint(path: Path, start: float, length: float, tools: Tools, scratch: Path,
                should_stop: Callable[[], bool] = NO_STOP) -> Fingerprint | None:
    """``fpcalc -raw`` of ``length`` seconds from ``start`` (None for a file without audio)."""
    if length <= 0:
        return None
    wav = scratch / f"window-{start:.0f}.wav"
    try:
        tools.run([tools.ffmpeg, "-nostdin", "-v", "error", "-y", "-threads", str(tools.threads),
                   "-ss", f"{start:.3f}", "-t", f"{length:.3f}", "-i", str(path), "-map", "0:a:0?", "-vn", "-sn",
                   "-dn", "-ac", "1", "-ar", str(SAMPLE_RATE), "-f", "wav", str(wav)], should_stop)
    except ToolFailed as exc:
        if NO_STREAM in str(exc):
            return None  # the file has no audio track
        raise
    try:
        if not wav.exists() or wav.stat().st_size <= 44:  # a header and no samples: no audio track
            return None
        # fpcalc 1.5.1 with FFmpeg 5 prints the fingerprint, then fails on the end of the file ("Error
        # decoding audio frame (End of file)", exit 3): the printed fingerprint is what counts.
        stdout, stderr = tools.run([tools.fpcalc, "-raw", "-length", str(math.ceil(length) + 1), str(wav)],
                                   should_stop, check=False)
    finally:
        wav.unlink(missing_ok=True)
    line = next((ln for ln in stdout.splitlines() if ln.startswith("FINGERPRINT=")), None)
    if line is None:
        raise ToolFailed(f"fpcalc made no fingerprint: {stderr.strip()[-300:]}")
    items = tuple(int(v) & 0xFFFFFFFF for v in line.split("=", 1)[1].split(",") if v.strip())
    return Fingerprint(start, items) if items else None


def quiet_spans(path: Path, start: float, tools: Tools,
                should_stop: Callable[[], bool] = NO_STOP) -> tuple[Span, ...]:
    """Black (video) and silent (audio) stretches of half a second or more from ``start`` on."""
    _, stderr = tools.run([tools.ffmpeg, "-nostdin", "-hide_banner", "-nostats", "-threads", str(tools.threads),
                           "-ss", f"{start:.3f}", "-i", str(path), "-map", "0:v:0?", "-map", "0:a:0?",
                           "-vf", "scale=160:-2,blackdetect=d=0.5:pix_th=0.10",
                           "-af", "silencedetect=n=-50dB:d=0.5", "-f", "null", "-"], should_stop)
    spans = [Span(start + float(a), start + float(b)) for a, b in BLACK.findall(stderr)]
    silent_from: float | None = None
    for line in stderr.splitlines():
        if (began := SILENCE_START.search(line)) is not None:
            silent_from = max(0.0, float(began.group(1)))
        elif (ended := SILENCE_END.search(line)) is not None and silent_from is not None:
            spans.append(Span(start + silent_from, start + float(ended.group(1))))
            silent_from = None
    return tuple(sorted(spans, key=lambda s: s.start))


# --- the season ---------------------------------------------------------------------------------------------


def chapter_segments(analysis: FileAnalysis) -> list[Segment]:
    """Intro and credits as the file's chapters name them (the first chapter of each kind)."""
    found: dict[Kind, Segment] = {}
    for chapter in analysis.chapters:
        kind: Kind | None = ("intro" if INTRO_TITLES.search(chapter.title)
                             else "credits" if CREDITS_TITLES.search(chapter.title) else None)
        if kind is not None and kind not in found and chapter.end > chapter.start:
            found[kind] = Segment(kind, chapter.start, chapter.end, "chapters")
    return list(found.values())


def shared_spans(analyses: Mapping[str, FileAnalysis], wanted: set[str], part: Literal["head", "tail"],
                 minimum: float) -> dict[str, Span]:
    """Per wanted file, the longest stretch of ``part`` it shares with any other file of the season."""
    best: dict[str, Span] = {}
    ids = sorted(analyses)
    for n, a_id in enumerate(ids):
        for b_id in ids[n + 1:]:
            if a_id not in wanted and b_id not in wanted:
                continue
            a, b = getattr(analyses[a_id], part), getattr(analyses[b_id], part)
            found = shared(a, b, minimum) if a is not None and b is not None else None
            if found is None:
                continue
            for file_id, span in zip((a_id, b_id), found, strict=True):
                if file_id in wanted and (file_id not in best or span.seconds() > best[file_id].seconds()):
                    best[file_id] = span
    return best


def credits_end(analysis: FileAnalysis, span: Span) -> float:
    """The credits run to the end of the file when only black or silence (or almost nothing) follows them."""
    end = min(span.end, analysis.duration)
    if analysis.duration - end <= END_SLACK:
        return analysis.duration
    for quiet in analysis.quiet:
        if quiet.start <= end + 1.0 and quiet.end >= analysis.duration - 1.0:
            return analysis.duration
    return end


def detect(analyses: Mapping[str, FileAnalysis], wanted: Iterable[str]) -> dict[str, list[Segment]]:
    """Intro and credits of each wanted file, compared with every file of ``analyses`` (its season)."""
    wanted = {file_id for file_id in wanted if file_id in analyses}
    intros = shared_spans(analyses, wanted, "head", MIN_INTRO)
    credits = shared_spans(analyses, wanted, "tail", MIN_CREDITS)
    found: dict[str, list[Segment]] = {}
    for file_id in sorted(wanted):
        analysis = analyses[file_id]
        segments = chapter_segments(analysis)
        kinds = {s.kind for s in segments}
        if "intro" not in kinds and file_id in intros:
            span = intros[file_id]
            segments.append(Segment("intro", round(span.start, 3), round(min(span.end, analysis.duration), 3),
                                    "fingerprint"))
        if "credits" not in kinds and file_id in credits:
            span = credits[file_id]
            segments.append(Segment("credits", round(span.start, 3), round(credits_end(analysis, span), 3),
                                    "fingerprint"))
        found[file_id] = sorted(segments, key=lambda s: s.start)
    return found
