"""Play a download: the bucket's URL once its file is stored, the worker's signed Range URL before.

While a job runs, the API asks the worker for the file (``stream_file`` on
the job's telemetry item, like the cancel flag) and reads back what is on
disk (``files_json``, written by the worker every poll). The file becomes
playable progressively once its first bytes (2 MiB or the whole file) and
its tail (where MP4/MKV keep their index) are verified; before that the
route answers 202 with what is awaited and ``Retry-After``, so the player polls
(not an error status: browsers log every 4xx as a console error).
"""

from __future__ import annotations

import json
import mimetypes
import posixpath
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal

from chalicelib import db, errors, streamtoken
from chalicelib.config import get_settings
from chalicelib.db import Conn
from chalicelib.downloads import queries
from chalicelib.downloads.models import DownloadStream, StreamFile, StreamSubtitleTrack
from chalicelib.downloads.queries import FileRow, JobRow
from chalicelib.downloads.service import JobNotFound
from chalicelib.library.naming import parse_many
from chalicelib.library.streaming import presign
from chalicelib.logs import add_stream_fields, get_logger, stream_fields
from chalicelib.messages import can_start
from chalicelib.observability import traced

if TYPE_CHECKING:
    from pynamodb.expressions.update import Action

VIDEO = {".mkv", ".mp4", ".m4v", ".avi", ".mov", ".webm", ".ts", ".m2ts", ".wmv", ".mpg", ".mpeg", ".ogv"}
SUBTITLES = {".srt", ".ass", ".ssa", ".vtt"}
RUNNING = ("preparing", "downloading")
PACK_SAMPLE_RATIO = 4  # an episode file under a quarter of the largest is a sample, not an episode
DEFAULT_FILE = -1  # stream_file before the API knows the files: the worker picks the largest video
TELEMETRY_TTL = timedelta(days=1)


class NotStreamable(errors.Conflict):
    code = "not_streamable"


class NotReady(errors.Conflict):
    code = "not_ready"

    def __init__(self, message: str, retry_after: int = 1,
                 awaiting: Literal["files", "download", "pieces"] = "pieces"):
        super().__init__(message)
        self.retry_after = retry_after
        # files (not listed yet), download (not running) or pieces (first/last ones)
        self.awaiting: Literal["files", "download", "pieces"] = awaiting


class StreamFileNotFound(errors.NotFound):
    code = "file_not_found"


def _suffix(path: str) -> str:
    return posixpath.splitext(path)[1].lower()


def _mime(path: str) -> str:
    return {".mkv": "video/x-matroska", ".vtt": "text/vtt"}.get(_suffix(path)) or mimetypes.guess_type(path)[0] \
        or "application/octet-stream"


def _telemetry(job_id: str) -> Any:
    from chalicelib.downloads.live import telemetry_for  # lazy: pynamodb, off the cold start

    return telemetry_for([job_id]).get(job_id)


def _files(item: Any, stored: Mapping[str, FileRow]) -> list[Mapping[str, Any]]:
    """The worker's file list (indexes as its engine numbers them), else the stored files in path order."""
    if item is not None and item.files_json:
        try:
            return list(json.loads(item.files_json))
        except ValueError:
            get_logger().warning("files_json unreadable", extra={"action": "stream_files_unreadable"})
    return [{"index": i, "path": p, "size": row["size_bytes"], "contiguousBytes": row["size_bytes"],
             "tailReady": True, "mimeType": _mime(p)} for i, (p, row) in enumerate(sorted(stored.items()))]


def _playable(files: list[Mapping[str, Any]], stored: Mapping[str, FileRow]) -> list[StreamFile]:
    videos = [f for f in files if _suffix(f["path"]) in VIDEO]
    guesses = parse_many([f["path"] for f in videos])
    out = [StreamFile(index=f["index"], path=f["path"], size=f["size"], mime_type=f.get("mimeType") or _mime(f["path"]),
                      season=guesses[f["path"]].get("season"), episode=guesses[f["path"]].get("episode"),
                      stored=f["path"] in stored) for f in videos]
    return sorted(out, key=lambda f: (f.season is None, f.season or 0, f.episode is None, f.episode or 0, f.path))


def _choose(playable: list[StreamFile], index: int | None) -> StreamFile:
    if index is None:
        if not playable:
            raise NotStreamable("This download has no video file")
        return _default(playable)
    found = next((f for f in playable if f.index == index), None)
    if found is None:
        raise StreamFileNotFound("This download has no playable file with that index")
    return found


def _default(playable: list[StreamFile]) -> StreamFile:
    """Play pressed on the whole download: a pack of episodes starts at its first episode (not whichever
    encode came out largest); anything else plays its largest video (the film, not its sample or extras).
    Episode files much smaller than the largest (samples) are passed over."""
    largest = max(playable, key=lambda f: f.size)
    if largest.episode is None:
        return largest
    # ``playable`` is in season/episode order
    return next(f for f in playable if f.episode is not None and f.size * PACK_SAMPLE_RATIO >= largest.size)


def _next(playable: list[StreamFile], chosen: StreamFile) -> StreamFile | None:
    if chosen.episode is None:
        return None
    later = [f for f in playable if f.episode is not None and f.index != chosen.index
             and (f.season or 0, f.episode) > (chosen.season or 0, chosen.episode)]
    return later[0] if later else None


def _subtitles_of(files: list[Mapping[str, Any]], chosen: StreamFile,
                  playable: list[StreamFile]) -> list[Mapping[str, Any]]:
    """Sidecars next to the video (or in a folder below it) named after it, or the folder's only video."""
    folder, stem = posixpath.dirname(chosen.path), posixpath.splitext(posixpath.basename(chosen.path))[0].lower()
    alone = sum(posixpath.dirname(f.path) == folder for f in playable) == 1
    out = []
    for entry in files:
        path = entry["path"]
        if _suffix(path) not in SUBTITLES:
            continue
        inside = posixpath.dirname(path) == folder or posixpath.dirname(posixpath.dirname(path)) == folder
        if inside and (alone or posixpath.basename(path).lower().startswith(stem)):
            out.append(entry)
    return out


def _subtitle_tracks(job_id: str, entries: list[Mapping[str, Any]], stored: Mapping[str, FileRow],
                     progressive: bool, user_id: uuid.UUID) -> list[StreamSubtitleTrack]:
    settings = get_settings()
    tracks = []
    for entry in entries:
        row = stored.get(entry["path"])
        if row is not None and _suffix(entry["path"]) == ".vtt":
            url = presign(row["storage_key"], settings.library.stream_url_ttl, "text/vtt")
        elif progressive:
            plain = streamtoken.url(settings.stream.secret, settings.stream.public_base, job_id, entry["index"],
                                    settings.stream.token_ttl, user_id=str(user_id))
            path, query = plain.split("?", 1)
            url = f"{path}.vtt?{query}"  # the worker converts the sidecar to WebVTT
        else:
            continue
        tracks.append(StreamSubtitleTrack(language=entry.get("language") or "und", label=entry.get("label"),
                                          url=url))
    return tracks


def _stored_tracks(conn: Conn, job_id: str, entries: list[Mapping[str, Any]], stored: Mapping[str, FileRow],
                   video: FileRow, user_id: uuid.UUID) -> list[StreamSubtitleTrack]:
    """Once stored, the WebVTT the library made of the file's sidecars (and embedded text streams) when the
    worker indexed the download. Until that event is handled, the worker's own conversion of the sidecars
    (it serves them while the job's staging copy is there) or a sidecar stored as .vtt."""
    ttl = get_settings().library.stream_url_ttl
    rows = list(queries.file_subtitles(conn, storage_key=video["storage_key"]))
    if not rows:
        return _subtitle_tracks(job_id, entries, stored, True, user_id)
    return [StreamSubtitleTrack(language=row["language"] or "und", label=row["label"],
                                url=presign(row["storage_key"], ttl, "text/vtt")) for row in rows]


def _ask_worker(job_id: str, item: Any, index: int, following: StreamFile | None = None) -> None:
    """Raise the play request on the job's telemetry item (the worker's monitor reads it on its next poll);
    the next episode's file in the same pack is prefetched with it (its first and last pieces, not urgent),
    so "up next" starts at once even when the job is linked to no title (no heartbeat asks for it)."""
    if item is not None and item.stream_file is not None and int(item.stream_file) == index:
        return
    from chalicelib.downloads.live import DYNAMO_ERRORS  # lazy: pynamodb, off the cold start
    from chalicelib.telemetry import DownloadTelemetry  # lazy: pynamodb, off the cold start

    now = datetime.now(UTC)
    actions: list[Action] = [DownloadTelemetry.stream_file.set(index), DownloadTelemetry.stream_from.set(0),
               DownloadTelemetry.stream_requested_at.set(now), DownloadTelemetry.expires_at.set(now + TELEMETRY_TTL)]
    if following is not None:
        actions.append(DownloadTelemetry.prefetch_files.add({following.index}))
    try:
        DownloadTelemetry(job_id).update(actions=actions)
    except DYNAMO_ERRORS as exc:  # the file still becomes playable, just not first
        get_logger().warning("stream request not written", extra={
            "action": "stream_request_failed", "job_id": job_id, "error": type(exc).__name__})
        return
    get_logger().info("stream requested", extra={"action": "stream_requested", "job_id": job_id,
                                                 "fileIndex": index})


def _job(conn: Conn, user_id: uuid.UUID, job_id: Any) -> tuple[JobRow, dict[str, FileRow], Any]:
    """The user's job (``JobNotFound`` otherwise), its stored files by path and its telemetry item."""
    try:
        row = queries.get_job(conn, job_id=uuid.UUID(str(job_id)), user_id=user_id)
    except ValueError:
        row = None
    if row is None:
        raise JobNotFound("No such download")
    if row["status"] in ("failed", "cancelled"):
        raise NotStreamable(f"This download is {row['status']}")
    add_stream_fields(job_id=row["id"], infohash=row["info_hash"],
                      pick_id=queries.pick_of_job(conn, job_id=row["id"], user_id=user_id))
    stored = {f["path"]: f for f in queries.list_files(conn, job_id=row["id"])}
    return row, stored, _telemetry(str(row["id"]))  # its files_json numbers the files as the worker did


@traced("stream")
def stream(user_id: uuid.UUID, job_id: Any, index: int | None = None,
           session: uuid.UUID | None = None) -> DownloadStream:
    """Where to play the job's file ``index`` (default: a pack's first episode, else its largest video) now.
    ``session`` (the player's playback session) is only logged: every line of this answer carries it, the
    job's info hash and pick, and the file once chosen.

    Raises ``JobNotFound`` (not the user's), ``NotStreamable`` (ended without
    it), ``StreamFileNotFound`` and ``NotReady`` (keep polling).
    """
    with stream_fields(session_id=session, file_index=index):
        try:
            answer = _stream(user_id, job_id, index, session)
        except NotReady as exc:
            get_logger().info("stream waiting", extra={"action": "stream_waiting", "awaiting": exc.awaiting})
            raise
        get_logger().info("stream answered", extra={"action": "stream_answered", "mode": answer.mode})
        return answer


def _stream(user_id: uuid.UUID, job_id: Any, index: int | None, session: uuid.UUID | None) -> DownloadStream:
    with db.connection() as conn:
        row, stored, item = _job(conn, user_id, job_id)
        job_key, files = str(row["id"]), _files(item, stored)
        if not files:
            if row["status"] == "completed":
                raise NotStreamable("This download has no files")
            _ask_worker(job_key, item, DEFAULT_FILE if index is None else index)
            raise NotReady("The download has not found its files yet", awaiting="files")
        playable = _playable(files, stored)
        chosen = _choose(playable, index)
        add_stream_fields(file_index=chosen.index)
        shown = {"file_index": chosen.index, "path": chosen.path, "size": chosen.size, "mime_type": chosen.mime_type,
                 "files": playable, "next": _next(playable, chosen), **_link(row, chosen)}
        sidecars = _subtitles_of(files, chosen, playable)
        if chosen.stored:
            return DownloadStream(url=_stored_url(stored[chosen.path], chosen), mode="stored",
                                  subtitles=_stored_tracks(conn, job_key, sidecars, stored, stored[chosen.path],
                                                           user_id),
                                  **shown)
        if row["status"] not in RUNNING:
            raise NotReady(f"The download is {row['status']}", retry_after=5, awaiting="download")
        _ask_worker(job_key, item, chosen.index, shown["next"])
        if not can_start(next(f for f in files if f["index"] == chosen.index), row["source_type"]):
            raise NotReady("The file's first pieces are still downloading")
        settings = get_settings().stream
        # The user's tag rides in the URL (signed): the worker caps each user's waiting requests without a database.
        url = streamtoken.url(settings.secret, settings.public_base, job_key, chosen.index, settings.token_ttl,
                              user_id=str(user_id))
        if session is not None:  # the worker's lines name it too; it is outside what the URL signs
            url += f"&session={session}"
        return DownloadStream(url=url, mode="progressive",
                              subtitles=_subtitle_tracks(job_key, sidecars, stored, True, user_id), **shown)


def _link(row: JobRow, chosen: StreamFile) -> dict[str, int | None]:
    """What the playing file stands for, so the player saves progress against it: a pack's job names its
    season only, the file's name says the episode."""
    if row.get("media_id") is None:
        return {"media_id": None, "season": None, "episode": None}
    season = chosen.season if chosen.season is not None else row.get("season")
    episode = chosen.episode if chosen.episode is not None else row.get("episode")
    return {"media_id": row["media_id"], "season": season, "episode": episode}


def _stored_url(row: FileRow, chosen: StreamFile) -> str:
    return presign(row["storage_key"], get_settings().library.stream_url_ttl, chosen.mime_type)
