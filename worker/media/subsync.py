"""``media.subtitle_sync``: line a subtitle track up with its file's audio (issue 38 item 4).

The method is ffsubsync's, without its thirteen dependencies in the worker image (numpy, webrtcvad-wheels,
auditok pinned to 0.1.5, faust-cchardet, ffmpeg-python, rich, tqdm, ...) or its CLI-shaped API: speech is
found in the audio, the track says when speech should be, and the offset is the shift of the track that
overlaps the two best, searched within ``MAX_OFFSET`` seconds (no framerate search: a track made for another
cut or frame rate is not fixed by a shift).

- Audio: ffmpeg decodes the first audio stream to mono, keeps the speech band, squares the samples and
  resamples to ``RATE`` per second, so what Python reads is a short-term energy envelope (a float per 10 ms;
  a two-hour film is 720 000 floats) rather than 100 million samples.
- Voice activity: a frame is speech when its level is well above the file's quiet (an adaptive threshold
  between its 10th and 95th percentile); short gaps are bridged, blips dropped.
- Offset: the overlap of the shifted cue intervals with the speech intervals, as a function of the shift,
  is a sum of trapezoids (one per nearby pair of intervals), summed exactly from their corners in one sweep
  rather than by cross-correlating two 720 000-frame arrays. The middle of the best plateau wins.

The shifted track (pysubs2) and ``sync.json`` (offset, written last) are stored under the command's prefix,
named by the track id and a hash of the track's text: a redelivered command, or a second request for an
unchanged track, is answered from the bucket without decoding the file again. Sync runs niced with a time
limit, one at a time per worker (a second command is postponed), like ``analyze``.
"""

from __future__ import annotations

import hashlib
import json
import math
import shutil
import tempfile
import threading
import time
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from boto3.exceptions import Boto3Error
from botocore.exceptions import BotoCoreError, ClientError

from chalicelib.messages import SubtitleSync, SubtitleSynced
from worker import reporter
from worker.context import WorkerContext
from worker.media.analyze import tools_of
from worker.media.tools import Stopped, ToolFailed, Tools

RATE = 100  # energy frames per second (10 ms)
MAX_OFFSET = 60.0  # seconds searched either way
MIN_GAP = 0.3  # seconds of quiet inside speech that are bridged
MIN_SPEECH = 0.15  # seconds: shorter bursts are noise
MIN_MATCH = 0.15  # the best shift must overlap at least this share of the cues' time with speech
TIMEOUT = 30 * 60  # seconds ffmpeg may take to decode one file's audio
BUSY_RETRY = 30
EXTEND_EVERY = 60
STORE_ERRORS = (BotoCoreError, ClientError, Boto3Error)
_running = threading.Lock()  # one sync at a time per worker

Intervals = list[tuple[int, int]]  # [start, end) in frames, sorted, disjoint


class NotAligned(Exception):
    """The audio or the track gave nothing to align (no speech heard, no cue, no shift that fits)."""


# --- the method ------------------------------------------------------------------------------------------


def envelope_command(source: Path, out: Path, tools: Tools) -> list[str]:
    chain = ("aformat=channel_layouts=mono,aresample=16000,highpass=f=200,lowpass=f=3400,"
             f"aeval=val(0)*val(0),aresample={RATE}")
    return [tools.ffmpeg, "-nostdin", "-hide_banner", "-nostats", "-threads", str(tools.threads), "-i", str(source),
            "-map", "0:a:0", "-vn", "-sn", "-dn", "-af", chain, "-c:a", "pcm_f32le", "-f", "f32le", "-y", str(out)]


def read_envelope(path: Path) -> list[float]:
    values = array("f")
    data = path.read_bytes()
    values.frombytes(data[: len(data) - len(data) % values.itemsize])
    return [max(v, 0.0) for v in values]  # resampling rings a little below zero


def _percentile(sorted_values: Sequence[float], share: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, int(share * len(sorted_values)))]


def speech(energy: Sequence[float]) -> Intervals:
    """Frames of speech: well above the file's quiet, short gaps bridged, blips dropped."""
    levels = [10 * math.log10(e + 1e-10) for e in energy]
    ranked = sorted(levels)
    if not ranked:
        return []
    floor, loud = _percentile(ranked, 0.10), _percentile(ranked, 0.95)
    if loud - floor < 6:  # under 6 dB between quiet and loud: silence, or noise all through
        return []
    threshold = floor + 0.4 * (loud - floor)
    found: Intervals = []
    start = None
    for n, level in enumerate([*levels, -1e9]):
        if level >= threshold and start is None:
            start = n
        elif level < threshold and start is not None:
            found.append((start, n))
            start = None
    return _tidy(found)


def _tidy(intervals: Intervals) -> Intervals:
    merged: Intervals = []
    for start, end in intervals:
        if merged and start - merged[-1][1] <= MIN_GAP * RATE:
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return [(s, e) for s, e in merged if e - s >= MIN_SPEECH * RATE]


def cue_intervals(cues: Sequence[tuple[float, float]]) -> Intervals:
    """The track's cues (seconds) as frames of expected speech, overlapping cues merged."""
    frames = sorted((round(s * RATE), round(e * RATE)) for s, e in cues if e > s)
    merged: Intervals = []
    for start, end in frames:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def best_offset(cues: Intervals, voice: Intervals, max_offset: float = MAX_OFFSET) -> tuple[float, float]:
    """(offset in seconds to add to every cue, share of the cues' time that then overlaps speech).

    overlap(shift) of one cue [a, b) with one speech interval [c, d) is a trapezoid in the shift: 0 until
    c - b, rising to its top at min(c - a, d - b), flat to max(c - a, d - b), 0 again at d - a. Its slope
    changes by +1, -1, -1, +1 at those corners; summing the changes of every nearby pair and integrating
    twice gives the total overlap at every shift."""
    if not cues or not voice:
        raise NotAligned("no cues" if not cues else "no speech heard in the audio")
    limit = round(max_offset * RATE)
    starts, ends = [c for c, _ in voice], [d for _, d in voice]
    changes: dict[int, int] = {}
    for a, b in cues:
        for c, d in voice[bisect_right(ends, a - limit):bisect_left(starts, b + limit)]:
            low, high = sorted((c - a, d - b))
            for at, step in ((c - b, 1), (low, -1), (high, -1), (d - a, 1)):
                changes[at] = changes.get(at, 0) + step
    if not changes:
        raise NotAligned(f"no speech within {max_offset:.0f} s of the cues")
    scores = _sweep(sorted(changes.items()), -limit, limit)
    top = max(scores)
    at = scores.index(top)
    end = at
    while end + 1 < len(scores) and scores[end + 1] == top:
        end += 1
    total = sum(b - a for a, b in cues)
    return ((at + end) / 2 - limit) / RATE, top / total


def _sweep(changes: list[tuple[int, int]], first: int, last: int) -> list[int]:
    """The piecewise-linear total at every shift in [first, last] from its slope changes."""
    scores = []
    value, slope, at, i = 0, 0, changes[0][0], 0
    for shift in range(first, last + 1):
        while i < len(changes) and changes[i][0] <= shift:
            position, step = changes[i]
            value += slope * (position - at)
            at, slope = position, slope + step
            i += 1
        scores.append(value + slope * (shift - at))
    return scores


@dataclass(frozen=True)
class Result:
    offset: float
    matched: float
    text: str  # the shifted track, WebVTT


def align(source: Path, track_text: str, scratch: Path, tools: Tools,
          should_stop: Callable[[], bool] = lambda: False) -> Result:
    """The offset that lines ``track_text`` (WebVTT) up with ``source``'s speech, and the shifted track."""
    import pysubs2  # 250 ms of import, only a sync needs it

    try:
        subs = pysubs2.SSAFile.from_string(track_text)
    except Exception as exc:  # pysubs2 raises several types for unreadable input
        raise NotAligned(f"the track is unreadable: {type(exc).__name__}") from exc
    cues = cue_intervals([(e.start / 1000, e.end / 1000) for e in subs.events if not e.is_comment])
    out = scratch / "energy.f32"
    tools.run(envelope_command(source, out, tools), should_stop)
    offset, matched = best_offset(cues, speech(read_envelope(out)))
    if matched < MIN_MATCH:
        raise NotAligned(f"no shift lines the cues up with speech (best {matched:.0%})")
    subs.shift(ms=round(offset * 1000))
    subs.events = [e for e in subs.events if e.end > 0]
    for event in subs.events:
        event.start = max(event.start, 0)
    return Result(offset=round(offset, 2), matched=matched, text=subs.to_string("vtt"))


# --- the job ---------------------------------------------------------------------------------------------


def run(ctx: WorkerContext, command: SubtitleSync, keep_invisible: Callable[[], None]) -> bool | None:
    """Sync and answer; None when another sync runs here (postpone the message), False to give it back."""
    if not _running.acquire(blocking=False):
        return None
    try:
        return SyncJob(ctx, command, keep_invisible).run()
    except Stopped:
        ctx.logger.info("subtitle sync given back", extra={"action": "subtitle_sync_stopped"})
        return False
    finally:
        _running.release()


def names(command: SubtitleSync, track_text: bytes) -> tuple[str, str]:
    """(the shifted track's key, its sync.json key): the same track text always lands in the same place."""
    digest = hashlib.sha256(track_text).hexdigest()[:16]
    base = f"{command.output_prefix}{command.subtitle_id}-{digest}"
    return base + ".vtt", base + ".json"


class SyncJob:
    def __init__(self, ctx: WorkerContext, command: SubtitleSync, keep_invisible: Callable[[], None]):
        self.ctx, self.command, self.keep_invisible = ctx, command, keep_invisible
        self.bucket = ctx.settings.aws.bucket
        tools = tools_of(ctx)
        self.tools = replace(tools, timeout=min(tools.timeout, TIMEOUT))
        self.extended = time.monotonic()

    def answer(self, status: str, **fields: object) -> bool:
        c = self.command
        event = SubtitleSynced(item_id=c.item_id, subtitle_id=c.subtitle_id, key=c.key, subtitle_key=c.subtitle_key,
                               status=status, **fields)  # type: ignore[arg-type]
        sent = reporter.send(self.ctx, event)
        self.ctx.logger.info("subtitle sync state", extra={"action": "subtitle_synced_sent", "item_id": c.item_id,
                                                           "subtitle_id": c.subtitle_id, "status": status,
                                                           "sent": sent})
        return sent

    def run(self) -> bool:
        c = self.command
        try:
            track = self.ctx.s3.get_object(Bucket=self.bucket, Key=c.subtitle_key)["Body"].read()
        except STORE_ERRORS as exc:
            return self.answer("failed", error=f"the track is not in the bucket: {type(exc).__name__}")
        output_key, result_key = names(c, track)
        stored = self.stored(result_key)
        if stored is not None:
            return self.answer("done", offset_seconds=stored, output_key=output_key)
        self.answer("running")
        started = time.monotonic()
        scratch = Path(tempfile.mkdtemp(prefix="subsync-", dir=self._scratch_root()))
        try:
            result = self.make(scratch, track.decode("utf-8", errors="replace"))
            self.put(output_key, result.text.encode(), "text/vtt; charset=utf-8")
            self.put(result_key, json.dumps({"offsetSeconds": result.offset, "matched": result.matched}).encode(),
                     "application/json")  # last: its presence says the track is stored
        except (NotAligned, ToolFailed, OSError, *STORE_ERRORS) as exc:
            self.ctx.logger.warning("subtitle sync failed", extra={
                "action": "subtitle_sync_failed", "item_id": c.item_id, "error": str(exc)[:300]})
            return self.answer("failed", error=str(exc)[:4000] or type(exc).__name__)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        self.ctx.logger.info("subtitle synced", extra={
            "action": "subtitle_synced", "item_id": c.item_id, "offset": result.offset,
            "matched": round(result.matched, 3), "seconds": round(time.monotonic() - started, 2)})
        return self.answer("done", offset_seconds=result.offset, output_key=output_key)

    def make(self, scratch: Path, track_text: str) -> Result:
        source = scratch / ("source" + Path(self.command.key).suffix)
        self.ctx.s3.download_file(self.bucket, self.command.key, str(source))
        return align(source, track_text, scratch, self.tools, self.should_stop)

    def stored(self, result_key: str) -> float | None:
        try:
            body = self.ctx.s3.get_object(Bucket=self.bucket, Key=result_key)["Body"].read()
            return float(json.loads(body)["offsetSeconds"])
        except (ClientError, ValueError, KeyError, TypeError):
            return None

    def put(self, key: str, body: bytes, content_type: str) -> None:
        self.ctx.s3.put_object(Bucket=self.bucket, Key=key, Body=body, ContentType=content_type)

    def _scratch_root(self) -> Path:
        root = Path(self.ctx.settings.staging_dir) / "media"
        root.mkdir(parents=True, exist_ok=True)
        return root

    def should_stop(self) -> bool:
        if time.monotonic() - self.extended > EXTEND_EVERY:
            self.keep_invisible()
            self.extended = time.monotonic()
        return self.ctx.stopping.is_set()
