"""The streaming side of the job's telemetry item: which files are on disk, and what the player asked for.

``files_json`` (written by the worker) tells the API when a file can start
playing: ``contiguousBytes`` from byte 0 and ``tailReady`` (its last piece
verified, where MP4/MKV keep their index). ``stream_file``/``stream_from``/
``prefetch_files`` (written by the API) are read back from the same update
and passed to the engine when they changed.
"""

from __future__ import annotations

import functools
import json
import posixpath
import time
from pathlib import PurePosixPath
from typing import Any

from chalicelib.messages import can_start
from worker.engines.base import PayloadFile, Progress
from worker.stream.fields import infohash
from worker.stream.mimes import mime_type
from worker.subtitles import sidecar_language

VIDEO = {".mkv", ".mp4", ".m4v", ".avi", ".mov", ".webm", ".ts", ".m2ts", ".wmv", ".mpg", ".mpeg", ".ogv"}
SUBTITLES = {".srt", ".ass", ".ssa", ".vtt"}
MAX_FILES = 1000
DEFAULT_FILE = -1  # stream_file written before the API knew the files (chalicelib.downloads.streaming)
PLAY_HURRY = 30.0  # seconds a new play request has the monitor look at its job every tick (worker.monitor)


@functools.lru_cache(maxsize=4096)
def _language(video_stem: str, path: str) -> tuple[str, str | None]:
    found = sidecar_language(video_stem, PurePosixPath(path))
    return found.tag, found.label


def _video_stem(path: str, videos: list[str]) -> str:
    """The stem of the video this subtitle belongs to (same or parent folder, a name prefix), else ""."""
    folder, stem = posixpath.dirname(path), PurePosixPath(path).stem.lower()
    near = [v for v in videos if posixpath.dirname(v) in (folder, posixpath.dirname(folder))]
    named = [PurePosixPath(v).stem for v in near if stem.startswith(PurePosixPath(v).stem.lower())]
    return max(named, key=len, default="")


def _entry(file: PayloadFile, ranges: list[tuple[int, int]], videos: list[str]) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "index": file.index, "path": file.path, "size": file.size,
        "contiguousBytes": ranges[0][1] if ranges and ranges[0][0] == 0 else 0,
        "tailReady": bool(ranges) and ranges[-1][1] == file.size, "mimeType": mime_type(file.path)}
    if PurePosixPath(file.path).suffix.lower() in SUBTITLES:
        entry["language"], entry["label"] = _language(_video_stem(file.path, videos), file.path)
    return entry


def files_json(job: Any, progress: Progress) -> str | None:
    """The job's video and subtitle files as the API reads them; None while unknown (a magnet without metadata)."""
    running = job.phase == "running"
    files = job.engine.payload(job.job_id) if running else job.payload
    if not files:
        return None
    job.payload = files
    videos = [f.path for f in files if PurePosixPath(f.path).suffix.lower() in VIDEO]
    # Only what the API plays or shows next to it: a DynamoDB item holds 400 KB, and every file costs a look
    # at the engine's pieces on every poll.
    media = [f for f in files if PurePosixPath(f.path).suffix.lower() in VIDEO | SUBTITLES][:MAX_FILES]
    entries = []
    for file in media:
        done = progress.phase == "finished" or not running
        ranges = [(0, file.size)] if done else job.engine.done_ranges(job.job_id, file.index)
        entries.append(_entry(file, ranges, videos))
    return json.dumps(entries, separators=(",", ":"))


def _default_file(files: list[PayloadFile]) -> int | None:
    """The file the API plays when none was chosen: the largest video."""
    videos = [f for f in files if PurePosixPath(f.path).suffix.lower() in VIDEO]
    return max(videos, key=lambda f: f.size).index if videos else None


def follow_request(ctx: Any, job: Any, item: Any) -> None:
    """Pass a new play request (urgent) or prefetch list (not urgent) from the telemetry item to the engine."""
    if job.phase != "running" or job.payload is None:  # before a magnet's metadata: ask again later
        return
    request = (item.stream_file, item.stream_from, item.stream_requested_at,
               tuple(sorted(int(i) for i in item.prefetch_files or ())))
    if request == job.stream_request or (request[0] is None and not request[3]):
        return
    job.stream_request = request
    chosen = _default_file(job.payload) if item.stream_file == DEFAULT_FILE else item.stream_file
    if chosen is not None:
        job.engine.want(job.job_id, int(chosen), int(item.stream_from or 0), urgent=True)
        job.hurry(PLAY_HURRY)  # the player waits on the next telemetry write that says the file can start
    for index in request[3]:
        if index != item.stream_file:
            job.engine.want(job.job_id, index, 0, urgent=False)
    ctx.logger.info("stream request followed", extra={
        "action": "stream_request_followed", "job_id": job.job_id, "infohash": infohash(job),
        "fileIndex": None if chosen is None else int(chosen), "prefetch": list(request[3])})


def settle(job: Any) -> bool:
    """End a hurried job's hurry once the file to play can start: the one asked for, else the largest video
    (a player waiting on a new job gets that one). True when it ended now."""
    if job.hurry_until <= time.monotonic() or job.files_json is None:
        return False
    asked = job.stream_request[0] if job.stream_request else None
    wanted = _default_file(job.payload or []) if asked is None or int(asked) == DEFAULT_FILE else int(asked)
    entry = next((e for e in json.loads(job.files_json) if e["index"] == wanted), None)
    if entry is None or not can_start(entry, job.command.source_type):
        return False
    job.hurry_until = 0.0
    return True
