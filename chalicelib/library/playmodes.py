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

The chain moves on by itself (issue 34): a mode whose variant of this
original failed is skipped, so the next poll of a waiting player gets (and
requests) the next feasible mode; only when every mode has failed does the file
not play. A failure is forgotten after ``FORGET_FAILURE`` seconds (the worker
may have been missing its bucket), and the chain starts again from there.
Audio an MP4 cannot carry as it is (FLAC) is converted to AAC by the remux;
audio no browser decodes goes to ``hls_audio``. H.264 is only browser-safe
in 8-bit 4:2:0 (10-bit and 4:4:4 need the full transcode).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from chalicelib import db
from chalicelib.db import Conn
from chalicelib.events import on_event
from chalicelib.library import preparations, queries
from chalicelib.library.rows import VariantRow
from chalicelib.logs import get_logger
from chalicelib.messages import MediaPrepared

BROWSER_TYPES = {"video/mp4", "video/webm", "video/ogg"}
BROWSER_VIDEO = {"h264", "vp8", "vp9", "av1"}
BROWSER_AUDIO = {"aac", "mp3", "opus", "vorbis", "flac"}
MP4_VIDEO = {"h264", "vp9", "av1"}  # stream-copied into an MP4 that browsers open
MP4_AUDIO = {"aac", "mp3", "opus", "flac", "vorbis"}  # in a remux: copied, or (FLAC, Vorbis) converted to AAC
MP4_COPY_AUDIO = {"aac", "mp3", "opus"}  # the worker's remux copies these (``worker.scanner.remux``)
H264_PIXEL_FORMATS = {"yuv420p", "yuvj420p"}  # 8-bit 4:2:0: what browsers' H.264 decoders take
PIXEL_FORMATS = {"yuv420p", "yuvj420p", "yuv420p10le"}  # VP9 and AV1 (profile 0 and 2 / main)
Mode = Literal["direct", "remux", "hls_audio", "hls"]
ORDER: tuple[Mode, ...] = ("direct", "remux", "hls_audio", "hls")
FORGET_FAILURE = 3600  # seconds after which a failed mode is tried again
RETRY_AFTER = preparations.RETRY_AFTER  # seconds a request the worker never answered waits before it is asked again
PLAYLIST = "index.m3u8"


@dataclass(frozen=True)
class Codecs:
    container: str | None
    video: str | None
    audio: tuple[str, ...]
    pixel_format: str | None = None  # unknown for files probed before it was recorded


def codecs_of(item: Mapping[str, Any]) -> Codecs:
    """The probed codecs of a library row (any of them: an item, a card, a version)."""
    probe = item.get("probe")
    probe = probe if isinstance(probe, dict) else {}
    return Codecs(item.get("container"), item.get("video_codec"), tuple(item.get("audio_codecs") or ()),
                  probe.get("pixFmt"))


def video_ok(codecs: Codecs) -> bool:
    """Whether browsers decode the video as it is (codec and, when known, pixel format)."""
    if codecs.video not in BROWSER_VIDEO:
        return False
    formats = H264_PIXEL_FORMATS if codecs.video == "h264" else PIXEL_FORMATS
    return codecs.pixel_format is None or codecs.pixel_format in formats


def direct_ok(codecs: Codecs, mime_type: str) -> bool:
    return mime_type in BROWSER_TYPES and video_ok(codecs) and set(codecs.audio) <= BROWSER_AUDIO


def feasible(mode: str, codecs: Codecs, original: Mapping[str, Any], has_mp4: bool) -> bool:
    """Whether ``mode`` can play this file (``hls`` always can)."""
    if mode == "direct":
        return direct_ok(codecs, original["mime_type"])
    if mode == "remux":
        return video_ok(codecs) and (has_mp4 or (codecs.video in MP4_VIDEO and set(codecs.audio) <= MP4_AUDIO))
    if mode == "hls_audio":
        return codecs.video == "h264" and video_ok(codecs)
    return True


def choose(codecs: Codecs, original: Mapping[str, Any], has_mp4: bool, asked: str | None,
           failed: AbstractSet[str] = frozenset()) -> Mode | None:
    """The first feasible mode at or after ``asked`` (from the start when the player asked nothing) that has
    not failed for this original; None when every one has."""
    if asked is None and codecs.video is None:
        return "direct"  # not probed (or probing failed): let the player try the file as it is
    start = ORDER.index(asked) if asked in ORDER else 0
    return next((mode for mode in ORDER[start:]
                 if mode not in failed and feasible(mode, codecs, original, has_mp4)), None)


def converts_audio(mode: str, codecs: Codecs, has_mp4: bool) -> bool:
    """Whether the variant of ``mode`` converts the audio (a remux of FLAC does; hls_audio always does)."""
    if mode == "remux":
        return not has_mp4 and not set(codecs.audio) <= MP4_COPY_AUDIO
    return mode == "hls_audio"


def failures(conn: Conn, item_id: uuid.UUID, source_key: str, sha256: str | None) -> dict[str, VariantRow]:
    """The modes whose variant of this original failed within ``FORGET_FAILURE`` seconds, with their rows."""
    since = datetime.now(UTC) - timedelta(seconds=FORGET_FAILURE)
    return {row["mode"]: row for row in queries.variants_of(conn, item_id=item_id)
            if row["state"] == "failed" and row["source_key"] == source_key
            and row["output_prefix"] == output_prefix(source_key, row["mode"], sha256)
            and row["updated_at"] > since}


def output_prefix(source_key: str, mode: str, sha256: str | None) -> str:
    """Where a variant's files go: per original content, so a replaced file never reuses old outputs."""
    return f"{source_key}.variants/{(sha256 or 'unhashed')[:16]}/{mode}/"


def playlist_key(prefix: str) -> str:
    return prefix + PLAYLIST


def request_variant(conn: Conn, item_id: uuid.UUID, mode: str, source_key: str, prefix: str,
                    user_id: uuid.UUID) -> preparations.InLine:
    """Ask for the variant: in line for the worker's media slots unless asked already (503 when SQS fails)."""
    return preparations.ask(conn, item_id, mode, source_key, prefix, user_id)


def variant_of(conn: Conn, item_id: uuid.UUID, mode: str, source_key: str, prefix: str) -> VariantRow | None:
    """The item's ``mode`` variant made from this original (None when there is none yet)."""
    for row in queries.variants_of(conn, item_id=item_id):
        if row["mode"] == mode and row["source_key"] == source_key and row["output_prefix"] == prefix:
            return row
    return None


def apply_prepared(conn: Conn, event: MediaPrepared) -> VariantRow | None:
    """Record a worker's ``media.prepared``; None when it is stale (older, another original, after completion)."""
    try:
        item_id = uuid.UUID(event.item_id)
    except ValueError:
        return None
    row = queries.variant_apply(
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
