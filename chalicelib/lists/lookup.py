"""Titles of a list missing from the catalog, looked up on TMDB (``/find`` by IMDb id, or by TMDB id) and
stored like any title the catalog syncs. Bounded per sync; without TMDB credentials nothing is looked up."""

from __future__ import annotations

import dataclasses
from typing import Any

from chalicelib import db
from chalicelib.lists.entries import Entry, MediaType
from chalicelib.logs import get_logger
from chalicelib.settings import credentials

RESULTS: tuple[tuple[MediaType, str], ...] = (("movie", "movie_results"), ("show", "tv_results"))


def _found(data: Any, media_type: MediaType | None) -> tuple[MediaType, int] | None:
    """The first movie (or show) of a ``/find`` answer of the entry's type."""
    for kind, key in RESULTS:
        if media_type not in (None, kind) or not isinstance(data, dict):
            continue
        hit = next((r for r in data.get(key) or () if isinstance(r, dict) and isinstance(r.get("id"), int)
                    and r["id"] > 0), None)
        if hit is not None:
            return kind, hit["id"]
    return None


def missing(entries: dict[int, Entry], limit: int) -> dict[int, Entry]:
    """Look up to ``limit`` entries (by their number) on TMDB and store what is found; the entries that now
    carry a TMDB id (and their type), to be matched again."""
    from chalicelib.catalog import store, tmdb_map, upstream  # lazy: httpx and the mappers only when one runs
    from chalicelib.catalog.tmdb import TmdbClient  # lazy: httpx costs ~300 ms, only a lookup needs it

    settings = credentials.catalog_settings()
    if not settings.tmdb_enabled or not entries or limit <= 0:
        return {}
    records: list[Any] = []
    found: dict[int, Entry] = {}
    with TmdbClient(settings) as client:
        for n, entry in list(entries.items())[:limit]:
            try:
                kind, tmdb_id = entry.media_type, entry.tmdb_id
                if tmdb_id is None and entry.imdb_id:
                    kind, tmdb_id = _found(client.find_imdb(entry.imdb_id), entry.media_type) or (kind, None)
                if tmdb_id is None:
                    continue
                data = client.show(tmdb_id) if kind == "show" else client.movie(tmdb_id)
                record = tmdb_map.show_details(data) if kind == "show" else tmdb_map.movie_details(data)
            except upstream.UpstreamError as exc:
                get_logger().warning("list title lookup failed", extra={
                    "action": "list_lookup_failed", "status": exc.status, "error": str(exc)})
                continue
            if record is not None:
                records.append(record)
                found[n] = dataclasses.replace(entry, media_type=kind or "movie", tmdb_id=tmdb_id)
    if records:
        with db.transaction() as conn:
            store.save(conn, records)
    return found
