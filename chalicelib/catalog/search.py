"""Global title search (movies, shows, games) and the type-ahead suggestions.

Ranking, best first: the exact title (ignoring a leading "The/A/An"), a title
that starts with the query, a title containing every query word as a word
prefix, then fuzzy matches: titles with the query's words, each one as typed
or a dictionary word one edit away (a dropped, doubled, swapped or wrong
letter; ``search_words``, migration 0017), which is what makes "matrx" find
"The Matrix"; whole titles are scanned by trigram word similarity (``<%``)
only when that finds nothing. Within a tier the title closest to the whole
query (word order counts) and the better known wins (TMDB's popularity and the
votes: IMDb's for the titles only an IMDb import brought). Results are cached in
the discover key space, so a catalog sync drops them.

A query too common to rank every match of (a word in tens of thousands of a
million titles: "love", or "the" as someone starts typing) takes another way
when nothing but the media type filters it: its exact titles, then the best
known of the titles that start with it and of those with its words, read from
the top of an index in that order (``catalog_search_broad``). Its total is then
a lower bound ("more than 1,000"), and its languages are not counted.

People come too, on the first page of a search without title filters (type, genre, years, rating):
at most three whose name is the query, starts with it or matches it by trigram word similarity
(``people_name_trgm_idx``), each placed among the titles by the same score (tier + rank), so an
exact name comes before a title that merely starts with the query. Every hit says its ``type``:
the title's media type, or "person".
"""

from __future__ import annotations

import itertools
import re
from typing import NamedTuple, TypedDict

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
from chalicelib.catalog.rows import PersonHitRow, SearchItemRow, SearchRow, SuggestRow
from chalicelib.catalog.service import summary
from chalicelib.config import get_settings
from chalicelib.contentrating import Limit, key_params
from chalicelib.db import Conn

SUGGEST_LIMIT = 8
PEOPLE_LIMIT = 3  # people among the results, first page only
MIN_FUZZY_LENGTH = 3  # shorter queries have too few trigrams to be fuzzy-matched usefully
MAX_WORDS = 8
FILLERS = frozenset({"the", "and", "for"})  # besides every word of one or two letters
STOP_WORDS = FILLERS | {"of", "in", "on", "to", "at", "by", "an", "is", "it", "my", "de", "la", "le", "el"}
MULTI_WORD_BONUS = 0.15
TIERS: dict[int, Match] = {4: "exact", 3: "prefix", 2: "word", 1: "fuzzy"}
# Sorts (byte-wise, text_pattern_ops) after every text that starts with the query.
PAST_PREFIX = "\U0010ffff"
# More matching titles than this and, with no filter, the search ranks only the best known of them
# (``catalog_search_broad``): ranking all of a common word's tens of thousands cost 200 ms at a million titles.
BROAD_AT = 1000
ARTICLE = re.compile(r"^(the|an|a)\s")
_WORD = re.compile(r"\w+", re.UNICODE)
_LEXEME = re.compile(r"'([^']+)'")
MAX_SPELLINGS = 8


def normalise(text: str) -> str:
    """Lower-case with runs of whitespace collapsed (the form titles are compared in)."""
    return " ".join(text.lower().split())


def _like_prefix(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%"


def _is_filler(word: str) -> bool:
    return (len(word) <= 2 and word.isalpha()) or word in FILLERS


class QueryText(TypedDict):
    """The query text in the shapes every search statement takes."""

    q: str
    q_end: str
    joined: str
    partial: str | None
    prefix: str
    tsquery: str | None


class Terms(QueryText):
    """The query text in the shapes ``catalog_search``/``catalog_suggest`` take, and what is looked up."""

    words: list[str]
    fuzzy: bool


def _text(found: Terms) -> QueryText:
    return QueryText(q=found["q"], q_end=found["q_end"], joined=found["joined"], partial=found["partial"],
                     prefix=found["prefix"], tsquery=found["tsquery"])


def terms(raw: str) -> Terms:
    """The query in the shapes the SQL needs: every word as a prefix (``matr:* & reloa:*``, the
    "word" tier) and the words candidates must have (corrected for typos). Fillers ("of", "the") are
    left out of those when another word remains: a title is rarely missing them, and their long posting
    lists are most of a full-text lookup's cost ("the" is in nearly half of a million titles: 30 ms to
    read). The title prefix still finds "the last" -> "The Last of Us". Only word characters reach
    to_tsquery."""
    q = normalise(raw)
    words = _WORD.findall(q)[:MAX_WORDS]
    # The last word may be the start of one being typed ("knight ri"): it stays, as a prefix, unless it is
    # shorter than three letters or a stop word ("knight r", "bad st", "lord of"): expanded as a prefix, those
    # reach thousands of the catalog's words ("st" 60 ms, "th" -> "the" 30 ms). The title prefix still finds
    # "Knight Rider" and "Lord of the Rings", and a short last word still counts in the ranking (``partial``).
    last = [w for w in words[-1:] if len(w) > 2 and w not in STOP_WORDS]
    # A query of one word is looked up whatever it is ("up"); with none left of several ("the dr"), titles
    # that start with the query are all there is to find.
    required = words if len(words) == 1 else [w for w in words[:-1] if not _is_filler(w)] + last
    short = words[-1] if len(words) > 1 and len(words[-1]) == 2 and words[-1] not in STOP_WORDS else None
    return {"q": q, "q_end": q + PAST_PREFIX, "joined": "".join(q.split()), "partial": short,
            "prefix": _like_prefix(q), "tsquery": " & ".join(f"{w}:*" for w in words) or None, "words": required,
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


class Plan(NamedTuple):
    """How a query is searched, from ``catalog_search_breadth``: its corrected full-text query, the titles it
    spells (as typed or corrected, with and without a leading article) and whether it is too common to rank
    every match of."""

    corrected: str | None
    exact_titles: list[str]
    broad: bool


def _plan(conn: Conn, found: Terms, *, filtered: bool, reach: int) -> Plan:
    """``broad`` only where ``catalog_search_broad`` can answer: no filter but the media type, no kid's limit,
    a page it reaches (``reach``: its last row) by reading the top of the fame index."""
    breadth = queries.search_breadth(conn, q=found["q"], q_end=found["q_end"], words=found["words"], cap=BROAD_AT)
    corrected = breadth["tsq"] or None  # no words to look up: only titles starting with the query
    exact = [form for text in [found["q"], *spelled(corrected or "", found["q"])] for form in _with_articles(text)]
    return Plan(corrected, exact, not filtered and reach <= BROAD_AT and breadth["found"] > BROAD_AT)


def _broad_page(conn: Conn, found: Terms, plan: Plan, media_type: str | None, row_limit: int,
                row_offset: int) -> SearchRow:
    the_q = None if ARTICLE.match(found["q"]) else f"the {found['q']}"
    return queries.search_broad(conn, **_text(found), the_q=the_q, the_q_end=the_q and the_q + PAST_PREFIX,
                                exact_titles=plan.exact_titles, corrected=plan.corrected, media_type=media_type,
                                row_limit=row_limit, row_offset=row_offset, cap=BROAD_AT)


def spelled(corrected: str, q: str) -> list[str]:
    """The query with its misspelt words corrected (at most ``MAX_SPELLINGS`` ways), from the corrected
    full-text query's text: each group of it is a word as typed and its corrections ("( 'winnter':* |
    'winter' )"). A title that is one of them is among a common word's matches however little known it is:
    "the winnter" finds "The Winter" among the 11,000 titles with "winter"."""
    fixes = {}
    for group in corrected.split(" & "):
        lexemes = _LEXEME.findall(group)
        if len(lexemes) > 1:
            fixes[lexemes[0]] = lexemes[1:]
    if not fixes:
        return []
    words = q.split()
    options = [[w, *fixes.get(w, ())] for w in words]
    return [" ".join(choice) for choice in itertools.islice(itertools.product(*options), 1, MAX_SPELLINGS + 1)]


def _search_page(query: SearchQuery, limit: Limit | None) -> JsonObject:
    found = terms(query.q)
    offset = (query.page - 1) * query.page_size
    with db.transaction() as conn:
        queries.search_settings(conn, threshold=threshold(query.q))
        filtered = limit is not None or any(f is not None for f in query.title_filters().values())
        plan = _plan(conn, found, filtered=filtered, reach=offset + query.page_size)
        if plan.broad:
            row = _broad_page(conn, found, plan, query.media_type, query.page_size, offset)
        else:
            row = queries.search(conn, **_text(found), corrected=plan.corrected, exact_titles=plan.exact_titles,
                                 fuzzy=found["fuzzy"], media_type=query.media_type, filters=query.title_filters(),
                                 row_limit=query.page_size, row_offset=offset, limit=limit)
        people_limit = _people_limit(query)
        people = queries.search_people(conn, q=found["q"], prefix=found["prefix"], fuzzy=found["fuzzy"],
                                       people_limit=people_limit, limit=limit) if people_limit else []
    hits: list[SearchHit | PersonHit] = [
        SearchHit(**summary(item).model_dump(), type=item["media_type"], match=TIERS[item["tier"]],
                  score=_score(item)) for item in row["items"]]
    # Each person goes before the first title that scores lower (titles keep their own order).
    for person in reversed([_person(item) for item in people]):
        at = next((i for i, hit in enumerate(hits) if hit.score < person.score), len(hits))
        hits.insert(at, person)
    page = SearchPage(items=hits, page=query.page, page_size=query.page_size, total=row["total"],
                      total_at_least=row["total_at_least"],
                      languages=[LanguageCount(**entry) for entry in row["languages"]])
    return page.model_dump(mode="json", by_alias=True)


def _with_articles(q: str) -> list[str]:
    """The title forms an exact match may have: the query, and with a leading article (what ``sort_title``
    leaves out) when it has none."""
    return [q] if ARTICLE.match(q) else [q, *(f"{article} {q}" for article in ("the", "a", "an"))]


def search(query: SearchQuery, limit: Limit | None = None) -> JsonObject:
    """One page of search results across movies, shows and games, with the browse filters (cached); a kid's
    ``limit`` keeps only the titles it allows."""
    params = {**query.model_dump(), "q": normalise(query.q), **key_params(limit)}
    return cache.read_through(cache.Keys.discover({"kind": "search", **params}), cache.Ttl.DISCOVER,
                              lambda: _search_page(query, limit))


def _suggestions(query: SuggestQuery, limit: Limit | None) -> list[JsonObject]:
    found = terms(query.q)
    with db.transaction() as conn:
        queries.search_settings(conn, threshold=threshold(query.q))
        plan = _plan(conn, found, filtered=limit is not None, reach=SUGGEST_LIMIT)
        if plan.broad:
            page = _broad_page(conn, found, plan, query.media_type, SUGGEST_LIMIT, 0)
            rows: list[SuggestRow] = [{"id": r["id"], "media_type": r["media_type"], "title": r["title"],
                                       "year": r["year"], "poster_path": r["poster_path"]} for r in page["items"]]
        else:
            rows = queries.suggest(conn, **_text(found), corrected=plan.corrected, fuzzy=found["fuzzy"],
                                   media_type=query.media_type, row_limit=SUGGEST_LIMIT, limit=limit)
        return [Suggestion(id=r["id"], media_type=r["media_type"], title=r["title"], year=r["year"],
                           poster_url=images.url(r["media_type"], r["poster_path"], "poster"))
                .model_dump(mode="json", by_alias=True) for r in rows]


def suggest(query: SuggestQuery, limit: Limit | None = None) -> list[JsonObject]:
    """The top eight titles for a partial query (type-ahead), cached; within a kid's ``limit``."""
    key = cache.Keys.discover({"kind": "suggest", "q": normalise(query.q), "media_type": query.media_type,
                               **key_params(limit)})
    return cache.read_through(key, cache.Ttl.DISCOVER, lambda: _suggestions(query, limit))
