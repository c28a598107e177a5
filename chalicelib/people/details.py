"""Lazy person details: the first view of a person page asks TMDB's /person/{id} once.

Modelled on ``catalog.details``: only people with a TMDB id and configured
credentials are fetched; the attempt is claimed with a conditional UPDATE of
``people.details_attempted_at``, so concurrent views fetch once and a failing
person is not asked again until the cooldown (``SEEN_CATALOG_DETAILS_COOLDOWN``)
has passed. An upstream failure is logged and the stored row is served as it
is. Stored: biography, birth and death years (from ``birthday``/``deathday``),
profile photo, department, popularity and the IMDb id (when no other row has it).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from chalicelib import db
from chalicelib.catalog import details
from chalicelib.logs import get_logger
from chalicelib.people import queries
from chalicelib.people.queries import PersonDetails, PersonPageRow, PersonRow

_IMDB_PERSON = re.compile(r"^nm[0-9]+$")


def _year(value: Any) -> int | None:
    text = str(value or "")
    return int(text[:4]) if len(text) >= 4 and text[:4].isdigit() and 1000 <= int(text[:4]) <= 2200 else None


def _fields(data: Mapping[str, Any]) -> PersonDetails:
    """TMDB's person JSON -> the stored columns (blank strings are unknown, not empty)."""
    popularity = data.get("popularity")
    imdb_id = data.get("imdb_id") or None
    return {"name": (data.get("name") or "").strip() or None,
            "biography": (data.get("biography") or "").strip() or None,
            "birth_year": _year(data.get("birthday")), "death_year": _year(data.get("deathday")),
            "profile_path": data.get("profile_path") or None,
            "known_for_department": data.get("known_for_department") or None,
            "imdb_id": imdb_id if imdb_id and _IMDB_PERSON.match(imdb_id) else None,
            "popularity": popularity if isinstance(popularity, int | float) and popularity >= 0 else None}


def ensure_person(row: PersonPageRow | PersonRow) -> PersonRow | None:
    """Fetch and store a person's missing details if allowed now; the updated row, or None (serve ``row``).

    ``row`` is a ``people`` row (needs ``id``, ``tmdb_id``, ``details_fetched_at``). Call it with no
    connection held: it may wait for TMDB (at most one quick retry).
    """
    tmdb_id = row.get("tmdb_id")
    if row.get("details_fetched_at") is not None or not tmdb_id:
        return None  # the common case: no credentials lookup at all
    from chalicelib.catalog import upstream  # lazy: httpx costs ~300 ms, only a fetch needs it
    from chalicelib.catalog.tmdb import TmdbClient  # lazy: httpx costs ~300 ms, only a fetch needs it

    settings = details.request_settings()
    if not settings.tmdb_enabled:
        return None
    with db.connection() as conn:
        if not queries.claim_details(conn, person_id=row["id"], cooldown_seconds=settings.details_cooldown):
            return None
    try:
        with TmdbClient(settings) as client:
            data = client.person(tmdb_id)
    except upstream.UpstreamError as exc:
        get_logger().warning("person details unavailable, serving stored data", extra={
            "action": "person_details_unavailable", "person_id": row["id"], "status": exc.status, "error": str(exc)})
        return None
    with db.transaction() as conn:
        updated = queries.store_details(conn, person_id=row["id"], details=_fields(data))
    get_logger().info("person details fetched", extra={"action": "person_details_fetched", "person_id": row["id"]})
    return updated
