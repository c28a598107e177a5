"""Connections, transactions, named queries and the self-healing Lambda connection."""

import psycopg
import pytest

from chalicelib import db
from chalicelib.db import _SingleConnection


def test_named_queries_load_from_sql_files(app_db):
    with db.connection() as conn:
        assert db.queries().ping(conn) == 1


def test_transaction_commits_on_success_and_rolls_back_on_error(app_db):
    with db.transaction() as conn:
        conn.execute("INSERT INTO sync_state (job_name, last_status) VALUES ('kept', 'ok')")
    with pytest.raises(RuntimeError), db.transaction() as conn:
        conn.execute("INSERT INTO sync_state (job_name, last_status) VALUES ('lost', 'ok')")
        raise RuntimeError("half-way")
    with db.connection() as conn:
        names = [row["job_name"] for row in conn.execute("SELECT job_name FROM sync_state ORDER BY 1")]
    assert names == ["kept"]


def test_single_connection_heals_after_the_server_drops_it(app_db):
    provider = _SingleConnection(app_db, timeout=5)
    try:
        with provider.connection() as conn:
            pid = conn.info.backend_pid
        with psycopg.connect(app_db, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
        with pytest.raises(psycopg.OperationalError), provider.connection() as conn:
            conn.execute("SELECT 1")
        with provider.connection() as conn:  # the next request gets a new connection
            assert conn.execute("SELECT 1").fetchone() == {"?column?": 1}
            assert conn.info.backend_pid != pid
    finally:
        provider.close()


def test_single_connection_never_leaks_an_open_transaction(app_db):
    provider = _SingleConnection(app_db, timeout=5)
    try:
        with provider.connection() as conn:
            conn.autocommit = False
            conn.execute("INSERT INTO sync_state (job_name, last_status) VALUES ('dangling', 'ok')")
        with provider.connection() as conn:
            conn.autocommit = True
            assert conn.execute("SELECT count(*) AS n FROM sync_state").fetchone()["n"] == 0
    finally:
        provider.close()


def test_password_comes_from_secrets_manager_when_configured(app_db, aws, monkeypatch):
    """In AWS the URL carries no password; the secret supplies user and password."""
    import json
    import uuid

    from chalicelib import aws as aws_clients
    from chalicelib import config

    role = f"seen_app_{uuid.uuid4().hex[:8]}"  # roles are cluster-wide: never collide with another run
    arn = aws_clients.client("secretsmanager").create_secret(
        Name="seen/db", SecretString=json.dumps({"username": role, "password": "s3cret"}))["ARN"]
    with psycopg.connect(app_db, autocommit=True) as admin:
        admin.execute(f"CREATE ROLE {role} LOGIN PASSWORD 's3cret'")
    monkeypatch.setenv("SEEN_DATABASE_SECRET_ARN", arn)
    monkeypatch.setenv("SEEN_DB_POOL_SIZE", "0")
    config.get_settings.cache_clear()
    db.reset()
    monkeypatch.setattr(db, "_credentials", None)
    try:
        with db.connection() as conn:
            assert conn.execute("SELECT current_user AS u").fetchone()["u"] == role
    finally:
        monkeypatch.undo()
        config.get_settings.cache_clear()
        db.reset()
        with psycopg.connect(app_db, autocommit=True) as admin:
            admin.execute(f"DROP OWNED BY {role}")
            admin.execute(f"DROP ROLE {role}")


def test_json_columns_decode_fast_and_still_read_what_orjson_refuses(app_db):
    """JSON is decoded by orjson; a document it refuses (an escaped lone surrogate, which a ``json`` column keeps
    as written; a number past a double's range) is still read, by the standard library, as before."""
    with db.connection() as conn:
        row = conn.execute("""SELECT json_build_array(1, 2.5, 'Amélie', NULL) AS plain,
                                     '["\\ud800 alone"]'::json AS surrogate, '[1e400]'::json AS huge""").fetchone()
    assert row["plain"] == [1, 2.5, "Amélie", None]
    assert row["surrogate"] == ["\ud800 alone"]
    assert row["huge"] == [float("inf")]
