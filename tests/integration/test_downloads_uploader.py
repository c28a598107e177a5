"""The uploader against a real (moto) bucket: multipart + sha256, idempotent re-uploads, a bucket briefly away."""

import hashlib
import socket
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import boto3
import pytest
from botocore.config import Config
from downloads_support import bucket_keys, worker_events

from chalicelib import aws as aws_clients
from chalicelib.config import EngineSettings, WorkerSettings, get_aws_settings
from chalicelib.logs import worker_logger
from chalicelib.messages import DownloadStart
from embedded.testpeers import make_file
from worker import uploader
from worker.context import WorkerContext
from worker.engines.base import JobSpec, StagedFile
from worker.jobs import ActiveJob

MIB = 1024 * 1024


class Proxy:
    """A TCP relay to the moto server that can be closed (connection refused) and reopened on the same port."""

    def __init__(self, target: str):
        parts = urlsplit(target)
        self.target = (parts.hostname, parts.port)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.listener: socket.socket | None = None

    def open(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", self.port), reuse_port=False)
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def close(self) -> None:
        if self.listener is not None:
            self.listener.close()
            self.listener = None

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


def context(endpoint: str, tmp_path: Path) -> WorkerContext:
    settings = WorkerSettings(worker_id="up-test", aws=get_aws_settings(), staging_dir=str(tmp_path),
                              engines=EngineSettings(upload_part_bytes=5 * MIB, upload_concurrency=2))
    s3 = boto3.session.Session().client("s3", endpoint_url=endpoint, region_name=settings.aws.region,
                                        config=Config(connect_timeout=1, read_timeout=5, retries={"max_attempts": 1},
                                                      s3={"addressing_style": "path"}))
    return WorkerContext(settings=settings, s3=s3, sqs=aws_clients.client("sqs"), logger=worker_logger("WARNING"))


def finished_job(tmp_path: Path, sizes: dict[str, int]) -> tuple[ActiveJob, dict[str, str]]:
    command = DownloadStart(job_id="6b1f5bde-9c0e-4d55-9d2e-5f8f4c0a1111", attempt=1, source_type="http",
                            source="http://example.com/x")
    spec = JobSpec(command.job_id, 1, "http", command.source, None, tmp_path / "job")
    digests, files = {}, []
    for name, size in sizes.items():
        digests[name] = make_file(spec.data_dir / name, size, seed=len(name))
        files.append(StagedFile(name, spec.data_dir / name))
    return ActiveJob(command=command, spec=spec, engine=None, files=files, phase="uploading"), digests


def stored_sha256(key: str) -> tuple[str, dict]:
    """The object's real sha256 and its tags (the uploader tags a verified object with its sha256)."""
    s3, bucket = aws_clients.client("s3"), get_aws_settings().bucket
    response = s3.get_object(Bucket=bucket, Key=key)
    tags = {tag["Key"]: tag["Value"] for tag in s3.get_object_tagging(Bucket=bucket, Key=key)["TagSet"]}
    return hashlib.sha256(response["Body"].read()).hexdigest(), tags


def test_files_are_uploaded_multipart_with_their_sha256_and_reported_once(aws, tmp_path):
    ctx = context(aws, tmp_path)
    job, digests = finished_job(tmp_path, {"Season 1/e01.mkv": 11 * MIB, "notes.txt": 1000})
    uploader.store_job(ctx, job)
    prefix = f"downloads/{job.job_id}/"
    assert bucket_keys(prefix) == [prefix + "Season 1/e01.mkv", prefix + "notes.txt"]
    for name, digest in digests.items():
        assert stored_sha256(prefix + name) == (digest, {"sha256": digest})
    head = aws_head(prefix + "Season 1/e01.mkv")
    assert head["ETag"].strip('"').endswith("-3")  # 11 MiB in 5 MiB parts: a multipart upload
    events = worker_events()
    assert sorted((e.path, e.size, e.sha256, e.key) for e in events) == sorted(
        (name, (tmp_path / "job" / "data" / name).stat().st_size, digest, prefix + name)
        for name, digest in digests.items())
    assert job.final[0] == "completed" and job.final[1].bytes_total == 11 * MIB + 1000


def aws_head(key: str) -> dict:
    return aws_clients.client("s3").head_object(Bucket=get_aws_settings().bucket, Key=key)


def test_an_identical_object_is_not_uploaded_again(aws, tmp_path):
    ctx = context(aws, tmp_path)
    job, _ = finished_job(tmp_path, {"a.bin": 2 * MIB})
    uploader.store_job(ctx, job)
    first = aws_head(f"downloads/{job.job_id}/a.bin")["LastModified"]
    time.sleep(1.1)
    again, _ = finished_job(tmp_path, {"a.bin": 2 * MIB})
    uploader.store_job(ctx, again)
    assert aws_head(f"downloads/{job.job_id}/a.bin")["LastModified"] == first


def test_a_bucket_briefly_unavailable_delays_the_upload_but_loses_nothing(aws, tmp_path):
    proxy = Proxy(aws)
    ctx = context(f"http://127.0.0.1:{proxy.port}", tmp_path)
    job, digests = finished_job(tmp_path, {"film.mkv": 7 * MIB})
    worker = threading.Thread(target=uploader.store_job, args=(ctx, job))
    worker.start()
    time.sleep(2.5)  # refused meanwhile: the uploader backs off and tries again
    assert job.final is None
    proxy.open()
    worker.join(timeout=60)
    proxy.close()
    assert not worker.is_alive() and job.final[0] == "completed"
    key = f"downloads/{job.job_id}/film.mkv"
    assert bucket_keys("downloads/") == [key]
    assert stored_sha256(key)[0] == digests["film.mkv"]
    assert [e.key for e in worker_events()] == [key]


def test_stopping_interrupts_an_upload_and_keeps_the_staging_copy(aws, tmp_path):
    ctx = context(f"http://127.0.0.1:{Proxy(aws).port}", tmp_path)  # nothing listens: it keeps retrying
    job, _ = finished_job(tmp_path, {"film.mkv": MIB})
    threading.Timer(1.0, ctx.stopping.set).start()
    with pytest.raises(uploader.Interrupted):
        uploader.store_job(ctx, job)
    assert (tmp_path / "job" / "data" / "film.mkv").is_file() and job.final is None


def test_a_file_gone_from_staging_ends_the_upload_instead_of_retrying_it_for_ever(aws, tmp_path):
    """No back-off brings a deleted file back: the upload stops at once (the job is retried whole), where it
    used to retry every 30 s, holding one of the worker's download slots for good."""
    ctx = context(aws, tmp_path)
    job, _ = finished_job(tmp_path, {"film.mkv": MIB})
    (tmp_path / "job" / "data" / "film.mkv").unlink()
    with pytest.raises(uploader.StagingLost):  # at once: before, this call backed off for ever
        uploader.store_job(ctx, job)
    assert job.final is None
    assert bucket_keys("downloads/") == [] and worker_events() == []
