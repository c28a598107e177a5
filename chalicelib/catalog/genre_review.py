"""Custom genres through export -> review -> import (issue 37, item 6).

An admin defines a genre no upstream has ("Cooking") with keywords. The review sheet lists the titles whose
title or synopsis holds one of them (suggested) plus every title already decided; the admin (on the Admin page,
or in a file: ``make genres-export`` / ``make genres-import``) approves or rejects each, and the import applies
the decisions in one transaction: approved titles carry the genre like any other (the genre filter, the genre
list, Discover's genre rows), rejected ones are never suggested again. Re-importing the same file changes nothing.
"""

from __future__ import annotations

import json
from collections import defaultdict
from uuid import UUID

from chalicelib import cache, db
from chalicelib.catalog import curated, queries
from chalicelib.catalog.errors import UnknownCustomGenre
from chalicelib.catalog.genre_models import (
    CustomGenre,
    Decision,
    ReviewApplied,
    ReviewImport,
    ReviewItem,
    ReviewQuery,
    ReviewSheet,
)
from chalicelib.catalog.rows import CustomGenreRow


def keyword_pattern(keywords: list[str]) -> str | None:
    """A case-insensitive whole-word regex of the keywords (validated words and phrases: nothing to escape)."""
    return r"\m(" + "|".join(keywords) + r")\M" if keywords else None


def sheet(query: ReviewQuery) -> ReviewSheet:
    """The review sheet of one custom genre (the first one when none is named), a page at a time."""
    with db.connection() as conn:
        genres = queries.custom_genres(conn)
        chosen = _chosen(genres, query.genre)
        row = queries.review_sheet(conn, genre_id=chosen["id"], pattern=keyword_pattern(chosen["keywords"]),
                                   media_types=chosen["media_types"], state=query.state,
                                   row_limit=query.page_size,
                                   row_offset=(query.page - 1) * query.page_size) if chosen else None
    items = row["items"] if row else []
    return ReviewSheet(
        genres=[CustomGenre(slug=g["slug"], name=g["name"], media_types=g["media_types"], keywords=g["keywords"],
                            approved=g["approved"], rejected=g["rejected"]) for g in genres],
        genre=chosen["slug"] if chosen else None,
        items=[ReviewItem(media_id=i["id"], media_type=i["media_type"], title=i["title"], year=i["year"],
                          overview=i["overview"], decision=_decision(i["decision"]), suggested=i["suggested"])
               for i in items],
        page=query.page, page_size=query.page_size, total=row["total"] if row else 0,
        pending=row["pending"] if row else 0)


def _decision(value: str | None) -> Decision | None:
    return "approved" if value == "approved" else "rejected" if value == "rejected" else None


def _chosen(genres: list[CustomGenreRow], slug: str | None) -> CustomGenreRow | None:
    if slug is None:
        return genres[0] if genres else None
    found = next((g for g in genres if g["slug"] == slug), None)
    if found is None:
        raise UnknownCustomGenre(f"There is no custom genre {slug!r}", fields={"genre": "unknown custom genre"})
    return found


def apply(body: ReviewImport, decided_by: UUID | None) -> ReviewApplied:
    """Create or update the genres sent, then record every decision, all or nothing."""
    by_genre: dict[str, dict[int, str]] = defaultdict(dict)
    for decision in body.decisions:
        by_genre[decision.genre][decision.media_id] = decision.decision  # the last word on a title counts
    with db.transaction() as conn:
        for genre in body.genres:
            queries.upsert_custom_genre(conn, slug=genre.slug, name=genre.name, media_types=list(genre.media_types),
                                        keywords=genre.keywords)
        ids = {g["slug"]: g["id"] for g in queries.custom_genres(conn)}
        unknown = sorted(set(by_genre) - set(ids))
        if unknown:
            raise UnknownCustomGenre(f"Decisions name genres that are not custom genres: {', '.join(unknown)}",
                                     fields={"decisions": "unknown custom genre"})
        for slug, decisions in by_genre.items():
            items = json.dumps([{"media_id": m, "decision": d} for m, d in decisions.items()])
            queries.decide_genre(conn, genre_id=ids[slug], decided_by=decided_by, items=items)
        curated.refresh_genre_rows(conn)  # a custom genre that now holds enough titles gets its Discover rows
    cache.on_catalog_synced()  # the genre filter, the genre list and Discover read the new assignments
    decided = [d for decisions in by_genre.values() for d in decisions.values()]
    return ReviewApplied(genres=len(body.genres), approved=decided.count("approved"),
                         rejected=decided.count("rejected"))
