"""Apply or roll back the SQL migrations in ``db/migrations`` with yoyo."""

from __future__ import annotations

import argparse

from chalicelib.db import MIGRATIONS_DIR


def _yoyo_url(database_url: str) -> str:
    # yoyo picks its driver from the scheme; psycopg 3 is "postgresql+psycopg".
    for prefix in ("postgresql://", "postgres://"):
        if database_url.startswith(prefix):
            return "postgresql+psycopg://" + database_url[len(prefix):]
    return database_url


def _backend_and_migrations(database_url: str):
    from yoyo import get_backend, read_migrations

    return get_backend(_yoyo_url(database_url)), read_migrations(str(MIGRATIONS_DIR))


def apply(database_url: str) -> int:
    """Apply every pending migration; returns how many were applied."""
    backend, migrations = _backend_and_migrations(database_url)
    with backend.lock():
        pending = backend.to_apply(migrations)
        backend.apply_migrations(pending)
    return len(pending)


def rollback_all(database_url: str) -> int:
    """Roll back every applied migration; returns how many were rolled back."""
    backend, migrations = _backend_and_migrations(database_url)
    with backend.lock():
        applied = backend.to_rollback(migrations)
        backend.rollback_migrations(applied)
    return len(applied)


def main() -> None:
    from chalicelib.config import get_settings

    parser = argparse.ArgumentParser(description="Apply /seen/ database migrations")
    parser.add_argument("--rollback-all", action="store_true", help="roll back every migration")
    args = parser.parse_args()
    url = get_settings().database_url
    if args.rollback_all:
        print(f"rolled back {rollback_all(url)} migration(s)")
    else:
        print(f"applied {apply(url)} migration(s)")


if __name__ == "__main__":
    main()
