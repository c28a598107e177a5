"""Playback: presigned URLs straight to the object store, never video through a function.

The URL is signed for the host the browser uses (``SEEN_S3_PUBLIC_ENDPOINT``:
the MinIO or moto address as seen from the browser; the API's own endpoint
when unset) and lives ``SEEN_STREAM_URL_TTL`` seconds, long enough for a whole
film, since the <video> element keeps sending Range requests to it. The MP4
variant is preferred when there is one; subtitles get URLs of their own.
The response also carries the caller's resume position and, for an episode,
the next episode in the library for autoplay.
"""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from chalicelib import db
from chalicelib.config import get_settings
from chalicelib.library import errors, service
from chalicelib.library.models import NextEpisode, Resume, StreamResponse, StreamSubtitle
from chalicelib.library.views import guess_of

BROWSER_TYPES = {"video/mp4", "video/webm", "video/ogg"}
BROWSER_VIDEO = {"h264", "vp8", "vp9", "av1"}
BROWSER_AUDIO = {"aac", "mp3", "opus", "vorbis", "flac"}
PREFERENCE = {"mp4_remux": 0, "original": 1}
_signers: dict[str | None, Any] = {}
_lock = threading.Lock()


def signer() -> Any:
    """An S3 client used only to sign URLs for the public endpoint (cached per endpoint)."""
    settings = get_settings()
    endpoint = settings.s3_public_endpoint or settings.aws.endpoint_url
    with _lock:
        client = _signers.get(endpoint)
        if client is None:
            import boto3
            from botocore.config import Config

            client = boto3.session.Session().client(
                "s3", region_name=settings.aws.region, endpoint_url=endpoint,
                config=Config(signature_version="s3v4", s3={"addressing_style": "path"}))
            _signers[endpoint] = client
    return client


def presign(key: str, ttl: int, content_type: str | None = None) -> str:
    params: dict[str, Any] = {"Bucket": get_settings().aws.bucket, "Key": key}
    if content_type:
        params["ResponseContentType"] = content_type
    return signer().generate_presigned_url("get_object", Params=params, ExpiresIn=ttl)


def _stream(streams: list[dict[str, Any]]) -> dict[str, Any]:
    if not streams:
        raise errors.ItemNotFound("This library item has no stored stream")
    return min(streams, key=lambda s: PREFERENCE.get(s["kind"], 9))


def _playable(item: dict[str, Any], stream: dict[str, Any]) -> bool:
    """Browsers play it: an MP4 variant always (it exists only for browser codecs), else by container and codecs."""
    if stream["kind"] == "mp4_remux":
        return True
    audio = set(item["audio_codecs"] or ())
    return (stream["mime_type"] in BROWSER_TYPES and item["video_codec"] in BROWSER_VIDEO
            and audio <= BROWSER_AUDIO)


def _resume(conn: Any, user_id: uuid.UUID, item: dict[str, Any]) -> Resume | None:
    if item["media_id"] is None or item["effective_state"] != "matched":
        return None
    row = db.queries().library_resume(conn, user_id=user_id, media_id=item["media_id"],
                                      episode_id=item["episode_id"])
    if row is None or not row["position_seconds"]:
        return None
    duration = row["duration_seconds"]
    return Resume(position_seconds=float(row["position_seconds"]),
                  duration_seconds=float(duration) if duration is not None else None)


def _next(conn: Any, item: dict[str, Any]) -> NextEpisode | None:
    if item["episode_id"] is None or item["media_type"] != "show" or item["effective_state"] != "matched":
        return None
    last = guess_of(item["guess"]).episodes  # a multi-episode file ends at its last episode
    number = max([item["episode_number"], *(last or ())])
    row = db.queries().library_next_episode(conn, media_id=item["media_id"], season_number=item["season_number"],
                                            episode_number=number)
    if row is None:
        return None
    return NextEpisode(library_item_id=row["library_item_id"], episode_id=row["episode_id"],
                       season=row["season_number"], episode=row["episode_number"], title=row["name"])


def stream(conn: Any, item_id: str, user_id: uuid.UUID) -> StreamResponse:
    """Where and how to play an item, for this user."""
    key = service.item_uuid(item_id)
    q = db.queries()
    item = q.library_get(conn, item_id=key)
    if item is None:
        raise errors.ItemNotFound("No such library item")
    chosen = _stream(list(q.library_streams_of(conn, item_id=key)))
    ttl = get_settings().library.stream_url_ttl
    subtitles = [StreamSubtitle(language=s["language"], label=s["label"], is_default=s["is_default"],
                                is_forced=s["is_forced"], url=presign(s["storage_key"], ttl, "text/vtt"))
                 for s in q.library_subtitles_of(conn, item_id=key)]
    return StreamResponse(
        url=presign(chosen["storage_key"], ttl, chosen["mime_type"]), mime_type=chosen["mime_type"],
        expires_at=datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=ttl), kind=chosen["kind"],
        playable=_playable(item, chosen), subtitles=subtitles, resume=_resume(conn, user_id, item),
        next=_next(conn, item))
