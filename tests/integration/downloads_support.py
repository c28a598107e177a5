"""Helpers shared by the download test modules: API calls, queue and bucket reads."""

from __future__ import annotations

import base64
import json
import time
import uuid

import httpx
import pytest

from chalicelib import aws
from chalicelib.config import EngineSettings, get_aws_settings
from chalicelib.messages import parse_command, parse_event
from worker.engines.base import EngineError, Progress

# The worker's engine settings for local peers: uTP off (~110 MB/s on loopback against ~15), no DHT, LSD or UPnP.
LOOPBACK = EngineSettings(listen_host="127.0.0.1", listen_port=0, dht=False, lsd=False, upnp=False, utp=False,
                          allow_private=True)
MAGNET = "magnet:?xt=urn:btih:" + "c" * 40 + "&dn=Big%20Buck%20Bunny"


def body(response) -> dict:
    return json.loads(response.body)


def submit(client, headers, source_type="magnet", source=MAGNET, key=None, **extra):
    payload = {"sourceType": source_type, "source": source, **extra}
    all_headers = {**headers, **({"Idempotency-Key": key} if key else {})}
    return client.http.post("/api/v1/downloads", body=json.dumps(payload), headers=all_headers)


def torrent_b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def start_upload(client, headers) -> dict:
    """A presigned form for one .torrent upload, as the web app asks for it."""
    response = client.http.post("/api/v1/downloads/uploads", headers=headers)
    assert response.status_code == 201, response.body
    return body(response)


def send_file(form: dict, data: bytes) -> httpx.Response:
    """The browser's form POST: every field, then the file last (as S3 requires)."""
    return httpx.post(form["url"], data=form["fields"], files={"file": ("clip.torrent", data)}, timeout=30)


def drain_queue(queue: str) -> list[dict]:
    """Every message now in ``queue`` (received and deleted)."""
    sqs = aws.client("sqs")
    url = aws.queue_url(queue)
    out = []
    while True:
        messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=0,
                                       VisibilityTimeout=30).get("Messages", [])
        if not messages:
            return out
        for message in messages:
            out.append(message)
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])


def commands() -> list:
    return [parse_command(m["Body"]) for m in drain_queue(get_aws_settings().commands_queue)]


def worker_events() -> list:
    return [parse_event(m["Body"]) for m in drain_queue(get_aws_settings().events_queue)]


def bucket_keys(prefix: str = "") -> list[str]:
    s3 = aws.client("s3")
    listing = s3.list_objects_v2(Bucket=get_aws_settings().bucket, Prefix=prefix)
    return sorted(item["Key"] for item in listing.get("Contents", []))


def job_row(job_id) -> dict:
    from chalicelib import db

    with db.connection() as conn:
        return conn.execute("SELECT * FROM download_jobs WHERE id = %s", (uuid.UUID(str(job_id)),)).fetchone()


def job_events(job_id) -> list[dict]:
    from chalicelib import db

    with db.connection() as conn:
        return conn.execute("SELECT * FROM download_events WHERE job_id = %s ORDER BY id",
                            (uuid.UUID(str(job_id)),)).fetchall()


def job_files(job_id) -> list[dict]:
    from chalicelib import db

    with db.connection() as conn:
        return conn.execute("SELECT * FROM download_files WHERE job_id = %s ORDER BY path",
                            (uuid.UUID(str(job_id)),)).fetchall()


def wait(engine, job_id: str, phase: str = "finished", timeout: float = 30) -> Progress:
    """An engine's job once at ``phase`` ("some": any byte done); fails the test after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        progress = engine.status(job_id)
        if progress.phase == phase or (phase == "some" and progress.bytes_done > 0):
            return progress
        assert time.monotonic() < deadline, f"{job_id} stuck at {progress}"
        time.sleep(0.05)


def failure(engine, job_id: str, timeout: float = 30) -> EngineError:
    """The error an engine's job ends with."""
    with pytest.raises(EngineError) as caught:
        wait(engine, job_id, timeout=timeout)
    return caught.value


def loopback_engine():
    """The worker's libtorrent engine on loopback, for tests that drive it directly."""
    from chalicelib.logs import worker_logger
    from worker.engines.torrent import TorrentEngine

    return TorrentEngine(LOOPBACK, worker_logger("WARNING"))
