"""The download engine interface: ``add``, ``status``, ``cancel``, ``remove``.

The dispatcher and the monitor only ever talk to this interface, so an engine
(libtorrent, httpx) can be replaced without touching them. Engines report
trouble by raising: ``TransientError`` asks for a retry later (the job is
reported ``stalled`` and the control plane retries it after a back-off),
``PermanentError`` ends the job as ``failed``.
"""

from __future__ import annotations

import re
import shutil
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Generic, Literal, Protocol, TypeVar

if TYPE_CHECKING:
    from chalicelib.config import EngineSettings

Phase = Literal["preparing", "downloading", "finished"]
T = TypeVar("T", bound="Threaded")


class EngineError(Exception):
    """A download problem with a stable snake_case ``code`` for the UI."""

    retryable = True

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


class TransientError(EngineError):
    """Worth another attempt later: network trouble, no peers, a 5xx."""

    retryable = True


class PermanentError(EngineError):
    """Another attempt would fail the same way: a 404, an invalid torrent."""

    retryable = False


@dataclass(frozen=True)
class JobSpec:
    """What an engine needs to run one job; ``workdir`` is the job's own staging directory."""

    job_id: str
    attempt: int
    source_type: str
    source: str | None
    torrent: bytes | None
    workdir: Path

    @property
    def data_dir(self) -> Path:
        """Payload only: every file under it is uploaded when the job finishes."""
        return self.workdir / "data"


@dataclass(frozen=True)
class Progress:
    phase: Phase
    bytes_done: int
    bytes_total: int | None
    speed_bps: float = 0.0
    peers: int | None = None

    @property
    def percent(self) -> float:
        if self.phase == "finished":
            return 100.0
        if not self.bytes_total:
            return 0.0
        return min(99.99, round(100.0 * self.bytes_done / self.bytes_total, 2))

    @property
    def eta_seconds(self) -> int | None:
        if not self.bytes_total or self.speed_bps <= 0:
            return None
        return max(0, int((self.bytes_total - self.bytes_done) / self.speed_bps))


@dataclass(frozen=True)
class StagedFile:
    path: str  # relative, "/"-separated: the file's path inside the download
    local: Path


@dataclass(frozen=True)
class PayloadFile:
    """One file of a running job, for streaming and for uploading while downloading."""

    index: int  # the file's index in the download (libtorrent's file index; 0 for HTTP)
    path: str  # relative, "/"-separated
    local: Path
    size: int


class Engine(ABC):
    """One kind of transfer. Methods are called from several threads; engines lock."""

    kinds: tuple[str, ...] = ()

    @abstractmethod
    def add(self, spec: JobSpec) -> None:
        """Start (or resume, from what is on disk) the job."""

    @abstractmethod
    def status(self, job_id: str) -> Progress:
        """The job's progress; raises ``EngineError`` when it cannot go on."""

    @abstractmethod
    def cancel(self, job_id: str) -> None:
        """Stop the job and delete its partial data."""

    @abstractmethod
    def remove(self, job_id: str) -> None:
        """Stop the job, keeping its data and resume state on disk."""

    @abstractmethod
    def close(self) -> None:
        """Stop every job keeping data and resume state (SIGTERM drain)."""

    def holder(self, source: str | None, torrent: bytes | None) -> str | None:
        """The job already transferring this same content in this engine, if any (two jobs of one torrent
        would share one transfer and one staging directory: the second must wait for the first)."""
        return None

    def files(self, spec: JobSpec) -> list[StagedFile]:
        """The payload files of a finished job."""
        return staged_files(spec.data_dir)

    # --- while it runs: streaming and uploading ahead of the finish ----------

    def payload(self, job_id: str) -> list[PayloadFile] | None:
        """The running job's payload files, once known (None before a magnet's metadata arrives)."""
        return None

    def done_ranges(self, job_id: str, index: int) -> list[tuple[int, int]]:
        """Byte ranges ``[start, end)`` of file ``index`` complete (and verified) on disk, in order."""
        return []

    def want(self, job_id: str, index: int, start: int, end: int | None = None, *, urgent: bool = True) -> None:
        """Fetch bytes ``start..end`` of file ``index`` before the rest (play or seek: urgent; prefetch: not).

        Engines that download in order anyway (HTTP) keep this no-op."""
        return None


class Threaded(Protocol):
    """A transfer run by a thread of its own, stopped through its event."""

    spec: JobSpec
    stop: threading.Event
    thread: threading.Thread | None


class ThreadPerJob(Engine, Generic[T]):
    """Stopping for engines that run each job on a thread of its own (HTTP, yt-dlp): ``remove`` and ``close``
    stop and keep what is on disk; ``cancel`` also deletes it (``_discard``: the engine's own state files)."""

    settings: EngineSettings
    _jobs: dict[str, T]
    _lock: threading.Lock

    def _start(self, transfer: T, name: str, run: Callable[[T], None]) -> None:
        """Run ``transfer`` on a thread of its own, unless its job is already running here."""
        job_id = transfer.spec.job_id
        with self._lock:
            if job_id in self._jobs:
                return
            self._jobs[job_id] = transfer
        transfer.thread = threading.Thread(target=run, args=(transfer,), name=f"{name}-{job_id[:8]}", daemon=True)
        transfer.thread.start()

    def _stop(self, job_id: str) -> T | None:
        with self._lock:
            transfer = self._jobs.pop(job_id, None)
        if transfer is not None:
            transfer.stop.set()
            if transfer.thread is not None:
                transfer.thread.join(timeout=self.settings.http_timeout + 5)
        return transfer

    def _discard(self, spec: JobSpec) -> None:
        """What the engine keeps beside the payload for a resume (deleted on cancel)."""

    def remove(self, job_id: str) -> None:
        self._stop(job_id)

    def cancel(self, job_id: str) -> None:
        transfer = self._stop(job_id)
        if transfer is not None:
            shutil.rmtree(transfer.spec.data_dir, ignore_errors=True)
            self._discard(transfer.spec)

    def close(self) -> None:
        for job_id in list(self._jobs):
            self._stop(job_id)


def staged_files(root: Path) -> list[StagedFile]:
    if not root.is_dir():
        return []
    return [StagedFile(path.relative_to(root).as_posix(), path)
            for path in sorted(root.rglob("*")) if path.is_file()]


_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\]")


def safe_name(name: str, fallback: str = "download") -> str:
    """A file name that stays inside its directory whatever a URL or torrent says."""
    cleaned = _UNSAFE.sub("_", name).strip().lstrip(".")[:200]
    return cleaned or fallback
