"""TMDB search for files the local catalog cannot match (only with a TMDB key).

``/search/movie`` and ``/search/tv`` are asked with the parsed title (and
year). The hits are scored like local candidates; the most promising one is
fetched with its details (a show with every season's episodes, so the episode
can be checked) and stored in the catalog through the catalog's own store, so
the match points at a real ``media_items`` row. The runners-up are stored as
summary rows: the review queue can then offer them for a manual match. TMDB
being down is logged and leaves the local outcome as it was.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from chalicelib.catalog import store, tmdb_map
from chalicelib.catalog.records import MediaRecord
from chalicelib.config import get_settings
from chalicelib.db import Conn
from chalicelib.library import queries
from chalicelib.library.matching import Outcome, ParsedName, TitleFacts, confidence, decide, rank
from chalicelib.logs import get_logger
from chalicelib.settings import credentials

if TYPE_CHECKING:
    from chalicelib.catalog.tmdb import TmdbClient

SEARCH_TTL = 6 * 3600
HITS = 5
KEEP = 3
DETAIL_MARGIN = 0.2  # fetch details when the summary is this close to the threshold (episodes may lift it)


def enabled() -> bool:
    return get_settings().library.tmdb_match and credentials.catalog_settings().tmdb_enabled


def _search(client: TmdbClient, name: ParsedName) -> list[MediaRecord]:
    kinds = {"movie": [("movie", tmdb_map.movie_summary)], "episode": [("tv", tmdb_map.show_summary)]}.get(
        name.type or "", [("movie", tmdb_map.movie_summary), ("tv", tmdb_map.show_summary)])
    records: list[MediaRecord] = []
    for kind, mapper in kinds:
        params: dict[str, object] = {"query": name.title, "include_adult": "false"}
        if name.year and kind == "movie":
            params["year"] = name.year
        elif name.year:
            params["first_air_date_year"] = name.year
        results = client.get(f"/search/{kind}", params, ttl=SEARCH_TTL).get("results") or []
        records.extend(r for r in (mapper(item) for item in results[:HITS]) if r is not None)
    return records


def _row(record: MediaRecord) -> TitleFacts:
    return {"title": record.title, "original_title": record.original_title, "media_type": record.media_type,
            "year": record.release_date.year if record.release_date else None}


def _details(client: TmdbClient, record: MediaRecord) -> MediaRecord:
    if record.tmdb_id is None:  # a search hit always has its id
        return record
    if record.media_type == "movie":
        return tmdb_map.movie_details(client.movie(record.tmdb_id)) or record
    return tmdb_map.show_details(client.show(record.tmdb_id)) or record


def fetch_candidates(name: ParsedName, threshold: float) -> list[MediaRecord]:
    """The best TMDB hits (the first with details), or [] when TMDB cannot say (logged)."""
    from chalicelib.catalog.tmdb import TmdbClient  # lazy: httpx loads only when a file goes to TMDB
    from chalicelib.catalog.upstream import UpstreamError  # lazy: as above

    try:
        with TmdbClient() as client:
            hits = sorted(_search(client, name), key=lambda r: -confidence(name, _row(r)))[:KEEP]
            if hits and confidence(name, _row(hits[0])) >= threshold - DETAIL_MARGIN:
                hits[0] = _details(client, hits[0])
    except UpstreamError as exc:
        get_logger().warning("tmdb search failed, file stays unmatched", extra={
            "action": "library_tmdb_failed", "status": exc.status, "error": str(exc)})
        return []
    return hits


def match(conn: Conn, guess: Mapping[str, object], threshold: float) -> Outcome | None:
    """Search TMDB, store what it found in the catalog, and match against it (None: TMDB had nothing)."""
    name = ParsedName.from_guess(guess)
    if not name.title or not enabled():
        return None
    records = fetch_candidates(name, threshold)
    if not records:
        return None
    ids = store.save(conn, records)
    rows = [row for row in (queries.media(conn, media_id=ids[r.key]) for r in records if r.key in ids)
            if row is not None]
    return decide(rank(conn, name, rows, source="tmdb"), threshold)
