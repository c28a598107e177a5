"""Catalog's SQL: the named queries of ``db/queries/catalog.sql`` and ``similar.sql``, typed.

Batch writes take ``items``, one JSON array (``store.to_json``), so a list of any length is one round trip.
"""

from __future__ import annotations

from collections.abc import Mapping
from uuid import UUID

from chalicelib import db
from chalicelib.catalog.rows import (
    BreadthRow,
    CustomGenreRow,
    DetailRow,
    EpisodeRow,
    FranchiseRow,
    GamePlatformRow,
    GenreCountRow,
    GenreRow,
    ListRow,
    MediaRow,
    OwnedEpisodeRow,
    PersonHitRow,
    RelatedRow,
    ResolvedMedia,
    ReviewSheetRow,
    SearchRow,
    SeasonRow,
    SectionRow,
    SimilarRow,
    SuggestRow,
    SummaryRow,
)
from chalicelib.contentrating import Limit, sql_params
from chalicelib.db import Conn

# ------------------------------------------------------------------------------------------ writes


def resolve_media(conn: Conn, *, items: str) -> list[ResolvedMedia]:
    return list(db.queries().catalog_resolve_media(conn, items=items))


def update_media(conn: Conn, *, items: str) -> None:
    db.queries().catalog_update_media(conn, items=items)


def insert_media(conn: Conn, *, items: str) -> None:
    db.queries().catalog_insert_media(conn, items=items)


def upsert_genres(conn: Conn, *, items: str) -> None:
    db.queries().catalog_upsert_genres(conn, items=items)


def replace_media_genres(conn: Conn, *, media_ids: list[int], items: str) -> None:
    db.queries().catalog_replace_media_genres(conn, media_ids=media_ids, items=items)


def claim_platforms(conn: Conn, *, items: str) -> None:
    db.queries().catalog_claim_platforms(conn, items=items)


def upsert_platforms(conn: Conn, *, items: str) -> None:
    db.queries().catalog_upsert_platforms(conn, items=items)


def replace_media_platforms(conn: Conn, *, media_ids: list[int], items: str) -> None:
    db.queries().catalog_replace_media_platforms(conn, media_ids=media_ids, items=items)


def upsert_franchises(conn: Conn, *, items: str) -> list[FranchiseRow]:
    return list(db.queries().catalog_upsert_franchises(conn, items=items))


def replace_media_franchises(conn: Conn, *, media_ids: list[int], items: str) -> None:
    db.queries().catalog_replace_media_franchises(conn, media_ids=media_ids, items=items)


def replace_relations(conn: Conn, *, media_ids: list[int], relations: list[str], source: str, items: str) -> None:
    db.queries().catalog_replace_relations(conn, media_ids=media_ids, relations=relations, source=source, items=items)


def upsert_seasons(conn: Conn, *, items: str) -> None:
    db.queries().catalog_upsert_seasons(conn, items=items)


def upsert_episodes(conn: Conn, *, items: str) -> None:
    db.queries().catalog_upsert_episodes(conn, items=items)


def upsert_people(conn: Conn, *, items: str) -> None:
    db.queries().catalog_upsert_people(conn, items=items)


def writable_credit_titles(conn: Conn, *, media_ids: list[int], demo_ids: list[int]) -> set[int]:
    """The titles whose credits may be replaced (demo credits never replace a synced title's)."""
    return {row["id"] for row in db.queries().catalog_writable_credit_titles(conn, media_ids=media_ids,
                                                                             demo_ids=demo_ids)}


def clear_credits(conn: Conn, *, media_ids: list[int]) -> None:
    db.queries().catalog_clear_credits(conn, media_ids=media_ids)


def insert_credits(conn: Conn, *, items: str) -> None:
    db.queries().catalog_insert_credits(conn, items=items)


def claim_backfill(conn: Conn, *, media_id: int, cooldown_seconds: int) -> bool:
    """True when this caller may ask TMDB's /find for the title now (the attempt is stamped)."""
    return db.queries().catalog_claim_backfill(conn, media_id=media_id, cooldown_seconds=cooldown_seconds) is not None


def store_backfill(conn: Conn, *, media_id: int, tmdb_id: int, poster_path: str | None, backdrop_path: str | None,
                   original_language: str | None, popularity: float | None) -> MediaRow | None:
    return db.queries().catalog_store_backfill(conn, media_id=media_id, tmdb_id=tmdb_id, poster_path=poster_path,
                                               backdrop_path=backdrop_path, original_language=original_language,
                                               popularity=popularity)


def claim_detail_fetch(conn: Conn, *, media_id: int, cooldown_seconds: int) -> bool:
    """True when this caller fetches the title's missing details now (the attempt is stamped)."""
    return db.queries().catalog_claim_detail_fetch(conn, media_id=media_id,
                                                   cooldown_seconds=cooldown_seconds) is not None


def upsert_section(conn: Conn, *, key: str, title: str, media_type: str | None, source: str, position: int,
                   definition: str, pinned: bool) -> int:
    return db.queries().catalog_upsert_section(conn, key=key, title=title, media_type=media_type, source=source,
                                               position=position, definition=definition, pinned=pinned)


def replace_section_items(conn: Conn, *, section_id: int, media_ids: list[int]) -> None:
    db.queries().catalog_replace_section_items(conn, section_id=section_id, media_ids=media_ids)


def disable_sections_except(conn: Conn, *, source: str, keys: list[str]) -> None:
    db.queries().catalog_disable_sections_except(conn, source=source, keys=keys)


def catalog_size_estimate(conn: Conn) -> int:
    return db.queries().catalog_size_estimate(conn)


def genre_counts(conn: Conn, *, min_titles: int) -> list[GenreCountRow]:
    return list(db.queries().catalog_genre_counts(conn, min_titles=min_titles))


def curated_candidates(conn: Conn, *, media_type: str | None, genre: str | None, min_votes: int, sort: str,
                       row_limit: int) -> list[int]:
    """The ids of the titles a curated collection selects, in its order."""
    return [row["id"] for row in db.queries().catalog_curated_candidates(
        conn, media_type=media_type, genre=genre, min_votes=min_votes, sort=sort, row_limit=row_limit)]


# ---------------------------------------------------------------------------------------- read side


def browse(conn: Conn, *, media_type: str, filters: Mapping[str, object], sort: str, min_votes: int,
           row_limit: int, row_offset: int, limit: Limit | None = None) -> ListRow:
    """``filters``: ``Filters.title_filters()``; ``limit``: a kid profile's (None: every title)."""
    return db.queries().catalog_browse(conn, media_type=media_type, sort=sort, min_votes=min_votes,
                                       row_limit=row_limit, row_offset=row_offset, **filters, **sql_params(limit))


def discover_rows(conn: Conn, *, media_type: str | None, filters: Mapping[str, object], sort: str | None,
                  min_votes: int, row_size: int, limit: Limit | None = None) -> list[SectionRow]:
    return list(db.queries().catalog_discover_rows(conn, media_type=media_type, sort=sort, min_votes=min_votes,
                                                   row_size=row_size, **filters, **sql_params(limit)))


def list_genres(conn: Conn, *, media_type: str | None) -> list[GenreRow]:
    return list(db.queries().catalog_list_genres(conn, media_type=media_type))


def search_settings(conn: Conn, *, threshold: str) -> None:
    """The transaction's word-similarity threshold and generic plans (run first, in the search's transaction)."""
    db.queries().catalog_search_settings(conn, threshold=threshold)


def search(conn: Conn, *, q: str, q_end: str, joined: str, partial: str | None, prefix: str, tsquery: str | None,
           corrected: str | None, exact_titles: list[str], fuzzy: bool, media_type: str | None,
           filters: Mapping[str, object], row_limit: int, row_offset: int, limit: Limit | None = None) -> SearchRow:
    return db.queries().catalog_search(conn, q=q, q_end=q_end, joined=joined, partial=partial, prefix=prefix,
                                       tsquery=tsquery,
                                       corrected=corrected, exact_titles=exact_titles, fuzzy=fuzzy,
                                       media_type=media_type, row_limit=row_limit, row_offset=row_offset,
                                       **filters, **sql_params(limit))


def search_breadth(conn: Conn, *, q: str, q_end: str, words: list[str], cap: int) -> BreadthRow:
    """How many titles ``search`` would rank, counted up to ``cap`` + 1, and the corrected query's text."""
    return db.queries().catalog_search_breadth(conn, q=q, q_end=q_end, words=words, cap=cap)


def search_broad(conn: Conn, *, q: str, q_end: str, joined: str, partial: str | None, prefix: str,
                 tsquery: str | None, the_q: str | None, the_q_end: str | None, exact_titles: list[str],
                 corrected: str | None, media_type: str | None, row_limit: int, row_offset: int,
                 cap: int) -> SearchRow:
    """``search`` for a query matching more than ``cap`` titles, with no filter but the media type."""
    return db.queries().catalog_search_broad(conn, q=q, q_end=q_end, the_q=the_q, the_q_end=the_q_end,
                                             prefix=prefix, joined=joined, partial=partial,
                                             exact_titles=exact_titles, tsquery=tsquery, corrected=corrected,
                                             media_type=media_type, want=row_offset + row_limit,
                                             row_limit=row_limit, row_offset=row_offset, cap=cap)


def search_people(conn: Conn, *, q: str, prefix: str, fuzzy: bool, people_limit: int,
                  limit: Limit | None = None) -> list[PersonHitRow]:
    return list(db.queries().catalog_search_people(conn, q=q, prefix=prefix, fuzzy=fuzzy, people_limit=people_limit,
                                                   max_age=sql_params(limit)["max_age"]))


def suggest(conn: Conn, *, q: str, q_end: str, joined: str, partial: str | None, prefix: str, tsquery: str | None,
            corrected: str | None, fuzzy: bool, media_type: str | None, row_limit: int,
            limit: Limit | None = None) -> list[SuggestRow]:
    return list(db.queries().catalog_suggest(conn, q=q, q_end=q_end, joined=joined, partial=partial, prefix=prefix,
                                             tsquery=tsquery,
                                             corrected=corrected, fuzzy=fuzzy, media_type=media_type,
                                             row_limit=row_limit, **sql_params(limit)))


def get_media(conn: Conn, *, media_id: int, media_type: str) -> MediaRow | None:
    return db.queries().catalog_get_media(conn, media_id=media_id, media_type=media_type)


def get_visible_media(conn: Conn, *, media_id: int, media_type: str, limit: Limit | None) -> MediaRow | None:
    """The title if ``limit`` (a kid profile's) lets it be seen."""
    return db.queries().catalog_get_visible_media(conn, media_id=media_id, media_type=media_type,
                                                  **sql_params(limit))


def visible(conn: Conn, *, media_id: int, limit: Limit | None) -> bool:
    """Whether the title exists and ``limit`` (a kid profile's) lets it be seen."""
    return bool(db.queries().catalog_visible(conn, media_id=media_id, **sql_params(limit)))


def get_detail(conn: Conn, *, media_id: int, media_type: str, cast_limit: int, crew_limit: int,
               limit: Limit | None = None) -> DetailRow | None:
    return db.queries().catalog_get_detail(conn, media_id=media_id, media_type=media_type, cast_limit=cast_limit,
                                           crew_limit=crew_limit, **sql_params(limit))


def get_season(conn: Conn, *, media_id: int, season_number: int) -> SeasonRow | None:
    return db.queries().catalog_get_season(conn, media_id=media_id, season_number=season_number)


def list_episodes(conn: Conn, *, media_id: int, season_number: int) -> list[EpisodeRow]:
    return list(db.queries().catalog_list_episodes(conn, media_id=media_id, season_number=season_number))


def owned_episodes(conn: Conn, *, media_id: int, season_number: int) -> list[OwnedEpisodeRow]:
    return list(db.queries().catalog_owned_episodes(conn, media_id=media_id, season_number=season_number))


def game_platforms(conn: Conn, *, media_id: int) -> list[GamePlatformRow]:
    return list(db.queries().catalog_game_platforms(conn, media_id=media_id))


def related_summaries(conn: Conn, *, media_id: int, relations: list[str], row_limit: int,
                      limit: Limit | None = None) -> list[RelatedRow]:
    return list(db.queries().catalog_related_summaries(conn, media_id=media_id, relations=relations,
                                                       row_limit=row_limit, **sql_params(limit)))


def parent_summary(conn: Conn, *, media_id: int, limit: Limit | None = None) -> SummaryRow | None:
    return db.queries().catalog_parent_summary(conn, media_id=media_id, **sql_params(limit))


def similar_candidates(conn: Conn, *, media_id: int, user_id: UUID | None, walk: int, per_person: int,
                       franchise_limit: int, limit: Limit | None = None) -> list[SimilarRow]:
    return list(db.queries().similar_candidates(conn, media_id=media_id, user_id=user_id, walk=walk,
                                                per_person=per_person, franchise_limit=franchise_limit,
                                                **sql_params(limit)))


# ------------------------------------------------------------------------------- custom genres (review)


def upsert_custom_genre(conn: Conn, *, slug: str, name: str, media_types: list[str], keywords: list[str]) -> int:
    return db.queries().genre_review_upsert_custom(conn, slug=slug, name=name, media_types=media_types,
                                                   keywords=keywords)


def custom_genres(conn: Conn) -> list[CustomGenreRow]:
    return list(db.queries().genre_review_custom_genres(conn))


def review_sheet(conn: Conn, *, genre_id: int, pattern: str | None, media_types: list[str], state: str | None,
                 row_limit: int, row_offset: int) -> ReviewSheetRow:
    return db.queries().genre_review_sheet(conn, genre_id=genre_id, pattern=pattern, media_types=media_types,
                                           state=state, row_limit=row_limit, row_offset=row_offset)


def decide_genre(conn: Conn, *, genre_id: int, decided_by: UUID | None, items: str) -> int:
    """``items``: JSON ``[{media_id, decision}]``; returns how many titles exist and were recorded."""
    return db.queries().genre_review_decide(conn, genre_id=genre_id, decided_by=decided_by, items=items)
