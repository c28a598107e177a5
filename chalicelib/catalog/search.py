"""Global title search (movies, shows, games) and the type-ahead suggestions.

Ranking, best first: the exact title (ignoring a leading "The/A/An"), a title
that starts with the query, a title containing every query word as a word
prefix, then fuzzy matches by pg_trgm word similarity (``<%``), which is what
makes "matrx" find "The Matrix". Within a tier the closer and the more popular
title wins. Results are cached in the discover key space, so a catalog sync
drops them.
"""

from __future__ import annotations

import re
from typing import Any

from chalicelib import cache, db
from chalicelib.catalog import images
from chalicelib.catalog.models import SearchHit, SearchPage, SearchQuery, Suggestion, SuggestQuery
from chalicelib.catalog.service import summary
from chalicelib.config import get_settings

SUGGEST_LIMIT = 8
MIN_FUZZY_LENGTH = 3  # shorter queries have too few trigrams to be fuzzy-matched usefully
MAX_WORDS = 8
# Fuzzy (trigram) candidates are looked for only when literal matches are fewer than this.
FUZZY_BELOW = 100
MULTI_WORD_BONUS = 0.15
TIERS = {4: "exact", 3: "prefix", 2: "word", 1: "fuzzy"}
_WORD = re.compile(r"\w+", re.UNICODE)


def normalise(text: str) -> str:
    """Lower-case with runs of whitespace collapsed (the form titles are compared in)."""
    return " ".join(text.lower().split())


def _like_prefix(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%"


def _tsquery(text: str) -> str | None:
    """Every word as a prefix (``matr:* & reloa:*``); only word characters reach to_tsquery."""
    words = _WORD.findall(text)[:MAX_WORDS]
    return " & ".join(f"{w}:*" for w in words) or None


def terms(raw: str) -> dict[str, Any]:
    """The query in the shapes the SQL needs."""
    q = normalise(raw)
    return {"q": q, "prefix": _like_prefix(q), "tsquery": _tsquery(q), "fuzzy": len(q) >= MIN_FUZZY_LENGTH,
            "fuzzy_below": FUZZY_BELOW}


def threshold(q: str) -> str:
    """The word-similarity threshold for ``q``. Several words ask for more: at the one-word
    threshold a title sharing just one of the words would already count as a typo match."""
    base = get_settings().catalog.search_similarity
    return str(base if len(q.split()) < 2 else min(1.0, base + MULTI_WORD_BONUS))


def _search_page(query: SearchQuery) -> dict[str, Any]:
    with db.transaction() as conn:
        q = db.queries()
        q.catalog_search_settings(conn, threshold=threshold(query.q))
        row = q.catalog_search(conn, media_type=query.media_type, genre=query.genre, year_from=query.year_from,
                               year_to=query.year_to, rating_min=query.rating_min, row_limit=query.page_size,
                               row_offset=(query.page - 1) * query.page_size, **terms(query.q))
    hits = [SearchHit(**summary(item).model_dump(), match=TIERS[item["tier"]],
                      score=round(item["tier"] + float(item["similarity"]), 4)) for item in row["items"]]
    page = SearchPage(items=hits, page=query.page, page_size=query.page_size, total=row["total"])
    return page.model_dump(mode="json", by_alias=True)


def search(query: SearchQuery) -> dict[str, Any]:
    """One page of search results across movies, shows and games, with the browse filters (cached)."""
    params = {**query.model_dump(), "q": normalise(query.q)}
    return cache.read_through(cache.Keys.discover({"kind": "search", **params}), cache.Ttl.DISCOVER,
                              lambda: _search_page(query))


def _suggestions(query: SuggestQuery) -> list[dict[str, Any]]:
    with db.transaction() as conn:
        q = db.queries()
        q.catalog_search_settings(conn, threshold=threshold(query.q))
        rows = q.catalog_suggest(conn, media_type=query.media_type, row_limit=SUGGEST_LIMIT, **terms(query.q))
        return [Suggestion(id=r["id"], media_type=r["media_type"], title=r["title"], year=r["year"],
                           poster_url=images.url(r["media_type"], r["poster_path"], "poster"))
                .model_dump(mode="json", by_alias=True) for r in rows]


def suggest(query: SuggestQuery) -> list[dict[str, Any]]:
    """The top eight titles for a partial query (type-ahead), cached."""
    key = cache.Keys.discover({"kind": "suggest", "q": normalise(query.q), "media_type": query.media_type})
    return cache.read_through(key, cache.Ttl.DISCOVER, lambda: _suggestions(query))
