""".torrent files the AWS way (issue 33, item 2): a presigned POST straight to the bucket (the moto server,
over HTTP, as the browser sends it), then POST /downloads with the upload's id. Only its owner can use an
upload, once; the file is checked again for size, validated as an inline .torrent is, and deleted."""

import hashlib
import json
import threading
import uuid

import httpx
import pytest
from downloads_support import body, bucket_keys, commands, job_row, send_file, start_upload

from chalicelib import aws
from chalicelib.config import get_aws_settings
from embedded.testpeers import make_torrent


@pytest.fixture
def torrent(tmp_path) -> bytes:
    (tmp_path / "clip.mkv").write_bytes(b"x" * 50_000)
    return make_torrent(tmp_path / "clip.mkv")


def create(client, headers, upload_id, **extra):
    payload = {"sourceType": "torrent", "torrentUploadId": str(upload_id), **extra}
    return client.http.post("/api/v1/downloads", body=json.dumps(payload), headers=headers)


def error(response) -> dict:
    return body(response)["error"]


def test_an_uploaded_torrent_becomes_a_job_and_the_upload_is_gone(client, auth_headers, torrent):
    headers = auth_headers()
    form = start_upload(client, headers)
    assert set(form) == {"uploadId", "url", "fields", "maxBytes", "expiresAt"}
    assert form["maxBytes"] == 2 * 1024 * 1024 and form["fields"]["key"].startswith("torrents/uploads/")
    assert send_file(form, torrent).status_code in (200, 201, 204)
    assert bucket_keys("torrents/uploads/") == [form["fields"]["key"]]

    response = create(client, headers, form["uploadId"], title="Clip")
    assert response.status_code == 201, response.body
    job = body(response)
    assert job["sourceType"] == "torrent" and job["source"] is None and job["title"] == "Clip"
    key = f"torrents/{hashlib.sha256(torrent).hexdigest()}.torrent"
    assert job_row(job["id"])["torrent_key"] == key
    stored = aws.client("s3").get_object(Bucket=get_aws_settings().bucket, Key=key)["Body"].read()
    assert stored == torrent
    assert bucket_keys("torrents/uploads/") == []  # deleted once used
    assert [(c.source_type, c.torrent_key) for c in commands()] == [("torrent", key)]

    again = create(client, headers, form["uploadId"])
    assert again.status_code == 404 and error(again)["code"] == "upload_not_found"


def test_someone_elses_upload_id_is_not_found_and_stays_theirs(client, auth_headers, torrent):
    owner, other = auth_headers(), auth_headers()
    form = start_upload(client, owner)
    send_file(form, torrent)
    stolen = create(client, other, form["uploadId"])
    assert stolen.status_code == 404 and error(stolen)["code"] == "upload_not_found"
    assert bucket_keys("torrents/uploads/") == [form["fields"]["key"]]
    assert create(client, owner, form["uploadId"]).status_code == 201
    unknown = create(client, owner, uuid.uuid4())
    assert unknown.status_code == 404


def test_a_file_over_the_limit_is_refused_deleted_and_the_upload_spent(client, auth_headers, settings_env):
    settings_env(SEEN_DOWNLOAD_MAX_TORRENT_BYTES="2048")
    headers = auth_headers()
    form = start_upload(client, headers)
    assert form["maxBytes"] == 2048
    send_file(form, b"d4:info" + b"x" * 4096 + b"e")  # moto does not enforce the policy's size range
    response = create(client, headers, form["uploadId"])
    assert response.status_code == 413 and error(response)["code"] == "torrent_too_large"
    assert bucket_keys("torrents/uploads/") == []
    assert create(client, headers, form["uploadId"]).status_code == 404
    assert commands() == []


def test_an_invalid_torrent_is_refused_as_an_inline_one_is_and_deleted(client, auth_headers):
    headers = auth_headers()
    form = start_upload(client, headers)
    send_file(form, b"this is not bencode")
    response = create(client, headers, form["uploadId"])
    assert response.status_code == 422 and error(response)["code"] == "invalid_torrent"
    assert bucket_keys("torrents/uploads/") == []
    assert create(client, headers, form["uploadId"]).status_code == 404


def test_before_the_file_arrives_the_upload_is_pending_and_still_usable(client, auth_headers, torrent):
    headers = auth_headers()
    form = start_upload(client, headers)
    early = create(client, headers, form["uploadId"])
    assert early.status_code == 409 and error(early)["code"] == "upload_not_received"
    send_file(form, torrent)
    assert create(client, headers, form["uploadId"]).status_code == 201


@pytest.mark.parametrize("payload", [
    {"sourceType": "torrent", "torrentUploadId": str(uuid.uuid4()), "source": "ZDQ6aW5mb2U="},
    {"sourceType": "magnet", "torrentUploadId": str(uuid.uuid4())},
    {"sourceType": "torrent"},
    {"sourceType": "torrent", "torrentUploadId": "not-a-uuid"},
])
def test_an_upload_id_goes_alone_with_sourcetype_torrent(client, auth_headers, payload):
    response = client.http.post("/api/v1/downloads", body=json.dumps(payload), headers=auth_headers())
    assert response.status_code == 422, response.body


def test_open_uploads_per_user_are_capped(client, auth_headers):
    from chalicelib.downloads import uploads

    headers = auth_headers()
    for _ in range(uploads.MAX_OPEN):
        start_upload(client, headers)
    refused = client.http.post("/api/v1/downloads/uploads", headers=headers)
    assert refused.status_code == 429 and error(refused)["code"] == "too_many_uploads"
    assert client.http.post("/api/v1/downloads/uploads", headers=auth_headers()).status_code == 201


def test_two_requests_racing_with_one_upload_make_one_job(client, make_user, torrent):
    from chalicelib import db
    from chalicelib.downloads import service
    from chalicelib.downloads.models import CreateDownload
    from chalicelib.errors import DomainError

    user_id, headers = make_user()
    form = start_upload(client, headers)
    send_file(form, torrent)
    request = CreateDownload(source_type="torrent", torrent_upload_id=form["uploadId"])
    outcomes, barrier = [], threading.Barrier(2)

    def submit():
        with db.dedicated_connection() as conn:
            barrier.wait()
            try:
                outcomes.append(service.create_download(conn, user_id, request)[0].id)
            except DomainError as exc:
                outcomes.append(exc.code)

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(outcomes) == 2 and "upload_not_found" in outcomes
    assert len([o for o in outcomes if isinstance(o, uuid.UUID)]) == 1
    with db.connection() as conn:
        count = conn.execute("SELECT count(*) AS n FROM download_jobs WHERE user_id = %s", (user_id,)).fetchone()
    assert count["n"] == 1


def test_a_file_put_at_the_upload_key_without_its_form_is_refused_and_deleted(client, auth_headers, torrent):
    """The tests' moto takes unsigned writes and ignores POST policies, as some S3-compatible stores do: the
    app itself refuses an object its form did not put there (issue 58)."""
    headers = auth_headers()
    form = start_upload(client, headers)
    key = form["fields"]["key"]
    aws.client("s3").put_object(Bucket=get_aws_settings().bucket, Key=key, Body=torrent)
    response = create(client, headers, form["uploadId"])
    assert response.status_code == 422 and error(response)["code"] == "upload_rejected", response.body
    assert bucket_keys("torrents/uploads/") == []
    assert create(client, headers, form["uploadId"]).status_code == 404  # spent
    assert commands() == []


def test_another_users_form_rekeyed_to_this_users_upload_key_is_refused(client, auth_headers, torrent):
    victim, attacker = auth_headers(), auth_headers()
    theirs, mine = start_upload(client, victim), start_upload(client, attacker)
    planted = httpx.post(mine["url"], data={**mine["fields"], "key": theirs["fields"]["key"]},
                         files={"file": ("clip.torrent", torrent)}, timeout=30)
    assert planted.status_code in (200, 204)  # this store does not hold the form to its policy
    response = create(client, victim, theirs["uploadId"])
    assert response.status_code == 422 and error(response)["code"] == "upload_rejected", response.body
    assert bucket_keys("torrents/uploads/") == []
    assert commands() == []
