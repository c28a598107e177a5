"""Test databases: copies of a migrated (or seeded) template, each test in its own, reset and reused after it.

``copies_of(template_url)`` keeps one ``TemplateCopies`` per template in this process (the suite's migrated
template, the demo catalog's); ``built_template`` makes a seeded template once per process for every module
that asks for it; ``close_all`` drops what this process made.
"""

from __future__ import annotations

import queue
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from embedded import services

RUN_ID = uuid.uuid4().hex[:8]


# Everything a test could change in its copy besides rows: the user objects of the catalogs (tables, columns,
# defaults, constraints, indexes, functions, triggers, types, schemas, extensions, policies, rules), the database's
# settings and its large objects. Equal to the template's after a reset, the copy is the template again.
CATALOG_FINGERPRINT = """
SELECT md5(string_agg(item, E'\\n' ORDER BY item)) FROM (
    SELECT format('class %s %s %s %s %s %s', oid, relnamespace, relname, relkind, relnatts, reloptions) AS item
      FROM pg_class WHERE oid >= 16384
    UNION ALL SELECT format('column %s %s %s %s %s %s %s', attrelid, attnum, attname, atttypid, attnotnull,
                            atthasdef, attisdropped) FROM pg_attribute WHERE attrelid >= 16384 AND attnum > 0
    UNION ALL SELECT format('default %s %s %s', adrelid, adnum, pg_get_expr(adbin, adrelid)) FROM pg_attrdef
    UNION ALL SELECT format('constraint %s %s %s', conrelid, conname, pg_get_constraintdef(oid)) FROM pg_constraint
      WHERE oid >= 16384
    UNION ALL SELECT format('index %s %s', indexrelid, pg_get_indexdef(indexrelid)) FROM pg_index
      WHERE indexrelid >= 16384
    UNION ALL SELECT format('function %s %s %s', oid, proname, md5(prosrc)) FROM pg_proc WHERE oid >= 16384
    UNION ALL SELECT format('trigger %s %s %s %s', oid, tgrelid, tgname, tgenabled) FROM pg_trigger WHERE oid >= 16384
    UNION ALL SELECT format('type %s %s', oid, typname) FROM pg_type WHERE oid >= 16384
    UNION ALL SELECT format('enum %s %s %s', enumtypid, enumsortorder, enumlabel) FROM pg_enum
    UNION ALL SELECT format('schema %s %s', oid, nspname) FROM pg_namespace WHERE oid >= 16384
    UNION ALL SELECT format('extension %s %s', extname, extversion) FROM pg_extension
    UNION ALL SELECT format('policy %s %s', oid, polname) FROM pg_policy
    UNION ALL SELECT format('rule %s %s', oid, rulename) FROM pg_rewrite WHERE oid >= 16384
    UNION ALL SELECT format('setting %s %s', setrole, setconfig) FROM pg_db_role_setting
      WHERE setdatabase = (SELECT oid FROM pg_database WHERE datname = current_database())
    UNION ALL SELECT format('large objects %s', count(*)) FROM pg_largeobject_metadata
) AS catalog
"""


@dataclass(frozen=True)
class TemplateState:
    """What a reset copy must equal: the template's catalogs, its seeded tables' rows (the migration log, the
    demo catalog), where its sequences stand; and the tables a test may fill, empty in the template."""

    tables: tuple[str, ...]  # quoted names, empty in the template
    seeded: tuple[tuple[str, int], ...]  # (quoted name, row count): tables with rows in the template
    sequences: tuple[tuple[str, int, bool], ...]  # (quoted name, value, is_called), as setval() takes them
    written_before: int  # a transaction id newer than every row of the template (32 bits, as xmin reads)
    fingerprint: str

    @classmethod
    def read(cls, connection) -> TemplateState:
        names = [row[0] for row in connection.execute(
            "SELECT format('%I.%I', schemaname, tablename) FROM pg_tables"
            " WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1")]
        counts = {name: connection.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
                  for name in names}
        sequences = connection.execute(
            "SELECT format('%I.%I', schemaname, sequencename), coalesce(last_value, start_value),"
            " last_value IS NOT NULL FROM pg_sequences ORDER BY 1").fetchall()
        newest = connection.execute("SELECT pg_current_xact_id()::text::bigint % 4294967296").fetchone()[0]
        return cls(tables=tuple(name for name in names if not counts[name]),
                   seeded=tuple((name, count) for name, count in counts.items() if count),
                   sequences=tuple((name, value, called) for name, value, called in sequences),
                   written_before=newest, fingerprint=connection.execute(CATALOG_FINGERPRINT).fetchone()[0])

    def unchanged(self, connection) -> bool:
        """The catalogs are the template's, and so is every seeded table: as many rows, none written since
        (an inserted or updated row carries a newer transaction id in xmin; a deleted one lowers the count)."""
        if connection.execute(CATALOG_FINGERPRINT).fetchone()[0] != self.fingerprint:
            return False
        for name, count in self.seeded:
            rows, newer = connection.execute(
                f"SELECT count(*), count(*) FILTER (WHERE xmin::text::bigint >= %s) FROM {name}",
                (self.written_before,)).fetchone()
            if rows != count or newer:
                return False
        return True

    def reset(self, connection) -> bool:
        """Empty the tables a test filled, rewind every sequence, forget planner statistics: True when the copy
        is then the template again (else the caller rolls back and drops it).

        DELETE with triggers and foreign keys off (``session_replication_role``), not TRUNCATE: TRUNCATE makes new
        files for every table and index it empties, ~1-3 s per test while the rest of the suite writes, where
        these deletes of a test's few rows take milliseconds (autovacuum takes the dead rows later)."""
        if self.tables:
            probe = " UNION ALL ".join(
                f"(SELECT {index} FROM {name} LIMIT 1)"  # catalog names
                for index, name in enumerate(self.tables)
            )
            if filled := [self.tables[row[0]] for row in connection.execute(probe)]:
                connection.execute("SET LOCAL session_replication_role = replica")
                connection.execute("; ".join(f"DELETE FROM {name}" for name in filled))
                connection.execute("SET LOCAL session_replication_role = DEFAULT")
        if self.sequences:
            connection.execute("SELECT " + ", ".join("setval(%s::regclass, %s, %s)" for _ in self.sequences),
                               [value for sequence in self.sequences for value in sequence])
        connection.execute("DELETE FROM pg_statistic WHERE starelid >= 16384")
        return self.unchanged(connection)


class TemplateCopies:
    """Databases copied from the migrated template, and given back reset for the next test.

    ``CREATE DATABASE … TEMPLATE`` writes the whole copy (13 MB) through the WAL, and Postgres 15 forces an
    immediate checkpoint for every DROP DATABASE: ~0.5 s of Postgres per test on an idle server, and under a
    parallel run each drop flushed every worker's dirty buffers (9 s for one drop was seen). So a used copy is
    not dropped: ``give_back`` closes its connections, renames it (a process of the old test that connects again
    finds no database, as after a drop), empties the tables the test filled and rewinds the sequences, then
    compares it with the template (``TemplateState``). Only a copy whose schema or seeded rows (the demo
    catalog) a test changed is dropped. A thread
    keeps one fresh copy ready for when no reset copy is (the first test, after a drop). Postgres refuses to
    copy a database someone is connected to: the thread copies only while it holds ``quiet``, which ``conn``
    holds for its whole test, and makes again a copy refused by another connection.
    """

    AHEAD = 1
    TRIES = 4
    TERMINATE_WAIT_MS = 5000

    def __init__(self, template_url: str) -> None:
        import psycopg

        self.template_url = template_url
        self.quiet = threading.RLock()  # re-entrant: a test holding ``conn`` that takes a copy gets Postgres's error
        with self.quiet, psycopg.connect(template_url) as connection:
            self.state = TemplateState.read(connection)
        self.reset_copies: list[str] = []
        self.ready: queue.Queue[str] = queue.Queue(maxsize=self.AHEAD)
        self.closed = threading.Event()
        self.failure: BaseException | None = None
        self.thread = threading.Thread(target=self._fill, name="template-copies", daemon=True)
        self.thread.start()

    def _new_name(self) -> str:
        return services.with_database(self.template_url, f"seen_test_{RUN_ID}_{uuid.uuid4().hex[:8]}")

    def copy(self) -> str:
        """A new copy of the template, made now. Postgres waits up to 5 s for another connection to the template
        to go before it refuses: a few tries, then the refusal is the test's error."""
        import psycopg

        url, template = self._new_name(), services.database_name(self.template_url)
        for _ in range(self.TRIES - 1):
            try:
                with self.quiet:
                    services.create_database(url, template=template)
                return url
            except psycopg.errors.ObjectInUse:  # "source database is being accessed by other users"
                time.sleep(0.2)
        with self.quiet:
            services.create_database(url, template=template)
        return url

    def _fill(self) -> None:
        try:
            while not self.closed.is_set():
                url = self.copy()
                while True:
                    try:
                        self.ready.put(url, timeout=0.5)
                        break
                    except queue.Full:
                        if self.closed.is_set():
                            services.drop_database(url)
                            return
        except BaseException as exc:  # told to the next take(), which then copies on its own
            self.failure = exc

    def take(self) -> str:
        """A copy nobody is using: a reset one, the one made ahead, or (when the thread failed or is behind)
        one made now."""
        if self.reset_copies:
            return self.reset_copies.pop()
        try:
            return self.ready.get(timeout=0 if self.failure else 30)
        except queue.Empty:
            return self.copy()

    def give_back(self, url: str) -> None:
        """A used copy, reset for the next test under a new name; dropped if it cannot be made the template
        again (a test changed its schema) or anything in the way fails."""
        import psycopg
        from psycopg import sql

        fresh = self._new_name()
        try:
            with services._pg_connect(services.with_database(url, "postgres")) as admin:
                for _ in range(self.TRIES):
                    admin.execute("SELECT pg_terminate_backend(pid, %s) FROM pg_stat_activity"
                                  " WHERE datname = %s AND pid <> pg_backend_pid()",
                                  (self.TERMINATE_WAIT_MS, services.database_name(url)))
                    try:
                        admin.execute(sql.SQL("ALTER DATABASE {} RENAME TO {}").format(
                            sql.Identifier(services.database_name(url)),
                            sql.Identifier(services.database_name(fresh))))
                        break
                    except psycopg.errors.ObjectInUse:  # a process of the test connected again meanwhile
                        continue
                else:
                    raise RuntimeError(f"{url} stays in use")
            with psycopg.connect(fresh, connect_timeout=5) as connection:
                if not self.state.reset(connection):
                    connection.rollback()
                    raise RuntimeError("the test changed the schema or a seeded table")
            self.reset_copies.append(fresh)
        except Exception:  # any doubt: the copy goes, the next test gets a fresh one
            services.drop_database(url)
            services.drop_database(fresh)

    def close(self) -> None:
        self.closed.set()
        self.thread.join(timeout=60)
        for url in self.reset_copies:
            services.drop_database(url)
        self.reset_copies.clear()
        while True:
            try:
                services.drop_database(self.ready.get_nowait())
            except queue.Empty:
                return


_copies: dict[str, TemplateCopies] = {}
_built: dict[tuple[str, str], str] = {}
_registry = threading.Lock()


def copies_of(template_url: str) -> TemplateCopies:
    """This process's copies of ``template_url`` (started on first use)."""
    with _registry:
        if template_url not in _copies:
            _copies[template_url] = TemplateCopies(template_url)
        return _copies[template_url]


def built_template(template_url: str, kind: str, build: Callable[[str], None]) -> str:
    """A database copied from ``template_url`` and filled by ``build(url)``, made once per process for ``kind``:
    every module that asks for the same seeded template (the demo catalog) shares it, as its tests only ever
    use copies of it. Dropped by ``close_all``."""
    key = (template_url, kind)
    with _registry:
        if key not in _built:
            url = services.with_database(template_url, f"seen_test_{kind}_{RUN_ID}_{uuid.uuid4().hex[:6]}")
            services.create_database(url, template=services.database_name(template_url))
            try:
                build(url)
            except BaseException:
                services.drop_database(url)
                raise
            _built[key] = url
        return _built[key]


def close_all() -> None:
    """Drop every copy and seeded template this process made (the copies first: a template with a copying
    thread cannot go before its copies)."""
    with _registry:
        for copies in _copies.values():
            copies.close()
        _copies.clear()
        for url in _built.values():
            services.drop_database(url)
        _built.clear()


def drop_run(server_url: str, run_id: str) -> None:
    """Drop every database of the run ``run_id`` still there (its copies, seeded and worker templates)."""
    import psycopg

    with psycopg.connect(services.with_database(server_url, "postgres"), autocommit=True) as admin:
        names = [row[0] for row in admin.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE 'seen\\_test\\_%%' AND datname LIKE %s",
            (f"%\\_{run_id}\\_%",))]
    for name in names:
        services.drop_database(services.with_database(server_url, name))

