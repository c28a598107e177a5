"""Global title search (movies, shows, games) and the type-ahead suggestions.

Ranking, best first: the exact title (ignoring a leading "The/A/An"), a title
that starts with the query, a title containing every query word as a word
prefix, then fuzzy matches: titles with the query's words, each one as typed
or a dictionary word one edit away (a dropped, doubled, swapped or wrong
letter; ``search_words``, migration 0017), which is what makes "matrx" find
"The Matrix"; whole titles are scanned by trigram word similarity (``<%``)
only when that finds nothing. Within a tier the title closest to the whole
query (word order counts) and the more popular wins. Results are cached in the discover key space, so a catalog sync
drops them.

People come too, on the first page of a search without title filters (type, genre, years, rating):
at most three whose name is the query, starts with it or matches it by trigram word similarity
(``people_name_trgm_idx``), each placed among the titles by the same score (tier + rank), so an
exact name comes before a title that merely starts with the query. Every hit says its ``type``:
the title's media type, or "person".
"""

from __future__ import annotations

import re
from typing import TypedDict

from chalicelib import cache, db
from chalicelib.catalog import images, queries
from chalicelib.catalog.models import (
    JsonObject,
    LanguageCount,
    Match,
    PersonHit,
    SearchHit,
    SearchPage,
    SearchQuery,
    Suggestion,
    SuggestQuery,
)
from chalicelib.catalog.rows import PersonHitRow, SearchItemRow
from chalicelib.catalog.service import summary
from chalicelib.config import get_settings
from chalicelib.contentrating import Limit, key_params

SUGGEST_LIMIT = 8
PEOPLE_LIMIT = 3  # people among the results, first page only
MIN_FUZZY_LENGTH = 3  # shorter queries have too few trigrams to be fuzzy-matched usefully
MAX_WORDS = 8
FILLERS = frozenset({"the", "and"})  # besides every word of one or two letters
MULTI_WORD_BONUS = 0.15
TIERS: dict[int, Match] = {4: "exact", 3: "prefix", 2: "word", 1: "fuzzy"}
# Sorts (byte-wise, text_pattern_ops) after every text that starts with the query.
PAST_PREFIX = "\U0010ffff"
_WORD = re.compile(r"\w+", re.UNICODE)


def normalise(text: str) -> str:
    """Lower-case with runs of whitespace collapsed (the form titles are compared in)."""
    return " ".join(text.lower().split())


def _like_prefix(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%"


def _is_filler(word: str) -> bool:
    return (len(word) <= 2 and word.isalpha()) or word in FILLERS


class Terms(TypedDict):
    """The query text in the shapes ``catalog_search``/``catalog_suggest`` take."""

    q: str
    q_end: str
    joined: str
    prefix: str
    tsquery: str | None
    words: list[str]
    fuzzy: bool


def terms(raw: str) -> Terms:
    """The query in the shapes the SQL needs: every word as a prefix (``matr:* & reloa:*``, the
    "word" tier) and the words candidates must have (corrected for typos). Fillers ("of", "the")
    before the last word are left out of those when two words remain: a title is rarely missing
    them, and their long posting lists are most of a full-text lookup's cost. Only word characters
    reach to_tsquery."""
    q = normalise(raw)
    words = _WORD.findall(q)[:MAX_WORDS]
    # the last word stays: it may be the start of a longer one being typed
    required = [w for w in words[:-1] if not _is_filler(w)] + words[-1:]
    required = required if len(required) >= 2 else words
    return {"q": q, "q_end": q + PAST_PREFIX, "joined": "".join(q.split()), "prefix": _like_prefix(q),
            "tsquery": " & ".join(f"{w}:*" for w in words) or None, "words": required,
            "fuzzy": len(q) >= MIN_FUZZY_LENGTH}


def threshold(q: str) -> str:
    """The word-similarity threshold for ``q``. Several words ask for more: at the one-word
    threshold a title sharing just one of the words would already count as a typo match."""
    base = get_settings().catalog.search_similarity
    return str(base if len(q.split()) < 2 else min(1.0, base + MULTI_WORD_BONUS))


def _score(item: SearchItemRow | PersonHitRow) -> float:
    return round(item["tier"] + float(item["rank"]), 4)


def _person(item: PersonHitRow) -> PersonHit:
    return PersonHit(id=item["id"], title=item["name"], name=item["name"], known_for=item["known_for"],
                     profile_url=images.url("person", item["profile_path"], "profile"),
                     known_for_department=item["known_for_department"], match=TIERS[item["tier"]],
                     score=_score(item))


def _people_limit(query: SearchQuery) -> int:
    """People only on the first page, and only when no filter asks for titles of some kind (a type, a genre,
    years, a rating: none of which a person has)."""
    title_filters = (query.media_type, *query.title_filters().values())
    return PEOPLE_LIMIT if query.page == 1 and all(f is None for f in title_filters) else 0


def _search_page(query: SearchQuery, limit: Limit | None) -> JsonObject:
    with db.transaction() as conn:
        queries.search_settings(conn, threshold=threshold(query.q))
        row = queries.search(conn, media_type=query.media_type, filters=query.title_filters(),
                             row_limit=query.page_size, row_offset=(query.page - 1) * query.page_size,
                             people_limit=_people_limit(query), limit=limit, **terms(query.q))
    hits: list[SearchHit | PersonHit] = [
        SearchHit(**summary(item).model_dump(), type=item["media_type"], match=TIERS[item["tier"]],
                  score=_score(item)) for item in row["items"]]
    # Each person goes before the first title that scores lower (titles keep their own order).
    for person in reversed([_person(item) for item in row["people"]]):
        at = next((i for i, hit in enumerate(hits) if hit.score < person.score), len(hits))
        hits.insert(at, person)
    page = SearchPage(items=hits, page=query.page, page_size=query.page_size, total=row["total"],
                      languages=[LanguageCount(**entry) for entry in row["languages"]])
    return page.model_dump(mode="json", by_alias=True)


def search(query: SearchQuery, limit: Limit | None = None) -> JsonObject:
    """One page of search results across movies, shows and games, with the browse filters (cached); a kid's
    ``limit`` keeps only the titles it allows."""
    params = {**query.model_dump(), "q": normalise(query.q), **key_params(limit)}
    return cache.read_through(cache.Keys.discover({"kind": "search", **params}), cache.Ttl.DISCOVER,
                              lambda: _search_page(query, limit))


def _suggestions(query: SuggestQuery, limit: Limit | None) -> list[JsonObject]:
    with db.transaction() as conn:
        queries.search_settings(conn, threshold=threshold(query.q))
        rows = queries.suggest(conn, media_type=query.media_type, row_limit=SUGGEST_LIMIT, limit=limit,
                               **terms(query.q))
        return [Suggestion(id=r["id"], media_type=r["media_type"], title=r["title"], year=r["year"],
                           poster_url=images.url(r["media_type"], r["poster_path"], "poster"))
                .model_dump(mode="json", by_alias=True) for r in rows]


def suggest(query: SuggestQuery, limit: Limit | None = None) -> list[JsonObject]:
    """The top eight titles for a partial query (type-ahead), cached; within a kid's ``limit``."""
    key = cache.Keys.discover({"kind": "suggest", "q": normalise(query.q), "media_type": query.media_type,
                               **key_params(limit)})
    return cache.read_through(key, cache.Ttl.DISCOVER, lambda: _suggestions(query, limit))
