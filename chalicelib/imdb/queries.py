"""The IMDb import's SQL: the named queries of ``db/queries/imdb.sql``, typed.

Most run as their text on the caller's connection rather than through aiosql's call: COPY, scripts of
several statements, and reads in tuple or binary rows (segment hashes and key arrays come in bulk).
Staging tables are ``TEMP ... ON COMMIT DROP``: every batch function runs inside the batch's transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, LiteralString, TypedDict, cast
from uuid import UUID

from chalicelib import db
from chalicelib.db import Conn

if TYPE_CHECKING:
    from psycopg import Cursor


class RunRow(TypedDict):
    id: int
    status: str
    trigger: str
    requested_by: UUID | None
    started_at: datetime
    finished_at: datetime | None
    current_file: str | None
    rows_done: int
    files: dict[str, dict[str, object]]
    error: str | None


class FileVersionRow(TypedDict):
    name: str
    sha256: str
    run_id: int | None
    imported_at: datetime


class Changes(TypedDict):
    inserted: int
    updated: int


class EpisodeInfoChanges(Changes):
    episodes: int


class RatingChanges(Changes):
    changed: int  # staged ratings that differ from the kept ones
    matched: int  # of those, titles in the catalog
    votes_updated: int


# Each dataset's staging table and its COPY statement.
STAGING = {
    "title.basics": ("imdb_stage_titles", "imdb_copy_titles"),
    "title.episode": ("imdb_stage_episodes", "imdb_copy_episodes"),
    "title.ratings": ("imdb_stage_ratings", "imdb_copy_ratings"),
    "name.basics": ("imdb_stage_people", "imdb_copy_people"),
    "title.principals": ("imdb_stage_credits", "imdb_copy_credits"),
}


def _sql(name: str) -> LiteralString:
    """The text of a named query (our own .sql file, never user input)."""
    return cast(LiteralString, getattr(db.queries(), name).sql)


def _execute(conn: Conn, name: str, /, **params: Any) -> tuple[Mapping[str, Any] | None, int]:
    """Run a named query (a script of several statements if it takes no parameters): its last row, rowcount."""
    cur = conn.execute(_sql(name), params or None)
    while cur.nextset():
        pass
    row = cur.fetchone() if cur.description else None
    return row, cur.rowcount


def _scalar(conn: Conn, name: str, /, **params: Any) -> Any:
    row, _ = _execute(conn, name, **params)
    return next(iter(row.values())) if row else None


def _count(conn: Conn, name: str, /, **params: Any) -> int:
    return max(_execute(conn, name, **params)[1], 0)


def _one(conn: Conn, name: str) -> Any:
    """The last row of a script that ends in one SELECT (typed by the caller)."""
    row, _ = _execute(conn, name)
    if row is None:
        raise LookupError(f"{name} returned no row")
    return row


# ---------------------------------------------------------------------------------- lock and runs


def try_lock(conn: Conn, *, key: int) -> bool:
    """Take the session advisory lock of the import; False when another run holds it."""
    return bool(_scalar(conn, "imdb_try_lock", key=key))


def unlock(conn: Conn, *, key: int) -> None:
    _scalar(conn, "imdb_unlock", key=key)


def lock_free(conn: Conn, *, key: int) -> bool:
    """Whether nobody holds the lock (taken and released at once)."""
    return bool(_scalar(conn, "imdb_lock_free", key=key))


def fail_stale_runs(conn: Conn) -> None:
    _execute(conn, "imdb_fail_stale_runs")


def start_run(conn: Conn, *, trigger: str, requested_by: UUID | None) -> int:
    row, _ = _execute(conn, "imdb_start_run", trigger=trigger, requested_by=requested_by)
    if row is None:
        raise LookupError("imdb_start_run returned no id")
    return row["id"]


def run_progress(conn: Conn, *, run_id: int, current_file: str | None, rows_done: int, files: object) -> None:
    """``files``: the per-file figures, wrapped for jsonb (``psycopg.types.json.Jsonb``)."""
    _execute(conn, "imdb_run_progress", id=run_id, current_file=current_file, rows_done=rows_done, files=files)


def finish_run(conn: Conn, *, run_id: int, status: str, error: str | None, files: object) -> None:
    _execute(conn, "imdb_finish_run", id=run_id, status=status, error=error, files=files)


def recent_runs(conn: Conn, *, limit: int) -> list[RunRow]:
    return list(conn.execute(_sql("imdb_recent_runs"), {"limit": limit}))


def file_versions(conn: Conn) -> list[FileVersionRow]:
    return list(conn.execute(_sql("imdb_file_versions")))


def set_file_version(conn: Conn, *, name: str, sha256: str, run_id: int) -> None:
    _execute(conn, "imdb_set_file_version", name=name, sha256=sha256, run_id=run_id)


# ------------------------------------------------------------------------------------- segments


def _tuples(conn: Conn, *, binary: bool = False) -> Cursor[tuple[Any, ...]]:
    """A cursor whose rows are tuples (cheaper than dicts for bulk reads)."""
    from psycopg.rows import tuple_row  # lazy: psycopg is not loaded on a cold start that needs no SQL

    return conn.cursor(row_factory=tuple_row, binary=binary)


def stored_segment_hashes(conn: Conn, *, file: str, segments: list[int]) -> dict[int, int]:
    """The stored hash of each of these segments (probed one by one in the index)."""
    return dict(_tuples(conn).execute(_sql("imdb_stored_segments"), {"file": file, "segments": segments}))


def stored_segment_range(conn: Conn, *, file: str, low: int, high: int) -> dict[int, int]:
    """The stored hash of every segment from ``low`` to ``high`` (one range scan)."""
    return dict(_tuples(conn).execute(_sql("imdb_stored_segment_range"), {"file": file, "low": low, "high": high}))


def stored_keys(conn: Conn, *, file: str, segments: list[int]) -> dict[int, tuple[list[int], list[int]]]:
    """Each segment's keys and their hashes (binary results: the arrays are not parsed from text)."""
    cur = _tuples(conn, binary=True)
    cur.execute(_sql("imdb_stored_keys"), {"file": file, "segments": segments})
    return {segment: (keys, hashes) for segment, keys, hashes in cur}


def store_segments(conn: Conn, *, file: str, copy_lines: bytes) -> None:
    """Store applied segments (``copy_lines``: COPY text rows segment, hash, keys, key hashes)."""
    _execute(conn, "imdb_stage_segments")
    with conn.cursor().copy(_sql("imdb_copy_segments")) as pipe:
        pipe.write(copy_lines)
    _execute(conn, "imdb_store_segments", file=file)


# --------------------------------------------------------------------------------------- genres


def genre_id(conn: Conn, *, slug: str) -> int:
    """The genre row an IMDb genre maps to: TMDB's with the slug first, else IMDb's own (``ensure_genre`` first)."""
    return conn.execute(_sql("imdb_genres"), {"slugs": [slug]}).fetchall()[0]["id"]


def ensure_genre(conn: Conn, *, name: str, slug: str) -> None:
    """An IMDb genre row, unless TMDB has the slug."""
    _execute(conn, "imdb_ensure_genre", name=name, slug=slug)


# -------------------------------------------------------------------------------------- batches


def stage(conn: Conn, dataset: str, payload: bytes) -> None:
    """The batch's settings, its dataset's staging table and the staging lines COPYed into it."""
    create, copy = STAGING[dataset]
    _execute(conn, "imdb_tune_batch")
    _execute(conn, create)
    with conn.cursor().copy(_sql(copy)) as pipe:
        pipe.write(payload)


def stale_tables(conn: Conn, *, tables: list[str]) -> list[str]:
    """Of these tables, those changed by more than a tenth since their last ANALYZE."""
    return [row["name"] for row in conn.execute(_sql("imdb_stale_stats"), {"tables": tables}).fetchall()]


def analyze(conn: Conn, table: str) -> None:
    """Fresh planner statistics for ``table``."""
    from psycopg import sql  # lazy: psycopg is not loaded on a cold start that needs no SQL

    conn.execute(sql.SQL("ANALYZE {}").format(sql.Identifier(table)))


def resolve_titles(conn: Conn) -> None:
    _execute(conn, "imdb_resolve_titles")


def insert_titles(conn: Conn) -> int:
    return _count(conn, "imdb_insert_titles")


def analyze_title_ids(conn: Conn) -> None:
    _execute(conn, "imdb_analyze_title_ids")


def update_owned_titles(conn: Conn) -> int:
    return _count(conn, "imdb_update_owned_titles")


def fill_tmdb_titles(conn: Conn) -> int:
    return _count(conn, "imdb_fill_tmdb_titles")


def genres_of_new_titles(conn: Conn) -> None:
    _execute(conn, "imdb_genres_of_new_titles")


def apply_title_genres(conn: Conn) -> int:
    """Titles whose genres changed."""
    return _scalar(conn, "imdb_apply_title_genres") or 0


def rate_new_titles(conn: Conn) -> None:
    _execute(conn, "imdb_rate_new_titles")


def forget_title_segments(conn: Conn) -> None:
    _execute(conn, "imdb_forget_title_segments")


def apply_episode_info(conn: Conn) -> EpisodeInfoChanges:
    return _one(conn, "imdb_apply_episode_info")


def resolve_episodes(conn: Conn) -> int:
    """Staged episodes whose show is in the catalog."""
    return _scalar(conn, "imdb_resolve_episodes") or 0


def link_episodes(conn: Conn) -> int:
    return _count(conn, "imdb_link_episodes")


def update_episodes(conn: Conn) -> int:
    return _count(conn, "imdb_update_episodes")


def insert_episodes(conn: Conn) -> int:
    return _count(conn, "imdb_insert_episodes")


def apply_ratings(conn: Conn) -> RatingChanges:
    return _one(conn, "imdb_apply_ratings")


def apply_people(conn: Conn) -> Changes:
    return _one(conn, "imdb_apply_people")


def resolve_credits(conn: Conn) -> int:
    """Staged credits of titles and people in the catalog (whose credits are not TMDB's)."""
    return _scalar(conn, "imdb_resolve_credits") or 0


def changed_credits(conn: Conn) -> Changes:
    row = _one(conn, "imdb_changed_credits")
    return {"inserted": int(row["inserted"]), "updated": int(row["updated"])}


def replace_credits(conn: Conn) -> None:
    _execute(conn, "imdb_replace_credits")
