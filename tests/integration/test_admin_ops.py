"""/api/v1/admin/{workers,sync-jobs,queues,storage}: contents and the authorization matrix."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from chalicelib import aws as aws_clients
from tests.integration.tracking_support import Api

PATHS = [("GET", "/api/v1/admin/workers"), ("GET", "/api/v1/admin/sync-jobs"), ("GET", "/api/v1/admin/queues"),
         ("GET", "/api/v1/admin/storage"), ("POST", "/api/v1/admin/sync-jobs/cleanup.daily/run"),
         ("GET", "/api/v1/admin/settings"), ("PATCH", "/api/v1/admin/settings")]


@pytest.fixture
def admin(client, auth_headers):
    return Api(client, auth_headers(role="admin"))


@pytest.mark.parametrize(("method", "path"), PATHS)
def test_admin_routes_are_403_for_a_user_and_401_anonymous(client, auth_headers, method, path):
    user = Api(client, auth_headers())
    status, data = user(method, path, {} if method != "GET" else None)
    assert status == 403, data
    assert getattr(client.http, method.lower())(path).status_code == 401


def test_workers_from_heartbeats_online_and_offline(admin):
    from chalicelib.telemetry import WorkerHeartbeat

    now = datetime.now(UTC)
    WorkerHeartbeat("home-1", version="1.2.0", last_seen=now, started_at=now - timedelta(hours=1),
                    free_disk_bytes=5_000_000, active_jobs=2).save()
    WorkerHeartbeat("old-box", version="1.0.0", last_seen=now - timedelta(minutes=10),
                    started_at=now - timedelta(days=1)).save()
    status, data = admin("GET", "/api/v1/admin/workers")
    assert status == 200
    assert [(w["id"], w["online"], w["activeJobs"], w["freeDiskBytes"]) for w in data["items"]] == [
        ("home-1", True, 2, 5_000_000), ("old-box", False, 0, 0)]
    assert data["items"][0]["version"] == "1.2.0"


def test_queue_depths_and_dead_letters(admin):
    from chalicelib.awsinit import dlq_name
    from chalicelib.config import get_aws_settings

    names = get_aws_settings()
    sqs = aws_clients.client("sqs")
    for _ in range(2):
        sqs.send_message(QueueUrl=aws_clients.queue_url(names.commands_queue), MessageBody="{}")
    sqs.send_message(QueueUrl=aws_clients.queue_url(dlq_name(names.events_queue)), MessageBody="{}")
    status, data = admin("GET", "/api/v1/admin/queues")
    assert status == 200
    by_name = {q["name"]: q for q in data["items"]}
    assert by_name[names.commands_queue]["visible"] == 2 and by_name[names.commands_queue]["deadLetters"] == 0
    assert by_name[names.events_queue]["visible"] == 0 and by_name[names.events_queue]["deadLetters"] == 1


def test_storage_per_media_type(admin):
    from chalicelib import db

    with db.connection() as conn:
        movie = conn.execute("INSERT INTO media_items (media_type, title) VALUES ('movie', 'M') RETURNING id"
                             ).fetchone()["id"]
        for n, (size, media) in enumerate([(100, movie), (50, movie), (7, None)]):
            conn.execute("INSERT INTO library_items (storage_key, file_name, size_bytes, match_state, media_id) "
                         "VALUES (%s, 'f.mkv', %s, %s, %s)",
                         (f"library/{n}.mkv", size, "matched" if media else "unmatched", media))
    status, data = admin("GET", "/api/v1/admin/storage")
    assert status == 200
    assert data == {"items": [{"mediaType": "movie", "files": 2, "bytes": 150},
                              {"mediaType": "unmatched", "files": 1, "bytes": 7}], "totalBytes": 157}


def test_sync_jobs_list_and_run_now_records_a_manual_run(admin):
    status, data = admin("GET", "/api/v1/admin/sync-jobs")
    assert status == 200
    jobs = {job["name"]: job for job in data["items"]}
    assert jobs["cleanup.daily"]["status"] is None and jobs["cleanup.daily"]["canRun"] is True
    assert "catalog.tmdb_movies" in jobs and "calendar.fill" in jobs
    status, ran = admin("POST", "/api/v1/admin/sync-jobs/cleanup.daily/run")
    assert status == 200, ran
    assert ran["status"] == "ok" and ran["durationMs"] is not None and ran["lastFinishedAt"]
    assert set(ran["stats"]) >= {"sessions", "downloadEvents", "stagingObjects", "torrentUploads"}
    from chalicelib import db

    with db.connection() as conn:
        run = conn.execute("SELECT trigger, requested_by FROM sync_runs WHERE job_name = 'cleanup.daily'").fetchone()
    assert run["trigger"] == "manual" and run["requested_by"] is not None
    assert admin("GET", "/api/v1/admin/sync-jobs")[1]["items"] != data["items"]


def test_run_now_of_an_unknown_job_is_404(admin):
    status, data = admin("POST", "/api/v1/admin/sync-jobs/nope.job/run")
    assert status == 404 and data["error"]["code"] == "sync_job_not_found"
    assert json.dumps(data)


def test_sync_jobs_say_which_key_a_job_lacks(admin, settings_env):
    from chalicelib.settings import credentials

    credentials.forget()
    settings_env(TMDB_API_KEY="", TMDB_READ_TOKEN="", IGDB_CLIENT_ID="igdb-id", IGDB_CLIENT_SECRET="igdb-secret",
                 TWITCH_CLIENT_ID="", TWITCH_CLIENT_SECRET="")
    status, data = admin("GET", "/api/v1/admin/sync-jobs")
    assert status == 200
    needs = {job["name"]: job["needsKey"] for job in data["items"]}
    assert needs["catalog.tmdb_movies"] == "tmdb" and needs["catalog.tmdb_shows"] == "tmdb"
    assert needs["catalog.igdb_games"] is None and needs["picks.monitor"] is None and needs["cleanup.daily"] is None

    settings_env(TMDB_API_KEY="tmdb-key")
    status, data = admin("GET", "/api/v1/admin/sync-jobs")
    assert {job["name"]: job["needsKey"] for job in data["items"]}["catalog.tmdb_movies"] is None
