"""Next episode ready: the work behind a ``playback.prefetch`` (see ``trigger`` for how it is sent).

In order, for the episode after the one playing:

(a) it is in the library: its subtitles are fetched ahead (``subtitles.service.prefetch``);
(b) a download job of the user brings it: in a running season pack its file is asked first
    (``prefetch_files`` on the job's telemetry item, which the worker's monitor reads); a job of the
    episode itself, or one not started yet, needs nothing more;
(c) otherwise the best release is picked and its download started (the same ``picks.pick`` as Get
    and the monitor, under the user's quality profile).

The outcome is remembered in ``playback_next_up`` (what the storage janitor must not evict). A
redelivered message does nothing twice: the row is an upsert, the file index is added to a set, and
``pick`` returns the unit's current pick instead of making another.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from uuid import UUID

from chalicelib import db, errors
from chalicelib.config import get_settings
from chalicelib.db import Conn
from chalicelib.downloads import live
from chalicelib.library.naming import parse_many
from chalicelib.logs import get_logger
from chalicelib.messages import PlaybackPrefetch
from chalicelib.observability import ratio
from chalicelib.picks import service as picks
from chalicelib.playback import queries
from chalicelib.playback.queries import CoveringJobRow, NextEpisodeRow
from chalicelib.subtitles import service as subtitles
from chalicelib.telemetry import DownloadTelemetry

RUNNING = {"preparing", "downloading", "stalled", "retrying"}


class FilesNotKnownYet(Exception):
    """A running season pack has not reported its file list: raise so SQS delivers the message again."""


def prefetch(message: PlaybackPrefetch) -> str:
    """Make the episode after ``message.episode_id`` ready; returns how (none, library, prioritized,
    downloading, picked, unavailable)."""
    with db.connection() as conn:
        nxt = queries.next_episode(conn, media_id=message.media_id, episode_id=message.episode_id)
        if nxt is None:
            return _done(message, "none")
        if nxt["library_item_id"] is not None:
            _remember(conn, message, nxt, "library", None)
            _subtitles(conn, nxt["library_item_id"], message.user_id)
            return _done(message, "library", nxt)
        job = queries.covering_job(conn, user_id=message.user_id, media_id=message.media_id,
                                   season=nxt["season_number"], episode=nxt["episode_number"])
    how, job_id = _from_job(job, nxt) if job is not None else (None, None)
    if how is None:
        job_id = _get(message, nxt)
        how = "picked" if job_id is not None else "unavailable"
    if job_id is not None:
        with db.connection() as conn:
            _remember(conn, message, nxt, how, job_id)
    return _done(message, how, nxt)


def _from_job(job: CoveringJobRow, nxt: NextEpisodeRow) -> tuple[str | None, UUID | None]:
    """(how, job id) when the job brings the episode; (None, None) when a pack turns out not to hold it."""
    if job["episode"] is not None or job["status"] not in RUNNING:
        return "downloading", job["id"]  # the episode's own job, or a pack not started / already done
    index = file_index(str(job["id"]), nxt["season_number"], nxt["episode_number"])
    if index is None:
        return None, None
    prioritize(str(job["id"]), index)
    return "prioritized", job["id"]


def file_index(job_id: str, season: int, episode: int) -> int | None:
    """The index of the episode's file in the job's payload (``files_json``, written by the worker)."""
    item = live.telemetry_for([job_id]).get(job_id)
    if item is None or not item.files_json:
        raise FilesNotKnownYet(f"job {job_id} has not reported its files yet")
    files = {str(f["path"]): (int(f.get("size") or 0), int(f["index"])) for f in json.loads(item.files_json)}
    matching = [files[path] for path, guess in parse_many(sorted(files)).items()
                if guess.get("season") == season and episode in (guess.get("episodes") or [guess.get("episode")])]
    return max(matching)[1] if matching else None  # the largest: a sample clip matches the same numbers


def prioritize(job_id: str, index: int) -> None:
    """Ask the worker to fetch file ``index`` next (an ADD to the set: asking twice changes nothing)."""
    DownloadTelemetry(job_id).update(actions=[
        DownloadTelemetry.prefetch_files.add({index}),
        DownloadTelemetry.expires_at.set(datetime.now(UTC) + live.TELEMETRY_TTL),
    ])


def _get(message: PlaybackPrefetch, nxt: NextEpisodeRow) -> str | None:
    """Pick the best release of the episode and start its download; the job id, or None when none fits."""
    try:
        body = picks.pick(message.user_id, message.media_id, nxt["season_number"], nxt["episode_number"])
    except errors.DomainError as exc:  # nothing acceptable, unknown title, rate limited: the user's Get shows it
        get_logger().info("prefetch found no release", extra={
            "action": "prefetch_no_release", "user_id": str(message.user_id), "media_id": message.media_id,
            "episode_id": nxt["episode_id"], "code": exc.code})
        return None
    job = body.get("job")
    return job["id"] if job else None


def _subtitles(conn: Conn, item_id: UUID, user_id: UUID) -> None:
    """Fetch the next episode's subtitles ahead; best effort (the player asks again when it starts)."""
    try:
        subtitles.prefetch(conn, item_id, user_id)
    except Exception:  # the episode is ready without them; playback fetches them again
        get_logger().exception("subtitle prefetch failed", extra={
            "action": "prefetch_subtitles_failed", "item_id": str(item_id)})


def _remember(conn: Conn, message: PlaybackPrefetch, nxt: NextEpisodeRow, how: str,
              job_id: UUID | str | None) -> None:
    ttl = get_settings().playback.next_up_hours * 3600
    queries.remember_next(conn, user_id=message.user_id, media_id=message.media_id, episode_id=nxt["episode_id"],
                          after_episode_id=message.episode_id, how=how, job_id=job_id, ttl_seconds=ttl)


def _done(message: PlaybackPrefetch, how: str, nxt: NextEpisodeRow | None = None) -> str:
    if how != "none":  # a hit: the next episode is in the library, on its way or picked; a miss: no release
        ratio("prefetch_hit_ratio", hit=how != "unavailable")
    get_logger().info("prefetch handled", extra={
        "action": "prefetch_handled", "how": how, "user_id": str(message.user_id), "media_id": message.media_id,
        "episode_id": message.episode_id, "next_episode_id": nxt["episode_id"] if nxt else None})
    return how
