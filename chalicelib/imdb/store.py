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


def stored_segments(conn: Any, file: str, segments: list[int]) -> dict[int, int]:
    """The stored hash of each of these segments that a batch applied before (and maybe a few more).

    A batch of a sorted file is a narrow key range: reading the range is far cheaper than probing the
    index once per segment. Should the ids be scattered (a file out of numeric order), they are probed.
    """
    from psycopg.rows import tuple_row

    low, high = min(segments), max(segments)
    if high - low <= 64 * len(segments):
        query, params = "imdb_stored_segment_range", {"file": file, "low": low, "high": high}
    else:
        query, params = "imdb_stored_segments", {"file": file, "segments": segments}
    return dict(conn.cursor(row_factory=tuple_row).execute(sql(query), params))


def stored_keys(conn: Any, file: str, segments: list[int]) -> dict[int, tuple[list[int], list[int]]]:
    """Each segment's keys and their hashes (binary results: the arrays are not parsed from text)."""
    from psycopg.rows import tuple_row

    cur = conn.cursor(row_factory=tuple_row, binary=True)
    cur.execute(sql("imdb_stored_keys"), {"file": file, "segments": segments})
    return {segment: (keys, hashes) for segment, keys, hashes in cur}


def store_segments(conn: Any, file: str, copy_lines: bytes) -> None:
    """Store applied segments (``copy_lines``: COPY text rows segment, hash, keys, key hashes)."""
    if copy_lines:
        execute(conn, "imdb_stage_segments")
        with conn.cursor().copy(sql("imdb_copy_segments")) as pipe:
            pipe.write(copy_lines)
        execute(conn, "imdb_store_segments", file=file)


def _titles(conn: Any, stats: FileStats, staged: int) -> None:
    execute(conn, "imdb_resolve_titles")
    inserted = count(conn, "imdb_insert_titles")
    execute(conn, "imdb_analyze_title_ids")
    updated = count(conn, "imdb_update_owned_titles") + count(conn, "imdb_fill_tmdb_titles")
    execute(conn, "imdb_genres_of_new_titles")
    updated += scalar(conn, "imdb_apply_title_genres") or 0
    execute(conn, "imdb_rate_new_titles")
    execute(conn, "imdb_forget_title_segments")
    episodes, _ = execute(conn, "imdb_apply_episode_info")
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
    execute(conn, "imdb_tune_batch")
    execute(conn, create)
    with conn.cursor().copy(sql(copy)) as pipe:
        pipe.write(b"".join(payload))
    apply(conn, stats, len(payload))


# What a file's batches wrote much of: analyzed once the file is done, so the plans of the next files
# (principals look up every title and person) see the rows; nothing analyzes during the import otherwise
# (autovacuum lags a bulk load, or is off).
ANALYZE_AFTER = {
    "title.ratings": ("imdb_ratings",),
    "title.basics": ("media_items", "media_genres", "media_external_ratings", "imdb_episode_info"),
    "title.episode": ("seasons", "episodes"),
    "name.basics": ("people",),
    "title.principals": ("media_credits",),
}


def finish_file(conn: Any, dataset: str) -> None:
    """After a file's last batch committed: fresh planner statistics for the tables it changed much."""
    for row in conn.execute(sql("imdb_stale_stats"), {"tables": list(ANALYZE_AFTER[dataset])}).fetchall():
        conn.execute(f'ANALYZE "{row["name"]}"')
