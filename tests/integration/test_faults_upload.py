"""Worker faults during the upload to the bucket: SIGKILL, a cut part, a bucket away, abandoned uploads.

The worker runs as ``python -m worker`` (no DATABASE_URL) and reaches the
moto server through a ``Relay`` that throttles it (to catch an upload half
way) or refuses connections (the bucket unreachable). Events reach Postgres
through the app's real handlers, driven by the local SQS pump as Lambda would.
"""

from __future__ import annotations

import hashlib
import json
import signal
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import boto3
import pytest
from botocore.config import Config
from downloads_support import bucket_keys, job_events, submit

from chalicelib import aws
from chalicelib.config import EngineSettings, WorkerSettings, get_aws_settings
from chalicelib.logs import worker_logger
from chalicelib.messages import DownloadStart
from embedded.testpeers import FileServer, make_file
from embedded.testworker import Driver, WorkerProcess
from tests.integration.faults_support import Relay
from worker import sweeper, uploader
from worker.context import WorkerContext
from worker.engines.base import JobSpec, StagedFile
from worker.jobs import ActiveJob

MIB = 1024 * 1024
SIZE = 16 * MIB  # four 5 MiB parts: killed after the first, the upload is half done


def bucket() -> str:
    return get_aws_settings().bucket


def uploads(prefix: str = "downloads/") -> list[dict]:
    """The multipart uploads in progress, read straight from moto (not through the relay)."""
    return aws.client("s3").list_multipart_uploads(Bucket=bucket(), Prefix=prefix).get("Uploads", [])


def parts(upload: dict) -> int:
    listing = aws.client("s3").list_parts(Bucket=bucket(), Key=upload["Key"], UploadId=upload["UploadId"])
    return len(listing.get("Parts", []))


def object_sha256(key: str) -> str:
    data = aws.client("s3").get_object(Bucket=bucket(), Key=key)["Body"].read()
    return hashlib.sha256(data).hexdigest()


class Stack:
    """The API (in-process), a file server, and worker processes that reach AWS through ``relay``."""

    def __init__(self, client, headers, tmp_path: Path, relay: Relay):
        from app import app

        self.client, self.headers, self.tmp, self.relay = client, headers, tmp_path, relay
        self.driver = Driver(app)
        (tmp_path / "www").mkdir()
        self.files = FileServer(tmp_path / "www")
        self.workers: list[WorkerProcess] = []

    def worker(self, **env: str) -> WorkerProcess:
        settings = {"SEEN_UPLOAD_PART_BYTES": str(5 * MIB), "SEEN_UPLOAD_CONCURRENCY": "1",
                    "AWS_ENDPOINT_URL": self.relay.url, **env}
        process = WorkerProcess(self.tmp / "staging", self.tmp / f"worker-{len(self.workers)}.log", **settings)
        self.workers.append(process.start())
        return process

    def logs(self) -> str:
        return "\n".join(w.output() for w in self.workers)

    def submit_file(self, name: str, size: int = SIZE) -> tuple[str, str]:
        digest = make_file(self.tmp / "www" / name, size)
        response = submit(self.client, self.headers, "http", self.files.url(name))
        assert response.status_code == 201, response.body
        return json.loads(response.body)["id"], digest

    def status(self, job_id: str) -> str:
        return json.loads(self.client.http.get(f"/api/v1/downloads/{job_id}", headers=self.headers).body)["status"]

    def until(self, check, timeout: float, what: str):
        return self.driver.until(check, timeout, f"{what}\n{self.logs()[-3000:]}", interval=0.05)

    def close(self) -> None:
        for process in self.workers:
            process.stop(signal.SIGKILL, 10)
        self.files.close()
        self.relay.close()


@pytest.fixture
def stack(client, make_user, settings_env, tmp_path, aws):
    settings_env(SEEN_DOWNLOAD_ALLOW_PRIVATE="true", DOWNLOAD_RESEND_AFTER="0")
    built = Stack(client, make_user()[1], tmp_path, Relay(aws).open())
    yield built
    built.close()


def assert_completed_once(stack: Stack, job_id: str, name: str, digest: str) -> None:
    key = f"downloads/{job_id}/{name}"
    assert bucket_keys(f"downloads/{job_id}/") == [key]
    assert object_sha256(key) == digest
    assert [e["to_status"] for e in job_events(job_id)].count("completed") == 1


def logged(stack: Stack, action: str) -> list[dict]:
    records = [json.loads(line) for line in stack.logs().splitlines() if line.startswith("{")]
    return [record for record in records if record.get("action") == action]


def test_worker_killed_mid_upload_completes_after_restart_with_the_source_sha256(stack):
    stack.relay.rate = 2 * MIB  # the upload takes seconds: time to kill it half way
    first = stack.worker()
    job_id, digest = stack.submit_file("film.mkv")
    prefix = f"downloads/{job_id}/"
    # Two parts in the bucket (one at a time here): the first one is in the worker's journal too.
    stack.until(lambda: any(parts(u) >= 2 for u in uploads(prefix)), 60, "two parts uploaded")
    first.stop(signal.SIGKILL)
    assert bucket_keys(prefix) == [] and len(uploads(prefix)) == 1  # killed mid multipart upload
    stack.relay.rate = 0
    stack.worker()  # same worker id and staging: it resumes the job and the multipart upload
    stack.until(lambda: stack.status(job_id) == "completed", 60, "job completed after the restart")
    assert_completed_once(stack, job_id, "film.mkv", digest)
    assert uploads() == []  # the killed worker's upload was completed, not left to pile up parts
    [completed] = logged(stack, "multipart_completed")
    assert completed["reused_parts"] >= 1 and completed["parts"] == 4  # not sent again after the restart


def test_bucket_unreachable_mid_upload_is_retried_and_the_job_completes(stack):
    stack.relay.rate = 2 * MIB
    stack.worker()
    job_id, digest = stack.submit_file("show.mkv")
    prefix = f"downloads/{job_id}/"
    stack.until(lambda: any(parts(u) >= 1 for u in uploads(prefix)), 60, "a part uploaded")
    stack.relay.close()  # the bucket (and all of AWS) refuses connections for a while
    stack.relay.rate = 0
    threading.Event().wait(4)
    assert stack.status(job_id) == "downloading" and bucket_keys(prefix) == []
    stack.relay.open()
    stack.until(lambda: stack.status(job_id) == "completed", 90, "job completed once the bucket was back")
    assert_completed_once(stack, job_id, "show.mkv", digest)
    assert "upload_retry" in stack.logs()
    stack.until(lambda: uploads() == [], 10, "no multipart upload left behind")


def test_the_worker_sweeps_abandoned_multipart_uploads(stack):
    s3 = aws.client("s3")
    key = "downloads/0b7e3c52-1111-4c2e-9a55-2f0d5b7a0001/gone.mkv"
    created = s3.create_multipart_upload(Bucket=bucket(), Key=key)
    s3.upload_part(Bucket=bucket(), Key=key, UploadId=created["UploadId"], PartNumber=1, Body=b"x" * MIB)
    assert len(uploads()) == 1
    stack.worker(SEEN_MULTIPART_MAX_AGE="1", SEEN_MULTIPART_SWEEP_EVERY="0.5")
    # The worker aborts, then logs: wait for both (the log line may follow the abort by a moment).
    stack.until(lambda: uploads() == [] and "multipart_swept" in stack.logs(), 30,
                "abandoned upload aborted by the worker, and said so")


# --- The sweeper and the uploader in-process, against the real moto bucket.


def context(endpoint: str, tmp_path: Path, **engine: float) -> WorkerContext:
    settings = WorkerSettings(worker_id="faults", aws=get_aws_settings(), staging_dir=str(tmp_path),
                              engines=EngineSettings(upload_part_bytes=5 * MIB, upload_concurrency=1, **engine))
    s3 = boto3.session.Session().client("s3", endpoint_url=endpoint, region_name=settings.aws.region,
                                        config=Config(connect_timeout=1, read_timeout=5, retries={"max_attempts": 1},
                                                      s3={"addressing_style": "path"}))
    return WorkerContext(settings=settings, s3=s3, sqs=aws.client("sqs"), logger=worker_logger("WARNING"))


def finished_job(tmp_path: Path, job_id: str, size: int) -> tuple[ActiveJob, str]:
    command = DownloadStart(job_id=job_id, attempt=1, source_type="http", source="http://example.com/x")
    spec = JobSpec(job_id, 1, "http", command.source, None, tmp_path / "job")
    digest = make_file(spec.data_dir / "film.mkv", size)
    job = ActiveJob(command=command, spec=spec, engine=None, phase="uploading",
                    files=[StagedFile("film.mkv", spec.data_dir / "film.mkv")])
    return job, digest


def abandoned(key: str) -> str:
    s3 = aws.client("s3")
    upload_id = s3.create_multipart_upload(Bucket=bucket(), Key=key)["UploadId"]
    s3.upload_part(Bucket=bucket(), Key=key, UploadId=upload_id, PartNumber=1, Body=b"y" * MIB)
    return upload_id


def test_sweep_aborts_abandoned_uploads_but_not_those_of_a_running_job(aws, tmp_path):
    ctx = context(aws, tmp_path, multipart_max_age=1)
    live, dead = "6b1f5bde-9c0e-4d55-9d2e-5f8f4c0a2222", "6b1f5bde-9c0e-4d55-9d2e-5f8f4c0a3333"
    live_id = abandoned(f"downloads/{live}/film.mkv")
    abandoned(f"downloads/{dead}/film.mkv")
    abandoned(f"downloads/{dead}/extras/making-of.mkv")
    ctx.active_jobs[live] = object()  # this worker is uploading the live job right now
    assert sweeper.sweep(ctx) == 2
    assert [(u["Key"], u["UploadId"]) for u in uploads()] == [(f"downloads/{live}/film.mkv", live_id)]
    del ctx.active_jobs[live]
    assert sweeper.sweep(ctx) == 1 and uploads() == []


def test_only_uploads_older_than_the_max_age_are_stale():
    now = datetime(2026, 1, 2, 12, 0, tzinfo=UTC)
    listed = [{"Key": "downloads/a/x", "Initiated": now - timedelta(hours=25)},
              {"Key": "downloads/b/x", "Initiated": now - timedelta(hours=1)},
              {"Key": "downloads/c/x", "Initiated": now - timedelta(hours=30)}]
    stale = sweeper.stale_uploads(listed, now, max_age=24 * 3600, live_jobs=["c"])
    assert [u["Key"] for u in stale] == ["downloads/a/x"]
    assert EngineSettings.from_env({}).multipart_max_age == 24 * 3600


def test_a_part_cut_mid_transfer_leaves_no_multipart_upload_and_the_retry_completes(aws, tmp_path):
    relay = Relay(aws, rate=4 * MIB).open()
    try:
        ctx = context(relay.url, tmp_path)
        job, digest = finished_job(tmp_path, "6b1f5bde-9c0e-4d55-9d2e-5f8f4c0a4444", 12 * MIB)
        thread = threading.Thread(target=uploader.store_job, args=(ctx, job))
        thread.start()
        while relay.sent < 7 * MIB and thread.is_alive():  # into the second part
            threading.Event().wait(0.05)
        relay.cut()
        relay.rate = 0
        thread.join(60)
    finally:
        relay.close()
    assert not thread.is_alive() and job.final[0] == "completed"
    assert relay.sent > 12 * MIB  # the cut part was sent again
    assert object_sha256(f"downloads/{job.job_id}/film.mkv") == digest
    assert uploads() == []


def test_a_leftover_upload_on_the_key_is_aborted_before_uploading_again(aws, tmp_path):
    job, digest = finished_job(tmp_path, "6b1f5bde-9c0e-4d55-9d2e-5f8f4c0a5555", 6 * MIB)
    key = f"downloads/{job.job_id}/film.mkv"
    abandoned(key)  # what a worker killed mid-upload (or an abort the bucket never got) left
    uploader.store_job(context(aws, tmp_path), job)
    assert object_sha256(key) == digest and uploads() == []
