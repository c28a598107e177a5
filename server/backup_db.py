"""The database half of a backup: pg_dump out, one atomic restore in, and what the database holds.

The password never goes on a command line (``ps`` shows those to every local user): it is taken out
of the URL and handed to pg_dump/psql as ``PGPASSWORD``.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

# Rows counted into the manifest (and compared after a restore): tables that exist are counted.
COUNTED = {
    "users": ("users",),
    "tracking": ("user_watched", "user_progress", "user_ratings", "user_favorites", "user_watch_later",
                 "user_follows", "user_game_status", "collections", "collection_items"),
    "library": ("library_items", "library_streams", "library_subtitles", "library_variants"),
    "settings": ("instance_settings", "user_preferences", "indexers"),
}
# Instance-setting and indexer secrets are Fernet ciphertext made with SEEN_SETTINGS_KEY.
ENCRYPTED = (("instance_settings", "secret_ciphertext"), ("indexers", "api_key_ciphertext"))


class ToolMissing(RuntimeError):
    """A PostgreSQL client program is not installed."""


def pg_tool(name: str) -> str:
    """``pg_dump``/``pg_restore``/``psql`` from PATH or the newest /usr/lib/postgresql/*/bin."""
    bundled = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    found = shutil.which(name) or (bundled[0] if bundled else None)
    if not found:
        raise ToolMissing(f"{name} not found: install the PostgreSQL client (apt-get install postgresql-client)")
    return found


def _conninfo(url: str) -> tuple[str, dict[str, str]]:
    """A conninfo string without the password, and the environment that carries it."""
    from psycopg.conninfo import conninfo_to_dict, make_conninfo  # lazy: psycopg loads when it is used

    params = conninfo_to_dict(url)
    password = params.pop("password", None)
    env = {**os.environ, **({"PGPASSWORD": str(password)} if password else {})}
    return make_conninfo(**{k: str(v) for k, v in params.items()}), env


def _tail(path: Path) -> str:
    return path.read_text(errors="replace").strip()[-1500:]


def dump(url: str, target: Path) -> dict[str, Any]:
    """``pg_dump --format=custom`` of the whole database to ``target``; returns its ``state``.

    The counts and the dump come from one exported snapshot, so the manifest describes exactly
    what the dump holds even while the instance is in use (and a restore can check it got all of it).
    """
    import psycopg  # lazy: psycopg is a slow import; loaded when a backup or restore runs

    conninfo, env = _conninfo(url)
    with psycopg.connect(url) as conn, tempfile.NamedTemporaryFile("w+", suffix=".log") as log:
        conn.isolation_level, conn.read_only = psycopg.IsolationLevel.REPEATABLE_READ, True
        exported = conn.execute("SELECT pg_export_snapshot()").fetchone()
        assert exported is not None  # the function returns one row
        snapshot = exported[0]
        described = state_of(conn)
        done = subprocess.run([pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
                               f"--snapshot={snapshot}", f"--file={target}", f"--dbname={conninfo}"], env=env,
                              stdout=subprocess.DEVNULL, stderr=log, check=False)
        conn.rollback()
        if done.returncode != 0:
            raise RuntimeError(f"pg_dump failed: {_tail(Path(log.name))}")
    return described


def dump_tables(dump_file: Path) -> set[str]:
    """The public tables a custom-format dump holds (its table of contents)."""
    listing = subprocess.run([pg_tool("pg_restore"), "--list", str(dump_file)], capture_output=True, text=True,
                             check=False)
    if listing.returncode != 0:
        raise ValueError(f"database.dump is not a readable pg_dump archive: {listing.stderr.strip()[:300]}")
    tables = set()
    for line in listing.stdout.splitlines():
        parts = line.split()
        if len(parts) >= 6 and not line.startswith(";") and parts[3:5] == ["TABLE", "public"]:
            tables.add(parts[5])
    return tables


def restore(url: str, dump_file: Path) -> None:
    """Replace the public schema with the dump's, in ONE transaction: any error leaves the database as it was.

    pg_restore writes the dump as SQL; psql runs it after ``DROP SCHEMA public CASCADE`` with
    ``--single-transaction`` and ``ON_ERROR_STOP``. Unlike ``pg_restore --clean`` this also removes
    tables the backup does not know (a newer schema's), which the migrations would trip over.
    """
    conninfo, env = _conninfo(url)
    psql = [pg_tool("psql"), "--quiet", "--no-psqlrc", "--single-transaction", "-v", "ON_ERROR_STOP=1",
            f"--dbname={conninfo}", "--file=-"]
    script = [pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--file=-", str(dump_file)]
    with tempfile.NamedTemporaryFile("w+", suffix=".log") as log:
        runner = subprocess.Popen(psql, env=env, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=log)
        writer = subprocess.Popen(script, stdout=subprocess.PIPE, stderr=log)
        assert runner.stdin is not None and writer.stdout is not None  # both opened with PIPE
        try:
            runner.stdin.write(b"DROP SCHEMA IF EXISTS public CASCADE;\nCREATE SCHEMA public;\n")
            shutil.copyfileobj(writer.stdout, runner.stdin, 1024 * 1024)
            runner.stdin.close()
        except BrokenPipeError:  # psql stopped at an error: its message is in the log
            pass
        codes = (writer.wait(), runner.wait())
        if codes != (0, 0):
            raise RuntimeError(f"restoring the database failed (pg_restore {codes[0]}, psql {codes[1]}): "
                               f"{_tail(Path(log.name))}")


def ensure_database(url: str) -> bool:
    """Create the database of ``url`` when it does not exist; True when it was created."""
    import psycopg  # lazy: psycopg is a slow import; loaded when a backup or restore runs
    from psycopg import sql  # lazy: loaded when a restore runs
    from psycopg.conninfo import conninfo_to_dict, make_conninfo  # lazy: psycopg loads when it is used

    params = conninfo_to_dict(url)
    name = str(params.get("dbname") or "postgres")
    with psycopg.connect(make_conninfo(**{**params, "dbname": "postgres"}), autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            return False
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return True


def state_of(conn: Any) -> dict[str, Any]:
    """What the database holds: public tables, row counts, schema head, stored encrypted secrets."""
    tables = {r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}

    def count(table: str, where: str = "") -> int:  # names from COUNTED/ENCRYPTED, never input
        return conn.execute(f"SELECT count(*) FROM {table} {where}").fetchone()[0]

    counts = {group: {t: count(t) for t in names if t in tables} for group, names in COUNTED.items()}
    head = conn.execute("SELECT max(migration_id) FROM _yoyo_migration").fetchone()[0] \
        if "_yoyo_migration" in tables else None
    secrets = sum(count(t, f"WHERE {c} IS NOT NULL") for t, c in ENCRYPTED if t in tables)
    return {"tables": sorted(tables), "counts": counts, "schemaHead": head, "encryptedSecrets": secrets,
            "users": counts["users"].get("users", 0)}


def state(url: str) -> dict[str, Any]:
    import psycopg  # lazy: psycopg is a slow import; loaded when a backup or restore runs

    with psycopg.connect(url, autocommit=True) as conn:
        return state_of(conn)
