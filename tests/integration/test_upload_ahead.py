"""Upload while downloading: parts reach the bucket before the engine finishes; kill, cancel, a changed file.

End to end: the API in-process, the real worker process, a throttled local
file server and the moto bucket. In-process: ``multipart.FileUpload`` on a
file that the HTTP engine replaces mid-way, against the same bucket.
"""

from __future__ import annotations

import hashlib
import json
import signal
from datetime import datetime
from pathlib import Path

import pytest
from downloads_support import body, bucket_keys, job_files, loopback_engine, submit, wait

from chalicelib import aws
from chalicelib.config import get_aws_settings
from embedded.testpeers import Faults, FileServer, make_file
from embedded.testworker import Driver, WorkerProcess
from worker.multipart import FileUpload

MIB = 1024 * 1024
PART = 5 * MIB
SIZE = 24 * MIB  # five parts


def bucket() -> str:
    return get_aws_settings().bucket


def uploads(prefix: str = "downloads/") -> list[dict]:
    return aws.client("s3").list_multipart_uploads(Bucket=bucket(), Prefix=prefix).get("Uploads", [])


def parts(prefix: str) -> int:
    s3 = aws.client("s3")
    return sum(len(s3.list_parts(Bucket=bucket(), Key=u["Key"], UploadId=u["UploadId"]).get("Parts", []))
               for u in uploads(prefix))


def object_sha256(key: str) -> str:
    return hashlib.sha256(aws.client("s3").get_object(Bucket=bucket(), Key=key)["Body"].read()).hexdigest()


class Stack:
    def __init__(self, client, headers, tmp_path: Path):
        from app import app

        self.client, self.headers, self.tmp = client, headers, tmp_path
        self.driver = Driver(app)
        (tmp_path / "www").mkdir()
        self.files = FileServer(tmp_path / "www", Faults(rate=4 * MIB))
        self.workers: list[WorkerProcess] = []

    def worker(self) -> WorkerProcess:
        process = WorkerProcess(self.tmp / "staging", self.tmp / f"worker-{len(self.workers)}.log",
                                SEEN_UPLOAD_PART_BYTES=str(PART), SEEN_UPLOAD_CONCURRENCY="2")
        self.workers.append(process.start())
        return process

    def logged(self, action: str) -> list[dict]:
        records = [json.loads(line) for w in self.workers for line in w.output().splitlines()
                   if line.startswith("{")]
        return [record for record in records if record.get("action") == action]

    def submit_file(self, name: str) -> tuple[str, str]:
        digest = make_file(self.tmp / "www" / name, SIZE)
        response = submit(self.client, self.headers, "http", self.files.url(name))
        assert response.status_code == 201, response.body
        return body(response)["id"], digest

    def status(self, job_id: str) -> str:
        return body(self.client.http.get(f"/api/v1/downloads/{job_id}", headers=self.headers))["status"]

    def until(self, check, timeout: float, what: str):
        logs = "\n".join(w.output() for w in self.workers)[-3000:]
        return self.driver.until(check, timeout, f"{what}\n{logs}", interval=0.05)

    def close(self) -> None:
        for process in self.workers:
            process.stop(signal.SIGKILL, 10)
        self.files.close()


@pytest.fixture
def stack(client, make_user, settings_env, tmp_path, aws):
    settings_env(SEEN_DOWNLOAD_ALLOW_PRIVATE="true", DOWNLOAD_RESEND_AFTER="0")
    built = Stack(client, make_user()[1], tmp_path)
    yield built
    built.close()


def at(record: dict) -> float:
    return datetime.strptime(record["timestamp"], "%Y-%m-%d %H:%M:%S,%f%z").timestamp()


def test_parts_are_uploaded_while_the_http_download_runs_and_the_object_is_right(stack):
    stack.worker()
    job_id, digest = stack.submit_file("film.mkv")
    prefix = f"downloads/{job_id}/"
    stack.until(lambda: parts(prefix) >= 2, 30, "two parts uploaded")
    assert stack.logged("download_finished") == [] and stack.status(job_id) == "downloading"
    stack.until(lambda: stack.status(job_id) == "completed", 60, "job completed")
    key = prefix + "film.mkv"
    assert bucket_keys(prefix) == [key] and object_sha256(key) == digest and uploads() == []
    assert [(f["size_bytes"], f["sha256"]) for f in job_files(job_id)] == [(SIZE, digest)]
    tags = aws.client("s3").get_object_tagging(Bucket=bucket(), Key=key)["TagSet"]
    assert tags == [{"Key": "sha256", "Value": digest}]
    [first_part] = stack.logged("upload_ahead_started")
    [finished] = stack.logged("download_finished")
    [completed] = stack.logged("multipart_completed")
    assert at(first_part) < at(finished)
    assert completed["parts_ahead"] >= 3 and completed["parts_ahead"] + completed["parts_sent_at_finish"] == 5


def test_a_worker_killed_mid_upload_ahead_resumes_and_reuses_the_parts(stack):
    first = stack.worker()
    job_id, digest = stack.submit_file("show.mkv")
    prefix = f"downloads/{job_id}/"
    stack.until(lambda: parts(prefix) >= 3, 30, "three parts uploaded while downloading")
    first.stop(signal.SIGKILL)
    assert bucket_keys(prefix) == [] and len(uploads(prefix)) == 1
    stack.files.faults.rate = 0
    stack.worker()  # same staging: the download resumes by Range, the upload by its journal
    stack.until(lambda: stack.status(job_id) == "completed", 60, "job completed after the restart")
    key = prefix + "show.mkv"
    assert bucket_keys(prefix) == [key] and object_sha256(key) == digest and uploads() == []
    [completed] = stack.logged("multipart_completed")
    assert completed["reused_parts"] >= 2 and completed["parts"] == 5


def test_a_cancel_mid_way_leaves_no_multipart_upload(stack):
    stack.files.faults.rate = 2 * MIB
    stack.worker()
    job_id, _ = stack.submit_file("gone.mkv")
    prefix = f"downloads/{job_id}/"
    stack.until(lambda: parts(prefix) >= 1, 30, "a part uploaded")
    response = stack.client.http.delete(f"/api/v1/downloads/{job_id}", headers=stack.headers)
    assert body(response)["status"] == "cancelled"
    stack.until(lambda: stack.logged("download_cancel_honoured"), 20, "worker honoured the cancel")
    assert uploads(prefix) == [] and bucket_keys(prefix) == []
    assert not (stack.tmp / "staging" / "jobs" / job_id).exists()


# --- In-process: a file replaced under the upload (an HTTP restart from byte 0).


def test_a_replaced_file_drops_what_was_read_from_the_old_one(aws, tmp_path):
    s3, key = aws_client(), "downloads/6b1f5bde-9c0e-4d55-9d2e-5f8f4c0a7777/film.mkv"
    local = tmp_path / "data" / "film.mkv"
    make_file(local, 12 * MIB, seed=1)
    upload = FileUpload(s3, bucket(), key, local, 12 * MIB, PART, tmp_path / "multipart" / "j.json")
    assert upload.check(prefix=12 * MIB)
    upload.hash_to(PART)
    upload.ensure_open()
    assert upload.upload_part(1, upload.epoch) and upload.parts.keys() == {1}
    local.unlink()  # what the HTTP engine does when the server's file changed: a new file from byte 0
    digest = make_file(local, 12 * MIB, seed=2)
    assert upload.check(prefix=12 * MIB) and upload.hashed == 0 and upload.parts == {}
    upload.hash_to(12 * MIB)
    assert upload.sha256() == digest and upload.missing() == [1, 2, 3]
    for number in upload.missing():
        upload.upload_part(number, upload.epoch)
    upload.complete()
    assert object_sha256(key) == digest


def test_a_part_uploaded_from_other_bytes_than_those_hashed_is_sent_again(aws, tmp_path):
    s3, key = aws_client(), "downloads/6b1f5bde-9c0e-4d55-9d2e-5f8f4c0a8888/film.mkv"
    local = tmp_path / "film.mkv"
    make_file(local, 11 * MIB, seed=3)
    upload = FileUpload(s3, bucket(), key, local, 11 * MIB, PART, tmp_path / "j.json")
    upload.check()
    upload.ensure_open()
    upload.upload_part(2, upload.epoch)  # out of order, before the hash pass: its own digest
    with open(local, "r+b") as changed:  # the bytes change in place (no engine does this; the check must hold)
        changed.seek(PART + 10)
        changed.write(b"not the same")
    upload.hash_to(11 * MIB)
    assert upload.missing() == [1, 2, 3]
    for number in upload.missing():
        upload.upload_part(number, upload.epoch)
    upload.complete()
    assert object_sha256(key) == upload.sha256() == hashlib.sha256(local.read_bytes()).hexdigest()


def aws_client():
    return aws.client("s3")


def test_the_hash_pass_hands_each_part_to_the_pool_as_soon_as_its_digest_is_known(aws, tmp_path):
    """An HTTP download outruns the hashing: a part must go up once its own digest is known, not when the whole
    prefix is hashed (or the monitor looks next). Judged by the order: where the hash pass was when each part
    was handed to the pool."""
    import threading
    from types import SimpleNamespace

    from chalicelib.config import EngineSettings
    from chalicelib.logs import worker_logger
    from worker.engines.base import PayloadFile
    from worker.upload_ahead import Ahead

    size = 4 * PART
    local = tmp_path / "data" / "film.mkv"
    digest = make_file(local, size, seed=4)
    payload = PayloadFile(0, "film.mkv", local, size)
    engine = SimpleNamespace(durable_ranges=True, payload=lambda _job: [payload],
                             done_ranges=lambda _job, _index: [(0, size)])  # all on disk: one long hash pass
    settings = SimpleNamespace(engines=EngineSettings(upload_part_bytes=PART, upload_concurrency=2),
                               aws=SimpleNamespace(bucket=bucket()))
    ctx = SimpleNamespace(settings=settings, s3=aws_client(), stopping=threading.Event(),
                          logger=worker_logger("WARNING"))
    job = SimpleNamespace(job_id="6b1f5bde-9c0e-4d55-9d2e-5f8f4c0a9999", engine=engine, cancelled=False,
                          spec=SimpleNamespace(workdir=tmp_path / "job"))
    ahead = Ahead(ctx, job)  # the fields Ahead reads of a worker context and a job, not whole ones
    handed: list[tuple[int, int]] = []  # (part, bytes hashed when it was handed over)
    submit = ahead._submit

    def recording(path, number, task, upload, arg):
        if number:
            handed.append((number, upload.hashed))
        submit(path, number, task, upload, arg)

    ahead._submit = recording
    ahead.schedule()  # what the monitor's tick does: the hash pass starts, no part has a digest yet
    upload = ahead.files["film.mkv"]
    ahead.busy[("film.mkv", 0)].result()  # the pass, handing parts over as it goes
    ahead.engine_finished()  # then the parts in flight
    first_hands = dict(reversed(handed))  # part -> where the pass was when it was first handed over
    assert first_hands[1] == PART, f"part 1 waited for the pass: {handed}"
    assert first_hands[2] <= 2 * PART, handed
    for number in upload.missing():  # what the uploader does at the finish (the pool holds 2 at a time)
        upload.upload_part(number, upload.epoch)
    upload.complete()
    ahead.close()
    assert object_sha256(upload.key) == digest


@pytest.mark.peers
def test_a_torrent_is_hashed_ahead_only_over_pieces_that_read_back_with_their_hash(aws, tmp_path):
    """libtorrent counts a piece once its hash passed, maybe before its blocks are in the file. The hash pass
    runs while a torrent downloads, so each part goes up with the digest of its final bytes, but only over
    pieces read back from disk against their v1 hash: at one that is not written yet it stops (the part holding
    it is not sent) and goes on once the bytes are there. A torrent with no v1 hashes cannot be checked."""
    import threading
    import time
    from types import SimpleNamespace

    import libtorrent as lt

    from chalicelib.config import EngineSettings
    from chalicelib.logs import worker_logger
    from embedded.testpeers import Seeder, Tracker
    from worker import upload_ahead
    from worker.engines.base import JobSpec
    from worker.upload_ahead import Ahead

    size = 3 * PART
    tracker, engine = Tracker(), loopback_engine()
    seeder = Seeder(tracker)
    try:
        digest = make_file(tmp_path / "seed" / "film.mkv", size, seed=7)
        seeded = seeder.seed(tmp_path / "seed" / "film.mkv", piece_size=256 * 1024)
        spec = JobSpec("6b1f5bde-9c0e-4d55-9d2e-5f8f4c0a7777", 1, "torrent", None, seeded.torrent, tmp_path / "job")
        engine.add(spec)
        wait(engine, spec.job_id)
        assert engine.verifiable(spec.job_id)
        local = spec.data_dir / "film.mkv"
        written = local.read_bytes()
        unwritten = PART + 300 * 1024  # in part 2's second piece
        with open(local, "r+b") as data:  # what a block libtorrent has not written yet looks like to a reader
            data.seek(unwritten)
            data.write(b"\0" * 16)
        settings = SimpleNamespace(engines=EngineSettings(upload_part_bytes=PART, upload_concurrency=2),
                                   aws=SimpleNamespace(bucket=bucket()))
        ctx = SimpleNamespace(settings=settings, s3=aws_client(), stopping=threading.Event(),
                              logger=worker_logger("WARNING"))
        job = SimpleNamespace(job_id=spec.job_id, engine=engine, cancelled=False, spec=spec)
        ahead = Ahead(ctx, job)  # the fields Ahead reads of a worker context and a job, not whole ones
        ahead.schedule()  # the monitor's tick while the engine runs (it counts every piece done)
        ahead.busy[("film.mkv", 0)].result()
        upload = ahead.files["film.mkv"]
        assert upload.hashed == PART + 256 * 1024  # up to the piece that does not read back with its hash
        assert set(upload.digests) == {1}
        for future in list(ahead.busy.values()):
            future.result()
        assert set(upload.parts) == {1}  # part 2 holds unverified bytes: not read for the bucket
        assert upload.parts[1].checksum == upload.digests[1]

        local.write_bytes(written)  # the write landed
        time.sleep(upload_ahead.RECHECK)
        ahead.schedule()
        deadline = time.monotonic() + 30
        while ahead.busy or set(upload.parts) != {1, 2, 3}:  # the last part is offered as the pass's task ends
            assert time.monotonic() < deadline, f"parts {sorted(upload.parts)} of 3, {upload.hashed} bytes hashed"
            for future in list(ahead.busy.values()):
                future.result()
            time.sleep(0.01)
            # The monitor's tick, as in the worker: a pass that stopped at a piece libtorrent's cache had not
            # handed back yet (a busy machine) goes on at the next tick, never by itself.
            ahead.schedule()
        assert upload.hashed == size and not upload.missing()
        upload.complete()
        ahead.close()
        assert object_sha256(upload.key) == digest

        v2_only = seeder.seed(tmp_path / "seed" / "film.mkv", flags=lt.create_torrent.v2_only)
        other = JobSpec("6b1f5bde-9c0e-4d55-9d2e-5f8f4c0a7778", 1, "torrent", None, v2_only.torrent, tmp_path / "v2")
        engine.add(other)
        assert not engine.verifiable(other.job_id)  # no v1 piece hashes: the hash pass waits for the finish
    finally:
        engine.close()
        seeder.close()
        tracker.close()


def test_the_transfer_client_sends_bodies_unsigned_only_under_a_signed_checksum(aws, tmp_path):
    """The worker's (and the backups') client does not hash every byte a second time to sign it (SigV4's payload
    hash, which botocore computes on plain HTTP, the home bucket's case). A body goes ``UNSIGNED-PAYLOAD`` only
    when a checksum of its bytes rides in a signed header that the bucket checks them against: the worker's
    parts, its one-part puts and boto3's managed uploads; a completion's body, with none, stays signed."""
    from boto3.s3.transfer import TransferConfig

    from chalicelib import aws as clients

    s3, sent = clients.client("s3", transfers=True), []

    def record(request, **_):
        headers = {k.lower(): v.decode() if isinstance(v, bytes) else v for k, v in request.headers.items()}
        sent.append((request.method, request.url, headers))

    s3.meta.events.register("before-send.s3", record)
    try:
        local = tmp_path / "film.mkv"
        digest = make_file(local, 7 * MIB, seed=5)
        upload = FileUpload(s3, bucket(), "downloads/unsigned/film.mkv", local, 7 * MIB, PART, tmp_path / "j.json")
        upload.check()
        upload.hash_to(7 * MIB)
        upload.ensure_open()
        for number in upload.missing():
            upload.upload_part(number, upload.epoch)
        upload.complete()
        small = tmp_path / "poster.jpg"
        make_file(small, 64 * 1024, seed=6)
        one = FileUpload(s3, bucket(), "downloads/unsigned/poster.jpg", small, 64 * 1024, PART, tmp_path / "k.json")
        one.check()
        one.hash_to(64 * 1024)
        one.put()
        s3.upload_file(str(local), bucket(), "backups/unsigned/film.mkv",
                       Config=TransferConfig(multipart_threshold=PART, multipart_chunksize=PART))
    finally:
        s3.meta.events.unregister("before-send.s3", record)
    bodies = [(url, headers) for method, url, headers in sent if method == "PUT"]  # parts, puts, the tagging
    assert len([url for url, _ in bodies if "partNumber=" in url]) == 4  # two parts each: the worker's, boto3's
    assert any(url.endswith("poster.jpg") for url, _ in bodies)
    for url, headers in bodies:
        checksums = [name for name in headers if name.startswith("x-amz-checksum-")]
        signed = headers["authorization"].split("SignedHeaders=")[1].split(",")[0].split(";")
        assert headers["x-amz-content-sha256"] == "UNSIGNED-PAYLOAD", url
        assert checksums and all(name in signed for name in checksums), (url, checksums, signed)
    completions = [headers for method, url, headers in sent if method == "POST" and "uploadId=" in url]
    assert len(completions) == 2  # no checksum header: their bodies (the parts' list) stay signed
    assert all(len(headers["x-amz-content-sha256"]) == 64 for headers in completions)
    assert object_sha256("downloads/unsigned/film.mkv") == object_sha256("backups/unsigned/film.mkv") == digest
