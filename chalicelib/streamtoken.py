"""Signed URLs for the worker's Range server: the API signs, the worker verifies, neither asks a database.

A token is an HMAC-SHA256 over ``job id : file index : expiry`` with the secret
both sides hold (``SEEN_STREAM_SECRET``). The URL path names the job and the
file, the query carries the expiry and the signature, so a URL cannot be
bent to another job, another file or a later time. Standard library only:
the worker imports it too.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from urllib.parse import urlencode

PREFIX = "/stream"


class InvalidToken(Exception):
    """The signature does not match, or the URL has expired."""


def _mac(secret: str, job_id: str, file_index: int, expires: int) -> str:
    message = f"{job_id}:{file_index}:{expires}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def sign(secret: str, job_id: str, file_index: int, expires: int) -> str:
    return _mac(secret, job_id, file_index, expires)


def url(secret: str, base: str, job_id: str, file_index: int, ttl: int, now: float | None = None) -> str:
    """The progressive URL of one file of a job, valid ``ttl`` seconds (``base`` "" = same origin)."""
    expires = int((time.time() if now is None else now) + ttl)
    query = urlencode({"exp": expires, "sig": sign(secret, job_id, file_index, expires)})
    return f"{base}{PREFIX}/{job_id}/{file_index}?{query}"


def verify(secret: str, job_id: str, file_index: int, expires: str | int, signature: str,
           now: float | None = None) -> None:
    """Raise ``InvalidToken`` unless ``signature`` is this job's and file's and not expired."""
    try:
        expiry = int(expires)
    except (TypeError, ValueError) as exc:
        raise InvalidToken("bad expiry") from exc
    if expiry < (time.time() if now is None else now):
        raise InvalidToken("expired")
    if not hmac.compare_digest(_mac(secret, job_id, file_index, expiry), str(signature)):
        raise InvalidToken("bad signature")
