"""The scanner loop: scheduled scans, on-demand ``library.rescan``, finished downloads.

One thread runs scans one at a time (``LIBRARY_SCAN_INTERVAL`` apart, and
whenever a request is queued); inside a scan ``LIBRARY_INDEX_CONCURRENCY``
files are probed, stored and reported at once. The loop survives anything a
scan throws: the error is logged, the scan is reported failed, and the next
one runs on schedule. Completed downloads are indexed by the upload thread
that stored them (``index_download``), before their staging copy goes away.
"""

from __future__ import annotations

import os
import queue
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from chalicelib.library.naming import parse_many
from chalicelib.messages import LibraryFileIndexed, LibraryRescan, LibraryScanState
from worker import reporter
from worker.context import WorkerContext
from worker.scanner import parsing
from worker.scanner.batch import EventBatch
from worker.scanner.index import KEY_PREFIX, Indexer, IndexFailed, Source, media_key
from worker.scanner.walk import Candidate, Root, ScanState, inside, is_media, make_roots, settled, sidecars_for, walk
from worker.upload_ahead import storage_key

STATE_FILE = "scan-state.sqlite"
LIST_FROM = 200  # a scan storing this many files lists its roots' keys first (see ``Indexer.list_keys``)


@dataclass(frozen=True)
class ScanRequest:
    scan_id: str | None = None  # None: a scheduled scan (reported only when it indexed something)
    paths: tuple[str, ...] = ()
    trigger: Literal["manual", "schedule", "download"] = "schedule"
    force: bool = False  # index unchanged files too


@dataclass
class ScanReport:
    scan_id: str | None
    seen: int = 0
    accepted: int = 0
    indexed: int = 0
    failed: int = 0
    unsettled: int = 0
    ignored_paths: list[str] = field(default_factory=list)
    seconds: float = 0.0
    parse_seconds: float = 0.0  # of ``seconds``: the names parsed up front


class Scanner:
    def __init__(self, ctx: WorkerContext):
        self.ctx = ctx
        self.settings = ctx.settings.library
        self.roots = make_roots(self.settings.roots)
        self.state = ScanState(Path(ctx.settings.staging_dir) / "library" / STATE_FILE)
        self.indexer = Indexer(ctx)
        self.requests: queue.Queue[ScanRequest] = queue.Queue()

    # --- requests --------------------------------------------------------------

    def request(self, command: LibraryRescan) -> None:
        """Queue a ``library.rescan`` command (called from the dispatcher thread)."""
        self.requests.put(ScanRequest(command.scan_id, tuple(command.paths), "manual", command.force))

    def run(self) -> None:
        """Thread target: scheduled scans and queued requests until the worker stops."""
        interval = self.settings.scan_interval
        due = time.monotonic() if interval > 0 and self.roots else float("inf")
        while not self.ctx.stopping.is_set():
            try:
                request = self.requests.get(timeout=max(0.05, min(1.0, due - time.monotonic())))
            except queue.Empty:
                request = ScanRequest() if time.monotonic() >= due else None
            if request is None:
                continue
            self.scan_safely(request)
            if request.scan_id is None:  # the scheduled scan ran: the next one is an interval away
                due = time.monotonic() + interval

    def scan_safely(self, request: ScanRequest) -> ScanReport | None:
        try:
            return self.scan(request)
        except Exception as exc:  # the loop must outlive any scan
            self.ctx.logger.exception("library scan failed", extra={"action": "library_scan_failed",
                                                                     "scan_id": request.scan_id})
            if request.scan_id:
                self._report(request, ScanReport(request.scan_id), "failed", f"{type(exc).__name__}: {exc}"[:4000])
            return None

    # --- one scan --------------------------------------------------------------

    def scan(self, request: ScanRequest) -> ScanReport:
        """Walk the requested paths (default: every root), index what is new or changed."""
        started = time.monotonic()
        report = ScanReport(request.scan_id)
        if request.scan_id:
            self._report(request, report, "running")
        targets = self._targets(request.paths, report)
        todo = list(self._select(targets, request, report))
        if todo:
            self._index_all(todo, request.scan_id, report)
        report.seconds = round(time.monotonic() - started, 3)
        self.ctx.logger.info("library scan finished", extra={"action": "library_scan_done", **vars(report)})
        if self.ctx.stopping.is_set():
            if request.scan_id:
                self._report(request, report, "failed", "the worker stopped mid-scan; the next scan carries on")
        elif request.scan_id or report.indexed:  # a scheduled scan that found nothing new leaves no row
            self._report(request, report, "completed")
        return report

    def _targets(self, paths: tuple[str, ...], report: ScanReport) -> list[tuple[Root, Path]]:
        if not paths:
            return [(root, root.path) for root in self.roots]
        targets = []
        for raw in paths:
            target = self._resolve(raw)
            if target is None:
                report.ignored_paths.append(raw)
                self.ctx.logger.warning("rescan path outside every library root", extra={
                    "action": "library_path_ignored", "path": raw[:500]})
            else:
                targets.append(target)
        return targets

    def _resolve(self, raw: str) -> tuple[Root, Path] | None:
        """An absolute path inside a root, or ``<root label>/<relative path>``."""
        for root in self.roots:
            candidate = Path(raw) if Path(raw).is_absolute() else None
            if candidate is None and (raw == root.label or raw.startswith(root.label + "/")):
                candidate = root.path / raw[len(root.label):].lstrip("/")
            if candidate is not None and inside(candidate, root.path) and not candidate.is_symlink():
                return root, Path(os.path.realpath(candidate))  # relative paths are taken from the real root
        return None

    def _select(self, targets: list[tuple[Root, Path]], request: ScanRequest,
                report: ScanReport) -> Iterator[Candidate]:
        """New or changed, settled media files under the targets (lazily, as the walk finds them)."""
        for root, start in targets:
            seen: set[str] = set()
            for candidate in self._walk(root, start):
                report.seen += 1
                seen.add(str(candidate.path))
                if not request.force and self.state.unchanged(candidate):
                    continue
                if not settled(candidate, self.settings.settle_seconds):
                    report.unsettled += 1
                    continue
                report.accepted += 1
                yield candidate
            self.state.prune(start, seen)

    def _walk(self, root: Root, start: Path) -> Iterator[Candidate]:
        if start.is_file():
            if is_media(start.name) and inside(start, root.path):
                try:
                    entries = list(os.scandir(start.parent))
                    stat = start.stat()
                except OSError:
                    return  # gone or unreadable since the request: nothing to index, no failed scan
                yield Candidate(root, start, start.relative_to(root.path).as_posix(), stat.st_size,
                                stat.st_mtime_ns, sidecars_for(start, entries))
            return
        yield from walk(root, start)

    def _index_all(self, todo: list[Candidate], scan_id: str | None, report: ScanReport) -> None:
        """Parse the names (a process pool, all cores) while threads store the files; report them in batches."""
        pending: dict[str, Candidate] = {}
        batch = EventBatch(self.indexer.send, lambda events: self._sent(events, pending), self.ctx.logger)
        if len(todo) >= LIST_FROM:  # one LIST per 1,000 keys instead of a HEAD per file
            self.indexer.list_keys(sorted({f"{KEY_PREFIX}/{c.root.label}/" for c in todo}))
        try:
            with (ThreadPoolExecutor(max_workers=1, thread_name_prefix="scan-parse") as background,
                  ThreadPoolExecutor(max_workers=self.settings.concurrency, thread_name_prefix="scan") as pool):
                parsed = background.submit(self._parse, [c.rel for c in todo], report)
                for candidate, event in zip(todo, pool.map(lambda c: self._store_one(c, scan_id), todo), strict=True):
                    report.failed += event is False  # None: skipped because the worker is stopping
                    if not isinstance(event, LibraryFileIndexed):
                        continue
                    guess = parsed.result().get(candidate.rel)
                    if guess is not None:  # None: not parsed because the worker is stopping; not recorded
                        pending[event.key] = candidate
                        batch.add(event.model_copy(update={"guess": guess}))
                batch.flush()
        finally:
            self.indexer.forget_keys()
        report.indexed += batch.sent
        report.failed += batch.failed

    def _parse(self, names: list[str], report: ScanReport) -> dict[str, dict[str, Any]]:
        started = time.monotonic()
        guesses = parsing.parse_all(names, stopping=self.ctx.stopping)
        report.parse_seconds = round(time.monotonic() - started, 3)
        return guesses

    def _source(self, candidate: Candidate, scan_id: str | None, guess: dict[str, Any] | None = None) -> Source:
        return Source(local=candidate.path, rel=candidate.rel, key=media_key(candidate.root.label, candidate.rel),
                      sidecars=candidate.sidecars, scan_id=scan_id, guess=guess)

    def _store_one(self, candidate: Candidate, scan_id: str | None) -> LibraryFileIndexed | bool | None:
        """The file's event once stored, its guess still empty (the names are parsed meanwhile, in a process
        pool); False when it failed (retried next scan), None when stopping."""
        if self.ctx.stopping.is_set():
            return None
        try:
            return self.indexer.store(self._source(candidate, scan_id, guess={}))
        except IndexFailed as exc:
            self.ctx.logger.warning("file not indexed, retried next scan", extra={
                "action": "library_index_failed", "path": str(candidate.path)[:500], "error": str(exc)[:500]})
        except Exception:  # one odd file must not end the scan of the others
            self.ctx.logger.exception("file not indexed, retried next scan", extra={
                "action": "library_index_failed", "path": str(candidate.path)[:500]})
        return False

    def _sent(self, events: list[LibraryFileIndexed], pending: dict[str, Candidate]) -> None:
        """A batch went out: record its files (skipped from now on) and, in ``move`` mode, remove them."""
        done = [(pending.pop(e.key), e) for e in events if e.key in pending]
        # Indexed flagged but nothing stored (unreadable): not recorded, so tried again next scan.
        stored = [(candidate, event) for candidate, event in done if event.streams]
        self.state.record_many([(candidate, event.key) for candidate, event in stored])
        if self.settings.import_mode != "move":
            return
        for candidate, event in stored:
            if self.indexer.remove_source(self._source(candidate, event.scan_id), event.size):
                self.state.forget(candidate.path)

    def _report(self, request: ScanRequest, report: ScanReport, status: Literal["running", "completed", "failed"],
                error: str | None = None) -> None:
        scan_id = request.scan_id or str(uuid.uuid4())
        if report.failed and not error:
            error = f"{report.failed} file(s) could not be indexed and will be retried"
        reporter.send(self.ctx, LibraryScanState(
            scan_id=scan_id, status=status, trigger=request.trigger, paths=list(request.paths), seen=report.seen,
            accepted=report.accepted, indexed=report.indexed, failed=report.failed, error=error))

    # --- finished downloads --------------------------------------------------------

    def index_download(self, job: Any) -> int:
        """Index the media files of a finished, stored download (called on its upload thread; never raises)."""
        if not self.settings.index_downloads:
            return 0
        try:
            return self._index_download(job)
        except Exception:
            self.ctx.logger.exception("download not indexed", extra={"action": "library_download_index_failed",
                                                                       "job_id": job.job_id})
            return 0

    def _index_download(self, job: Any) -> int:
        indexed = 0
        guesses = parse_many([staged.path for staged in job.files if is_media(Path(staged.path).name)])  # a pack
        for staged in job.files:
            if self.ctx.stopping.is_set() or getattr(job, "cancelled", False):
                break  # the next start (or nobody, after a cancel) takes it from here
            if not is_media(Path(staged.path).name):
                continue
            sidecars = tuple(other.local for other in job.files if other is not staged
                             and other.local.parent == staged.local.parent
                             and other.local.suffix.lower() in (".srt", ".ass", ".ssa", ".vtt")
                             and other.local.name.lower().startswith(staged.local.stem.lower()))
            source = Source(local=staged.local, rel=staged.path, key=storage_key(job.job_id, staged.path),
                            sidecars=sidecars, stored_sha256=job.stored.get(staged.path), source_job_id=job.job_id,
                            guess=guesses[staged.path])
            try:
                self.indexer.index(source)
                indexed += 1
            except IndexFailed as exc:
                self.ctx.logger.warning("downloaded file not indexed", extra={
                    "action": "library_download_file_failed", "job_id": job.job_id, "error": str(exc)[:500]})
        return indexed


_instance: Scanner | None = None
_instance_lock = threading.Lock()


def install(ctx: WorkerContext) -> Scanner:
    """Build the worker's scanner (``worker.main`` calls this once, before the loops start)."""
    global _instance
    scanner = Scanner(ctx)
    with _instance_lock:
        _instance = scanner
    return scanner


def current() -> Scanner | None:
    """The installed scanner, for the dispatcher (rescan commands) and the uploader (downloads)."""
    return _instance


def run(ctx: WorkerContext) -> None:
    """Thread target: the installed scanner's loop (installs one first if needed)."""
    (current() or install(ctx)).run()


def request(command: LibraryRescan) -> bool:
    """Queue a ``library.rescan`` for the scanner; False when this worker runs none."""
    scanner = current()
    if scanner is None:
        return False
    scanner.request(command)
    return True


def index_download(ctx: WorkerContext, job: Any) -> int:
    """Index a finished download's stored files (the uploader calls this; never raises)."""
    scanner = current()
    return scanner.index_download(job) if scanner is not None else 0
