"""Signed URLs for the worker's Range server: the API signs, the worker verifies, neither asks a database.

A token is an HMAC-SHA256 over ``job id : file index : expiry`` with the secret
both sides hold (``SEEN_STREAM_SECRET``). The URL path names the job and the
file, the query carries the expiry and the signature, so a URL cannot be
bent to another job, another file or a later time. Standard library only:
the worker imports it too.

A URL minted for a user also carries ``u``, an opaque tag of the user (an HMAC
of the user id, so the id itself is not in URLs or access logs), inside the
signature: the worker caps each user's waiting requests by it. Removing ``u``
from such a URL breaks its signature; URLs minted without one (older URLs,
HLS variants) verify as before and fall under the per-URL and global caps only.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from urllib.parse import urlencode

PREFIX = "/stream"
USER_TAG_CHARS = 16  # 64 bits: enough to tell a household's users apart, short in URLs


class InvalidToken(Exception):
    """The signature does not match, or the URL has expired."""


# What else the stream secret signs, each in a layout of its own so that no token of one purpose verifies as
# another's: the API's HLS playlists and scrub-preview tracks of library items. The worker's /stream/ URLs keep
# the unprefixed layouts below (a worker of the previous release still verifies them).
PURPOSES = ("hls-playlist", "trickplay")


def _mac(secret: str, job_id: str, file_index: int, expires: int, user: str = "", purpose: str = "") -> str:
    # The user claim is a separate, prefixed layout so a tagged and an untagged message never coincide.
    message = f"v2:{job_id}:{file_index}:{expires}:{user}" if user else f"{job_id}:{file_index}:{expires}"
    if purpose:
        if purpose not in PURPOSES:
            raise ValueError(f"unknown token purpose {purpose!r}")
        message = f"{purpose}|{message}"
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


def sign(secret: str, job_id: str, file_index: int, expires: int, user: str = "", purpose: str = "") -> str:
    return _mac(secret, job_id, file_index, expires, user, purpose)


def user_tag(secret: str, user_id: str) -> str:
    """The opaque, stable tag of ``user_id`` that stream URLs carry (``u``)."""
    return hmac.new(secret.encode(), f"stream-user:{user_id}".encode(), hashlib.sha256).hexdigest()[:USER_TAG_CHARS]


def url(secret: str, base: str, job_id: str, file_index: int, ttl: int, now: float | None = None,
        user_id: str | None = None) -> str:
    """The progressive URL of one file of a job, valid ``ttl`` seconds (``base`` "" = same origin),
    tagged with ``user_id``'s tag when given."""
    expires = int((time.time() if now is None else now) + ttl)
    user = user_tag(secret, user_id) if user_id else ""
    query = {"exp": expires, **({"u": user} if user else {}), "sig": sign(secret, job_id, file_index, expires, user)}
    return f"{base}{PREFIX}/{job_id}/{file_index}?{urlencode(query)}"


def verify(secret: str, job_id: str, file_index: int, expires: str | int, signature: str,
           now: float | None = None, user: str = "", purpose: str = "") -> None:
    """Raise ``InvalidToken`` unless ``signature`` is this job's and file's (and user tag's) and not expired."""
    try:
        expiry = int(expires)
    except (TypeError, ValueError) as exc:  # also a number past int()'s digit limit
        raise InvalidToken("bad expiry") from exc
    if expiry < (time.time() if now is None else now):
        raise InvalidToken("expired")
    if len(user) > USER_TAG_CHARS:
        raise InvalidToken("bad user tag")
    if not hmac.compare_digest(_mac(secret, job_id, file_index, expiry, user, purpose), str(signature)):
        raise InvalidToken("bad signature")
