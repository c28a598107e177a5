"""Postgres access: connections, transactions and the named SQL queries.

Long-running processes (``chalice local``, the event pump, tests) share a
psycopg pool. A Lambda container keeps one connection, opened on first use and
reopened when it breaks, because a pool per container only multiplies
connections (RDS Proxy pools for us in AWS).

Service and query functions take a connection as their first argument so that
callers group work in one transaction::

    with db.transaction() as conn:
        q.insert_job(conn, ...)
        q.insert_job_event(conn, ...)
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

if TYPE_CHECKING:  # psycopg is imported lazily: it is not free on a cold start
    import psycopg

from chalicelib import aws, errors
from chalicelib.config import get_settings
from chalicelib.logs import get_logger

QUERIES_DIR = Path(__file__).parent / "queries"
MIGRATIONS_DIR = Path(__file__).parent / "migrations"

_lock = threading.Lock()
_queries_lock = threading.Lock()
_provider: _Provider | None = None
_queries: Any = None
_credentials: dict[str, Any] | None = None

RETRY_AFTER_SECONDS = 5

Conn: TypeAlias = "psycopg.Connection[Any]"
"""A connection from ``connection``/``transaction`` (autocommit, rows as dicts)."""


class DatabaseUnavailable(errors.ServiceUnavailable):
    """Postgres cannot be reached (down, restarting, pool exhausted): 503, try again shortly."""

    code = "database_unavailable"

    def __init__(self, message: str = "The database is unavailable; try again shortly") -> None:
        super().__init__(message)
        self.retry_after = RETRY_AFTER_SECONDS


class _Provider:
    def connection(self) -> Any:  # pragma: no cover - interface
        raise NotImplementedError

    def close(self) -> None:  # pragma: no cover - interface
        raise NotImplementedError


class _SingleConnection(_Provider):
    """One connection per Lambda container, self-healing across requests."""

    def __init__(self, url: str, timeout: int) -> None:
        self._url = url
        self._timeout = timeout
        self._conn: psycopg.Connection | None = None

    @contextmanager
    def connection(self) -> Iterator[psycopg.Connection]:
        import psycopg  # lazy: psycopg is a slow import; loaded with the first connection

        conn = self._conn
        if conn is None or conn.closed or conn.broken:
            conn = self._conn = _connect(self._url, self._timeout)
        try:
            yield conn
        except psycopg.OperationalError:
            self.close()  # drop a connection that failed mid-request
            raise
        finally:
            if not conn.closed and conn.info.transaction_status != 0:
                conn.rollback()  # never leak an open transaction to the next request

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


class _Pool(_Provider):
    def __init__(self, url: str, size: int, timeout: int) -> None:
        from psycopg.rows import dict_row  # lazy: psycopg is a slow import; loaded with the first connection
        from psycopg_pool import ConnectionPool  # lazy: only long-running processes pool connections

        self._pool = ConnectionPool(
            url,
            min_size=1,
            max_size=size,
            kwargs={"autocommit": True, "row_factory": dict_row, "connect_timeout": timeout,
                    **_secret_credentials()},
            check=ConnectionPool.check_connection,
            timeout=timeout,
            open=True,
            name="seen",
        )

    def connection(self) -> Any:
        return self._pool.connection()

    def close(self) -> None:
        self._pool.close()


def _connect(url: str, timeout: int) -> Conn:
    import psycopg  # lazy: psycopg is a slow import; loaded with the first connection
    from psycopg.rows import dict_row  # lazy: psycopg is a slow import; loaded with the first connection

    # psycopg types connect() on the unparameterized class, as Connection[TupleRow], whatever the row factory.
    return psycopg.connect(url, autocommit=True, row_factory=dict_row,  # pyright: ignore[reportArgumentType]
                           connect_timeout=timeout, **_secret_credentials())


def _secret_credentials() -> dict[str, Any]:
    """User and password from Secrets Manager when configured (fetched once per container)."""
    global _credentials
    arn = get_settings().database_secret_arn
    if not arn:
        return {}
    if _credentials is None:
        secret = json.loads(aws.client("secretsmanager").get_secret_value(SecretId=arn)["SecretString"])
        _credentials = {"user": secret["username"], "password": secret["password"]}
    return _credentials


def _json_loads(data: bytes | str) -> Any:
    """json/jsonb from Postgres, decoded by orjson (3x the standard library on the recommendation inputs' 300 KB
    documents). What orjson refuses and the standard library reads (an escaped lone surrogate in a ``json``
    column, a number past a double's range) still decodes. (orjson reads an integer past 64 bits as a float:
    the columns these documents are built from are bigint at most.)"""
    import orjson  # lazy: imported by the first JSON value decoded, not on the cold path to /health/ready

    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        return json.loads(data)


def _use_fast_json() -> None:
    from psycopg.types.json import set_json_loads  # lazy: psycopg is a slow import

    set_json_loads(_json_loads)  # global: every connection of the process, pooled or dedicated


def _get_provider() -> _Provider:
    global _provider
    if _provider is None:
        with _lock:
            if _provider is None:
                _use_fast_json()
                settings = get_settings()
                if settings.db_pool_size > 0:
                    _provider = _Pool(settings.database_url, settings.db_pool_size, settings.db_connect_timeout)
                else:
                    _provider = _SingleConnection(settings.database_url, settings.db_connect_timeout)
    return _provider


@contextmanager
def connection() -> Iterator[psycopg.Connection]:
    """A connection in autocommit mode; each statement is its own transaction.

    A lost or unobtainable connection (``psycopg.OperationalError``, the pool's
    ``PoolTimeout`` included) becomes ``DatabaseUnavailable``: the edge answers
    503 instead of 500, and the pool replaces the broken connection for the next
    request, so the API recovers when Postgres is back without a restart.
    """
    import psycopg  # lazy: psycopg is a slow import; loaded with the first connection

    try:
        with _get_provider().connection() as conn:
            yield conn
    except psycopg.OperationalError as exc:
        get_logger().warning("database unavailable", extra={"action": "db_unavailable",
                                                            "error": type(exc).__name__})
        raise DatabaseUnavailable() from exc


@contextmanager
def dedicated_connection() -> Iterator[psycopg.Connection]:
    """A connection of the caller's own, outside the pool, closed on exit (autocommit, as ``connection``).

    For a long job's second thread (the IMDb import reads ahead on one while it writes on the other).
    """
    import psycopg  # lazy: psycopg is a slow import; loaded with the first connection

    settings = get_settings()
    _use_fast_json()
    try:
        conn = _connect(settings.database_url, settings.db_connect_timeout)
    except psycopg.OperationalError as exc:
        raise DatabaseUnavailable() from exc
    with conn:
        yield conn


@contextmanager
def transaction() -> Iterator[psycopg.Connection]:
    """A connection inside one transaction: committed on success, rolled back on error."""
    with connection() as conn, conn.transaction():
        yield conn


class NamedQueries:
    """Every named query of ``db/queries/*.sql`` by name (``queries().ping(conn)``). A file is parsed by aiosql
    when one of its queries is first used: parsing all 41 files was ~130 ms of every cold start, and a
    request uses one or two of them. The index of names is read from the files' ``-- name:`` lines."""

    NAME = re.compile(r"^--\s*name\s*:\s*([\w-]+)", re.MULTILINE)

    def __init__(self, directory: Path) -> None:
        self._files: dict[str, Path] = {}
        for file in sorted(directory.glob("*.sql")):
            for name in self.NAME.findall(file.read_text()):
                self._files[name.replace("-", "_")] = file
        self._loading = threading.Lock()

    def __getattr__(self, name: str) -> Any:
        files = self.__dict__.get("_files", {})
        file = files.get(name) or files.get(name.removesuffix("_cursor"))  # aiosql's cursor form of a select
        if file is None:
            raise AttributeError(f"no named query {name!r} in {QUERIES_DIR}")
        with self._loading:
            if name not in self.__dict__:
                import aiosql  # lazy: a file is parsed when one of its queries is first used

                loaded = aiosql.from_path(file, "psycopg")
                for query in loaded.available_queries:
                    setattr(self, query, getattr(loaded, query))
        return self.__dict__[name]

    def load_all(self) -> None:
        """Parse every file now (a server does so once before it forks its workers)."""
        for name in self._files:
            getattr(self, name)


def queries() -> Any:
    """Every named query in ``db/queries/*.sql``, each file loaded on first use."""
    global _queries
    if _queries is None:
        with _queries_lock:
            _queries = _queries or NamedQueries(QUERIES_DIR)
    return _queries


def parse_queries() -> None:
    """Parse every named query now (a server does so once before it forks its workers)."""
    queries().load_all()


def reset() -> None:
    """Close the pool/connection (process shutdown, tests switching databases)."""
    global _provider
    with _lock:
        if _provider is not None:
            _provider.close()
            _provider = None
