"""The worker's jobs: what runs now (in memory) and what survives a restart (on disk).

Each job owns ``<staging>/jobs/<job id>/``: ``job.json`` (the command it
runs, its attempt, whether it is parked), ``source.torrent`` for uploaded
torrents, the engine's resume state and ``data/`` (the payload). A job dir
that is not parked belongs to a job that was running when the worker
stopped; the worker resumes it on start. A parked job stalled and waits for
the control plane's retry (a new ``download.start``).
"""

from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chalicelib.messages import DownloadStart
from worker.engines.base import JobSpec, Progress, StagedFile

JOB_FILE = "job.json"
TORRENT_FILE = "source.torrent"


@dataclass
class ActiveJob:
    """A job this worker is running. ``phase``: running -> uploading -> reporting (its ``final`` state)."""

    command: DownloadStart
    spec: JobSpec
    engine: Any
    phase: str = "running"
    last_sent: str | None = None  # the status last reported for this attempt
    progress: Progress | None = None  # the engine's last answer
    last_bytes: int = -1
    last_progress_at: float = field(default_factory=time.monotonic)
    files: list[StagedFile] = field(default_factory=list)
    stored: dict[str, str] = field(default_factory=dict)  # path -> sha256 of files already reported
    bytes_total: int = 0
    cancelled: bool = False
    # (status, progress, error code, error message) still to be reported before the job leaves
    final: tuple[str, Any, str | None, str | None] | None = None
    upload: Any = None  # the upload thread's future
    ahead: Any = None  # worker.upload_ahead.Ahead: parts uploaded while downloading, then by the uploader
    # Streaming (worker.stream, reporter): the engine's payload list once known (kept after the engine lets
    # go), the files_json last written to telemetry, and the play/prefetch request last passed to the engine.
    payload: Any = None
    files_json: str | None = None
    stream_request: Any = None
    # The monitor (worker.monitor): when it last looked, and until when it looks every FAST_TICK (a job just
    # started, or just asked to play: someone may be waiting on the Play screen).
    looked_at: float = 0.0
    hurry_until: float = 0.0
    started_at: float = field(default_factory=time.monotonic)

    def hurry(self, seconds: float) -> None:
        """Be looked at every tick of the monitor for the next ``seconds`` (or until the file to play can start)."""
        self.hurry_until = max(self.hurry_until, time.monotonic() + seconds)

    @property
    def job_id(self) -> str:
        return self.spec.job_id

    @property
    def attempt(self) -> int:
        return self.spec.attempt


class JobStore:
    def __init__(self, staging_dir: str | Path):
        self.root = Path(staging_dir) / "jobs"
        self.root.mkdir(parents=True, exist_ok=True)

    def workdir(self, job_id: str) -> Path:
        # job ids are uuids from our own control plane; the check keeps a bad one from escaping root
        path = self.root / job_id
        if path.parent != self.root or not job_id or job_id.startswith("."):
            raise ValueError(f"unsafe job id {job_id!r}")
        return path

    def save(self, command: DownloadStart, torrent: bytes | None, *, parked: bool = False) -> JobSpec:
        """Persist the command before the engine starts, so a crash cannot lose the job."""
        workdir = self.workdir(command.job_id)
        workdir.mkdir(parents=True, exist_ok=True)
        if torrent is not None:
            _write(workdir / TORRENT_FILE, torrent)
        record = {"command": command.model_dump(mode="json", by_alias=True), "parked": parked}
        _write(workdir / JOB_FILE, json.dumps(record).encode())
        return self.spec(command, torrent)

    def spec(self, command: DownloadStart, torrent: bytes | None) -> JobSpec:
        return JobSpec(job_id=command.job_id, attempt=command.attempt, source_type=command.source_type,
                       source=command.source, torrent=torrent, workdir=self.workdir(command.job_id))

    def load(self, job_id: str) -> tuple[DownloadStart, bytes | None, bool] | None:
        workdir = self.workdir(job_id)
        try:
            record = json.loads((workdir / JOB_FILE).read_text())
            command = DownloadStart.model_validate(record["command"])
        except (OSError, ValueError, KeyError):
            return None
        torrent_path = workdir / TORRENT_FILE
        torrent = torrent_path.read_bytes() if torrent_path.is_file() else None
        return command, torrent, bool(record.get("parked"))

    def park(self, job: ActiveJob) -> None:
        """Keep the job's data for the control plane's retry, but do not resume it on start."""
        self.save(job.command, None, parked=True)

    def unfinished(self) -> list[str]:
        """Job ids that were running (not parked) when the worker last stopped."""
        ids = []
        for path in sorted(self.root.iterdir()):
            loaded = self.load(path.name) if path.is_dir() else None
            if loaded is not None and not loaded[2]:
                ids.append(path.name)
        return ids

    def sweep(self, older_than: float, keep: set[str]) -> list[str]:
        """Delete job dirs not touched for ``older_than`` seconds that no running job owns.

        A parked job whose retry never came (the control plane failed or
        cancelled it) would otherwise keep its partial data forever.
        """
        cutoff = time.time() - older_than
        removed = []
        for path in self.root.iterdir():
            if path.name in keep or not path.is_dir():
                continue
            marker = path / JOB_FILE
            touched = (marker if marker.exists() else path).stat().st_mtime
            if touched < cutoff:
                shutil.rmtree(path, ignore_errors=True)
                removed.append(path.name)
        return removed

    def delete(self, job_id: str) -> None:
        shutil.rmtree(self.workdir(job_id), ignore_errors=True)


def _write(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
