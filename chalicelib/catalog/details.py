"""Lazy detail fetch: the first view of a title without details asks TMDB/IGDB for them.

Only rows with an upstream id and configured credentials are fetched. The
attempt is claimed with a conditional UPDATE (``details_attempted_at``), so
concurrent views fetch once and a failing title is not re-fetched on every
view until the cooldown (``SEEN_CATALOG_DETAILS_COOLDOWN``) has passed. An
upstream failure is logged and the stored row is served as it is.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from chalicelib import db
from chalicelib.catalog import store
from chalicelib.catalog.records import MediaRecord
from chalicelib.config import CatalogSettings
from chalicelib.logs import get_logger

# A page view waits for at most one quick retry; the scheduled sync retries harder.
REQUEST_RETRIES = 1
REQUEST_TIMEOUT = 5.0


def _request_settings() -> CatalogSettings:
    from chalicelib.settings import credentials

    settings = credentials.catalog_settings()
    return dataclasses.replace(settings, retries=min(settings.retries, REQUEST_RETRIES),
                               http_timeout=min(settings.http_timeout, REQUEST_TIMEOUT))


def fetchable(row: dict[str, Any], settings: CatalogSettings) -> bool:
    """Details are missing and there is an upstream that can provide them."""
    if row["details_fetched_at"] is not None:
        return False
    if row["media_type"] == "game":
        return bool(row["igdb_id"]) and settings.igdb_enabled
    return bool(row["tmdb_id"]) and settings.tmdb_enabled


def fetch(row: dict[str, Any], settings: CatalogSettings) -> MediaRecord | None:
    """The title's full record from its upstream (raises ``UpstreamError``)."""
    # Imported here: the HTTP clients are not needed on the hot (cached, stored) path.
    from chalicelib.catalog import igdb_map, tmdb_map
    from chalicelib.catalog.igdb import IgdbClient
    from chalicelib.catalog.tmdb import TmdbClient

    if row["media_type"] == "game":
        with IgdbClient(settings) as client:
            found = client.query("games", igdb_map.detail_query(row["igdb_id"]))
        return igdb_map.game(found[0], details=True) if found else None
    with TmdbClient(settings) as client:
        if row["media_type"] == "movie":
            return tmdb_map.movie_details(client.movie(row["tmdb_id"]))
        return tmdb_map.show_details(client.show(row["tmdb_id"]))


def ensure(row: dict[str, Any]) -> bool:
    """Fetch and store missing details for ``row`` if allowed now; True when something was stored."""
    if row["details_fetched_at"] is not None:
        return False  # the common case: no credentials lookup at all
    settings = _request_settings()
    if not fetchable(row, settings):
        return False
    with db.connection() as conn:
        claimed = db.queries().catalog_claim_detail_fetch(conn, media_id=row["id"],
                                                          cooldown_seconds=settings.details_cooldown)
    if claimed is None:
        return False
    from chalicelib.catalog import upstream

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
