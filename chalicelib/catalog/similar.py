""""More like this" on a title page: what a title shares with others, ranked, then ordered by the user's history.

One statement (``similar_candidates``) gathers every title of the same type
that shares something with the title, with what it shares; ``rank`` scores
that in named parts, so Inception's list is Nolan's science fiction and
thrillers, not the most popular titles that happen to share its genres:

* ``link``      TMDB's/IGDB's own similar and recommended lists, when stored;
* ``genres``    the genre overlap (cosine: all three in common beats one of four);
* ``franchise`` the same franchise;
* ``people``    key people in common: a director counts most, then writers,
                top-billed cast and the composer (capped, so one shared actor
                in a trilogy does not outweigh everything else);
* ``words``     overview words in common (the catalog keeps no keywords; these
                lexemes stand in for them, capped and lightly weighted);
* ``prior``     a small popularity prior that only breaks near-ties.

The user's history orders the result: a title they dismissed or rated low
never shows; one they have watched or rated goes after the unseen ones.
"""

from __future__ import annotations

import math
from uuid import UUID

from chalicelib.catalog import queries
from chalicelib.catalog.rows import SimilarRow
from chalicelib.contentrating import Limit
from chalicelib.db import Conn

LIMIT = 12
WALK = 500  # most popular titles of the type whose genres are compared (bounds the statement: ~20 ms on 200k)
PER_PERSON = 100
FRANCHISE_LIMIT = 200
DISLIKE_AT = 4.0  # the recommendations' rule: a rating at or below this is a dislike

LINK_WEIGHT, GENRE_WEIGHT, FRANCHISE_WEIGHT = 3.0, 2.5, 2.0
PERSON_WEIGHT = {"director": 2.0, "writer": 1.0, "cast": 0.6, "composer": 0.5}
PEOPLE_CAP = 3.0
WORD_WEIGHT, WORDS_CAP = 0.3, 0.9
PRIOR_WEIGHT = 0.3


def content_score(row: SimilarRow) -> float:
    """What the candidate shares with the title, before popularity and the user's history."""
    score = 0.0
    if row["link_position"] is not None:
        score += LINK_WEIGHT * (1.0 if row["link_recommended"] else 0.9) / (1 + 0.1 * row["link_position"])
    if row["shared_genres"]:
        score += GENRE_WEIGHT * row["shared_genres"] / math.sqrt(row["own_genre_count"] * row["genre_count"])
    if row["same_franchise"]:
        score += FRANCHISE_WEIGHT
    people = sum(PERSON_WEIGHT.get(role, 0.0) for role, _name in row["shared_people"])
    score += min(PEOPLE_CAP, people)
    score += min(WORDS_CAP, WORD_WEIGHT * (row["shared_words"] or 0))
    return score


def _disliked(row: SimilarRow) -> bool:
    return row["dismissed"] or (row["your_rating"] is not None and float(row["your_rating"]) <= DISLIKE_AT)


def rank(rows: list[SimilarRow], limit: int = LIMIT) -> list[SimilarRow]:
    """The best ``limit`` candidates: unseen first, each group by what it shares (then popularity, then id)."""
    top = max((r["popularity"] or 0.0 for r in rows), default=0.0)
    scored = []
    for row in rows:
        content = content_score(row)
        if content <= 0 or _disliked(row):
            continue
        prior = PRIOR_WEIGHT * math.log1p(row["popularity"] or 0.0) / math.log1p(top) if top > 0 else 0.0
        seen = row["watched"] or row["your_rating"] is not None
        scored.append((seen, -round(content + prior, 6), row["id"], row))
    scored.sort(key=lambda s: s[:3])
    return [row for *_, row in scored[:limit]]


def more_like_this(conn: Conn, media_id: int, user_id: UUID | None = None, size: int = LIMIT,
                   limit: Limit | None = None) -> list[SimilarRow]:
    """Summary rows (``catalog.service.summary`` reads them) of the titles most like ``media_id``, for this user
    (within a kid profile's ``limit``)."""
    rows = queries.similar_candidates(conn, media_id=media_id, user_id=user_id, walk=WALK, per_person=PER_PERSON,
                                      franchise_limit=FRANCHISE_LIMIT, limit=limit)
    return rank(rows, size)
