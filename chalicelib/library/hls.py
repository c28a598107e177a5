"""HLS playlists of the worker's variants, served with presigned segment URLs.

The worker stores ``index.m3u8`` and its segments under the variant's prefix
in the bucket. The browser cannot read the bucket's playlist (private, and
its segment lines are relative keys), so the API serves it rewritten: every
segment line becomes a presigned GET. The playlist URL itself carries a
``chalicelib.streamtoken`` signature (job id = the item, file index = one
number per variant) instead of an Authorization header, because hls.js
reloads it on its own while the transcode runs. A playlist without
``#EXT-X-ENDLIST`` is an EVENT playlist (hls.js reloads it); a finished one is
served as VOD.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from urllib.parse import urlencode

from chalicelib import aws, streamtoken
from chalicelib.config import get_settings
from chalicelib.errors import Forbidden
from chalicelib.library import errors
from chalicelib.library.rows import VariantRow

VARIANT_INDEX = {"hls_audio": 1001, "hls": 1002}  # the streamtoken "file index" of each HLS variant
SUFFIX = ".m3u8"
MIME_TYPE = "application/vnd.apple.mpegurl"
SEGMENT_TYPES = {".ts": "video/mp2t", ".m4s": "video/iso.segment", ".mp4": "video/mp4"}


class BadPlaylistSignature(Forbidden):
    code = "playlist_signature_invalid"


def playlist_url(item_id: uuid.UUID, mode: str, ttl: int) -> str:
    """The signed, same-origin playlist URL of an item's HLS variant."""
    expires = int(time.time() + ttl)
    sig = streamtoken.sign(get_settings().stream.secret, str(item_id), VARIANT_INDEX[mode], expires,
                             purpose="hls-playlist")
    return f"/api/v1/library/{item_id}/hls/{mode}{SUFFIX}?{urlencode({'exp': expires, 'sig': sig})}"


def verified_mode(item_id: str, name: str, expires: str, signature: str) -> tuple[uuid.UUID, str]:
    """The item and variant a playlist URL names, once its signature checks out (403 otherwise)."""
    mode = name[: -len(SUFFIX)] if name.endswith(SUFFIX) else ""
    try:
        key = uuid.UUID(item_id)
    except ValueError:
        raise errors.ItemNotFound("No such library item") from None
    if mode not in VARIANT_INDEX:
        raise errors.ItemNotFound("No such playlist")
    try:
        streamtoken.verify(get_settings().stream.secret, str(key), VARIANT_INDEX[mode], expires, signature,
                           purpose="hls-playlist")
    except streamtoken.InvalidToken as exc:
        raise BadPlaylistSignature(f"Playlist URL refused: {exc}") from None
    return key, mode


def read_object(key: str) -> str | None:
    from botocore.exceptions import ClientError  # lazy: botocore loads only when a playlist is served

    try:
        body = aws.client("s3").get_object(Bucket=get_settings().aws.bucket, Key=key)["Body"]
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
            return None
        raise
    return body.read().decode("utf-8")


def _segment_type(name: str) -> str | None:
    return next((mime for suffix, mime in SEGMENT_TYPES.items() if name.endswith(suffix)), None)


def rewrite(text: str, prefix: str, sign: Callable[[str, str | None], str]) -> str:
    """The bucket's playlist with every segment (and init map) line a presigned URL; VOD once it ended."""
    ended = "#EXT-X-ENDLIST" in text
    lines: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("#EXT-X-PLAYLIST-TYPE:"):
            line = "#EXT-X-PLAYLIST-TYPE:" + ("VOD" if ended else "EVENT")
        elif stripped.startswith("#EXT-X-MAP:URI="):
            name = stripped.split("=", 1)[1].strip('"')
            line = f'#EXT-X-MAP:URI="{sign(prefix + name, _segment_type(name))}"'
        elif stripped and not stripped.startswith("#"):
            line = sign(prefix + stripped, _segment_type(stripped))
        lines.append(line)
    return "\n".join(lines) + "\n"


def playlist(variant: VariantRow | None, sign: Callable[[str, str | None], str]) -> str:
    """The rewritten playlist of a variant the worker has started (404 before its first segments)."""
    if variant is None or variant["state"] not in ("running", "completed") or not variant["playlist_key"]:
        raise errors.ItemNotFound("This variant is not ready yet")
    text = read_object(variant["playlist_key"])
    if text is None:
        raise errors.ItemNotFound("This variant's playlist is gone")
    prefix = variant["playlist_key"].rsplit("/", 1)[0] + "/"
    return rewrite(text, prefix, sign)
