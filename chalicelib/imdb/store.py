"""Staging and set-based upserts: one batch of one dataset, inside the caller's transaction.

A batch's staging lines are COPYed into a TEMP table (dropped at commit) and applied with a few
statements from ``db/queries/imdb.sql`` that write only what differs from what is stored, so an
unchanged row leaves its ``updated_at`` alone. Every function adds its figures to ``stats``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chalicelib import db
from chalicelib.imdb.parse import FileStats
from chalicelib.imdb.rows import DATASETS

SHIFTS = {d.name: d.shift for d in DATASETS}


def sql(name: str) -> str:
    """The text of a named query of db/queries/imdb.sql (COPY and multi-statement ones are run directly)."""
    return getattr(db.queries(), name).sql


def execute(conn: Any, query: str, /, **params: Any) -> tuple[dict | None, int]:
    """Run a named query (several statements allowed without parameters): the last result row, rowcount."""
    cur = conn.execute(sql(query), params or None)
    while cur.nextset():
        pass
    row = cur.fetchone() if cur.description else None
    return row, cur.rowcount


def scalar(conn: Any, query: str, /, **params: Any) -> Any:
    row, _ = execute(conn, query, **params)
    return next(iter(row.values())) if row else None


def count(conn: Any, query: str, /, **params: Any) -> int:
    return max(execute(conn, query, **params)[1], 0)


def stored_chunks(conn: Any, file: str, low: int, high: int) -> dict[int, int]:
    cur = conn.execute(sql("imdb_stored_chunks"), {"file": file, "low": low, "high": high})
    return {row["chunk"]: row["hash"] for row in cur}


def store_chunks(conn: Any, file: str, chunks: list[int], hashes: list[int]) -> None:
    if chunks:
        execute(conn, "imdb_stage_chunks")
        with conn.cursor().copy(sql("imdb_copy_chunks")) as pipe:
            pipe.write("".join(f"{c}\t{h}\n" for c, h in zip(chunks, hashes, strict=True)))
        execute(conn, "imdb_store_chunks", file=file)


def _titles(conn: Any, stats: FileStats, staged: int) -> None:
    execute(conn, "imdb_resolve_titles")
    inserted = count(conn, "imdb_insert_titles")
    execute(conn, "imdb_analyze_title_ids")
    updated = count(conn, "imdb_update_owned_titles") + count(conn, "imdb_fill_tmdb_titles")
    execute(conn, "imdb_genres_of_new_titles")
    updated += scalar(conn, "imdb_apply_title_genres") or 0
    execute(conn, "imdb_rate_new_titles")
    execute(conn, "imdb_forget_title_chunks", principals_shift=SHIFTS["title.principals"])
    episodes, _ = execute(conn, "imdb_apply_episode_info", episode_shift=SHIFTS["title.episode"])
    inserted += episodes["inserted"]
    updated += episodes["updated"]
    stats.inserted += inserted
    stats.updated += updated
    stats.unchanged += max(staged - inserted - updated, 0)


def _episodes(conn: Any, stats: FileStats, staged: int) -> None:
    resolved = scalar(conn, "imdb_resolve_episodes") or 0
    stats.skip("unknown show", staged - resolved)
    updated = count(conn, "imdb_link_episodes") + count(conn, "imdb_update_episodes")
    inserted = count(conn, "imdb_insert_episodes")
    stats.inserted += inserted
    stats.updated += updated
    stats.unchanged += max(resolved - inserted - updated, 0)


def _ratings(conn: Any, stats: FileStats, staged: int) -> None:
    row, _ = execute(conn, "imdb_apply_ratings")
    # Kept in imdb_ratings: such a title takes its rating when it is imported.
    stats.skip("title not in the catalog (yet)", row["changed"] - row["matched"])
    stats.inserted += row["inserted"]
    stats.updated += row["updated"]
    stats.unchanged += staged - row["changed"] + row["matched"] - row["inserted"] - row["updated"]


def _people(conn: Any, stats: FileStats, staged: int) -> None:
    row, _ = execute(conn, "imdb_apply_people")
    stats.inserted += row["inserted"]
    stats.updated += row["updated"]
    stats.unchanged += staged - row["inserted"] - row["updated"]


def _credits(conn: Any, stats: FileStats, staged: int) -> None:
    resolved = scalar(conn, "imdb_resolve_credits") or 0
    stats.skip("unknown title or person, or TMDB credits", staged - resolved)
    row, _ = execute(conn, "imdb_changed_credits")
    execute(conn, "imdb_replace_credits")
    stats.inserted += int(row["inserted"])
    stats.updated += int(row["updated"])
    stats.unchanged += resolved - int(row["inserted"]) - int(row["updated"])


Apply = Callable[[Any, FileStats, int], None]
STAGING: dict[str, tuple[str, str, Apply]] = {
    "title.basics": ("imdb_stage_titles", "imdb_copy_titles", _titles),
    "title.episode": ("imdb_stage_episodes", "imdb_copy_episodes", _episodes),
    "title.ratings": ("imdb_stage_ratings", "imdb_copy_ratings", _ratings),
    "name.basics": ("imdb_stage_people", "imdb_copy_people", _people),
    "title.principals": ("imdb_stage_credits", "imdb_copy_credits", _credits),
}


def apply_batch(conn: Any, dataset: str, payload: list[bytes], stats: FileStats) -> None:
    """COPY the staging lines of one batch and apply them (the caller holds the transaction)."""
    create, copy, apply = STAGING[dataset]
    execute(conn, create)
    with conn.cursor().copy(sql(copy)) as pipe:
        pipe.write(b"".join(payload))
    apply(conn, stats, len(payload))
