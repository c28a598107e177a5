"""The whole schema applies to an empty database, rolls back to nothing, and re-applies; processes
starting together on a fresh database apply it exactly once (the advisory lock)."""

import os
import subprocess
import sys
import time
import uuid

import psycopg
import pytest

from chalicelib.db import MIGRATIONS_DIR, migrate
from embedded import services
from embedded.services import ROOT

MIGRATION_IDS = sorted(p.name.removesuffix(".sql") for p in MIGRATIONS_DIR.glob("*.sql")
                       if not p.name.endswith(".rollback.sql"))


@pytest.fixture
def empty_db(template_url):
    url = services.with_database(template_url, f"seen_test_mig_{uuid.uuid4().hex[:8]}")
    services.create_database(url)
    yield url
    services.drop_database(url)


def app_tables(url):
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE '_yoyo%%'"
            " AND tablename NOT LIKE 'yoyo%%'").fetchall()
    return {row[0] for row in rows}


def index_defs(url):
    with psycopg.connect(url) as conn:
        return {row[0]: row[1] for row in conn.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'").fetchall()}


def test_migrations_apply_roll_back_and_apply_again(empty_db):
    applied = migrate.apply(empty_db)
    assert applied >= 9
    tables = app_tables(empty_db)
    for table in ("users", "sessions", "media_items", "seasons", "episodes", "genres", "discover_sections",
                  "release_events", "sync_state", "user_watch_later", "user_watched", "user_progress",
                  "user_ratings", "user_favorites", "user_follows", "user_game_status", "collections",
                  "collection_items", "recommendation_snapshots", "download_jobs", "download_events",
                  "download_files", "library_items", "library_streams", "library_subtitles"):
        assert table in tables, table
    assert migrate.apply(empty_db) == 0  # idempotent

    assert migrate.rollback_all(empty_db) == applied
    assert app_tables(empty_db) == set()

    assert migrate.apply(empty_db) == applied
    assert "download_jobs" in app_tables(empty_db)


def test_the_indexes_the_design_names_exist(template_url):
    defs = " ".join(index_defs(template_url).values())
    assert "ON public.media_items USING btree (media_type, release_date)" in defs
    assert "gin_trgm_ops" in defs and "media_items USING gin" in defs
    assert "library_items USING gin" in defs
    for table in ("user_watch_later", "user_watched", "user_progress", "user_ratings", "user_favorites",
                  "user_follows", "user_game_status"):
        assert f"ON public.{table} USING btree (user_id, updated_at" in defs, table
    partial = [d for d in index_defs(template_url).values()
               if "download_jobs" in d and "(status, created_at)" in d and "WHERE" in d]
    assert partial and "queued" in partial[0] and "retrying" in partial[0]


def test_every_user_owned_table_has_an_index_starting_with_user_id(template_url):
    with psycopg.connect(template_url) as conn:
        owned = [row[0] for row in conn.execute(
            "SELECT table_name FROM information_schema.columns WHERE table_schema = 'public'"
            " AND column_name = 'user_id'").fetchall()]
    defs = index_defs(template_url).values()
    for table in owned:
        assert any(f"ON public.{table} " in d and ("(user_id" in d) for d in defs), table


@pytest.mark.parametrize(
    "statement",
    [
        "INSERT INTO media_items (media_type, title) VALUES ('podcast', 'x')",
        "INSERT INTO users (email, password_hash, display_name, role) VALUES ('a@b.c', 'h', 'A', 'root')",
        "INSERT INTO sync_state (job_name, last_status) VALUES ('x', 'maybe')",
    ],
)
def test_check_constraints_refuse_unknown_states(conn, statement):
    with pytest.raises(psycopg.errors.CheckViolation):
        conn.execute(statement)


# Each racer imports everything first, says it is ready, then waits for the go file: the four
# apply() calls start within a millisecond of each other.
RACER = """
import os, sys, time
from chalicelib.db import migrate
import yoyo, psycopg
url, ready, go = sys.argv[1:4]
open(ready, "w").close()
while not os.path.exists(go):
    time.sleep(0.0005)
print(migrate.apply(url))
"""


def start_racers(url, tmp_path, count):
    env = {**os.environ, "PYTHONPATH": f"{ROOT}:{ROOT / 'localstack'}"}
    return [subprocess.Popen([sys.executable, "-c", RACER, url, str(tmp_path / f"ready-{n}"), str(tmp_path / "go")],
                             cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for n in range(count)]


def go(procs, tmp_path):
    """Wait until every racer is ready, then let them all start at once."""
    deadline = time.monotonic() + 60
    while len(list(tmp_path.glob("ready-*"))) < len(procs):
        assert time.monotonic() < deadline and all(p.poll() is None for p in procs), "a racer died before the start"
        time.sleep(0.01)
    (tmp_path / "go").touch()


def outcomes(procs):
    """(exit code, migrations applied or None, stderr) per racer."""
    results = [(p.wait(timeout=120), *p.communicate()) for p in procs]
    return [(code, int(out.split()[-1]) if code == 0 else None, err) for code, out, err in results]


def release_racers(procs, tmp_path):
    go(procs, tmp_path)
    started = time.monotonic()
    return outcomes(procs), time.monotonic() - started


def blocked_on(conn, table):
    """How many sessions wait for a lock on ``table``."""
    return conn.execute("SELECT count(*) FROM pg_locks WHERE relation = %s::regclass AND NOT granted",
                        (table,)).fetchone()[0]


def wait_for(predicate, seconds=30):
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def yoyo_apply_counts(url):
    with psycopg.connect(url) as conn:
        return dict(conn.execute("SELECT migration_id, count(*) FROM _yoyo_log WHERE operation = 'apply'"
                                 " GROUP BY migration_id").fetchall())


def test_four_processes_starting_together_apply_every_migration_exactly_once(empty_db, tmp_path):
    results, seconds = release_racers(start_racers(empty_db, tmp_path, 4), tmp_path)
    print(f"4-process migration race on a fresh database: {seconds:.2f} s")
    for code, _count, err in results:
        assert code == 0, err[-3000:]
    assert sorted(count for _, count, _ in results) == [0, 0, 0, len(MIGRATION_IDS)]
    assert yoyo_apply_counts(empty_db) == {mid: 1 for mid in MIGRATION_IDS}
    assert "download_jobs" in app_tables(empty_db)


def test_apply_waits_while_another_process_holds_the_migration_lock(empty_db, tmp_path):
    with psycopg.connect(empty_db, autocommit=True) as holder:
        holder.execute("SELECT pg_advisory_lock(%s)", (migrate.MIGRATION_LOCK_KEY,))
        [racer] = start_racers(empty_db, tmp_path, 1)
        (tmp_path / "go").touch()
        time.sleep(2)
        assert racer.poll() is None, racer.communicate()
        assert app_tables(empty_db) == set()
        holder.execute("SELECT pg_advisory_unlock(%s)", (migrate.MIGRATION_LOCK_KEY,))
        assert racer.wait(timeout=60) == 0, racer.communicate()
    assert int(racer.communicate()[0].split()[-1]) == len(MIGRATION_IDS)


def test_a_migration_slower_than_yoyos_own_lock_timeout_fails_none_of_the_waiting_processes(empty_db, tmp_path):
    migrate.apply(empty_db, target="0009")
    procs = start_racers(empty_db, tmp_path, 4)
    with psycopg.connect(empty_db) as blocker:
        blocker.execute("LOCK TABLE download_jobs IN ACCESS EXCLUSIVE MODE")  # 0010 alters it: the migrator waits
        go(procs, tmp_path)
        wait_for(lambda: blocked_on(blocker, "download_jobs") == 1)
        time.sleep(11)  # yoyo's own lock gives up after 10 s; the advisory lock waits
        assert [p.poll() for p in procs] == [None] * 4
    results = outcomes(procs)
    assert [code for code, _, _ in results] == [0] * 4, [err[-2000:] for _, _, err in results]
    assert sorted(count for _, count, _ in results) == [0, 0, 0, len(MIGRATION_IDS) - 9]
    assert yoyo_apply_counts(empty_db) == {mid: 1 for mid in MIGRATION_IDS}


def test_a_process_killed_mid_migration_does_not_block_the_next_start(empty_db, tmp_path):
    migrate.apply(empty_db, target="0009")
    with psycopg.connect(empty_db) as blocker:
        blocker.execute("LOCK TABLE download_jobs IN ACCESS EXCLUSIVE MODE")
        [racer] = start_racers(empty_db, tmp_path, 1)
        go([racer], tmp_path)
        wait_for(lambda: blocked_on(blocker, "download_jobs") == 1)  # inside migration 0010
        racer.kill()
        racer.wait(timeout=10)
        assert blocker.execute("SELECT count(*) FROM yoyo_lock").fetchone()[0] == 1  # yoyo's lock row stays
    assert migrate.apply(empty_db) == len(MIGRATION_IDS) - 9
    assert yoyo_apply_counts(empty_db) == {mid: 1 for mid in MIGRATION_IDS}


def test_target_applies_up_to_and_including_that_migration(empty_db):
    assert migrate.apply(empty_db, target="0004") == 4
    assert set(yoyo_apply_counts(empty_db)) == set(MIGRATION_IDS[:4])
    assert migrate.apply(empty_db, target="0004") == 0
    assert migrate.apply(empty_db) == len(MIGRATION_IDS) - 4
    with pytest.raises(ValueError, match="9999"):
        migrate.apply(empty_db, target="9999")
