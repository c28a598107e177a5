"""``media.analyze``: intro/credits of a season's files and scrub previews, one job at a time per worker.

Per file the job keeps two things under its ``outputPrefix`` in the bucket: ``analysis.json`` (chapters,
fingerprints, quiet stretches: ``segments``) and ``trickplay/`` (sprites, ``thumbs.vtt`` and, last,
``sheet.json``). A file whose outputs are stored is not downloaded again, so a redelivered command, or the
season's next episode, only redoes the comparison (milliseconds) and answers again; the control plane applies
the answers idempotently. A file is downloaded only when something of it is missing, one at a time, and
deleted before the next. Analysis runs niced with few ffmpeg threads, and one at a time per worker: a second
command is given back while one runs, so a media slot stays free for the player's remux/HLS work.

A file that cannot be read (no duration, ffmpeg or fpcalc failing on it) is answered with its error: asking again
would fail again. A fault of the bucket or the local disk is not the file's: the season is not answered but tried
again ``RETRY_LATER`` seconds on, each try counted by the queue, and only the last delivery before the dead-letter
queue answers with the errors. Answered at once, such a season waited for the control plane's next ask (hours).
"""

from __future__ import annotations

import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Literal

from boto3.exceptions import Boto3Error
from botocore.exceptions import BotoCoreError, ClientError

from chalicelib.messages import AnalyzedSegment, AnalyzeFile, MediaAnalyze, MediaAnalyzed, TrickplaySheet
from worker import reporter
from worker.context import WorkerContext
from worker.media import segments, trickplay
from worker.media.tools import Stopped, ToolFailed, Tools
from worker.scanner import probe as probing

ANALYSIS = "analysis.json"
TRICKPLAY = "trickplay/"
BUSY_RETRY = 60  # seconds a command waits while another analysis runs on this worker
EXTEND_EVERY = 60
RETRY_LATER = 30  # seconds before a season that met a fault of the bucket or the disk is tried again
STORE_ERRORS = (BotoCoreError, ClientError, Boto3Error)
FAULTS = (*STORE_ERRORS, OSError)  # not the file's: worth another try
_running = threading.Lock()  # one analysis at a time per worker, whatever the media loop's concurrency

# done: answered (delete the message); again: give it back now (stopping, an answer unsent); busy: another
# analysis runs here (ask again in BUSY_RETRY, not counted as a try); later: a fault, tried again in RETRY_LATER.
Outcome = Literal["done", "again", "busy", "later"]


class Faulted(Exception):
    """The bucket or the local disk failed while a file was read or stored: the season is tried again."""


def run(ctx: WorkerContext, command: MediaAnalyze, keep_invisible: Callable[[], None],
        last_try: bool = False) -> Outcome:
    """Analyse and answer. ``last_try``: the queue will not deliver the command again, so a fault is answered
    as the file's error instead of waiting for a next try."""
    if not _running.acquire(blocking=False):
        return "busy"
    try:
        return "done" if AnalyzeJob(ctx, command, keep_invisible, last_try).run() else "again"
    except Stopped:
        ctx.logger.info("media analysis given back", extra={"action": "media_analyze_stopped"})
        return "again"
    except Faulted as exc:
        ctx.logger.warning("media analysis tried again later", extra={
            "action": "media_analyze_deferred", "error": str(exc.__cause__ or exc)[:300],
            "retry_seconds": RETRY_LATER})
        return "later"
    finally:
        _running.release()


def tools_of(ctx: WorkerContext) -> Tools:
    transcode = ctx.settings.transcode
    return Tools(ffmpeg=transcode.ffmpeg, ffprobe=ctx.settings.library.ffprobe, nice=transcode.nice,
                 timeout=transcode.timeout)


class AnalyzeJob:
    def __init__(self, ctx: WorkerContext, command: MediaAnalyze, keep_invisible: Callable[[], None],
                 last_try: bool = False):
        self.ctx, self.command, self.keep_invisible, self.last_try = ctx, command, keep_invisible, last_try
        self.bucket = ctx.settings.aws.bucket
        self.tools = tools_of(ctx)
        self.extended = time.monotonic()
        self.analyses: dict[str, segments.FileAnalysis] = {}
        self.sheets: dict[str, trickplay.Sheet] = {}
        self.errors: dict[str, str] = {}

    def run(self) -> bool:
        started = time.monotonic()
        for file in self.command.files:
            self.prepare(file)
        wanted = [f.file_id for f in self.command.files if f.segments]
        found = segments.detect(self.analyses, wanted)
        sent = [self.answer(f, found.get(f.file_id)) for f in self.command.files if f.segments or f.trickplay]
        self.ctx.logger.info("media analysed", extra={
            "action": "media_analyzed", "files": len(self.command.files), "failed": len(self.errors),
            "found": sum(len(v) for v in found.values()), "seconds": round(time.monotonic() - started, 2)})
        return all(sent)

    # --- one file --------------------------------------------------------------------------------------------

    def prepare(self, file: AnalyzeFile) -> None:
        """The file's stored outputs, made first for whatever is missing."""
        if self.ctx.stopping.is_set():
            raise Stopped()
        analysis = self.stored_analysis(file)
        sheet = self.stored_sheet(file) if file.trickplay else None
        if analysis is None or (file.trickplay and sheet is None):
            try:
                analysis, sheet = self.make(file, analysis, sheet)
            except ToolFailed as exc:
                self.failed(file, exc)
            except FAULTS as exc:
                if not self.last_try:
                    raise Faulted(f"{file.file_id}: {type(exc).__name__}") from exc
                self.failed(file, exc)
        if analysis is not None:
            self.analyses[file.file_id] = analysis
        if sheet is not None:
            self.sheets[file.file_id] = sheet
        self.tick()

    def failed(self, file: AnalyzeFile, exc: Exception) -> None:
        self.ctx.logger.warning("media analysis failed", extra={
            "action": "media_analyze_failed", "file_id": file.file_id, "error": str(exc)[:300]})
        self.errors[file.file_id] = str(exc)[:4000] or type(exc).__name__

    def make(self, file: AnalyzeFile, analysis: segments.FileAnalysis | None,
             sheet: trickplay.Sheet | None) -> tuple[segments.FileAnalysis | None, trickplay.Sheet | None]:
        """Read the file once for what is missing; a part that fails (fpcalc missing, no video) leaves the
        other part made."""
        scratch = Path(tempfile.mkdtemp(prefix="analyze-", dir=self._scratch_root()))
        try:
            source = scratch / ("source" + Path(file.key).suffix)
            self.ctx.s3.download_file(self.bucket, file.key, str(source))
            probed = probing.probe(source, self.tools.ffprobe, self.ctx.settings.library.probe_timeout)
            summary = probed.summary or {}
            duration = float(summary.get("duration") or 0)
            if duration <= 0:
                raise ToolFailed(f"unreadable: {probed.error or 'no duration'}")
            if file.trickplay and sheet is None and summary.get("videoCodec"):
                try:
                    sheet = self.make_sheet(file, source, scratch / "thumbs", duration)
                except ToolFailed as exc:
                    self.failed(file, exc)
            if analysis is None:
                try:
                    analysis = segments.analyze_file(source, duration, self.tools, scratch, self.should_stop)
                except ToolFailed as exc:
                    self.failed(file, exc)
                else:
                    self.put_text(file.output_prefix + ANALYSIS, analysis.to_json(), "application/json")
            return analysis, sheet
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

    def make_sheet(self, file: AnalyzeFile, source: Path, out: Path, duration: float) -> trickplay.Sheet:
        out.mkdir()
        sheet = trickplay.make(source, out, self.tools, self.should_stop)
        prefix = file.output_prefix + TRICKPLAY
        for name in sheet.sprites():
            self.ctx.s3.upload_file(str(out / name), self.bucket, prefix + name,
                                    ExtraArgs={"ContentType": "image/jpeg"})
        self.put_text(prefix + trickplay.VTT, trickplay.vtt(sheet, duration), "text/vtt")
        self.put_text(prefix + trickplay.SHEET, sheet.to_json(), "application/json")  # last: the rest is stored
        return sheet

    # --- the bucket ------------------------------------------------------------------------------------------

    def read(self, key: str) -> bytes | None:
        try:
            return self.ctx.s3.get_object(Bucket=self.bucket, Key=key)["Body"].read()
        except ClientError:
            return None

    def put_text(self, key: str, text: str, content_type: str) -> None:
        self.ctx.s3.put_object(Bucket=self.bucket, Key=key, Body=text.encode(), ContentType=content_type)

    def stored_analysis(self, file: AnalyzeFile) -> segments.FileAnalysis | None:
        body = self.read(file.output_prefix + ANALYSIS)
        return segments.FileAnalysis.from_json(body) if body else None

    def stored_sheet(self, file: AnalyzeFile) -> trickplay.Sheet | None:
        body = self.read(file.output_prefix + TRICKPLAY + trickplay.SHEET)
        return trickplay.Sheet.from_json(body) if body else None

    def _scratch_root(self) -> Path:
        root = Path(self.ctx.settings.staging_dir) / "media"
        root.mkdir(parents=True, exist_ok=True)
        return root

    # --- answers ---------------------------------------------------------------------------------------------

    def answer(self, file: AnalyzeFile, found: list[segments.Segment] | None) -> bool:
        sheet = self.sheets.get(file.file_id)
        readable = file.file_id in self.analyses
        event = MediaAnalyzed(
            file_id=file.file_id, key=file.key,
            segments=[AnalyzedSegment(kind=s.kind, start=s.start, end=s.end, source=s.source) for s in found or ()]
            if file.segments and readable else None,
            compared=len(self.analyses) if file.segments and readable else 0,
            trickplay=TrickplaySheet(prefix=file.output_prefix + TRICKPLAY, **asdict(sheet))
            if file.trickplay and sheet is not None else None,
            error=self.errors.get(file.file_id))
        return reporter.send(self.ctx, event)

    def should_stop(self) -> bool:
        """Polled while a tool runs: keeps the message hidden through a long file, and says when to stop."""
        self.tick()
        return self.ctx.stopping.is_set()

    def tick(self) -> None:
        if time.monotonic() - self.extended > EXTEND_EVERY:
            self.keep_invisible()
            self.extended = time.monotonic()
