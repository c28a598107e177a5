"""Playback sessions that recover: what plays, heartbeats, the switch away from a stalled torrent, resume.

A session ties a user, a title (season/episode), the file that plays (a library item, or a download and its
file index), the pick it came from and the device's capabilities. The player sends heartbeats (position,
buffering). When a download's stream has waited at one spot for the user's ``stall_switch_seconds`` and the
job's telemetry shows the pieces are not arriving, the session switches: the next candidate that fits (the
same ranking as Get, for the session's device, leaving out every release that stalled in it) becomes the pick,
the old pick is kept in the audit trail with the reason, the new download starts and the stalled one is
cancelled. The heartbeat's answer carries the new stream URL; the player continues at the same second.

Concurrent heartbeats switch once: a conditional UPDATE claims the switch (``session_claim_switch``), and the
search runs with no connection held (it takes seconds).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, cast

from psycopg.types.json import Jsonb

from chalicelib import contentrating, db, errors
from chalicelib.auth.errors import NotForKids
from chalicelib.db import Conn
from chalicelib.downloads import service as downloads
from chalicelib.library.errors import MediaNotFound
from chalicelib.logs import get_logger
from chalicelib.observability import count
from chalicelib.picks import service as picks
from chalicelib.picks.models import DeviceCaps, Pick
from chalicelib.playback import queries
from chalicelib.playback.models import (
    Heartbeat,
    PlaybackSession,
    Resume,
    SessionFile,
    SessionNext,
    SessionRequest,
    SessionSwitch,
)
from chalicelib.playback.queries import LibraryFileRow, ProgressRow, SessionRow
from chalicelib.profiles import guard as content_guard

RUNNING = ("preparing", "downloading")
# Below this the job is not bringing pieces: a stall at one spot with the download this slow is the torrent's.
ARRIVING_BYTES_PER_SECOND = 64 * 1024


class SessionNotFound(errors.NotFound):
    code = "session_not_found"


class NothingToResume(errors.NotFound):
    code = "nothing_to_resume"


class FileNotFound(errors.NotFound):
    code = "file_not_found"


class FileOfAnotherTitle(errors.ValidationFailed):
    code = "file_of_another_title"


def _caps(caps: DeviceCaps | dict[str, Any] | None) -> DeviceCaps | None:
    """A probe that named no video codec says nothing: no device (as the SPA's probe returns none)."""
    if caps is None:
        return None
    parsed = caps if isinstance(caps, DeviceCaps) else DeviceCaps.model_validate(caps)
    return parsed if parsed.video else None


# ------------------------------------------------------------------------------------------ start


def start(user_id: uuid.UUID, request: SessionRequest, principal: object = None) -> PlaybackSession:
    """Open a session: the library file or download named, else the title's library file, else a pick (the
    best candidate for the device) and its download. Raises 404s for an unknown title, file or download
    (another user's download is unknown; a title out of a kid profile's reach is unknown too), 422 for a file
    of another title, 403 when a kid profile would start a download, and the pick's errors."""
    caps = _caps(request.device_caps)
    unit = (request.media_id, request.season, request.episode)
    with db.connection() as conn:
        if queries.session_media(conn, media_id=request.media_id) is None:
            raise MediaNotFound("No such title", fields={"mediaId": "unknown"})
        content_guard.require_media(conn, principal, request.media_id,
                                   MediaNotFound("No such title", fields={"mediaId": "unknown"}))
        found = _named_or_library(conn, user_id, request)
    if found is None and contentrating.limit_of(principal) is not None:
        # A kid has no Get and no downloads: it plays what the library has.
        raise NotForKids("This title is not in the library yet, and a kid profile cannot get it")
    if found is None:  # nothing to play yet: get the best release and stream it while it downloads
        body = cast(dict[str, Any], picks.pick(user_id, *unit, device=caps))
        found = ("download", None, uuid.UUID(body["job"]["id"]) if body.get("job") else None,
                 uuid.UUID(body["pick"]["id"]))
    mode, item_id, job_id, pick_id = found
    with db.connection() as conn:
        session_id = queries.session_insert(
            conn, user_id=user_id, media_id=request.media_id, season=request.season, episode=request.episode,
            mode=mode, library_item_id=item_id, download_id=job_id, file_index=None, pick_id=pick_id,
            device_caps=Jsonb(caps.model_dump(by_alias=True)) if caps else None,
            device_key=caps.key() if caps else "")
        get_logger().info("playback session started", extra={
            "action": "playback_session_started", "session_id": str(session_id), "mode": mode,
            "media_id": request.media_id, "job_id": str(job_id) if job_id else None})
        return _view(conn, user_id, _row(conn, user_id, session_id))


Found = tuple[str, uuid.UUID | None, uuid.UUID | None, uuid.UUID | None]  # mode, item, job, pick


def _named_or_library(conn: Conn, user_id: uuid.UUID, request: SessionRequest) -> Found | None:
    if request.download_id is not None:
        job = downloads.get_download(conn, user_id, request.download_id)  # JobNotFound (404) unless the user's
        pick = picks.pick_of_job(conn, user_id, job.id)
        if pick is not None and pick.media_id != request.media_id:
            raise FileOfAnotherTitle("This download is not of this title", fields={"downloadId": "of another title"})
        return "download", None, job.id, pick.id if pick else None
    if request.library_item_id is not None:
        item = queries.session_library_item(conn, item_id=request.library_item_id)
        if item is None:
            raise FileNotFound("No such library file", fields={"libraryItemId": "unknown"})
        if item["media_id"] != request.media_id:
            raise FileOfAnotherTitle("This library file is not of this title",
                                     fields={"libraryItemId": "of another title"})
        return "library", item["id"], None, _pick_of_item(conn, user_id, item)
    item = queries.session_library_file(conn, media_id=request.media_id, season=request.season,
                                        episode=request.episode)
    return ("library", item["id"], None, _pick_of_item(conn, user_id, item)) if item else None


def _pick_of_item(conn: Conn, user_id: uuid.UUID, item: LibraryFileRow) -> uuid.UUID | None:
    """The user's pick whose download brought this file, when one did."""
    if item["source_job_id"] is None:
        return None
    pick = picks.pick_of_job(conn, user_id, item["source_job_id"])
    return pick.id if pick else None


# ------------------------------------------------------------------------------------------ read


def _session_uuid(session_id: Any) -> uuid.UUID:
    try:
        return session_id if isinstance(session_id, uuid.UUID) else uuid.UUID(str(session_id))
    except ValueError:
        raise SessionNotFound("No such playback session") from None


def _row(conn: Conn, user_id: uuid.UUID, session_id: Any) -> SessionRow:
    row = queries.session_get(conn, session_id=_session_uuid(session_id), user_id=user_id)
    if row is None:
        raise SessionNotFound("No such playback session")
    return row


def _reachable(conn: Conn, user_id: uuid.UUID, session_id: Any, principal: object) -> SessionRow:
    """The user's session, if the acting profile may reach its title (a profile turned into a kid may hold
    sessions of titles now out of its reach: they answer as unknown)."""
    row = _row(conn, user_id, session_id)
    content_guard.require_media(conn, principal, row["media_id"], SessionNotFound("No such playback session"))
    return row


def get(user_id: uuid.UUID, session_id: Any, principal: object = None) -> PlaybackSession:
    """The user's session (404 for anyone else's, and for a title out of a kid profile's reach)."""
    with db.connection() as conn:
        return _view(conn, user_id, _reachable(conn, user_id, session_id, principal))


def stream_url(row: SessionRow) -> str:
    """The API URL that answers where to play the session's file now, tagged with the session (the stream
    endpoints log it). These URLs carry no signature, so the tag breaks nothing."""
    tag = f"session={row['id']}"
    if row["mode"] == "library" and row["library_item_id"] is not None:
        return f"/api/v1/library/{row['library_item_id']}/stream?{tag}"
    file = f"file={row['file_index']}&" if row["file_index"] is not None else ""
    return f"/api/v1/downloads/{row['download_id']}/stream?{file}{tag}"


def _next(conn: Conn, row: SessionRow) -> SessionNext | None:
    if row["season"] is None or row["episode"] is None:
        return None
    found = queries.session_next_episode(conn, media_id=row["media_id"], season=row["season"],
                                         episode=row["episode"])
    return SessionNext(season=found["season_number"], episode=found["episode_number"],
                       library_item_id=found["library_item_id"]) if found else None


def _file(row: SessionRow) -> SessionFile:
    if row["mode"] == "library":
        return SessionFile(library_item_id=row["library_item_id"])
    return SessionFile(download_id=row["download_id"], file_index=row["file_index"])


def _pick(conn: Conn, user_id: uuid.UUID, row: SessionRow) -> Pick | None:
    return picks.get_pick(conn, user_id, row["pick_id"]) if row["pick_id"] is not None else None


def _view(conn: Conn, user_id: uuid.UUID, row: SessionRow) -> PlaybackSession:
    return PlaybackSession(
        session_id=row["id"], media_id=row["media_id"], season=row["season"], episode=row["episode"],
        mode=cast(Any, row["mode"]), pick=_pick(conn, user_id, row), stream_url=stream_url(row), file=_file(row),
        next=_next(conn, row), position_seconds=row["position_seconds"],
        buffering=row["buffering_since"] is not None, stall_switch_seconds=row["stall_switch_seconds"],
        switches=[SessionSwitch.model_validate(s) for s in row["switches"]], notice=row["last_error"],
        created_at=row["created_at"], updated_at=row["updated_at"])


def resume(user_id: uuid.UUID, media_id: int, principal: object = None) -> Resume:
    """Where the user left the title: the exact season, episode, position, pick and file of its last session
    (at the newest position saved for it); a resume point of another episode saved after that session (a
    player outside sessions) wins, with its library file. ``NothingToResume`` (404) when there is neither,
    or when the title is out of a kid profile's reach."""
    nothing = NothingToResume("Nothing of this title was played here yet")
    with db.connection() as conn:
        content_guard.require_media(conn, principal, media_id, nothing)
        row = queries.session_latest(conn, user_id=user_id, media_id=media_id)
        saved = queries.session_progress(conn, user_id=user_id, media_id=media_id)
        if row is not None and (saved is None or not _moved_on(row, saved)):
            position = row["position_seconds"]
            if saved is not None and saved["updated_at"] > row["updated_at"]:
                position = saved["position_seconds"]
            return Resume(session_id=row["id"], season=row["season"], episode=row["episode"],
                          position_seconds=position, pick=_pick(conn, user_id, row), file=_file(row))
    if saved is None:
        raise nothing
    return Resume(season=saved["season_number"], episode=saved["episode_number"],
                  position_seconds=saved["position_seconds"],
                  file=SessionFile(library_item_id=saved["library_item_id"]))


def _moved_on(row: SessionRow, saved: ProgressRow) -> bool:
    """Another episode's resume point was saved after the session: the user went on without it."""
    return saved["updated_at"] > row["updated_at"] and (
        (saved["season_number"], saved["episode_number"]) != (row["season"], row["episode"]))


# ------------------------------------------------------------------------------------------ heartbeat


def heartbeat(user_id: uuid.UUID, session_id: Any, beat: Heartbeat, principal: object = None) -> PlaybackSession:
    """Record the position and buffer state; switch to the next candidate when the stream stalled too long."""
    with db.connection() as conn:
        row = _reachable(conn, user_id, session_id, principal)
        bytes_done = _bytes_done(row) if beat.buffering else None
        queries.session_beat(conn, session_id=row["id"], user_id=user_id, position=beat.position_seconds,
                             buffering=beat.buffering, file_index=beat.file_index, bytes_done=bytes_done)
        row = _row(conn, user_id, row["id"])
    if beat.buffering and _must_switch(row, bytes_done):
        switch(user_id, row)
    with db.connection() as conn:
        return _view(conn, user_id, _row(conn, user_id, row["id"]))


def _bytes_done(row: SessionRow) -> int | None:
    """The download's bytes on disk (its telemetry), or None when unknown (not a download, DynamoDB silent)."""
    if row["mode"] != "download" or row["download_id"] is None:
        return None
    from chalicelib.downloads import live  # lazy: pynamodb, off the API's cold start (only stalls read it)

    item = live.telemetry_for([str(row["download_id"])]).get(str(row["download_id"]))
    return int(item.bytes_done or 0) if item is not None else None


def _must_switch(row: SessionRow, bytes_done: int | None) -> bool:
    """A download's stream has waited at one spot for the user's setting and its pieces are not arriving."""
    if row["mode"] != "download" or row["pick_id"] is None or row["state"] != "active":
        return False
    waited = row["stalled_seconds"]
    if waited is None or waited < row["stall_switch_seconds"]:
        return False
    return not _arriving(row, bytes_done, waited)


def _arriving(row: SessionRow, bytes_done: int | None, waited: float) -> bool:
    status = row["job_status"]
    if status == "completed":
        return True  # the whole file is there: the stall is not the torrent's, another release would not help
    if status not in RUNNING:
        return False  # stalled, retrying, waiting for a slot, ended: nothing arrives
    if bytes_done is None or row["buffering_bytes"] is None:
        return True  # the telemetry says nothing: never switch on a guess
    return (bytes_done - row["buffering_bytes"]) / max(waited, 1.0) >= ARRIVING_BYTES_PER_SECOND


def clock(seconds: float) -> str:
    """12:04, or 1:02:03 past an hour: where the player waited, as its controls show it."""
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def switch(user_id: uuid.UUID, row: SessionRow) -> bool:
    """Switch the session away from its stalled pick, once (a concurrent caller finds it claimed); True when
    this call switched. When nothing else fits the session keeps its pick and says why (``notice``)."""
    old_pick = row["pick_id"]
    if old_pick is None:
        return False
    with db.connection() as conn:
        if not queries.session_claim_switch(conn, session_id=row["id"], user_id=user_id, pick_id=old_pick):
            return False
        old = picks.get_pick(conn, user_id, old_pick)
    waited = int(row["stall_switch_seconds"])
    why = f"switched: the stream stalled {waited} s at {clock(row['buffering_at'] or row['position_seconds'])}"
    stalled = list(row["stalled"]) + ([(old.infohash or old.name).lower()] if old else [])
    try:
        body = cast(dict[str, Any], picks.fallback(user_id, old_pick, avoid=stalled, why=why,
                                                   device=_caps(row["device_caps"])))
    except Exception as exc:
        _not_switched(user_id, row, exc)
        if isinstance(exc, errors.DomainError):
            return False
        raise
    _switched(user_id, row, old, body, why, stalled[-1] if stalled else "")
    return True


def _not_switched(user_id: uuid.UUID, row: SessionRow, exc: Exception) -> None:
    message = exc.message if isinstance(exc, errors.DomainError) else "The search for another release failed"
    with db.connection() as conn:
        queries.session_switch_failed(conn, session_id=row["id"], user_id=user_id,
                                      error=f"The stream stalled and no other release could be had: {message}")
    get_logger().warning("playback session not switched", extra={
        "action": "playback_switch_failed", "session_id": str(row["id"]), "error": type(exc).__name__,
        "code": getattr(exc, "code", None)})


def _switched(user_id: uuid.UUID, row: SessionRow, old: Pick | None, body: dict[str, Any], why: str,
              stalled: str) -> None:
    new_pick, job = body["pick"], body.get("job")
    job_id = uuid.UUID(job["id"]) if job else None
    at = row["buffering_at"] or row["position_seconds"]
    record = {"at": datetime.now(UTC).isoformat(), "fromPickId": str(row["pick_id"]), "toPickId": new_pick["id"],
              "release": new_pick["name"], "reason": why, "positionSeconds": at}
    with db.connection() as conn:
        queries.session_switched(conn, session_id=row["id"], user_id=user_id, pick_id=uuid.UUID(new_pick["id"]),
                                 download_id=job_id, stalled=stalled, switch=Jsonb(record))
    _cancel_stalled(user_id, row)
    count("fallback_switch_total")
    get_logger().info("playback session switched", extra={
        "action": "playback_switched", "session_id": str(row["id"]), "from_pick_id": str(row["pick_id"]),
        "to_pick_id": new_pick["id"], "job_id": str(job_id) if job_id else None, "reason": why,
        "from_release": old.name if old else None})


def _cancel_stalled(user_id: uuid.UUID, row: SessionRow) -> None:
    """The stalled download stops (it would hold a download slot waiting for peers); best effort."""
    if row["download_id"] is None:
        return
    try:
        downloads.cancel_download(user_id, row["download_id"])
    except errors.DomainError as exc:  # the switch stands; the reconciler ends a job left waiting
        get_logger().warning("stalled download not cancelled", extra={
            "action": "playback_stalled_cancel_failed", "job_id": str(row["download_id"]), "code": exc.code})
