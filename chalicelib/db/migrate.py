"""Apply or roll back the SQL migrations in ``db/migrations`` with yoyo.

Several API processes or containers may start together on a database. yoyo's
own lock is a row in a table that yoyo creates (with its internal schema)
before locking anything, that waits at most 10 s (a long data migration makes
the other starters fail) and that stays behind when a migrating process is
killed (every later start fails until someone runs ``yoyo break-lock``). So
every run happens inside one session-level Postgres advisory lock, taken on a
connection of its own: the first process migrates, the others wait as long as
it takes and then find nothing to do, and a killed process's lock ends with
its session.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager

from chalicelib.config import get_settings
from chalicelib.db import MIGRATIONS_DIR

# pg_advisory_lock key shared by every /seen/ process that migrates ("seen" + "mig" in ASCII).
MIGRATION_LOCK_KEY = 0x7365656E_6D6967


def _yoyo_url(database_url: str) -> str:
    # yoyo picks its driver from the scheme; psycopg 3 is "postgresql+psycopg".
    for prefix in ("postgresql://", "postgres://"):
        if database_url.startswith(prefix):
            return "postgresql+psycopg://" + database_url[len(prefix):]
    return database_url


@contextmanager
def _advisory_lock(database_url: str) -> Iterator[None]:
    """Hold the migration lock for the block; the session ending would release it too."""
    import psycopg  # lazy: psycopg is a slow import; only a migration run needs it

    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", (MIGRATION_LOCK_KEY,))
        try:
            yield
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (MIGRATION_LOCK_KEY,))


def _up_to(migrations, target: str | None):
    """The migrations up to and including the first whose id starts with ``target``."""
    if target is None:
        return migrations
    ids = [m.id for m in migrations]
    matches = [i for i, mid in enumerate(ids) if mid.startswith(target)]
    if not matches:
        raise ValueError(f"no migration id starts with {target!r}")
    return migrations.__class__(list(migrations)[: matches[0] + 1], migrations.post_apply)


@contextmanager
def _locked_backend(database_url: str):
    """yoyo's backend, opened and used only while this process holds the migration lock."""
    from yoyo import get_backend  # lazy: only a migration run needs yoyo

    with _advisory_lock(database_url), get_backend(_yoyo_url(database_url)) as backend:
        # No other /seen/ process migrates now, so a row in yoyo's lock table was left by a
        # process killed mid-migration; yoyo would wait 10 s for it and fail.
        backend.break_lock()
        with backend.lock():
            yield backend


def _migrations(target: str | None = None):
    from yoyo import read_migrations  # lazy: only a migration run needs yoyo

    return _up_to(read_migrations(str(MIGRATIONS_DIR)), target)


def apply(database_url: str, target: str | None = None) -> int:
    """Apply pending migrations (all, or up to ``target``); returns how many were applied."""
    migrations = _migrations(target)
    with _locked_backend(database_url) as backend:
        pending = backend.to_apply(migrations)
        backend.apply_migrations(pending)
    return len(pending)


def rollback_all(database_url: str) -> int:
    """Roll back every applied migration; returns how many were rolled back."""
    migrations = _migrations()
    with _locked_backend(database_url) as backend:
        applied = backend.to_rollback(migrations)
        backend.rollback_migrations(applied)
    return len(applied)


def main() -> None:
    parser = argparse.ArgumentParser(description="Apply /seen/ database migrations")
    parser.add_argument("--rollback-all", action="store_true", help="roll back every migration")
    parser.add_argument("--target", help="apply only up to and including the migration whose id starts so")
    args = parser.parse_args()
    url = get_settings().database_url
    if args.rollback_all:
        print(f"rolled back {rollback_all(url)} migration(s)")
    else:
        print(f"applied {apply(url, args.target)} migration(s)")


if __name__ == "__main__":
    main()
