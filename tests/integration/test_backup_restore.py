"""``python -m server.backup``: a real instance backed up by the CLI (a subprocess), restored into a
fresh database and a fresh bucket, and read back through the API; corrupt or unsafe restores refused."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from cryptography.fernet import Fernet

from chalicelib.config import get_aws_settings
from chalicelib.library.naming import parse
from chalicelib.messages import IndexedStream, LibraryFileIndexed
from embedded import services
from tests.conftest import TEST_PASSWORD
from tests.integration.tracking_support import Api

ROOT = Path(__file__).resolve().parents[2]
KEY = Fernet.generate_key().decode()
VIDEO_KEY = "media/library/Movies/Up (2009)/Up (2009).mp4"
BIG_KEY = "media/library/big ../odd key?.bin"  # multipart-sized, and a key no file tree could mirror


def cli(*args: str, **env: str) -> tuple[int, list[dict]]:
    """Run the CLI as ``make backup`` does; returns the exit code and the JSON progress lines."""
    done = subprocess.run([sys.executable, "-m", "server.backup", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, env={**os.environ, "PYTHONPATH": f"{ROOT}:{ROOT / 'localstack'}", **env})
    print(done.stderr)  # shown by pytest when the test fails
    assert all(line.startswith("{") for line in done.stdout.splitlines()), done.stdout
    return done.returncode, [json.loads(line) for line in done.stdout.splitlines()]


def _refresh() -> None:
    """Re-read settings now (chalice's test client patches the environment during requests)."""
    from chalicelib import aws, config, db

    db.reset()
    aws.reset()
    config.get_settings.cache_clear()
    config.get_aws_settings.cache_clear()
    config.get_settings()
    config.get_aws_settings()


@contextmanager
def app_at(database_url: str, bucket: str):
    """Point the in-process app at another database and bucket for the block."""
    saved = {name: os.environ.get(name) for name in ("DATABASE_URL", "SEEN_BUCKET")}
    os.environ.update(DATABASE_URL=database_url, SEEN_BUCKET=bucket)
    _refresh()
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        _refresh()


@pytest.fixture
def fresh(template_url):
    """A database name and a bucket name that do not exist yet (the restore creates both)."""
    url = services.with_database(template_url, f"seen_test_restore_{uuid.uuid4().hex[:8]}")
    yield url, f"seen-restored-{uuid.uuid4().hex[:8]}"
    from chalicelib import db

    db.reset()
    services.drop_database(url)


def deliver(client, message) -> None:
    event = client.events.generate_sqs_event(message_bodies=[message.to_json()],
                                             queue_name=get_aws_settings().events_queue)
    assert client.lambda_.invoke("worker_events", event).payload == {"batchItemFailures": []}


def library_item(client, headers, video: bytes) -> str:
    """An object in the bucket (content type + sha256 tag, as upload-ahead stores them) and its library item."""
    from chalicelib import aws

    s3, bucket = aws.client("s3"), get_aws_settings().bucket
    s3.put_object(Bucket=bucket, Key=VIDEO_KEY, Body=video, ContentType="video/mp4",
                  Tagging=f"sha256={hashlib.sha256(video).hexdigest()}")
    path = "Movies/Up (2009)/Up (2009).mp4"
    deliver(client, LibraryFileIndexed(
        key=VIDEO_KEY, path=f"/srv/library/{path}", size=len(video), guess=parse(path),
        probe={"container": "mp4", "duration": 60.0, "width": 1920, "height": 1080, "videoCodec": "h264",
               "audioCodecs": ["aac"], "audioLanguages": ["eng"]},
        streams=[IndexedStream(kind="original", key=VIDEO_KEY, mime_type="video/mp4", container="mp4",
                               size=len(video))]))
    items = json.loads(client.http.get("/api/v1/library?pageSize=10", headers=headers).body)["items"]
    assert len(items) == 1
    return items[0]["id"]


def build_instance(client, make_user, cat, email: str) -> dict:
    """A signed-in admin with history, progress, settings, a secret and a library item with its object."""
    user_id, headers = make_user(email=email, role="admin")
    api = Api(client, headers)
    movie, (show, episodes) = cat.movie(title="Up"), cat.show({1: 2})
    assert api("POST", "/api/v1/watched", {"mediaId": movie, "watchedAt": "2024-01-02T20:00:00Z"})[0] == 201
    assert api("POST", "/api/v1/progress", {"mediaId": show, "episodeId": episodes[(1, 1)], "positionSeconds": 300,
                                            "durationSeconds": 1200})[0] == 200
    status, prefs = api("PATCH", "/api/v1/settings", {"subtitleLanguages": ["de", "en"], "theme": "light",
                                                      "watchedThresholdPercent": 80})
    assert status == 200, prefs
    video = os.urandom(300_000)
    item_id = library_item(client, headers, video)  # before the TMDB key: no match attempt against TMDB
    status, instance = api("PATCH", "/api/v1/admin/settings", {"tmdbApiKey": "tmdb-secret-123",
                                                               "twitchClientId": "abc"})
    assert status == 200, instance
    return {"user_id": user_id, "api": api, "movie": movie, "show": show, "episode": episodes[(1, 1)],
            "prefs": prefs, "item_id": item_id, "video": video}


def test_a_backup_restores_into_a_fresh_database_and_bucket(client, make_user, cat, settings_env, fresh, tmp_path):
    from chalicelib import aws, db
    from chalicelib.settings import service

    settings_env(SEEN_SETTINGS_KEY=KEY)
    email = f"backup-{uuid.uuid4().hex[:8]}@seen.test"
    state = build_instance(client, make_user, cat, email)
    big = os.urandom(9 * 1024 * 1024)
    aws.client("s3").put_object(Bucket=get_aws_settings().bucket, Key=BIG_KEY, Body=big,
                                ContentType="application/octet-stream", Tagging="kind=big&note=a%20b")

    code, lines = cli("create", "--out", str(tmp_path / "backups"))
    assert code == 0, lines
    backups = list((tmp_path / "backups").iterdir())
    assert [b.name.startswith("seen-") for b in backups] == [True]  # no partial directory left beside it
    manifest = json.loads((backups[0] / "manifest.json").read_text())
    assert manifest["database"]["counts"]["users"] == {"users": 1}
    assert manifest["database"]["counts"]["tracking"]["user_watched"] == 1
    assert (manifest["media"]["objects"], manifest["media"]["bytes"]) == (2, len(big) + len(state["video"]))
    assert manifest["schemaHead"].startswith("00") and KEY not in json.dumps(manifest)
    assert manifest["secrets"]["SEEN_SETTINGS_KEY"]["fingerprint"]

    _second_backup_links_unchanged_objects(tmp_path / "backups", backups[0])
    url, bucket = fresh
    code, lines = cli("restore", "--from", str(backups[0]), DATABASE_URL=url, SEEN_BUCKET=bucket)
    assert code == 0, lines
    assert lines[-1]["action"] == "restore_done" and lines[-1]["counts"] == manifest["database"]["counts"]
    assert not any(line["action"] == "warning" for line in lines)  # same keys: nothing to warn about

    with app_at(url, bucket):
        _check_restored(client, state, email, big)
        with db.connection() as conn:
            assert service.instance_secret(conn, "tmdb_api_key") == "tmdb-secret-123"


def _second_backup_links_unchanged_objects(parent: Path, first: Path) -> None:
    code, lines = cli("create", "--out", str(parent))
    assert code == 0, lines
    (second,) = [b for b in parent.iterdir() if b != first]
    assert json.loads((second / "manifest.json").read_text())["media"]["reused"] == 2
    entries = json.loads((second / "objects.json").read_text())
    assert {(first / e["file"]).stat().st_ino == (second / e["file"]).stat().st_ino for e in entries} == {True}


def _check_restored(client, state: dict, email: str, big: bytes) -> None:
    from chalicelib import aws, cache

    cache.get_redis().flushdb()
    response = client.http.post("/api/v1/auth/login", headers={"Content-Type": "application/json"},
                                body=json.dumps({"email": email, "password": TEST_PASSWORD}))
    assert response.status_code == 200, response.body
    api = Api(client, {"Authorization": f"Bearer {json.loads(response.body)['accessToken']}",
                       "Content-Type": "application/json"})
    history = api("GET", "/api/v1/watched")[1]
    assert [(i["media"]["id"], i["watchedAt"][:10]) for i in history["items"]] == [(state["movie"], "2024-01-02")]
    progress = api("GET", f"/api/v1/progress?mediaId={state['show']}")[1]["items"]
    assert [(p["episode"]["id"], p["positionSeconds"]) for p in progress] == [(state["episode"], 300)]
    assert api("GET", "/api/v1/settings")[1] == state["prefs"]
    instance = api("GET", "/api/v1/admin/settings")[1]
    assert instance["tmdbApiKey"]["set"] is True and instance["twitchClientId"] == "abc"
    status, stream = api("GET", f"/api/v1/library/{state['item_id']}/stream")
    assert status == 200, stream
    assert f"/{os.environ['SEEN_BUCKET']}/" in stream["url"]
    assert httpx.get(stream["url"], timeout=10).content == state["video"]
    s3, bucket = aws.client("s3"), os.environ["SEEN_BUCKET"]
    tags = s3.get_object_tagging(Bucket=bucket, Key=VIDEO_KEY)["TagSet"]
    assert [t["Key"] for t in tags] == ["sha256"]
    head = s3.head_object(Bucket=bucket, Key=BIG_KEY)
    assert (head["ContentType"], head["ContentLength"]) == ("application/octet-stream", len(big))
    big_tags = {t["Key"]: t["Value"] for t in s3.get_object_tagging(Bucket=bucket, Key=BIG_KEY)["TagSet"]}
    assert big_tags == {"kind": "big", "note": "a b"}
    assert s3.get_object(Bucket=bucket, Key=BIG_KEY)["Body"].read() == big


def _restore_target_is_untouched(url: str, bucket: str) -> None:
    from chalicelib import aws

    with app_at(url, bucket):
        buckets = [b["Name"] for b in aws.client("s3").list_buckets()["Buckets"]]
        assert bucket not in buckets
    import psycopg

    with psycopg.connect(services.with_database(url, "postgres")) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (services.database_name(url),))
        assert exists.fetchone() is None


def test_a_corrupt_dump_exits_2_and_touches_nothing(client, make_user, fresh, tmp_path):
    make_user()
    code, lines = cli("create", "--out", str(tmp_path), "--no-media")
    assert code == 0, lines
    (backup,) = tmp_path.iterdir()
    dump = backup / "database.dump"
    data = bytearray(dump.read_bytes())
    data[len(data) // 2] ^= 0xFF
    dump.write_bytes(bytes(data))
    url, bucket = fresh
    code, lines = cli("restore", "--from", str(backup), DATABASE_URL=url, SEEN_BUCKET=bucket)
    assert code == 2 and lines[-1]["action"] == "error" and "checksum" in lines[-1]["message"], lines
    _restore_target_is_untouched(url, bucket)
    assert cli("restore", "--from", str(tmp_path / "nothing-here"), DATABASE_URL=url)[0] == 2
    manifest = json.loads((backup / "manifest.json").read_text())
    dump.write_bytes(b"not a pg_dump archive")  # checksum and dump agree, but pg_restore cannot read it
    manifest["database"]["sha256"] = hashlib.sha256(b"not a pg_dump archive").hexdigest()
    (backup / "manifest.json").write_text(json.dumps(manifest))
    code, lines = cli("restore", "--from", str(backup), DATABASE_URL=url, SEEN_BUCKET=bucket)
    assert code == 2 and "not a readable pg_dump archive" in lines[-1]["message"], lines
    del manifest["database"]
    (backup / "manifest.json").write_text(json.dumps(manifest))
    assert cli("restore", "--from", str(backup), DATABASE_URL=url, SEEN_BUCKET=bucket)[0] == 2
    _restore_target_is_untouched(url, bucket)


def test_a_database_with_users_is_replaced_only_with_force(client, make_user, app_db, tmp_path):
    from chalicelib import db

    kept, _ = make_user()
    code, lines = cli("create", "--out", str(tmp_path), "--no-media", SEEN_SETTINGS_KEY=KEY)
    assert code == 0, lines
    (backup,) = tmp_path.iterdir()
    later, _ = make_user()
    code, lines = cli("restore", "--from", str(backup))
    assert code == 2 and "--force" in lines[-1]["message"], lines
    with db.connection() as conn:
        assert {r["id"] for r in conn.execute("SELECT id FROM users")} == {kept, later}
    other_key = Fernet.generate_key().decode()
    code, lines = cli("restore", "--from", str(backup), "--force", SEEN_SETTINGS_KEY=other_key)
    assert code == 0, lines
    warnings = [line["message"] for line in lines if line["action"] == "warning"]
    assert len(warnings) == 1 and "SEEN_SETTINGS_KEY differs" in warnings[0] and other_key not in warnings[0]
    db.reset()
    with db.connection() as conn:
        assert {r["id"] for r in conn.execute("SELECT id FROM users")} == {kept}


@pytest.fixture
def old_database(template_url):
    """A database made by an earlier /seen/: every migration but the last two, and a user in it."""
    import psycopg
    from yoyo import get_backend, read_migrations

    from chalicelib.db import MIGRATIONS_DIR

    url = services.with_database(template_url, f"seen_test_old_{uuid.uuid4().hex[:8]}")
    services.create_database(url)
    migrations = read_migrations(str(MIGRATIONS_DIR))
    backend = get_backend(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with backend.lock():
        backend.apply_migrations(migrations.__class__(list(migrations)[:-2], migrations.post_apply))
    backend.connection.close()
    with psycopg.connect(url) as conn:
        conn.execute("INSERT INTO users (email, password_hash) VALUES ('old@seen.test', 'x')")
    yield url, [m.id for m in migrations]
    services.drop_database(url)


def test_a_backup_of_an_older_schema_is_upgraded_by_the_restore(old_database, fresh, tmp_path):
    old_url, ids = old_database
    code, lines = cli("create", "--out", str(tmp_path), "--no-media", DATABASE_URL=old_url)
    assert code == 0, lines
    (backup,) = tmp_path.iterdir()
    manifest = json.loads((backup / "manifest.json").read_text())
    assert (manifest["schemaHead"], manifest["media"]["included"]) == (ids[-3], False)
    url, _ = fresh
    code, lines = cli("restore", "--from", str(backup), DATABASE_URL=url)
    assert code == 0, lines
    assert lines[-1]["migrationsApplied"] == 2 and lines[-1]["counts"]["users"] == {"users": 1}
    import psycopg

    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT max(migration_id) FROM _yoyo_migration").fetchone()[0] == ids[-1]

    manifest["schemaHead"] = "9999_from_the_future"
    (backup / "manifest.json").write_text(json.dumps(manifest))
    code, lines = cli("restore", "--from", str(backup), "--force", DATABASE_URL=url)
    assert code == 2 and "newer than this /seen/" in lines[-1]["message"], lines
