"""The downloads API contract: submit, list, read, cancel, timeline; bad input; user isolation."""

import base64
import hashlib
import json
import uuid
from datetime import UTC, datetime

import fastbencode
import pytest
from downloads_support import (
    MAGNET,
    body,
    bucket_keys,
    commands,
    job_events,
    job_row,
    submit,
    torrent_b64,
)

from chalicelib import aws
from chalicelib.config import get_aws_settings
from embedded.testpeers import make_torrent


@pytest.fixture
def user(make_user):
    return make_user()


@pytest.fixture
def headers(user):
    return user[1]


def error(response) -> dict:
    return body(response)["error"]


def test_submit_magnet_commits_job_and_first_event_then_sends_the_command(client, headers):
    response = submit(client, headers, title="  Night of the Living Dead ")
    assert response.status_code == 201
    job = body(response)
    assert job["status"] == "queued" and job["sourceType"] == "magnet" and job["source"] == MAGNET
    assert job["title"] == "Night of the Living Dead" and job["infoHash"] == "c" * 40
    assert (job["attempt"], job["retryCount"], job["progress"], job["live"]) == (1, 0, 0.0, False)
    row = job_row(job["id"])
    assert row["command_sent_at"] is not None and row["ended_at"] is None
    events = job_events(job["id"])
    assert [(e["from_status"], e["to_status"], e["actor"]) for e in events] == [(None, "queued", "api")]
    sent = commands()
    assert [(c.job_id, c.attempt, c.source_type, c.source) for c in sent] == [(job["id"], 1, "magnet", MAGNET)]


def test_title_defaults_to_the_magnet_display_name(client, headers):
    assert body(submit(client, headers))["title"] == "Big Buck Bunny"


def test_torrent_upload_is_validated_and_stored_under_torrents(client, headers, tmp_path):
    (tmp_path / "clip.mkv").write_bytes(b"x" * 50_000)
    raw = make_torrent(tmp_path / "clip.mkv")
    response = submit(client, headers, "torrent", torrent_b64(raw))
    assert response.status_code == 201, response.body
    job = body(response)
    assert job["source"] is None and job["title"] == "clip.mkv" and len(job["infoHash"]) == 40
    key = f"torrents/{hashlib.sha256(raw).hexdigest()}.torrent"
    assert bucket_keys("torrents/") == [key]
    stored = aws.client("s3").get_object(Bucket=get_aws_settings().bucket, Key=key)["Body"].read()
    assert stored == raw
    assert [(c.source_type, c.torrent_key, c.source) for c in commands()] == [("torrent", key, None)]


def test_http_url_needs_allow_private_for_a_local_server(client, headers, settings_env):
    refused = submit(client, headers, "http", "http://127.0.0.1:9/file.mkv")
    assert refused.status_code == 422
    assert error(refused)["code"] == "url_not_allowed" and error(refused)["fields"] == {"source": "private_address"}
    settings_env(SEEN_DOWNLOAD_ALLOW_PRIVATE="true")
    accepted = submit(client, headers, "http", "http://127.0.0.1:9/dir/file.mkv")
    assert accepted.status_code == 201 and body(accepted)["title"] == "file.mkv"


NOT_TORRENT = torrent_b64(b"<html>hello</html>")
TOO_BIG = base64.b64encode(fastbencode.bencode({b"pad": b"x" * (2 * 1024 * 1024 + 10)})).decode()


@pytest.mark.parametrize("source_type, source, status, code", [
    ("magnet", "magnet:?xt=urn:btih:123", 422, "invalid_magnet"),
    ("magnet", "http://example.com/x.torrent", 422, "invalid_magnet"),
    ("torrent", NOT_TORRENT, 422, "invalid_torrent"),
    ("torrent", "%%% not base64 %%%", 422, "invalid_torrent"),
    ("torrent", TOO_BIG, 413, "torrent_too_large"),
    ("http", "file:///etc/passwd", 422, "url_not_allowed"),
    ("direct", "ftp://example.com/a.iso", 422, "url_not_allowed"),
    ("http", "http://169.254.169.254/latest/meta-data", 422, "url_not_allowed"),
    ("http", "http://10.0.0.5/movie.mkv", 422, "url_not_allowed"),
    ("usenet", "nzb", 422, "validation_error"),
    ("magnet", "", 422, "validation_error"),
])
def test_bad_sources_get_a_clear_4xx_and_change_nothing(client, headers, source_type, source, status, code):
    response = submit(client, headers, source_type, source)
    assert response.status_code == status, response.body
    assert error(response)["code"] == code
    assert body(client.http.get("/api/v1/downloads", headers=headers))["items"] == []
    assert commands() == [] and bucket_keys() == []


def test_unknown_fields_and_a_huge_body_are_refused(client, headers):
    extra = client.http.post("/api/v1/downloads", headers=headers,
                             body=json.dumps({"sourceType": "magnet", "source": MAGNET, "priority": 1}))
    assert extra.status_code == 422 and "priority" in error(extra)["fields"]
    huge = client.http.post("/api/v1/downloads", headers=headers,
                            body=json.dumps({"sourceType": "torrent", "source": "A" * (4 * 1024 * 1024)}))
    assert huge.status_code == 413


def test_idempotency_key_replays_the_same_job_and_refuses_another_body(client, headers):
    first = submit(client, headers, key="abc-123")
    again = submit(client, headers, key="abc-123")
    assert first.status_code == again.status_code == 201
    assert body(again)["id"] == body(first)["id"] and again.headers.get("Idempotent-Replayed") == "true"
    other = submit(client, headers, source="magnet:?xt=urn:btih:" + "d" * 40, key="abc-123")
    assert other.status_code == 409 and error(other)["code"] == "idempotency_key_reused"
    assert len(body(client.http.get("/api/v1/downloads", headers=headers))["items"]) == 1
    assert len(commands()) == 1


def test_list_is_newest_first_with_cursor_paging_and_a_status_filter(client, headers):
    ids = [body(submit(client, headers, source=f"magnet:?xt=urn:btih:{i:040x}"))["id"] for i in range(5)]
    client.http.delete(f"/api/v1/downloads/{ids[1]}", headers=headers)
    page = body(client.http.get("/api/v1/downloads?limit=2", headers=headers))
    assert [j["id"] for j in page["items"]] == ids[::-1][:2] and page["nextCursor"]
    rest = body(client.http.get(f"/api/v1/downloads?limit=10&cursor={page['nextCursor']}", headers=headers))
    assert [j["id"] for j in rest["items"]] == ids[::-1][2:] and rest["nextCursor"] is None
    cancelled = body(client.http.get("/api/v1/downloads?status=cancelled", headers=headers))
    assert [j["id"] for j in cancelled["items"]] == [ids[1]]
    default = body(client.http.get("/api/v1/downloads", headers=headers))
    assert len(default["items"]) == 5
    for bad in ("limit=0", "limit=101", "cursor=garbage"):
        response = client.http.get(f"/api/v1/downloads?{bad}", headers=headers)
        assert response.status_code == 422, bad
    for unknown in ("paused", "ACTIVE", "", "x" * 500):
        response = client.http.get(f"/api/v1/downloads?status={unknown}", headers=headers)
        assert (response.status_code, error(response)["code"]) == (400, "unknown_status"), unknown


def test_active_filter_lists_every_non_terminal_job_and_nothing_else(client, headers, make_user):
    from chalicelib import db

    ids = [body(submit(client, headers, source=f"magnet:?xt=urn:btih:{i:040x}"))["id"] for i in range(6)]
    statuses = ["queued", "preparing", "downloading", "stalled", "retrying", "failed"]
    with db.connection() as conn:
        for job_id, status in zip(ids, statuses, strict=True):
            conn.execute("UPDATE download_jobs SET status = %s, ended_at = CASE WHEN %s = 'failed' THEN now() END"
                         " WHERE id = %s", (status, status, job_id))
    client.http.delete(f"/api/v1/downloads/{ids[0]}", headers=headers)  # queued -> cancelled
    active = body(client.http.get("/api/v1/downloads?status=active", headers=headers))
    assert [j["id"] for j in active["items"]] == ids[1:5][::-1]
    assert {j["status"] for j in active["items"]} == {"preparing", "downloading", "stalled", "retrying"}
    _, other = make_user()
    assert body(client.http.get("/api/v1/downloads?status=active", headers=other))["items"] == []


def test_live_progress_is_merged_from_telemetry_while_the_job_runs(client, headers):
    from chalicelib import db
    from chalicelib.telemetry import DownloadTelemetry

    job = body(submit(client, headers))
    with db.connection() as conn:  # as if the worker had reported "downloading"
        conn.execute("UPDATE download_jobs SET status = 'downloading', progress = 10, bytes_done = 100 "
                     "WHERE id = %s", (uuid.UUID(job["id"]),))
    DownloadTelemetry(job["id"], attempt=1, status="downloading", progress=42.5, bytes_done=425, bytes_total=1000,
                      speed_bps=2048, eta_seconds=3, peers=4, updated_at=datetime.now(UTC)).save()
    shown = body(client.http.get(f"/api/v1/downloads/{job['id']}", headers=headers))
    assert (shown["progress"], shown["bytesDone"], shown["bytesTotal"], shown["speedBps"], shown["etaSeconds"],
            shown["peers"], shown["live"]) == (42.5, 425, 1000, 2048.0, 3, 4, True)
    listed = body(client.http.get("/api/v1/downloads", headers=headers))["items"][0]
    assert listed["progress"] == 42.5 and listed["live"] is True
    # Telemetry of an older attempt is not this attempt's progress.
    DownloadTelemetry(job["id"], attempt=0, progress=90, updated_at=datetime.now(UTC)).save()
    assert body(client.http.get(f"/api/v1/downloads/{job['id']}", headers=headers))["progress"] == 10.0


def test_cancel_of_a_queued_job_cancels_it_and_raises_the_workers_flag(client, headers):
    from chalicelib.telemetry import DownloadTelemetry

    job = body(submit(client, headers))
    response = client.http.delete(f"/api/v1/downloads/{job['id']}", headers=headers)
    assert response.status_code == 200
    cancelled = body(response)
    assert cancelled["status"] == "cancelled" and cancelled["cancelRequested"] is True and cancelled["endedAt"]
    assert DownloadTelemetry.get(job["id"]).cancel_requested is True
    events = job_events(job["id"])
    assert [(e["from_status"], e["to_status"], e["actor"]) for e in events][-1] == ("queued", "cancelled", "api")


def test_cancel_of_a_finished_job_is_a_noop(client, headers):
    job = body(submit(client, headers))
    client.http.delete(f"/api/v1/downloads/{job['id']}", headers=headers)
    before = job_row(job["id"])
    again = client.http.delete(f"/api/v1/downloads/{job['id']}", headers=headers)
    assert again.status_code == 200 and body(again)["status"] == "cancelled"
    assert job_row(job["id"])["updated_at"] == before["updated_at"]
    assert len(job_events(job["id"])) == 2


def test_events_timeline_pages_with_after_and_limit(client, headers):
    job = body(submit(client, headers))
    client.http.delete(f"/api/v1/downloads/{job['id']}", headers=headers)
    page = body(client.http.get(f"/api/v1/downloads/{job['id']}/events?limit=1", headers=headers))
    assert [e["toStatus"] for e in page["items"]] == ["queued"] and page["nextCursor"]
    rest = body(client.http.get(f"/api/v1/downloads/{job['id']}/events?after={page['nextCursor']}",
                                headers=headers))
    assert [(e["fromStatus"], e["toStatus"], e["actor"]) for e in rest["items"]] == [
        ("queued", "cancelled", "api")]
    assert rest["nextCursor"] is None


def test_another_users_job_and_unknown_ids_are_404(client, make_user):
    _, alice = make_user()
    _, bob = make_user()
    job = body(submit(client, alice))
    for path in (f"/api/v1/downloads/{job['id']}", f"/api/v1/downloads/{job['id']}/events",
                 f"/api/v1/downloads/{uuid.uuid4()}", "/api/v1/downloads/not-a-uuid"):
        response = client.http.get(path, headers=bob)
        assert response.status_code == 404 and error(response)["code"] == "download_not_found", path
    deleted = client.http.delete(f"/api/v1/downloads/{job['id']}", headers=bob)
    assert deleted.status_code == 404
    assert job_row(job["id"])["status"] == "queued"
    assert body(client.http.get("/api/v1/downloads", headers=bob))["items"] == []


def test_every_route_needs_a_user(client):
    job_id = uuid.uuid4()
    for method, path in (("GET", "/api/v1/downloads"), ("POST", "/api/v1/downloads"),
                         ("GET", f"/api/v1/downloads/{job_id}"), ("DELETE", f"/api/v1/downloads/{job_id}"),
                         ("GET", f"/api/v1/downloads/{job_id}/events")):
        response = client.http.request(method, path, body=json.dumps({"sourceType": "magnet", "source": MAGNET}),
                                       headers={"Content-Type": "application/json"})
        assert response.status_code == 401, (method, path)


def test_a_lost_command_is_sent_by_the_reconciler(client, headers, settings_env):
    from chalicelib import aws as aws_clients

    sqs = aws_clients.client("sqs")
    queue = get_aws_settings().commands_queue
    sqs.delete_queue(QueueUrl=aws_clients.queue_url(queue))
    aws_clients.reset()
    job = body(submit(client, headers))  # SQS refuses: the job is committed, the command owed
    assert job["status"] == "queued" and job_row(job["id"])["command_sent_at"] is None
    from chalicelib import awsinit

    awsinit.ensure_queue(queue)
    aws_clients.reset()
    settings_env(DOWNLOAD_RESEND_AFTER="0")
    result = client.lambda_.invoke("reconcile_downloads", client.events.generate_cw_event(
        source="aws.events", detail_type="Scheduled Event", detail={}, resources=[])).payload
    assert result["sent"] == 1
    assert [c.job_id for c in commands()] == [job["id"]]
    assert job_row(job["id"])["command_sent_at"] is not None


def test_dashboard_count_of_active_downloads_comes_from_persisted_jobs(client, make_user):
    from chalicelib import db
    from chalicelib.downloads import service

    alice_id, alice = make_user()
    bob_id, bob = make_user()
    jobs = [body(submit(client, alice, source=f"magnet:?xt=urn:btih:{i:040x}"))["id"] for i in range(3)]
    submit(client, bob)
    client.http.delete(f"/api/v1/downloads/{jobs[0]}", headers=alice)
    with db.connection() as conn:
        assert service.count_active(conn, alice_id) == 2
        assert service.count_active(conn, bob_id) == 1
