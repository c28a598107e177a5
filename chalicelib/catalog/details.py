"""Lazy detail fetch: the first view of a title without details asks TMDB/IGDB for them.

Only rows with an upstream id and configured credentials are fetched. The
attempt is claimed with a conditional UPDATE (``details_attempted_at``), so
concurrent views fetch once and a failing title is not re-fetched on every
view until the cooldown (``SEEN_CATALOG_DETAILS_COOLDOWN``) has passed. An
upstream failure is logged and the stored row is served as it is.

Before that, a title with no artwork and no TMDB id but an IMDb id (created by
the IMDb datasets import) is looked up once with TMDB's ``/find/{imdb_id}``
(claimed through ``backfill_attempted_at``, same cooldown): it gains its TMDB
id (when no other row of its type holds it), poster, backdrop, original
language and popularity, and then the normal detail fetch (with credits and
the logo) runs on the TMDB id.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from chalicelib import clock, db
from chalicelib.catalog import certifications, igdb_map, queries, store, tmdb_map
from chalicelib.catalog.records import MediaRecord
from chalicelib.catalog.rows import MediaRow
from chalicelib.config import CatalogSettings
from chalicelib.logs import get_logger
from chalicelib.settings import credentials

# A page view waits for at most one quick retry; the scheduled sync retries harder.
REQUEST_RETRIES = 1
REQUEST_TIMEOUT = 5.0


def request_settings() -> CatalogSettings:
    """The catalog settings for a fetch during a page view: stored credentials, short timeouts, one retry."""
    settings = credentials.catalog_settings()
    return dataclasses.replace(settings, retries=min(settings.retries, REQUEST_RETRIES),
                               http_timeout=min(settings.http_timeout, REQUEST_TIMEOUT))


def fetchable(row: MediaRow, settings: CatalogSettings) -> bool:
    """Details are missing and there is an upstream that can provide them."""
    if row["details_fetched_at"] is not None:
        return False
    if row["media_type"] == "game":
        return bool(row["igdb_id"]) and settings.igdb_enabled
    return bool(row["tmdb_id"]) and settings.tmdb_enabled


def fetch(row: MediaRow, settings: CatalogSettings) -> MediaRecord | None:
    """The title's full record from its upstream (raises ``UpstreamError``)."""
    from chalicelib.catalog.igdb import IgdbClient  # lazy: httpx costs ~300 ms, only a fetch needs it
    from chalicelib.catalog.tmdb import TmdbClient  # lazy: httpx costs ~300 ms, only a fetch needs it

    igdb_id, tmdb_id = row["igdb_id"], row["tmdb_id"]
    if row["media_type"] == "game":
        if not igdb_id:
            return None
        with IgdbClient(settings) as client:
            found = client.query("games", igdb_map.detail_query(igdb_id))
        return igdb_map.game(found[0], details=True) if found else None
    if not tmdb_id:
        return None
    with TmdbClient(settings) as client:
        if row["media_type"] == "movie":
            return tmdb_map.movie_details(client.movie(tmdb_id), certifications.region_of(settings.tmdb_language))
        return tmdb_map.show_details(client.show(tmdb_id), certifications.region_of(settings.tmdb_language))


def _backfillable(row: MediaRow) -> bool:
    return row["poster_path"] is None and row.get("tmdb_id") is None and bool(row.get("imdb_id")) \
        and row["media_type"] != "game"


def _backfill_due(row: MediaRow, settings: CatalogSettings) -> bool:
    """Not tried within the cooldown, as far as the row read says (the claim decides for sure)."""
    tried = row.get("backfill_attempted_at")
    if tried is None:
        return True
    return (clock.now() - tried).total_seconds() >= settings.details_cooldown


def _find_result(data: Mapping[str, Any], media_type: str) -> Mapping[str, Any] | None:
    """The first result of TMDB's /find answer (its JSON) for the title's type."""
    results = data.get("movie_results" if media_type == "movie" else "tv_results") or []
    return next((r for r in results if isinstance(r.get("id"), int) and r["id"] > 0), None)


def backfill(row: MediaRow, settings: CatalogSettings) -> MediaRow | None:
    """TMDB's /find for an artless IMDb title, once per cooldown; the updated row, or None."""
    from chalicelib.catalog import upstream  # lazy: httpx costs ~300 ms, only a fetch needs it
    from chalicelib.catalog.tmdb import TmdbClient  # lazy: httpx costs ~300 ms, only a fetch needs it

    imdb_id = row["imdb_id"]
    if not imdb_id:
        return None
    with db.connection() as conn:
        if not queries.claim_backfill(conn, media_id=row["id"], cooldown_seconds=settings.details_cooldown):
            return None
    try:
        with TmdbClient(settings) as client:
            found = _find_result(client.find_imdb(imdb_id), row["media_type"])
    except upstream.UpstreamError as exc:
        get_logger().warning("artwork backfill unavailable, serving stored data", extra={
            "action": "catalog_backfill_unavailable", "media_id": row["id"], "status": exc.status, "error": str(exc)})
        return None
    if found is None:
        return None
    clean = MediaRecord(media_type=row["media_type"], title=row["title"], popularity=found.get("popularity"),
                        original_language=found.get("original_language")).row()
    with db.transaction() as conn:
        updated = queries.store_backfill(conn, media_id=row["id"], tmdb_id=found["id"],
                                         poster_path=found.get("poster_path"), backdrop_path=found.get("backdrop_path"),
                                         original_language=clean["original_language"], popularity=clean["popularity"])
    get_logger().info("artwork backfilled", extra={"action": "catalog_backfilled", "media_id": row["id"],
                                                   "tmdb_id": updated["tmdb_id"] if updated else None})
    return updated


def ensure(row: MediaRow) -> bool:
    """Fetch and store missing details for ``row`` if allowed now; True when something was stored."""
    backfilled = False
    if _backfillable(row):
        settings = request_settings()
        if settings.tmdb_enabled and _backfill_due(row, settings) and (updated := backfill(row, settings)):
            row, backfilled = updated, True
    if row["details_fetched_at"] is not None:
        return backfilled  # the common case: no credentials lookup at all
    return _ensure_details(row) or backfilled


def _ensure_details(row: MediaRow) -> bool:
    settings = request_settings()
    if not fetchable(row, settings):
        return False
    with db.connection() as conn:
        if not queries.claim_detail_fetch(conn, media_id=row["id"], cooldown_seconds=settings.details_cooldown):
            return False
    from chalicelib.catalog import upstream  # lazy: httpx costs ~300 ms, only a fetch needs it

    log = get_logger()
    try:
        record = fetch(row, settings)
    except upstream.UpstreamError as exc:
        log.warning("title details unavailable, serving stored data", extra={
            "action": "catalog_details_unavailable", "media_id": row["id"], "media_type": row["media_type"],
            "upstream": exc.service, "status": exc.status, "error": str(exc)})
        return False
    if record is None:
        return False
    with db.transaction() as conn:
        store.save(conn, [record])
    log.info("title details fetched", extra={"action": "catalog_details_fetched", "media_id": row["id"],
                                             "media_type": row["media_type"]})
    return True
