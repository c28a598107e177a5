"""A catalog show's anime numbering: its MAL entry and seasons (Jikan), TMDB's absolute group, cached.

``numbering`` answers from Redis (``cache.Keys.anime_mapping``, a day), then Postgres (``anime_mappings``,
refreshed weekly), and only then asks upstream: the show's MAL entry is its stored MAL id, else the best
title + year hit of Jikan's search (rapidfuzz, the library matcher's weights); the Sequel/Prequel chain of
TV entries around it are its seasons. Only shows that are anime are looked up (Japanese animation, or a MAL
or AniDB id in ``extra``): every other show costs one query, then one Redis read for an hour. An upstream
failure is logged and the stored numbering (or none) is used: numbering refines a match, it never blocks one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from rapidfuzz import fuzz

from chalicelib import cache, clock
from chalicelib.anime import mapping as numbers
from chalicelib.anime import queries
from chalicelib.anime.mapping import AnimeMapping, MalSeason, Numbering
from chalicelib.anime.rows import AnimeShowRow
from chalicelib.catalog.records import Json
from chalicelib.config import CatalogSettings
from chalicelib.db import Conn
from chalicelib.logs import get_logger

REFRESH = timedelta(days=7)
CACHE_TTL = 24 * 3600
NONE_TTL = 3600  # not anime, or upstream failed: asked again after an hour
MATCH_THRESHOLD = 0.8
MAX_CHAIN = 12  # entries fetched along a sequel chain (movies and OVAs between seasons included)
ABSOLUTE_GROUP = 2  # TMDB episode group type "Absolute"
_ARTICLE = re.compile(r"^(?:the|a|an)\s+")


def numbering(conn: Conn, media_id: int) -> AnimeMapping | None:
    """The show's anime numbering, or None (not anime, not a show, nothing known upstream)."""
    key = cache.Keys.anime_mapping(media_id)
    cached = cache.get_json(key)
    if isinstance(cached, dict):
        return None if cached.get("none") else AnimeMapping.from_json(cached)
    stored = queries.get_mapping(conn, media_id=media_id)
    if stored is not None and clock.now() - stored["fetched_at"] < REFRESH:
        return _remember(media_id, AnimeMapping.from_json(stored["mapping"]))
    show = queries.show(conn, media_id=media_id)
    found = refresh(conn, show) if show is not None and is_anime(show) else None
    if found is None and stored is not None:
        found = AnimeMapping.from_json(stored["mapping"])
    if found is None or found.empty:
        cache.set_json(key, {"none": True}, NONE_TTL)
        return None
    return _remember(media_id, found)


def catalog_episode(conn: Conn, media_id: int, *, absolute: int | None = None, season: int | None = None,
                    episode: int | None = None) -> Numbering | None:
    """The catalog's (season, episode) for an absolute number, or for MAL's (season, episode) of a name."""
    mapping = numbering(conn, media_id)
    if mapping is None:
        return None
    counts = queries.season_counts(conn, media_id=media_id)
    if absolute is not None:
        return numbers.catalog_numbering(mapping, counts, absolute)
    if season is not None and episode is not None and mapping.seasons:
        return numbers.mal_to_catalog(mapping, counts, season, episode)
    return None


def absolute_number(conn: Conn, media_id: int, season: int, episode: int) -> int | None:
    """The absolute number of the catalog's (season, episode) of an anime show (releases are named by it)."""
    mapping = numbering(conn, media_id)
    if mapping is None:
        return None
    return numbers.catalog_absolute(mapping, queries.season_counts(conn, media_id=media_id), season, episode)


def is_anime(show: AnimeShowRow) -> bool:
    return bool(show["mal_id"] or show["anidb_id"]) or (show["original_language"] == "ja" and show["animation"])


def _remember(media_id: int, found: AnimeMapping) -> AnimeMapping:
    cache.set_json(cache.Keys.anime_mapping(media_id), found.as_json(), CACHE_TTL)
    return found


def refresh(conn: Conn, show: AnimeShowRow) -> AnimeMapping | None:
    """Ask Jikan (and TMDB for an absolute group) now and store the answer; None when upstream failed."""
    from chalicelib.catalog import details, upstream  # lazy: httpx costs ~300 ms, only a lookup needs it

    settings = details.request_settings()
    if not settings.jikan_base_url and not (show["tmdb_id"] and settings.tmdb_enabled):
        return None  # nothing to ask: stored "no numbering" would outlive turning Jikan on
    try:
        mal_id, seasons = _mal_seasons(show, settings)
        absolute = _tmdb_absolute(show["tmdb_id"], settings)
    except upstream.UpstreamError as exc:
        get_logger().warning("anime numbering unavailable", extra={
            "action": "anime_numbering_unavailable", "media_id": show["id"], "upstream": exc.service,
            "status": exc.status, "error": str(exc)})
        return None
    found = AnimeMapping(seasons, absolute)
    queries.store_mapping(conn, media_id=show["id"], mal_id=mal_id, mapping=found.as_json(), fetched_at=clock.now())
    get_logger().info("anime numbering fetched", extra={
        "action": "anime_numbering_fetched", "media_id": show["id"], "mal_id": mal_id,
        "seasons": [s.episodes for s in seasons], "absolute_group": len(absolute)})
    return found


def _mal_seasons(show: AnimeShowRow, settings: CatalogSettings) -> tuple[int | None, tuple[MalSeason, ...]]:
    from chalicelib.anime.client import JikanClient  # lazy: httpx costs ~300 ms, only a lookup needs it

    if not settings.jikan_base_url:
        return show["mal_id"], ()
    with JikanClient(settings) as jikan:
        mal_id = show["mal_id"] or _best_hit(show, jikan.search(show["title"]))
        if mal_id is None and show["original_title"] and show["original_title"] != show["title"]:
            mal_id = _best_hit(show, jikan.search(show["original_title"]))
        return mal_id, (_chain(jikan, mal_id) if mal_id else ())


def _best_hit(show: AnimeShowRow, hits: Iterable[Json]) -> int | None:
    scored = sorted(((_hit_score(show, hit), hit["mal_id"]) for hit in hits), reverse=True)
    return scored[0][1] if scored and scored[0][0] >= MATCH_THRESHOLD else None


def _hit_score(show: AnimeShowRow, hit: Json) -> float:
    """The library matcher's weights: 0.85 title similarity, year +0.15 / +0.08 one off / -0.2, +0.05 unknown."""
    titles = [hit.get("title"), hit.get("title_english"), *(t.get("title") for t in hit.get("titles") or ()
                                                            if isinstance(t, dict)), *(hit.get("title_synonyms") or ())]
    similarity = max((_similarity(name, t) for name in (show["title"], show["original_title"]) for t in titles),
                     default=0.0)
    year = hit.get("year") or _year(hit)
    if show["year"] and isinstance(year, int):
        diff = abs(show["year"] - year)
        bonus = 0.15 if diff == 0 else 0.08 if diff == 1 else -0.2
    else:
        bonus = 0.05
    return 0.85 * similarity + bonus


def _year(hit: Json) -> int | None:
    start = str((hit.get("aired") or {}).get("from") or "")
    return int(start[:4]) if start[:4].isdigit() else None


def _normalise(text: Any) -> str:
    folded = unicodedata.normalize("NFKD", text if isinstance(text, str) else "").encode("ascii", "ignore").decode()
    return " ".join(re.findall(r"[a-z0-9]+", folded.lower().replace("&", " and ").replace("'", "")))


def _similarity(a_raw: Any, b_raw: Any) -> float:
    a, b = _normalise(a_raw), _normalise(b_raw)
    if not a or not b:
        return 0.0
    return max(max(fuzz.ratio(x, y), fuzz.token_sort_ratio(x, y))
               for x, y in ((a, b), (_ARTICLE.sub("", a), _ARTICLE.sub("", b)))) / 100.0


def _chain(jikan: Any, mal_id: int) -> tuple[MalSeason, ...]:
    """The TV entries of the Sequel chain through ``mal_id``: back along Prequels to its start, then forward."""
    entries: dict[int, Json | None] = {}

    def entry(ident: int) -> Json | None:
        if ident not in entries and len(entries) < MAX_CHAIN:
            entries[ident] = jikan.full(ident)
        return entries.get(ident)

    root, visited = mal_id, {mal_id}
    while (before := _next(entry, entry(root), "Prequel", visited)) is not None:
        root = before
        visited.add(root)
    seasons: list[MalSeason] = []
    current: int | None = root
    visited = {root}
    while current is not None:
        found = entry(current)
        if found is not None and str(found.get("type") or "").upper() == "TV":
            seasons.append(MalSeason(found["mal_id"], str(found.get("title") or ""), _episode_count(jikan, found),
                                     str((found.get("aired") or {}).get("from") or "")[:10] or None))
        current = _next(entry, found, "Sequel", visited)
        if current is not None:
            visited.add(current)
    return numbers.order_seasons(seasons)


def _next(entry: Any, found: Json | None, relation: str, visited: set[int]) -> int | None:
    """The entry's ``relation`` (a TV one first) not walked yet, or None."""
    related = [e["mal_id"] for group in (found or {}).get("relations") or () if group.get("relation") == relation
               for e in group.get("entry") or () if e.get("type") == "anime" and isinstance(e.get("mal_id"), int)
               and e["mal_id"] not in visited]
    if not related:
        return None
    tv = next((i for i in related if str((entry(i) or {}).get("type") or "").upper() == "TV"), None)
    return tv if tv is not None else related[0]


def _episode_count(jikan: Any, found: Json) -> int:
    """MAL's episode count; for a season still airing (none yet), the episodes listed so far."""
    count = found.get("episodes")
    if isinstance(count, int) and count > 0:
        return count
    return len(jikan.episodes(found["mal_id"]))


def _tmdb_absolute(tmdb_id: int | None, settings: CatalogSettings) -> tuple[Numbering, ...]:
    """TMDB's absolute episode group as catalog numbers, when the show has one and a TMDB key is set."""
    if not tmdb_id or not settings.tmdb_enabled:
        return ()
    from chalicelib.catalog.tmdb import TmdbClient  # lazy: httpx costs ~300 ms, only a lookup needs it

    with TmdbClient(settings) as tmdb:
        group = tmdb.absolute_group(tmdb_id)
    return numbers.tmdb_absolute_group(group) if group else ()
