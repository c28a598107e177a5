"""The suite's own databases (tests/db_support.py): a copy given back is the template again, or it is dropped.

Every ``app_db`` test after the first of a process runs in a copy an earlier test used: if a reset could leave a
row, a sequence or a schema change behind, tests would pass or fail by their order. These check the reset on
copies of a template of their own (migrated, with one seeded table), so they never touch another test's.
"""

from __future__ import annotations

import psycopg
import pytest

from embedded import services
from tests import db_support


@pytest.fixture
def seeded_template(template_url):
    """The migrated template plus a seeded row in ``genres`` (as the demo catalog seeds its tables)."""
    url = db_support.built_template(template_url, "copies-test", _seed)
    copies = db_support.TemplateCopies(url)
    yield copies
    copies.close()


GENRE = "INSERT INTO genres (source, name, slug, media_types) VALUES ('local', %s, %s, '{movie}')"


def _seed(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(GENRE, ("Drama", "drama"))


def exists(url: str) -> bool:
    with psycopg.connect(services.with_database(url, "postgres"), autocommit=True) as admin:
        name = services.database_name(url)
        return admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is not None


def test_a_copy_given_back_has_no_row_and_no_sequence_step_of_the_test_before(seeded_template):
    first = seeded_template.take()
    with psycopg.connect(first, autocommit=True) as connection:
        user = connection.execute(
            "INSERT INTO users (email, password_hash, role) VALUES ('a@seen.test', 'x', 'admin') RETURNING id"
        ).fetchone()[0]
        connection.execute("INSERT INTO sessions (user_id, expires_at) VALUES (%s, now() + interval '1 day')", (user,))
        step = connection.execute("SELECT nextval('genres_id_seq')").fetchone()[0]
    seeded_template.give_back(first)

    assert not exists(first)  # renamed: a straggler of the old test cannot reach the next one's rows
    assert len(seeded_template.reset_copies) == 1  # reset, not dropped
    second = seeded_template.take()
    assert seeded_template.reset_copies == []
    with psycopg.connect(second) as connection:
        assert connection.execute("SELECT count(*) FROM users").fetchone()[0] == 0
        assert connection.execute("SELECT count(*) FROM sessions").fetchone()[0] == 0
        assert connection.execute("SELECT nextval('genres_id_seq')").fetchone()[0] == step
        assert connection.execute("SELECT name FROM genres").fetchall() == [("Drama",)]


def test_a_connection_the_test_left_open_is_closed_and_the_copy_still_reused(seeded_template):
    url = seeded_template.take()
    straggler = psycopg.connect(url, autocommit=True)
    straggler.execute("INSERT INTO users (email, password_hash, role) VALUES ('b@seen.test', 'x', 'user')")
    seeded_template.give_back(url)

    with pytest.raises(psycopg.OperationalError):
        straggler.execute("SELECT 1")
    assert len(seeded_template.reset_copies) == 1


@pytest.mark.parametrize("change", [
    "ALTER TABLE users ADD COLUMN nickname text",
    "CREATE INDEX users_by_role ON users (role)",
    "CREATE FUNCTION leftover() RETURNS int LANGUAGE sql AS 'SELECT 1'",
    "UPDATE genres SET name = 'Dramas'",
    "DELETE FROM genres",
    "INSERT INTO genres (source, name, slug, media_types) VALUES ('local', 'Comedy', 'comedy', '{movie}')",
])
def test_a_copy_whose_schema_or_seeded_rows_changed_is_dropped(seeded_template, change):
    url = seeded_template.take()
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(change)
    seeded_template.give_back(url)

    assert seeded_template.reset_copies == []
    assert not exists(url)
    with psycopg.connect(seeded_template.take()) as connection:  # the next test gets a fresh copy
        assert connection.execute("SELECT name FROM genres").fetchall() == [("Drama",)]
