"""Playback: presigned URLs straight to the object store, never video through a function.

The URL is signed for the host the browser uses (``SEEN_S3_PUBLIC_ENDPOINT``:
the MinIO or moto address as seen from the browser; the API's own endpoint
when unset) and lives ``SEEN_STREAM_URL_TTL`` seconds, long enough for a whole
film, since the <video> element keeps sending Range requests to it. The MP4
variant is preferred when there is one; subtitles get URLs of their own.
Which mode plays (direct, remux, HLS) is ``playmodes``' decision; HLS
variants are served through signed playlists (``hls``). A step that failed
is skipped, so a polling player gets the next one; while a variant is made
the answer's ``notice`` says what happens (``notices``), and when every step
failed the answer is a 409 ``media_unplayable`` that says why.
The response also carries the caller's resume position and, for an episode,
the next episode in the library for autoplay, and the file's intro/credits
and scrub previews once the worker found them (``analysis``, ``trickplay``).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import NotRequired, TypedDict

from chalicelib import db
from chalicelib import errors as api_errors
from chalicelib import presign as presign_urls
from chalicelib.auth.users import Principal
from chalicelib.config import get_settings
from chalicelib.db import Conn
from chalicelib.library import analysis, errors, hls, notices, playmodes, queries, service, trickplay
from chalicelib.library.models import NextEpisode, Preparing, Resume, StreamCodecs, StreamResponse, StreamSubtitle
from chalicelib.library.rows import DetailRow, StreamRow, SubtitleRow, VariantRow
from chalicelib.library.views import guess_of
from chalicelib.logs import add_stream_fields, get_logger, stream_fields
from chalicelib.profiles import guard as content_guard
from chalicelib.subtitles import languages as subtitle_languages
from chalicelib.subtitles import service as subtitle_service
from chalicelib.subtitles import sync as subtitle_sync


def presign(key: str, ttl: int, content_type: str | None = None) -> str:
    return presign_urls.get_url(key, ttl, content_type)


class Played(TypedDict):
    """The chosen mode's part of the answer (``StreamResponse`` fields)."""

    url: str | None
    mime_type: str
    kind: str
    ready: bool
    preparing: NotRequired[Preparing]


def _resume(conn: Conn, user_id: uuid.UUID, item: DetailRow) -> Resume | None:
    if item["media_id"] is None or item["effective_state"] != "matched":
        return None
    return service.resume_of(conn, user_id, item["media_id"], item["episode_id"])


def _next(conn: Conn, item: DetailRow) -> NextEpisode | None:
    media_id, episode_number = item["media_id"], item["episode_number"]
    if item["episode_id"] is None or item["media_type"] != "show" or item["effective_state"] != "matched" \
            or media_id is None or episode_number is None:  # matched to an episode: both are set
        return None
    last = guess_of(item["guess"]).episodes  # a multi-episode file ends at its last episode
    number = max([episode_number, *(last or ())])
    row = queries.next_episode(conn, media_id=media_id, season_number=item["season_number"],
                               episode_number=number)
    if row is None:
        return None
    return NextEpisode(library_item_id=row["library_item_id"], episode_id=row["episode_id"],
                       season=row["season_number"], episode=row["episode_number"], title=row["name"])


class MediaUnplayable(api_errors.Conflict):
    """Every mode this file could play in failed for this original (the message says why, in plain words)."""

    code = "media_unplayable"


def _original(streams: dict[str, StreamRow]) -> StreamRow:
    if not streams:
        raise errors.ItemNotFound("This library item has no stored stream")
    return streams.get("original") or next(iter(streams.values()))


def _waiting(conn: Conn, item_id: uuid.UUID, mode: str, source: str, prefix: str,
             variant: VariantRow | None, user_id: uuid.UUID) -> Played:
    """Not ready yet: ask for the variant (once; it waits its turn; a failure long past is asked again)."""
    line = playmodes.request_variant(conn, item_id, mode, source, prefix, user_id)
    mime = "video/mp4" if mode == "remux" else hls.MIME_TYPE
    preparing = Preparing(state="queued" if line.state == "queued" else "preparing", position=line.position)
    return {"url": None, "mime_type": mime, "kind": "mp4_remux" if mode == "remux" else mode, "ready": False,
            "preparing": preparing}


def _play(conn: Conn, item: DetailRow, mode: str, streams: dict[str, StreamRow], ttl: int,
          user_id: uuid.UUID) -> Played:
    """url, mime_type, kind and ready of the chosen mode (a missing variant is requested)."""
    original = _original(streams)
    if mode == "direct":
        return {"url": presign(original["storage_key"], ttl, original["mime_type"]),
                "mime_type": original["mime_type"], "kind": original["kind"], "ready": True}
    if mode == "remux" and "mp4_remux" in streams:
        mp4 = streams["mp4_remux"]
        return {"url": presign(mp4["storage_key"], ttl, "video/mp4"), "mime_type": "video/mp4",
                "kind": "mp4_remux", "ready": True}
    source = original["storage_key"]
    prefix = playmodes.output_prefix(source, mode, item["sha256"])
    variant = playmodes.variant_of(conn, item["id"], mode, source, prefix)
    if mode == "remux" and variant is not None and variant["state"] == "completed" and variant["output_key"]:
        return {"url": presign(variant["output_key"], ttl, "video/mp4"), "mime_type": "video/mp4",
                "kind": "mp4_remux", "ready": True}
    if mode != "remux" and variant is not None and variant["state"] in ("running", "completed"):
        return {"url": hls.playlist_url(item["id"], mode, ttl), "mime_type": hls.MIME_TYPE, "kind": mode,
                "ready": True}
    return _waiting(conn, item["id"], mode, source, prefix, variant, user_id)


def _label(subtitle: SubtitleRow) -> str | None:
    """A track's menu label; an embedded one names its language and says it is in the file."""
    label = subtitle["label"]
    if subtitle["source"] != "embedded":
        return label
    if not label:
        known = subtitle["language"] not in (None, "", "und")
        label = subtitle_languages.label(subtitle["language"]) if known else "Unknown language"
    return label if label.endswith("(embedded)") else f"{label} (embedded)"


def _subtitles(conn: Conn, key: uuid.UUID, user_id: uuid.UUID, languages: list[str],
               ttl: int) -> list[StreamSubtitle]:
    """The tracks in the viewer's order: an auto-synced track's shifted copy, and the viewer's own offset."""
    syncs = subtitle_sync.syncs_of(conn, key)
    offsets = subtitle_sync.offsets_of(conn, key, user_id)
    found = []
    for s in subtitle_service.ordered(queries.subtitles_of(conn, item_id=key), languages):
        sync = syncs.get(s["id"])
        served = sync.serve_key if sync is not None else None
        found.append(StreamSubtitle(
            id=s["id"], language=s["language"], label=_label(s), is_default=s["is_default"],
            is_forced=s["is_forced"], source=s["source"], url=presign(served or s["storage_key"], ttl, "text/vtt"),
            offset_seconds=offsets.get(s["id"], 0.0), synced=served is not None,
            sync=sync.state if sync is not None else None))
    return found


def stream(item_id: str, principal: Principal, asked: str | None = None,
           session: uuid.UUID | None = None) -> StreamResponse:
    """Where and how to play an item, for this user (``asked``: the mode the player wants, or None); a kid's
    only when it may reach the item's title. ``session`` (the player's playback session) is only logged, on
    every line of this answer."""
    key = service.item_uuid(item_id)
    with stream_fields(session_id=session), db.connection() as conn:
        content_guard.require_library_item(conn, principal, key, errors.ItemNotFound("No such library item"))
        answer = _stream(conn, key, principal.user_id, asked)
        get_logger().info("stream answered", extra={"action": "stream_answered", "library_item_id": str(key),
                                                    "mode": answer.mode, "ready": answer.ready})
        return answer


def _stream(conn: Conn, key: uuid.UUID, user_id: uuid.UUID, asked: str | None) -> StreamResponse:
    item = queries.get(conn, item_id=key)
    if item is None:
        raise errors.ItemNotFound("No such library item")
    add_stream_fields(job_id=item["source_job_id"])  # the download it came from, when it came from one
    streams = {s["kind"]: s for s in queries.streams_of(conn, item_id=key)}
    original = _original(streams)
    codecs = playmodes.codecs_of(item)
    has_mp4 = "mp4_remux" in streams
    failed = playmodes.failures(conn, key, original["storage_key"], item["sha256"])
    mode = playmodes.choose(codecs, original, has_mp4, asked, failed.keys())
    if mode is None:
        raise MediaUnplayable(notices.unplayable(failed))
    ttl = get_settings().library.stream_url_ttl
    played = _play(conn, item, mode, streams, ttl, user_id)
    notice = None if played["ready"] else notices.preparing(mode, codecs, has_mp4, failed)
    languages = subtitle_service.for_stream(conn, key, user_id)  # missing languages from OpenSubtitles
    subtitles = _subtitles(conn, key, user_id, languages, ttl)
    return StreamResponse(
        **played, mode="hls" if mode in ("hls", "hls_audio") else mode,
        codecs=StreamCodecs(container=codecs.container, video=codecs.video, audio=list(codecs.audio)),
        expires_at=datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=ttl),
        playable=mode != "direct" or playmodes.direct_ok(codecs, original["mime_type"]), subtitles=subtitles,
        resume=_resume(conn, user_id, item), next=_next(conn, item), notice=notice,
        segments=analysis.segments_of(conn, key), trickplay=trickplay.of(conn, key, ttl))


def playlist(item_id: str, name: str, expires: str, signature: str, session: uuid.UUID | None = None) -> str:
    """The signed HLS playlist of an item's variant, its segments presigned (``session``: only logged)."""
    key, mode = hls.verified_mode(item_id, name, expires, signature)
    with stream_fields(session_id=session), db.connection() as conn:
        item = queries.get(conn, item_id=key)
        if item is None:
            raise errors.ItemNotFound("No such library item")
        source = _original({s["kind"]: s for s in queries.streams_of(conn, item_id=key)})["storage_key"]
        variant = playmodes.variant_of(conn, key, mode, source,
                                       playmodes.output_prefix(source, mode, item["sha256"]))
        add_stream_fields(job_id=item["source_job_id"])
        get_logger().info("stream playlist", extra={"action": "stream_playlist", "library_item_id": str(key),
                                                    "mode": mode})
    ttl = get_settings().library.stream_url_ttl
    return hls.playlist(variant, lambda k, mime: presign(k, ttl, mime))
