"""Scrub previews of library files: the worker's WebVTT thumbnails track, served with presigned sprites.

The worker stores ``thumbs.vtt`` and its ``sprite_NNN.jpg`` sheets under the file's trickplay prefix; each
cue names a sprite relative to the track (``sprite_000.jpg#xywh=x,y,w,h``). The bucket is private, and a
presigned URL written into a stored track would expire with it, so the track is served through the API and
rewritten on every read: each sprite name becomes a fresh presigned GET (the ``#xywh`` fragment kept).
That is done here, on a route of its own, rather than in the stream answer, so that answer stays one small
JSON read from Postgres (no bucket read on the hot path, no track of hundreds of cues inlined) and the
player fetches the track only when it shows a preview. Like an HLS playlist, the track's URL carries a
``chalicelib.streamtoken`` signature (item, file index ``TRACK_INDEX``) instead of an Authorization header:
the player's ``fetch`` of it needs nothing but the URL.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable
from urllib.parse import urlencode

from chalicelib import db, presign, streamtoken
from chalicelib.config import get_settings
from chalicelib.db import Conn
from chalicelib.errors import Forbidden
from chalicelib.library import errors, hls, queries
from chalicelib.library.models import Trickplay

TRACK_INDEX = 1003  # the streamtoken "file index" of an item's thumbnails track (HLS variants use 1001, 1002)
VTT = "thumbs.vtt"
MIME_TYPE = "text/vtt"
CUE_TARGET = re.compile(r"^(?P<name>[A-Za-z0-9_.-]+\.jpg)(?P<fragment>#xywh=\d+,\d+,\d+,\d+)$")


class BadTrackSignature(Forbidden):
    code = "trickplay_signature_invalid"


def track_url(item_id: uuid.UUID, ttl: int) -> str:
    expires = int(time.time() + ttl)
    sig = streamtoken.sign(get_settings().stream.secret, str(item_id), TRACK_INDEX, expires,
                             purpose="trickplay")
    return f"/api/v1/library/{item_id}/trickplay?{urlencode({'exp': expires, 'sig': sig})}"


def of(conn: Conn, item_id: uuid.UUID, ttl: int) -> Trickplay | None:
    """The stream answer's ``trickplay``: None until the worker stored the item's previews."""
    row = queries.analysis_of(conn, item_id=item_id)
    if row is None or row["trickplay_prefix"] is None:
        return None
    return Trickplay(vtt_url=track_url(item_id, ttl))


def rewrite(text: str, prefix: str, sign: Callable[[str, str], str]) -> str:
    """The stored track with every sprite name a presigned URL (each sprite signed once)."""
    signed: dict[str, str] = {}
    lines = []
    for line in text.splitlines():
        target = CUE_TARGET.match(line.strip())
        if target is not None:
            name = target["name"]
            signed.setdefault(name, sign(prefix + name, "image/jpeg"))
            line = signed[name] + target["fragment"]
        lines.append(line)
    return "\n".join(lines) + "\n"


def _verified(item_id: str, expires: str, signature: str) -> uuid.UUID:
    try:
        key = uuid.UUID(item_id)
    except ValueError:
        raise errors.ItemNotFound("No such library item") from None
    try:
        streamtoken.verify(get_settings().stream.secret, str(key), TRACK_INDEX, expires, signature,
                           purpose="trickplay")
    except streamtoken.InvalidToken as exc:
        raise BadTrackSignature(f"Thumbnails URL refused: {exc}") from None
    return key


def track(item_id: str, expires: str, signature: str) -> str:
    """The item's thumbnails track, its sprites presigned for as long as a stream URL lives."""
    key = _verified(item_id, expires, signature)
    with db.connection() as conn:
        row = queries.analysis_of(conn, item_id=key)
    prefix = row["trickplay_prefix"] if row is not None else None
    if prefix is None:
        raise errors.ItemNotFound("This file has no scrub previews yet")
    text = hls.read_object(prefix + VTT)
    if text is None:
        raise errors.ItemNotFound("This file's scrub previews are gone")
    ttl = get_settings().library.stream_url_ttl
    return rewrite(text, prefix, lambda k, mime: presign.get_url(k, ttl, mime))
