"""Staging and set-based upserts: one batch of one dataset, inside the caller's transaction.

A batch's staging lines are COPYed into a TEMP table (dropped at commit) and applied with a few
statements from ``db/queries/imdb.sql`` that write only what differs from what is stored, so an
unchanged row leaves its ``updated_at`` alone. Every function adds its figures to ``stats``.
"""

from __future__ import annotations

from collections.abc import Callable

from chalicelib.db import Conn
from chalicelib.imdb import queries
from chalicelib.imdb.parse import FileStats

# A batch's keys are this dense or denser when read as one range (see ``stored_segments``).
RANGE_DENSITY = 64


def stored_segments(conn: Conn, file: str, segments: list[int]) -> dict[int, int]:
    """The stored hash of each of these segments that a batch applied before (and maybe a few more).

    A batch of a sorted file is a narrow key range: reading the range is far cheaper than probing the
    index once per segment. Should the ids be scattered (a file out of numeric order), they are probed.
    """
    low, high = min(segments), max(segments)
    if high - low <= RANGE_DENSITY * len(segments):
        return queries.stored_segment_range(conn, file=file, low=low, high=high)
    return queries.stored_segment_hashes(conn, file=file, segments=segments)


def stored_keys(conn: Conn, file: str, segments: list[int]) -> dict[int, tuple[list[int], list[int]]]:
    """Each segment's keys and their hashes."""
    return queries.stored_keys(conn, file=file, segments=segments)


def store_segments(conn: Conn, file: str, copy_lines: bytes) -> None:
    """Store applied segments (``copy_lines``: COPY text rows segment, hash, keys, key hashes)."""
    if copy_lines:
        queries.store_segments(conn, file=file, copy_lines=copy_lines)


def _titles(conn: Conn, stats: FileStats, staged: int) -> None:
    queries.resolve_titles(conn)
    inserted = queries.insert_titles(conn)
    queries.analyze_title_ids(conn)
    updated = queries.update_owned_titles(conn) + queries.fill_tmdb_titles(conn)
    queries.genres_of_new_titles(conn)
    updated += queries.apply_title_genres(conn)
    queries.rate_new_titles(conn)
    queries.forget_title_segments(conn)
    episodes = queries.apply_episode_info(conn)
    inserted += episodes["inserted"]
    updated += episodes["updated"]
    stats.inserted += inserted
    stats.updated += updated
    stats.unchanged += max(staged - inserted - updated, 0)


def _episodes(conn: Conn, stats: FileStats, staged: int) -> None:
    resolved = queries.resolve_episodes(conn)
    stats.skip("unknown show", staged - resolved)
    updated = queries.link_episodes(conn) + queries.update_episodes(conn)
    inserted = queries.insert_episodes(conn)
    stats.inserted += inserted
    stats.updated += updated
    stats.unchanged += max(resolved - inserted - updated, 0)


def _ratings(conn: Conn, stats: FileStats, staged: int) -> None:
    row = queries.apply_ratings(conn)
    # Kept in imdb_ratings: such a title takes its rating when it is imported.
    stats.skip("title not in the catalog (yet)", row["changed"] - row["matched"])
    stats.inserted += row["inserted"]
    stats.updated += row["updated"]
    stats.unchanged += staged - row["changed"] + row["matched"] - row["inserted"] - row["updated"]


def _people(conn: Conn, stats: FileStats, staged: int) -> None:
    row = queries.apply_people(conn)
    stats.inserted += row["inserted"]
    stats.updated += row["updated"]
    stats.unchanged += staged - row["inserted"] - row["updated"]


def _credits(conn: Conn, stats: FileStats, staged: int) -> None:
    resolved = queries.resolve_credits(conn)
    stats.skip("unknown title or person, or TMDB credits", staged - resolved)
    row = queries.changed_credits(conn)
    queries.replace_credits(conn)
    stats.inserted += row["inserted"]
    stats.updated += row["updated"]
    stats.unchanged += resolved - row["inserted"] - row["updated"]


Apply = Callable[[Conn, FileStats, int], None]
APPLY: dict[str, Apply] = {
    "title.basics": _titles,
    "title.episode": _episodes,
    "title.ratings": _ratings,
    "name.basics": _people,
    "title.principals": _credits,
}


def apply_batch(conn: Conn, dataset: str, payload: list[bytes], stats: FileStats) -> None:
    """COPY the staging lines of one batch and apply them (the caller holds the transaction)."""
    queries.stage(conn, dataset, b"".join(payload))
    APPLY[dataset](conn, stats, len(payload))


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


def finish_file(conn: Conn, dataset: str) -> None:
    """After a file's last batch committed: fresh planner statistics for the tables it changed much."""
    for table in queries.stale_tables(conn, tables=list(ANALYZE_AFTER[dataset])):
        queries.analyze(conn, table)
