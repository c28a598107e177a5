"""Scoring inputs from Postgres: the user's signals, the seeds' links, and the candidate titles.

Candidates come from four places, each a bounded query:

* stored links (``media_relations``) of the titles the user liked: TMDB
  similar/recommended, IGDB similar games, and a played game's DLC/expansions;
* the franchises of liked (and disliked) titles;
* the most popular titles of the user's strongest genres (and onboarding picks);
* the popularity prior: the most popular titles of each type.

Titles the user already knows (watched, rated, favorited, saved, played,
started or dismissed) never become candidates. When a TMDB key is configured
and the caller allows it (the scheduled job, not a request), liked movies and
shows without stored links get them fetched once from TMDB's
/recommendations and /similar lists and stored for next time.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from chalicelib import db
from chalicelib.logs import get_logger
from chalicelib.recommendations import scoring

GENRES_FOLLOWED = 8  # strongest genres whose popular titles become candidates
PER_GENRE = 60
PER_TYPE_POPULAR = 40
FRANCHISE_MEMBERS = 3000
UPSTREAM_SEEDS = 5  # liked titles per run whose TMDB links may be fetched


def q() -> Any:
    return db.queries()


def _title(row: dict[str, Any]) -> scoring.Title:
    return scoring.Title(
        id=row["id"], media_type=row["media_type"], title=row["title"], genre_ids=tuple(row["genre_ids"] or ()),
        franchise_ids=tuple(row["franchise_ids"] or ()), platform_ids=tuple(row["platform_ids"] or ()),
        popularity=float(row["popularity"] or 0.0),
        vote_average=float(row["vote_average"]) if row["vote_average"] is not None else None,
        vote_count=row["vote_count"] or 0, is_addon=bool(row["is_addon"]))


def titles(conn: Any, media_ids: list[int]) -> dict[int, scoring.Title]:
    """Scoring's view of these titles (adult titles are never recommended)."""
    if not media_ids:
        return {}
    return {r["id"]: _title(r) for r in q().recs_titles(conn, media_ids=sorted(set(media_ids))) if not r["adult"]}


def _signal(row: dict[str, Any], title: scoring.Title, now: datetime) -> scoring.Signal:
    moments = [row[k] for k in ("rated_at", "favorited_at", "last_watched", "started_at", "game_at",
                                "watch_later_at", "dismissed_at") if row[k] is not None]
    return scoring.Signal(
        title=title, at=max(moments, default=now), rating=float(row["rating"]) if row["rating"] is not None else None,
        favorite=row["favorited_at"] is not None, watches=row["watches"], started=row["started_at"] is not None,
        game_status=row["game_status"], game_platform_id=row["game_platform_id"],
        watch_later=row["watch_later_at"] is not None, dismissed=row["dismissed_at"] is not None)


def load(conn: Any, user_id: UUID, now: datetime, *, fetch_upstream: bool = False) -> scoring.Inputs:
    """Everything ``scoring.rank`` needs for this user."""
    rows = list(q().recs_user_signals(conn, user_id=user_id))
    known = [r["media_id"] for r in rows]
    touched = titles(conn, known)
    signals = [_signal(r, touched[r["media_id"]], now) for r in rows if r["media_id"] in touched]
    picked = frozenset(r["genre_id"] for r in q().recs_favorite_genre_ids(conn, user_id=user_id))
    inputs = scoring.Inputs(now=now, signals=signals, candidates={}, picked_genres=picked)
    all_seeds = scoring.seeds(inputs)
    liked = [s for s in all_seeds if s.weight > 0][:scoring.MAX_SEEDS]
    followed = liked + [s for s in all_seeds if s.weight < 0]
    if fetch_upstream:
        fetch_tmdb_links(conn, [s.title for s in liked])
    seed_ids = [s.title.id for s in followed]
    inputs.links = [scoring.Link(r["seed_id"], r["media_id"], r["relation"], r["position"])
                    for r in q().recs_related(conn, seed_ids=seed_ids)] if seed_ids else []
    inputs.franchise_members = _franchise_members(conn, followed)
    excluded = set(known)
    wanted = {link.media_id for link in inputs.links}
    wanted.update(m for members in inputs.franchise_members.values() for m in members)
    wanted.update(_genre_candidates(conn, inputs, all_seeds, sorted(excluded)))
    wanted.update(r["media_id"] for r in q().recs_popular(conn, excluded=sorted(excluded),
                                                          per_type=PER_TYPE_POPULAR))
    inputs.candidates = titles(conn, sorted(wanted - excluded))
    _names(conn, inputs)
    return inputs


def _franchise_members(conn: Any, followed: list[scoring.Seed]) -> dict[int, tuple[int, ...]]:
    franchises = sorted({f for s in followed for f in s.title.franchise_ids})
    if not franchises:
        return {}
    members: dict[int, list[int]] = {}
    for row in q().recs_franchise_members(conn, franchise_ids=franchises, row_limit=FRANCHISE_MEMBERS):
        members.setdefault(row["franchise_id"], []).append(row["media_id"])
    return {f: tuple(ids) for f, ids in members.items()}


def _genre_candidates(conn: Any, inputs: scoring.Inputs, all_seeds: list[scoring.Seed],
                      excluded: list[int]) -> set[int]:
    prof = scoring.profile(inputs, all_seeds)
    strongest = sorted((g for g, a in prof.affinity.items() if a > 0), key=lambda g: (-prof.affinity[g], g))
    genres = strongest[:GENRES_FOLLOWED]
    if not genres:
        return set()
    return {r["media_id"] for r in q().recs_genre_popular(conn, genre_ids=genres, excluded=excluded,
                                                          per_genre=PER_GENRE)}


def _names(conn: Any, inputs: scoring.Inputs) -> None:
    everything = list(inputs.candidates.values()) + [s.title for s in inputs.signals]
    genre_ids = sorted({g for t in everything for g in t.genre_ids} | set(inputs.picked_genres))
    platform_ids = sorted({p for t in everything for p in t.platform_ids}
                          | {s.game_platform_id for s in inputs.signals if s.game_platform_id})
    if genre_ids:
        inputs.genre_names = {r["id"]: r["name"] for r in q().recs_genre_names(conn, genre_ids=genre_ids)}
    if platform_ids:
        inputs.platform_names = {r["id"]: r["name"]
                                 for r in q().recs_platform_names(conn, platform_ids=platform_ids)}


def fetch_tmdb_links(conn: Any, liked: list[scoring.Title]) -> int:
    """Fetch TMDB recommendations/similar lists for liked titles that have no stored links.

    Only with a configured key; an upstream failure is logged and the stored
    data is used as it is. Returns how many titles got links.
    """
    from chalicelib.settings import credentials  # a key stored by an admin counts, not only the environment's

    if not credentials.catalog_settings().tmdb_enabled:
        return 0
    eligible = [t for t in liked if t.media_type in ("movie", "show")]
    if not eligible:
        return 0
    linked = {r["media_id"] for r in q().recs_seeds_with_relations(conn, seed_ids=[t.id for t in eligible])}
    todo = [t for t in eligible if t.id not in linked][:UPSTREAM_SEEDS]
    tmdb_ids = _tmdb_ids(conn, todo)
    fetched = 0
    for title in todo:
        if tmdb_ids.get(title.id) and _fetch_one(conn, title, tmdb_ids[title.id]):
            fetched += 1
    return fetched


def _tmdb_ids(conn: Any, todo: list[scoring.Title]) -> dict[int, int]:
    if not todo:
        return {}
    return {r["id"]: r["tmdb_id"] for r in q().recs_titles(conn, media_ids=[t.id for t in todo]) if r["tmdb_id"]}


def _fetch_one(conn: Any, title: scoring.Title, tmdb_id: int) -> bool:
    from chalicelib.catalog import store, tmdb_map, upstream
    from chalicelib.catalog.tmdb import TTL_LIST, TmdbClient

    kind, mapper = ("movie", tmdb_map.movie_summary) if title.media_type == "movie" else \
        ("tv", tmdb_map.show_summary)
    try:
        with TmdbClient() as client:
            lists = {relation: client.get(f"/{kind}/{tmdb_id}/{path}", {"page": 1}, ttl=TTL_LIST)
                     for relation, path in (("recommended", "recommendations"), ("similar", "similar"))}
    except upstream.UpstreamError as exc:
        get_logger().warning("tmdb links unavailable, using stored data", extra={
            "action": "recs_tmdb_links_failed", "media_id": title.id, "error": str(exc)})
        return False
    records = {relation: [r for r in map(mapper, (data.get("results") or [])[:20]) if r]
               for relation, data in lists.items()}
    with conn.transaction():
        ids = store.save(conn, [r for found in records.values() for r in found])
        items = [{"media_id": title.id, "relation": relation, "related_media_id": ids[r.key], "position": n}
                 for relation, found in records.items() for n, r in enumerate(found) if r.key in ids]
        if items:
            q().recs_save_relations(conn, items=store.to_json(items))
    return bool(items)
