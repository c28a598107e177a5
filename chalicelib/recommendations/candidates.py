"""Scoring inputs from Postgres: the user's signals, the seeds' links, and the candidate titles.

Two statements read it all (``recs_user_inputs``, then ``recs_candidate_inputs``,
whose seeds and genres come from the first), each returning one row of JSON,
because parsing one document is far cheaper than building thousands of row
dicts. Candidates come from four places, each bounded:

* stored links (``media_relations``) of the titles the user liked: TMDB
  similar/recommended, IGDB similar games, and a played game's DLC/expansions;
  a liked title without stored similar/recommended links (the demo catalog, no
  TMDB key) lends its "More like this" titles instead (``content_links``);
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

import time
from datetime import datetime
from itertools import pairwise
from typing import Any, NamedTuple
from uuid import UUID

from chalicelib.db import Conn
from chalicelib.logs import get_logger
from chalicelib.recommendations import queries, scoring

GENRES_FOLLOWED = 8  # strongest genres whose popular titles become candidates
PER_GENRE = 60
PER_TYPE_POPULAR = 40
FRANCHISE_MEMBERS = 3000
GENRE_WALK = 2000  # popular titles walked once for every followed genre (see recs_candidate_inputs)
UPSTREAM_SEEDS = 5  # liked titles per run whose TMDB links may be fetched
CONTENT_SEEDS = 3  # liked titles without stored links whose "More like this" titles become links
CONTENT_PER_SEED = 15


def _title(row: list[Any]) -> scoring.Title:
    """A title from recs_*_inputs' JSON arrays: id, type, title, genres, franchises, platforms, popularity,
    vote average, vote count, add-on."""
    return scoring.Title(row[0], row[1], row[2], tuple(row[3]), tuple(row[4]), tuple(row[5]), float(row[6] or 0.0),
                         float(row[7]) if row[7] is not None else None, row[8] or 0, row[9])


def _signal(row: list[Any], now: datetime) -> scoring.Signal:
    """A signal from recs_user_inputs' JSON array: the title's fields, adult, then the user's signals."""
    return scoring.Signal(
        _title(row), datetime.fromisoformat(row[19]) if row[19] is not None else now,
        float(row[11]) if row[11] is not None else None, row[12], int(row[13]), row[14], row[15], row[16],
        row[17], row[18])


class Loaded(NamedTuple):
    inputs: scoring.Inputs
    taste: str  # the fingerprint of the taste tables as they were read (see recs_taste_states)
    timings_ms: dict[str, float]  # where the load's time went: each statement and the Python between them


def load(conn: Conn, user_id: UUID, now: datetime, *, fetch_upstream: bool = False) -> Loaded:
    """Everything ``scoring.rank`` needs for this user, in two statements.

    The first reads the user's signals with their titles' features; the seeds
    and the genre profile computed from them choose what the second reads:
    the candidates with their features and the links that explain them.
    """
    marks = [time.perf_counter()]
    row = queries.user_inputs(conn, user_id=user_id)
    marks.append(time.perf_counter())
    signals = [_signal(r, now) for r in row["signals"] if not r[10]]  # adult titles never shape anything
    inputs = scoring.Inputs(now=now, signals=signals, candidates={}, picked_genres=frozenset(row["picked"]))
    inputs.seeds = scoring.seeds(inputs)
    inputs.profile = scoring.profile(inputs, inputs.seeds)
    liked = [s for s in inputs.seeds if s.weight > 0][:scoring.MAX_SEEDS]
    followed = liked + [s for s in inputs.seeds if s.weight < 0]
    if fetch_upstream:
        fetch_tmdb_links(conn, [s.title for s in liked])
    content = content_links(conn, user_id, [s.title for s in liked])
    marks.append(time.perf_counter())
    found = queries.candidate_inputs(
        conn, user_id=user_id, seed_ids=[s.title.id for s in followed],
        franchise_ids=sorted({f for s in followed for f in s.title.franchise_ids}),
        genre_ids=_followed_genres(inputs.profile), per_genre=PER_GENRE, per_type=PER_TYPE_POPULAR,
        franchise_limit=FRANCHISE_MEMBERS, walk=GENRE_WALK, extra_ids=sorted({link.media_id for link in content}))
    marks.append(time.perf_counter())
    inputs.candidates = {r[0]: _title(r) for r in found["titles"]}
    inputs.links = [scoring.Link(*link) for link in found["links"]] + [
        link for link in content if link.media_id in inputs.candidates]
    inputs.genre_names = {int(k): v for k, v in found["genre_names"].items()}
    inputs.platform_names = {int(k): v for k, v in found["platform_names"].items()}
    marks.append(time.perf_counter())
    stages = ("userSql", "seeds", "candidateSql", "candidates")
    spans = {name: round((end - start) * 1000, 1) for name, (start, end) in zip(stages, pairwise(marks), strict=True)}
    return Loaded(inputs, row["taste"], spans)


def _followed_genres(prof: scoring.Profile) -> list[int]:
    strongest = sorted((g for g, a in prof.affinity.items() if a > 0), key=lambda g: (-prof.affinity[g], g))
    return strongest[:GENRES_FOLLOWED]


def content_links(conn: Conn, user_id: UUID, liked: list[scoring.Title]) -> list[scoring.Link]:
    """The "More like this" titles (shared people, genres, words) of the strongest liked titles that have no
    stored similar/recommended links, as ``similar`` links: so what a rating or a watch brought in says so
    ("Because you rated Inception ★★★★") even without TMDB. At most ``CONTENT_SEEDS`` statements."""
    from chalicelib.catalog import similar  # the catalog's ranking, shared rather than copied

    if not liked:
        return []
    linked = {r["media_id"] for r in queries.seeds_with_relations(conn, seed_ids=[t.id for t in liked])}
    links = []
    for title in [t for t in liked if t.id not in linked][:CONTENT_SEEDS]:
        found = similar.more_like_this(conn, title.id, user_id, size=CONTENT_PER_SEED)
        links += [scoring.Link(title.id, row["id"], "similar", n) for n, row in enumerate(found)]
    return links


def fetch_tmdb_links(conn: Conn, liked: list[scoring.Title]) -> int:
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
    linked = {r["media_id"] for r in queries.seeds_with_relations(conn, seed_ids=[t.id for t in eligible])}
    todo = [t for t in eligible if t.id not in linked][:UPSTREAM_SEEDS]
    tmdb_ids = _tmdb_ids(conn, todo)
    fetched = 0
    for title in todo:
        if tmdb_ids.get(title.id) and _fetch_one(conn, title, tmdb_ids[title.id]):
            fetched += 1
    return fetched


def _tmdb_ids(conn: Conn, todo: list[scoring.Title]) -> dict[int, int]:
    if not todo:
        return {}
    return {r["id"]: r["tmdb_id"] for r in queries.tmdb_ids(conn, media_ids=[t.id for t in todo])}


def _fetch_one(conn: Conn, title: scoring.Title, tmdb_id: int) -> bool:
    from chalicelib.catalog import store, tmdb_map, upstream  # lazy: the TMDB stack, only when links are fetched
    from chalicelib.catalog.tmdb import TTL_LIST, TmdbClient  # lazy: the TMDB stack, as above

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
            queries.save_relations(conn, items=store.to_json(items))
    return bool(items)
