"""The libtorrent engine: magnet links and ``.torrent`` files.

One session for the whole worker. Each job downloads into its own
``workdir/data`` and keeps ``workdir/resume.dat`` (libtorrent's resume data,
including the metadata a magnet fetched) up to date, so a restart — clean or
after SIGKILL — continues where it stopped instead of starting over. Without
resume data libtorrent still re-checks whatever is on disk.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import libtorrent as lt

from chalicelib.config import EngineSettings
from chalicelib.messages import STREAM_START_BYTES
from worker.engines.base import (
    Engine,
    JobSpec,
    PayloadFile,
    PermanentError,
    Progress,
    StagedFile,
    TransientError,
    staged_files,
)
from worker.engines.egress import torrent_ip_filter

RESUME_FILE = "resume.dat"
RESUME_EVERY = 5.0  # at most this often: resume data of a torrent whose state changed
_PREPARING = ("checking_files", "downloading_metadata", "checking_resume_data", "allocating")
# Streaming: how far ahead of the play position pieces get deadlines, and how much of a file's end
# (an MP4's moov, an MKV's cues) is fetched first with it.
WINDOW_BYTES = 16 * 1024 * 1024
TAIL_BYTES = 1024 * 1024
PLAYABLE_BYTES = STREAM_START_BYTES  # what the API waits for from the start
MAX_WINDOW_PIECES = 256
STEP_MS = 40  # deadline spacing between consecutive window pieces: in order, the first soonest
PREFETCH_MS = 5000  # a next episode's first and last pieces: soon, but after whatever plays now
NORMAL_PRIORITY = 4  # libtorrent's default
PREFETCH_PRIORITY = 6  # a next episode's file: before the rest, after what plays now (deadlines mean 7)
ALERT_WAIT_MS = 500  # the alert thread's longest wait: how soon it notices the engine closed


def session_settings(settings: EngineSettings) -> dict[str, Any]:
    """libtorrent settings from the worker's; the seeder in tests and the bench use the same."""
    return {
        "listen_interfaces": f"{settings.listen_host}:{settings.listen_port}",
        "enable_dht": settings.dht,
        "enable_lsd": settings.lsd,
        "enable_upnp": settings.upnp,
        "enable_natpmp": settings.upnp,
        "enable_outgoing_utp": settings.utp,
        "enable_incoming_utp": settings.utp,
        # A home server may see several peers behind one address (and tests run all on 127.0.0.1).
        "allow_multiple_connections_per_ip": True,
        # The session's ip_filter (egress.torrent_ip_filter) covers trackers and the DHT too, not only peers.
        "apply_ip_filter_to_trackers": True,
        "apply_filter_to_dht": True,
        # The worker's slots (DOWNLOAD_MAX_ACTIVE, the control plane's fair share) decide what runs; libtorrent's
        # own queue would pause all but 3 of them, looking again only every 30 s.
        "active_downloads": -1, "active_seeds": -1, "active_limit": -1,
        "alert_mask": lt.alert.category_t.error_notification | lt.alert.category_t.status_notification
        | lt.alert.category_t.storage_notification,
        "user_agent": "seen-worker",
    }


@dataclass
class _Torrent:
    spec: JobSpec
    handle: Any
    last_resume: float = field(default_factory=time.monotonic)
    resume_pending: bool = False
    saved_once: bool = False
    files: list[StagedFile] | None = None
    payload: list[PayloadFile] | None = None
    pieces: tuple[int, list[bool]] = (-1, [])  # (num_pieces when read, have-bitfield)
    urgent: set[int] = field(default_factory=set)  # pieces with a deadline from the last play/seek
    durable: set[int] = field(default_factory=set)  # pieces read back from disk with their hash (durable())
    window: tuple[int, int, int] | None = None  # (file, first piece, last piece) of the last urgent want
    hashes: tuple[bytes, ...] = ()  # its info hashes (v1, v2): another job of the same torrent waits


def _hashes(info_hashes: Any) -> tuple[bytes, ...]:
    """The v1 and v2 hashes of a libtorrent ``info_hash_t`` (a hybrid torrent has both)."""
    found = []
    if info_hashes.has_v1():
        found.append(info_hashes.v1.to_bytes())
    if info_hashes.has_v2():
        found.append(info_hashes.v2.to_bytes())
    return tuple(found)


def _source_hashes(source: str | None, torrent: bytes | None) -> tuple[bytes, ...]:
    """The info hashes a magnet or .torrent names; () when it cannot be read (``add`` says why)."""
    try:
        if torrent:
            return _hashes(lt.torrent_info(torrent).info_hashes())
        if source:
            return _hashes(lt.parse_magnet_uri(source).info_hashes)
    except (RuntimeError, TypeError):
        pass
    return ()


def _resume_hashes(spec: JobSpec) -> tuple[bytes, ...]:
    resume = spec.workdir / RESUME_FILE
    try:
        return _hashes(lt.read_resume_data(resume.read_bytes()).info_hashes) if resume.is_file() else ()
    except (OSError, RuntimeError):
        return ()


class TorrentEngine(Engine):
    kinds = ("magnet", "torrent")

    def __init__(self, settings: EngineSettings, logger: Any):
        self.logger = logger
        self.settings = settings
        self._session: Any = None
        self._watcher: threading.Thread | None = None
        self._jobs: dict[str, _Torrent] = {}
        self._lock = threading.RLock()
        self._closed = threading.Event()

    @property
    def session(self) -> Any:
        """The libtorrent session, started with the first torrent: no listening, DHT or UPnP before.

        Its ip_filter blocks the ranges the egress guard refuses for peers, trackers, web seeds and DHT nodes."""
        with self._lock:
            if self._session is None:
                if self._closed.is_set():
                    raise TransientError("worker_stopping", "The worker is stopping")
                session = lt.session(session_settings(self.settings))  # pyright: ignore[reportCallIssue, reportArgumentType] - the stubs miss the settings-dict overload
                session.set_ip_filter(torrent_ip_filter(lt, allow_private=self.settings.allow_private))
                self._session = session
                self._watcher = threading.Thread(target=self._watch_alerts, args=(session,), name="torrent-alerts",
                                                 daemon=True)
                self._watcher.start()
            return self._session

    def _watch_alerts(self, session: Any) -> None:
        """Handle libtorrent's alerts as they come, not at the monitor's next look. A magnet's metadata most: the
        moment it lands libtorrent sends rarest-first requests, as many as a few seconds of the peer's rate, and
        the playable start and end queue behind whatever went out before their deadlines. On loopback at 8 MiB/s,
        deadlines set 0.25 s after the metadata had the start and end in 0.74 s; set at once, in 0.24 s."""
        while not self._closed.is_set():
            if session.wait_for_alert(ALERT_WAIT_MS):  # without the GIL
                with self._lock:
                    if not self._closed.is_set():
                        self._pump_alerts()

    # --- adding -------------------------------------------------------------

    def _params(self, spec: JobSpec) -> Any:
        resume = spec.workdir / RESUME_FILE
        if resume.is_file():
            try:
                return lt.read_resume_data(resume.read_bytes())
            except RuntimeError:  # torn write before a crash: fall back to the source (and a re-check)
                self.logger.warning("resume data unreadable", extra={"action": "torrent_resume_unreadable",
                                                                     "job_id": spec.job_id})
        if spec.source_type == "torrent":
            try:
                params = lt.add_torrent_params()
                # The bytes the user gave, never decoded and encoded again: a .torrent whose keys are not in
                # canonical order would get another info hash (another swarm) from the re-encoding.
                params.ti = lt.torrent_info(spec.torrent or b"")
                return params
            except (RuntimeError, TypeError) as exc:
                raise PermanentError("invalid_torrent", "The .torrent file cannot be loaded") from exc
        try:
            params = lt.parse_magnet_uri(spec.source or "")
        except RuntimeError as exc:
            raise PermanentError("invalid_magnet", "The magnet link cannot be parsed") from exc
        # Resume data is written as soon as a magnet's metadata arrives, before any payload: data
        # without it is of unknown state, and re-checking it makes libtorrent 2.1 ask peers for v2
        # piece hashes in a way seeders reject. Start such a magnet clean.
        shutil.rmtree(spec.data_dir, ignore_errors=True)
        return params

    def holder(self, source: str | None, torrent: bytes | None) -> str | None:
        return self._holder(_source_hashes(source, torrent))

    def _holder(self, hashes: tuple[bytes, ...], job_id: str | None = None) -> str | None:
        """The job other than ``job_id`` running a torrent with one of ``hashes``."""
        with self._lock:
            return next((other for other, job in self._jobs.items()
                         if other != job_id and set(hashes) & set(job.hashes)), None)

    def _refuse_second(self, job_id: str, hashes: tuple[bytes, ...]) -> None:
        if self._holder(hashes, job_id) is not None:
            raise TransientError("same_torrent", "Another download of the same torrent is running; this "
                                                 "one starts again when it ends")

    def add(self, spec: JobSpec) -> None:
        # libtorrent keeps one torrent once: adding it again hands back the running one, saving into the first
        # job's directory, so the second job would "finish" with none of its files on disk (and cancelling either
        # would delete the other's data). A job of a torrent another job is downloading stops, to be retried.
        hashes = _source_hashes(spec.source, spec.torrent) or _resume_hashes(spec)
        self._refuse_second(spec.job_id, hashes)
        params = self._params(spec)
        spec.data_dir.mkdir(parents=True, exist_ok=True)
        params.save_path = str(spec.data_dir)
        if self.settings.sequential:
            params.flags |= lt.torrent_flags.sequential_download
        # Started now, not queued: libtorrent adds a torrent paused and auto-managed by default, and its queue
        # starts it on the session's next tick, half a second later: before every download and press of play
        # (measured on loopback: the tracker was asked 0.50 s after the add, then 0.001 s). The worker's slots
        # are the queue (``active_downloads`` is unlimited), and a paused torrent stays paused.
        params.flags &= ~(lt.torrent_flags.paused | lt.torrent_flags.auto_managed)
        with self._lock:
            if spec.job_id in self._jobs:
                return
            self._refuse_second(spec.job_id, hashes or _hashes(params.ti.info_hashes() if params.ti
                                                               else params.info_hashes))
            try:
                handle = self.session.add_torrent(params)
            except RuntimeError as exc:  # e.g. the same torrent is already running for another job
                raise PermanentError("duplicate_torrent", f"libtorrent refused the torrent: {exc}") from exc
            self._jobs[spec.job_id] = _Torrent(spec, handle, hashes=hashes or _hashes(handle.info_hashes()))
            if handle.torrent_file() is not None:  # a .torrent or resume data: pieces are known before any peer
                self._playable_first(spec.job_id)

    # --- progress -----------------------------------------------------------

    def status(self, job_id: str) -> Progress:
        with self._lock:
            self._pump_alerts()
            job = self._jobs[job_id]
            if not job.handle.is_valid():  # libtorrent dropped it (another job removed the same torrent)
                raise TransientError("torrent_lost", "libtorrent lost the torrent; the retry adds it again")
            st = job.handle.status()
            if st.errc.value() != 0:
                raise TransientError("torrent_error", f"libtorrent: {st.errc.message()}")
            if st.has_metadata and not job.resume_pending and (
                    not job.saved_once or (st.need_save_resume and time.monotonic() - job.last_resume > RESUME_EVERY)):
                self._request_resume(job)
            total = st.total_wanted if st.has_metadata else None
            if st.has_metadata and (st.is_finished or st.is_seeding):
                job.files = job.files or self._payload(job)
                return Progress("finished", st.total_wanted_done, total, st.download_payload_rate, st.num_peers)
            phase = "preparing" if str(st.state) in _PREPARING or not st.has_metadata else "downloading"
            return Progress(phase, st.total_wanted_done, total, float(st.download_payload_rate), st.num_peers)

    def _payload(self, job: _Torrent) -> list[StagedFile]:
        storage = job.handle.torrent_file().layout()
        files = []
        for index in range(storage.num_files()):
            if storage.file_flags(index) & lt.file_storage.flag_pad_file:
                continue
            relative = storage.file_path(index).replace(os.sep, "/")
            files.append(StagedFile(relative, job.spec.data_dir / storage.file_path(index)))
        return files

    def files(self, spec: JobSpec) -> list[StagedFile]:
        job = self._jobs.get(spec.job_id)
        if job is not None and job.files is not None:
            return job.files
        return [f for f in staged_files(spec.data_dir) if not f.path.endswith(".parts")]

    # --- streaming: what is on disk, what to fetch first --------------------

    def payload(self, job_id: str) -> list[PayloadFile] | None:
        with self._lock:
            job = self._jobs.get(job_id)
            if job is None:
                return None
            if job.payload is None:
                info = job.handle.torrent_file()
                if info is None:  # a magnet still fetching its metadata
                    return None
                storage = info.layout()
                job.payload = [
                    PayloadFile(index, storage.file_path(index).replace(os.sep, "/"),
                                job.spec.data_dir / storage.file_path(index), storage.file_size(index))
                    for index in range(storage.num_files())
                    if not storage.file_flags(index) & lt.file_storage.flag_pad_file]
            return job.payload

    def _playable_first(self, job_id: str) -> None:
        """Whoever presses play next most likely wants the largest file: its start and end come first."""
        files = self.payload(job_id) or []
        if files:
            self.want(job_id, max(files, key=lambda f: f.size).index, 0, urgent=True)

    def _have(self, job: _Torrent) -> list[bool]:
        """The have-bitfield, re-read only when the count of verified pieces changed (cheap per tick)."""
        count = job.handle.status(0).num_pieces
        if job.pieces[0] != count:
            job.pieces = (count, list(job.handle.status(lt.status_flags_t.query_pieces).pieces))
        return job.pieces[1]

    def done_ranges(self, job_id: str, index: int) -> list[tuple[int, int]]:
        with self._lock:
            job = self._jobs.get(job_id)
            if job is None or (info := job.handle.torrent_file()) is None:
                return []
            storage, have = info.layout(), self._have(job)
            offset, size, plen = storage.file_offset(index), storage.file_size(index), info.piece_length()
        if size == 0:
            return [(0, 0)]
        ranges: list[tuple[int, int]] = []
        for piece in range(offset // plen, (offset + size - 1) // plen + 1):
            if piece >= len(have) or not have[piece]:
                continue
            start, end = max(offset, piece * plen) - offset, min(offset + size, (piece + 1) * plen) - offset
            if ranges and ranges[-1][1] == start:
                ranges[-1] = (ranges[-1][0], end)
            else:
                ranges.append((start, end))
        return ranges

    def verifiable(self, job_id: str) -> bool:
        """Whether ``durable`` checks the job's pieces on disk (its metadata is here, with v1 piece hashes)."""
        with self._lock:
            job = self._jobs.get(job_id)
            info = job.handle.torrent_file() if job is not None else None
            return info is not None and info.info_hashes().has_v1()

    def durable(self, job_id: str, index: int, start: int, end: int) -> int:
        """How far from ``start`` (up to ``end``) the bytes of file ``index`` are in the file itself.

        libtorrent marks a piece done once its hash passed, which may be before its blocks are written
        (it hashes from its write buffer): a reader of the file could see zeros. Each piece a reader
        wants is hashed once more from disk (SHA-1, v1 and hybrid torrents) before it counts.
        """
        with self._lock:
            job = self._jobs.get(job_id)
            if job is None or (info := job.handle.torrent_file()) is None:
                return start
            if not info.info_hashes().has_v1():  # v2 only: no whole-piece hash to check against
                return end
            offset, plen, have = info.layout().file_offset(index), info.piece_length(), self._have(job)
        position = start
        for piece in range((offset + start) // plen, (offset + end - 1) // plen + 1):
            if piece not in job.durable:
                if piece >= len(have) or not have[piece] or not _on_disk(info, job.spec.data_dir, piece):
                    break
                job.durable.add(piece)
            position = min(end, (piece + 1) * plen - offset)
        return position

    def want(self, job_id: str, index: int, start: int, end: int | None = None, *, urgent: bool = True) -> None:
        with self._lock:
            job = self._jobs.get(job_id)
            if job is None or (info := job.handle.torrent_file()) is None:
                return
            storage, plen = info.layout(), info.piece_length()
            offset, size = storage.file_offset(index), storage.file_size(index)
            if size == 0:
                return
            first, last = (offset + min(start, size - 1)) // plen, (offset + size - 1) // plen
            tail = range(max(first, (offset + max(0, size - TAIL_BYTES)) // plen), last + 1)
            if urgent:
                self._play_window(job, index, first, last, tail, (offset, plen, end))
                return
            # Prefetch: the whole file before the others (below a play window's pieces), its beginning and its
            # index at the end first. (Never for play: a file priority lifts all the file's pieces alike.)
            if job.handle.file_priority(index) < PREFETCH_PRIORITY:
                job.handle.file_priority(index, PREFETCH_PRIORITY)
            for piece in (first, *tail):
                # A piece may also end the file being played (files share their boundary pieces): a later
                # deadline would replace its urgent one, and the played file's tail would come last.
                if piece not in job.urgent:
                    job.handle.set_piece_deadline(piece, PREFETCH_MS)

    def _play_window(self, job: _Torrent, index: int, first: int, last: int, tail: range,
                     layout: tuple[int, int, int | None]) -> None:
        """Deadlines on the pieces from the play position on (in order), plus the file's tail once."""
        offset, plen, end = layout
        have = self._have(job)
        # A deadline raises its piece to the top priority, and the picker takes top-priority pieces in any
        # order: while the player waits for the play position, only the next PLAYABLE_BYTES (and the tail)
        # get one, so they come first; once they are all here, a wider window keeps the download ahead of
        # playback. (Widened as soon as the first piece was in, a second request for the same start made the
        # tail wait behind 16 MiB of window: a press of play took 2.3-2.6 s instead of 0.3-0.6 s.)
        head = max(1, PLAYABLE_BYTES // plen)
        flowing = all(p < len(have) and have[p] for p in (*range(first, min(first + head, last + 1)), *tail))
        span = WINDOW_BYTES if flowing else PLAYABLE_BYTES
        stop = last if end is None else min(last, (offset + end) // plen)
        stop = min(stop, first + max(1, span // plen) - 1, first + MAX_WINDOW_PIECES - 1)
        if job.window == (index, first, stop):
            return  # the same play position as the last request: its deadlines stand
        # The tail counts as tail even inside the window (a short file fits in one): in window order it
        # would come last, and the API hands out no URL before it is there.
        tail_wanted = [p for p in tail if p >= len(have) or not have[p]]
        wanted = [p for p in range(first, stop + 1) if (p >= len(have) or not have[p]) and p not in tail]
        for abandoned in job.urgent - set(wanted) - set(tail_wanted):  # a seek left the old window
            job.handle.reset_piece_deadline(abandoned)  # (which drops the piece to priority 1: back to normal)
            job.handle.piece_priority(abandoned, NORMAL_PRIORITY)
        # In order from the play position; the tail right after the first PLAYABLE_BYTES (players read the
        # index early, and the API hands out a progressive URL once both are there).
        for order, piece in enumerate(wanted):
            job.handle.set_piece_deadline(piece, (order if order < head else order + len(tail_wanted)) * STEP_MS)
        for order, piece in enumerate(tail_wanted):
            job.handle.set_piece_deadline(piece, (min(head, len(wanted)) + order) * STEP_MS)
        job.urgent, job.window = set(wanted) | set(tail_wanted), (index, first, stop)

    # --- resume data --------------------------------------------------------

    def _request_resume(self, job: _Torrent) -> None:
        job.last_resume = time.monotonic()
        job.resume_pending = True
        job.handle.save_resume_data(lt.save_resume_flags_t.save_info_dict | lt.save_resume_flags_t.flush_disk_cache)

    def _job_of(self, handle: Any) -> _Torrent | None:
        return next((job for job in self._jobs.values() if job.handle == handle), None)

    def _pump_alerts(self) -> list[Any]:
        alerts = self.session.pop_alerts()
        for alert in alerts:
            if isinstance(alert, lt.save_resume_data_alert):
                job = self._job_of(alert.handle)
                if job is not None:
                    _write_atomic(job.spec.workdir / RESUME_FILE, lt.write_resume_data_buf(alert.params))
                    job.resume_pending, job.saved_once = False, True
            elif isinstance(alert, lt.metadata_received_alert):
                job = self._job_of(alert.handle)
                if job is not None:
                    self._playable_first(job.spec.job_id)  # first: every request sent before it is in the way
                if job is not None and not job.resume_pending:
                    self._request_resume(job)  # before the first payload byte lands on disk
            elif isinstance(alert, lt.save_resume_data_failed_alert):
                job = self._job_of(alert.handle)
                if job is not None:
                    job.resume_pending = False
            elif isinstance(alert, (lt.torrent_error_alert, lt.file_error_alert)):
                self.logger.warning("torrent error", extra={"action": "torrent_error", "error": alert.message()})
        return alerts

    def _save_all_resume(self, jobs: list[_Torrent], timeout: float) -> None:
        for job in jobs:
            if job.handle.is_valid() and job.handle.status().has_metadata:
                job.handle.pause()
                self._request_resume(job)
        deadline = time.monotonic() + timeout
        while any(job.resume_pending for job in jobs) and time.monotonic() < deadline:
            self.session.wait_for_alert(200)
            self._pump_alerts()

    # --- stopping -----------------------------------------------------------

    def remove(self, job_id: str) -> None:
        with self._lock:
            job = self._jobs.get(job_id)
            if job is None:
                return
            self._save_all_resume([job], timeout=10)
            if job.handle.is_valid():
                self.session.remove_torrent(job.handle)
            del self._jobs[job_id]

    def cancel(self, job_id: str) -> None:
        with self._lock:
            job = self._jobs.pop(job_id, None)
            if job is not None and job.handle.is_valid():
                hashes = _hashes(job.handle.status().info_hashes)
                self.session.remove_torrent(job.handle, lt.session.delete_files)
                self._await_deleted(hashes, timeout=10)
        if job is not None:
            shutil.rmtree(job.spec.data_dir, ignore_errors=True)
            (job.spec.workdir / RESUME_FILE).unlink(missing_ok=True)

    def _await_deleted(self, hashes: tuple[bytes, ...], timeout: float) -> None:
        """Until libtorrent has deleted the torrent's files: its disk thread may still be writing a piece, which
        would recreate the directory after ours is gone (cancel then left data behind)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.session.wait_for_alert(200)
            for alert in self._pump_alerts():
                if (isinstance(alert, (lt.torrent_deleted_alert, lt.torrent_delete_failed_alert))
                        and _hashes(alert.info_hashes) == hashes):
                    return
        self.logger.warning("torrent files not deleted in time", extra={"action": "torrent_delete_slow"})

    def close(self) -> None:
        """Save every torrent's resume data, then end the session here and now: its alert watcher is joined and
        the session let go, so libtorrent's threads stop while the process still runs. Left to the interpreter's
        exit (the watcher, a daemon thread, held it), the session's threads met a finalizing process: "terminate
        called without an active exception", SIGABRT, after a clean drain."""
        self._closed.set()
        with self._lock:
            if self._session is None:
                return
            jobs = list(self._jobs.values())
            self._save_all_resume(jobs, timeout=15)
            for job in jobs:
                if job.handle.is_valid():
                    self._session.remove_torrent(job.handle)
            self._jobs.clear()
            self._session.pause()
            watcher = self._watcher
        if watcher is not None:
            watcher.join(timeout=ALERT_WAIT_MS / 1000 + 5)
        with self._lock:
            self._session = None  # the last reference: libtorrent's session ends (and joins its threads) now


def _on_disk(info: Any, data_dir: Path, piece: int) -> bool:
    """The piece read back from its files (pad files are zeros) matches its v1 hash."""
    storage, digest = info.layout(), hashlib.sha1()  # noqa: S324 - BitTorrent v1 piece hashes are SHA-1
    for part in info.map_block(piece, 0, info.piece_size(piece)):
        if storage.file_flags(part.file_index) & lt.file_storage.flag_pad_file:
            digest.update(bytes(part.size))
            continue
        try:
            with open(data_dir / storage.file_path(part.file_index), "rb") as source:
                source.seek(part.offset)
                chunk = source.read(part.size)
        except OSError:
            return False
        if len(chunk) != part.size:
            return False
        digest.update(chunk)
    return digest.digest() == info.hash_for_piece(piece)


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_suffix(".tmp")
    with open(tmp, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, path)
