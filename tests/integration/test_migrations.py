"""The whole schema applies to an empty database, rolls back to nothing, and re-applies."""

import uuid

import psycopg
import pytest

from chalicelib.db import migrate
from embedded import services


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
