"""The content guard: whether the acting profile may reach a title, and a library file or a stream through it.

A kid profile (``Principal.limit``: a rating ceiling, maybe allow-listed collections) reaches a title rated at
most its age and, when it has allow-listed collections, in one of them; an unrated title and a file matched to
no title are out of its reach. The kid's lists already leave such titles out: every path that takes a title's
or a file's id (a library item, its stream, a playback session, a progress write) asks here too, so the id
alone opens nothing. What is out of reach answers as if it did not exist (the caller's 404). An adult has no
limit and costs nothing: the guard only queries for a kid.
"""

from __future__ import annotations

import uuid
from typing import Any

from chalicelib import contentrating, errors
from chalicelib.db import Conn
from chalicelib.profiles import queries


def _params(limit: contentrating.Limit) -> dict[str, Any]:
    return {"max_age": limit.max_age, "collections": list(limit.collections)}


def media_allowed(conn: Conn, principal: object, media_id: int) -> bool:
    limit = contentrating.limit_of(principal)
    if limit is None:
        return True
    return queries.media_allowed(conn, media_id=media_id, **_params(limit))


def library_item_allowed(conn: Conn, principal: object, item_id: uuid.UUID) -> bool:
    limit = contentrating.limit_of(principal)
    if limit is None:
        return True
    return queries.library_item_allowed(conn, item_id=item_id, **_params(limit))


def require_media(conn: Conn, principal: object, media_id: int, not_found: errors.DomainError) -> None:
    """Raise ``not_found`` unless the acting profile may reach the title."""
    if not media_allowed(conn, principal, media_id):
        raise not_found


def require_library_item(conn: Conn, principal: object, item_id: uuid.UUID, not_found: errors.DomainError) -> None:
    """Raise ``not_found`` unless the acting profile may reach the file's title."""
    if not library_item_allowed(conn, principal, item_id):
        raise not_found
