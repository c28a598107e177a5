"""How a library item plays: direct, remux, or HLS made by the worker (issue 20, "every file plays").

The server picks the cheapest mode the browser can decode from the probe:
``direct`` when container and codecs are browser-safe, ``remux`` when only
the container is wrong (the scanner's MP4 variant, or one the worker makes),
``hls_audio`` when the video is H.264 but the audio is not (video copied,
audio to AAC), ``hls`` (full transcode) otherwise. The player may ask for a
later mode in that order (``?mode=``) when its own check says the choice will
not decode; a mode that cannot be made from this file falls to the next.
A variant that does not exist yet is requested from the worker with one
``media.prepare`` (the ``library_variants`` row de-duplicates clicks), in line
for the worker's media slots with a per-user and a global cap (``preparations``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from chalicelib import db
from chalicelib.events import on_event
from chalicelib.library import preparations
from chalicelib.logs import get_logger
from chalicelib.messages import MediaPrepared

BROWSER_TYPES = {"video/mp4", "video/webm", "video/ogg"}
BROWSER_VIDEO = {"h264", "vp8", "vp9", "av1"}
BROWSER_AUDIO = {"aac", "mp3", "opus", "vorbis", "flac"}
MP4_VIDEO = {"h264", "vp9", "av1"}  # stream-copied into an MP4 that browsers open
MP4_AUDIO = {"aac", "mp3", "opus", "flac"}
ORDER = ("direct", "remux", "hls_audio", "hls")
RETRY_AFTER = preparations.RETRY_AFTER  # seconds a request the worker never answered waits before it is asked again
PLAYLIST = "index.m3u8"


@dataclass(frozen=True)
class Codecs:
    container: str | None
    video: str | None
    audio: tuple[str, ...]


def codecs_of(item: dict[str, Any]) -> Codecs:
    return Codecs(item.get("container"), item.get("video_codec"), tuple(item.get("audio_codecs") or ()))


def direct_ok(codecs: Codecs, mime_type: str) -> bool:
    return (mime_type in BROWSER_TYPES and codecs.video in BROWSER_VIDEO
            and set(codecs.audio) <= BROWSER_AUDIO)


def feasible(mode: str, codecs: Codecs, original: dict[str, Any], has_mp4: bool) -> bool:
    """Whether ``mode`` can play this file (``hls`` always can)."""
    if mode == "direct":
        return direct_ok(codecs, original["mime_type"])
    if mode == "remux":
        return has_mp4 or (codecs.video in MP4_VIDEO and set(codecs.audio) <= MP4_AUDIO)
    if mode == "hls_audio":
        return codecs.video == "h264"
    return True


def choose(codecs: Codecs, original: dict[str, Any], has_mp4: bool, asked: str | None) -> str:
    """The first feasible mode at or after ``asked`` (from the start when the player asked nothing)."""
    if asked is None and codecs.video is None:
        return "direct"  # not probed (or probing failed): let the player try the file as it is
    start = ORDER.index(asked) if asked in ORDER else 0
    return next(mode for mode in ORDER[start:] if feasible(mode, codecs, original, has_mp4))


def output_prefix(source_key: str, mode: str, sha256: str | None) -> str:
    """Where a variant's files go: per original content, so a replaced file never reuses old outputs."""
    return f"{source_key}.variants/{(sha256 or 'unhashed')[:16]}/{mode}/"


def playlist_key(prefix: str) -> str:
    return prefix + PLAYLIST


def request_variant(conn: Any, item_id: uuid.UUID, mode: str, source_key: str, prefix: str,
                    user_id: uuid.UUID) -> preparations.InLine:
    """Ask for the variant: in line for the worker's media slots unless asked already (503 when SQS fails)."""
    return preparations.ask(conn, item_id, mode, source_key, prefix, user_id)


def variant_of(conn: Any, item_id: uuid.UUID, mode: str, source_key: str, prefix: str) -> dict[str, Any] | None:
    """The item's ``mode`` variant made from this original (None when there is none yet)."""
    for row in db.queries().media_variants_of(conn, item_id=item_id):
        if row["mode"] == mode and row["source_key"] == source_key and row["output_prefix"] == prefix:
            return row
    return None


def apply_prepared(conn: Any, event: MediaPrepared) -> dict[str, Any] | None:
    """Record a worker's ``media.prepared``; None when it is stale (older, another original, after completion)."""
    try:
        item_id = uuid.UUID(event.item_id)
    except ValueError:
        return None
    row = db.queries().media_variant_apply(
        conn, item_id=item_id, mode=event.mode, source_key=event.key, state=event.status,
        playlist_key=event.playlist_key, output_key=event.output_key, size_bytes=event.size, error=event.error,
        sent_at=event.sent_at)
    get_logger().info("media variant reported", extra={
        "action": "media_prepared", "item_id": event.item_id, "mode": event.mode, "status": event.status,
        "applied": row is not None})
    return row


# Registered when the app imports the library routes (routes -> streaming -> here), as the handlers
# module's are: one import chain per domain keeps the worker events and the routes in one Lambda.
@on_event("media.prepared")
def on_media_prepared(event: MediaPrepared) -> None:
    with db.transaction() as conn:
        # The dispatch lock before the variant's row lock, the order an ask takes them in (no deadlock).
        preparations.lock(conn)
        row = apply_prepared(conn, event)
        if row is not None and row["state"] in ("completed", "failed"):
            preparations.release(conn)  # its slot goes to the next in line at once
