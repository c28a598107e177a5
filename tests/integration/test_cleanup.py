"""The daily cleanup: what it removes, what it keeps (library files above all), and its report."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from chalicelib import aws as aws_clients
from chalicelib import db


@pytest.fixture
def world(client, clock, make_user):
    """Rows and objects of every kind, old and new; the clock is then moved two days on (past every grace)."""
    from chalicelib.config import get_aws_settings
    from chalicelib.telemetry import DownloadTelemetry, WorkerHeartbeat

    user_id, _ = make_user()
    bucket = get_aws_settings().bucket
    s3 = aws_clients.client("s3")
    now = datetime.now(UTC)
    ids: dict = {"user": user_id}
    with db.connection() as conn:
        def job(status: str, torrent: str | None = None) -> str:
            ended = now if status in ("completed", "failed", "cancelled") else None
            return str(conn.execute(
                "INSERT INTO download_jobs (user_id, source_type, source, torrent_key, status, progress, "
                "ended_at, completed_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s) RETURNING id",
                (user_id, "torrent" if torrent else "magnet", None if torrent else "magnet:?xt=urn:btih:" + "a" * 40,
                 torrent, status, 100 if status == "completed" else 0, ended,
                 ended if status == "completed" else None)).fetchone()["id"])

        ids["failed"], ids["done"], ids["running"] = job("failed"), job("completed"), job("downloading")
        ids["active_torrent_job"] = job("queued", "torrents/keep.torrent")
        for name in ("failed", "done", "running"):
            conn.execute("INSERT INTO download_events (job_id, to_status, attempt, at) VALUES (%s, 'queued', 1, %s)",
                         (ids[name], now - timedelta(days=90)))
        for age in (40, 1):  # a media-server event past the 30-day replay window, and a recent one
            conn.execute("INSERT INTO webhook_events (user_id, source, fingerprint, received_at) "
                         "VALUES (%s, 'plex', sha256(%s::text::bytea), %s)", (user_id, age, now - timedelta(days=age)))
        conn.execute("INSERT INTO sessions (user_id, expires_at) VALUES (%s, %s)", (user_id, now - timedelta(days=1)))
        conn.execute("INSERT INTO sessions (user_id, expires_at, revoked_at, revoked_reason) VALUES "
                     "(%s, %s, %s, 'logout')", (user_id, now + timedelta(days=30), now - timedelta(days=30)))
        for days in (60, 40, 1):
            conn.execute("INSERT INTO recommendation_snapshots (user_id, algorithm_version, computed_at) "
                         "VALUES (%s, 'test', %s)", (user_id, now - timedelta(days=days)))
        # Playback sessions: of one title an old one and its newest (also old: /resume's, kept); of another a
        # recent one. Only the first goes.
        movies = [conn.execute("INSERT INTO media_items (media_type, title) VALUES ('movie', %s) RETURNING id",
                               (title,)).fetchone()["id"] for title in ("Old", "Recent")]
        for media_id, days in ((movies[0], 60), (movies[0], 45), (movies[1], 1)):
            conn.execute("INSERT INTO playback_sessions (user_id, media_id, mode, updated_at) "
                         "VALUES (%s, %s, 'library', %s)", (user_id, media_id, now - timedelta(days=days)))
        # The library file lives under a failed job's staging prefix: it must survive anyway.
        library_key = f"downloads/{ids['failed']}/Movie.mkv"
        conn.execute("INSERT INTO library_items (storage_key, file_name, size_bytes) VALUES (%s, 'Movie.mkv', 4)",
                     (library_key,))
        conn.execute("INSERT INTO download_files (job_id, path, storage_key, size_bytes) VALUES (%s, 'a.mkv', %s, 4)",
                     (ids["done"], f"downloads/{ids['done']}/a.mkv"))
    ids["objects"] = {
        "library": library_key,
        "failed_partial": f"downloads/{ids['failed']}/part.mkv",
        "unknown_job": f"downloads/{uuid.uuid4()}/x.bin",
        "completed_file": f"downloads/{ids['done']}/a.mkv",
        "running_partial": f"downloads/{ids['running']}/part.mkv",
        "orphan_torrent": "torrents/orphan.torrent",
        "active_torrent": "torrents/keep.torrent",
        "other_prefix": "library/something.mkv",
    }
    for key in ids["objects"].values():
        s3.put_object(Bucket=bucket, Key=key, Body=b"data")
    old = now - timedelta(days=3)
    DownloadTelemetry(ids["failed"], attempt=1, status="failed", updated_at=old).save()
    DownloadTelemetry(ids["running"], attempt=1, status="downloading", updated_at=old).save()
    WorkerHeartbeat("gone", version="1", last_seen=now - timedelta(days=30), started_at=old).save()
    WorkerHeartbeat("here", version="1", last_seen=now, started_at=now).save()
    clock.advance(seconds=2 * 86400)
    return ids


def _invoke(client):
    event = client.events.generate_cw_event(source="aws.events", detail_type="Scheduled Event", detail={},
                                            resources=[])
    return client.lambda_.invoke("cleanup_daily", event)


def _keys() -> set[str]:
    from chalicelib.config import get_aws_settings

    listed = aws_clients.client("s3").list_objects_v2(Bucket=get_aws_settings().bucket)
    return {obj["Key"] for obj in listed.get("Contents", [])}


def test_cleanup_removes_what_ended_and_keeps_what_is_referenced(world, client):
    from chalicelib.telemetry import DownloadTelemetry, WorkerHeartbeat

    result = _invoke(client).payload
    assert result["status"] == "ok", result
    assert result["stats"] == {"sessions": 2, "downloadEvents": 2, "recommendationSnapshots": 2,
                               "playbackSessions": 1, "telemetryItems": 1, "workerHeartbeats": 1, "stagingObjects": 2,
                               "torrentUploads": 1, "engagementEvents": 0, "webhookEvents": 1}
    objects = world["objects"]
    assert _keys() == {objects[k] for k in ("library", "completed_file", "running_partial", "active_torrent",
                                            "other_prefix")}
    with db.connection() as conn:
        events = conn.execute("SELECT job_id::text AS job FROM download_events").fetchall()
        assert {row["job"] for row in events} == {world["running"]}
        assert conn.execute("SELECT count(*) AS n FROM recommendation_snapshots").fetchone()["n"] == 1
        kept = conn.execute("SELECT m.title, (now() - s.updated_at) > interval '40 days' AS old "
                            "FROM playback_sessions s JOIN media_items m ON m.id = s.media_id "
                            "ORDER BY m.title").fetchall()
        assert [(row["title"], row["old"]) for row in kept] == [("Old", True), ("Recent", False)]
        state = conn.execute("SELECT last_status, stats FROM sync_state WHERE job_name = 'cleanup.daily'").fetchone()
    assert state["last_status"] == "ok" and state["stats"]["stagingObjects"] == 2
    assert [t.job_id for t in DownloadTelemetry.scan()] == [world["running"]]
    assert [w.worker_id for w in WorkerHeartbeat.scan()] == ["here"]


def test_a_library_file_is_never_deleted_even_when_everything_else_says_so(world, client):
    """The file's job failed and is then deleted (its prefix points at no job): the library row still wins."""
    with db.connection() as conn:
        conn.execute("DELETE FROM download_jobs WHERE id = %s", (world["failed"],))
    _invoke(client)
    _invoke(client)
    assert world["objects"]["library"] in _keys()
    assert world["objects"]["failed_partial"] not in _keys()


def test_a_failing_step_is_reported_and_the_others_still_run(world, client):
    from chalicelib.config import get_aws_settings

    # Break S3 for this run by removing the bucket (settings are frozen; moto is reset per test).
    s3 = aws_clients.client("s3")
    bucket = get_aws_settings().bucket
    for key in _keys():
        s3.delete_object(Bucket=bucket, Key=key)
    s3.delete_bucket(Bucket=bucket)
    result = _invoke(client).payload
    assert result["status"] == "failed" and result["error"].startswith("bucket: ")
    assert result["stats"]["sessions"] == 2 and result["stats"]["downloadEvents"] == 2
    with db.connection() as conn:
        row = conn.execute("SELECT last_status, last_error, consecutive_failures FROM sync_state "
                           "WHERE job_name = 'cleanup.daily'").fetchone()
    assert row["last_status"] == "failed" and "bucket" in row["last_error"] and row["consecutive_failures"] == 1
    assert json.dumps(result)


def test_stale_playback_sessions_go_in_batches_and_each_titles_newest_stays(client, make_user):
    """250 Plays of one title long ago (three of them at the same last instant) and one of another: a batch
    removes at most its size; the daily run removes the rest, keeping per title the session /resume returns."""
    from chalicelib.cleanup import queries
    from chalicelib.playback import queries as playback_queries

    user_id, _ = make_user()
    old = datetime.now(UTC) - timedelta(days=60)
    with db.connection() as conn:
        many, one = (conn.execute("INSERT INTO media_items (media_type, title) VALUES ('movie', %s) RETURNING id",
                                  (title,)).fetchone()["id"] for title in ("Played often", "Played once"))
        conn.execute("INSERT INTO playback_sessions (user_id, media_id, mode, created_at, updated_at) "
                     "SELECT %s, %s, 'library', %s, %s - n * interval '1 minute' FROM generate_series(0, 246) n",
                     (user_id, many, old, old))
        conn.execute("INSERT INTO playback_sessions (user_id, media_id, mode, created_at, updated_at) "
                     "SELECT %s, %s, 'library', %s, %s FROM generate_series(1, 3)", (user_id, many, old, old))
        conn.execute("INSERT INTO playback_sessions (user_id, media_id, mode, updated_at) VALUES "
                     "(%s, %s, 'library', %s)", (user_id, one, old))
        resumed = playback_queries.session_latest(conn, user_id=user_id, media_id=many)["id"]
        assert queries.delete_playback_sessions(conn, before=old + timedelta(days=30), batch=100) == 100

    result = _invoke(client).payload
    assert result["status"] == "ok" and result["stats"]["playbackSessions"] == 149, result
    with db.connection() as conn:
        kept = conn.execute("SELECT id, media_id FROM playback_sessions WHERE user_id = %s", (user_id,)).fetchall()
    kept_by_title = {row["media_id"]: row["id"] for row in kept}
    assert len(kept) == 2 and kept_by_title.keys() == {many, one}, kept
    assert kept_by_title[many] == resumed
