"""The scanner's loop and faults: rescan commands, paths outside the roots, a missing bucket,
move mode, and finished downloads flowing into the library (real uploader, real scanner)."""

from __future__ import annotations

import json
import os
import threading
import time

import catalog_support
import pytest
from downloads_support import MAGNET, bucket_keys, commands, submit
from library_support import age, build_tree, media_cache, place, pump, scanner, worker_ctx

from chalicelib import aws
from chalicelib.config import get_aws_settings
from chalicelib.messages import DownloadStart
from worker.scanner.loop import Scanner, ScanRequest


@pytest.fixture(scope="module")
def demo_template(template_url):
    yield from catalog_support.demo_template(template_url)


@pytest.fixture
def app_db(demo_template):
    yield from catalog_support.app_database(demo_template)


@pytest.fixture(scope="module")
def media(tmp_path_factory):
    return media_cache(tmp_path_factory.mktemp("library-media"))


@pytest.fixture
def tree(tmp_path, media, client):
    root = tmp_path / "library"
    files = build_tree(root, media, tmp_path / "outside")
    age([p for p in root.rglob("*") if not p.is_symlink()])
    return root, files


def library(client, headers):
    response = catalog_support.get(client, "/api/v1/library", headers, pageSize=100)
    return {i["fileName"]: i for i in json.loads(response.body)["items"]}


def test_a_rescan_command_runs_on_the_loop_and_reports_its_scan(client, auth_headers, tmp_path, tree):
    from app import app

    admin = auth_headers(role="admin")
    worker = scanner(tmp_path / "staging", [tree[0]], LIBRARY_SCAN_INTERVAL="0")
    loop = threading.Thread(target=worker.run)
    loop.start()
    try:
        response = client.http.post("/api/v1/library/rescan", headers=admin,
                                    body=json.dumps({"paths": ["library/Movies/Inception (2010)", "/etc"]}))
        assert response.status_code == 202, response.body
        [command] = commands()
        worker.request(command)  # what the dispatcher does with a library.rescan command
        deadline = time.monotonic() + 60
        while json.loads(client.http.get(f"/api/v1/library/scans/{command.scan_id}",
                                         headers=admin).body)["status"] != "completed":
            assert time.monotonic() < deadline, "the scan did not complete"
            pump(app)
            time.sleep(0.2)
    finally:
        worker.ctx.stopping.set()
        loop.join(10)
    assert not loop.is_alive()
    assert set(library(client, admin)) == {"Inception (2010).mp4"}  # /etc is outside every root: ignored


def test_a_scan_that_throws_is_reported_failed_and_the_loop_goes_on(client, auth_headers, tmp_path, tree, monkeypatch):
    from app import app

    worker = scanner(tmp_path / "staging", [tree[0]], LIBRARY_SCAN_INTERVAL="0")
    original = Scanner._targets
    calls = []

    def flaky(self, paths, report):
        calls.append(paths)
        if len(calls) == 1:
            raise OSError("the disk went away")
        return original(self, paths, report)

    monkeypatch.setattr(Scanner, "_targets", flaky)
    assert worker.scan_safely(ScanRequest(scan_id="11111111-1111-4111-8111-111111111111", trigger="manual")) is None
    report = worker.scan_safely(ScanRequest(scan_id="22222222-2222-4222-8222-222222222222", trigger="manual"))
    assert report is not None and report.indexed == 8
    pump(app)
    admin = auth_headers(role="admin")
    failed = json.loads(client.http.get("/api/v1/library/scans/11111111-1111-4111-8111-111111111111",
                                        headers=admin).body)
    assert (failed["status"], failed["error"]) == ("failed", "OSError: the disk went away")


def test_files_that_cannot_be_stored_are_retried_by_the_next_scan(client, tmp_path, tree):
    s3, bucket = aws.client("s3"), get_aws_settings().bucket
    s3.delete_bucket(Bucket=bucket)  # the bucket is away (MinIO down, a wrong setting)
    worker = scanner(tmp_path / "staging", [tree[0]])
    first = worker.scan(ScanRequest())
    assert (first.indexed, first.failed) == (0, 8)
    s3.create_bucket(Bucket=bucket)
    second = worker.scan(ScanRequest())
    assert (second.accepted, second.indexed, second.failed) == (8, 8, 0)  # nothing was marked done


def test_move_mode_deletes_the_source_only_after_it_is_stored(client, tmp_path, media):
    root = tmp_path / "import"
    film = place(media["mp4"], root / "Inception (2010).mp4")
    (root / "Inception (2010).en.srt").write_text("1\n00:00:00,000 --> 00:00:01,000\nHi\n", encoding="utf-8")
    age(list(root.iterdir()))
    worker = scanner(tmp_path / "staging", [root], LIBRARY_IMPORT_MODE="move")
    report = worker.scan(ScanRequest())
    assert report.indexed == 1 and not film.exists() and not list(root.iterdir())
    assert "media/import/Inception (2010).mp4" in bucket_keys("media/")
    assert worker.state.count() == 0


def test_a_finished_download_flows_into_the_library(client, auth_headers, tmp_path, media):
    """The seam the worker uses: the real uploader stores the job's files, then the scanner indexes them."""
    from app import app
    from worker import uploader
    from worker.engines.base import JobSpec, StagedFile
    from worker.jobs import ActiveJob

    headers = auth_headers()
    response = submit(client, headers, "magnet", MAGNET)
    job_id = json.loads(response.body)["id"]
    commands()  # the download.start the API queued: not this test's business
    data = tmp_path / "staging" / "jobs" / job_id / "data"
    film = place(media["mkv"], data / "The.Matrix.1999.1080p.BluRay.x264-GROUP" / "The.Matrix.1999.mkv")
    (film.parent / "The.Matrix.1999.en.srt").write_text("1\n00:00:00,000 --> 00:00:01,000\nHi\n", encoding="utf-8")
    (film.parent / "readme.nfo").write_text("nfo", encoding="utf-8")
    ctx = worker_ctx(tmp_path / "staging", [])
    command = DownloadStart(job_id=job_id, attempt=1, source_type="magnet", source=MAGNET)
    spec = JobSpec(job_id, 1, "magnet", MAGNET, None, tmp_path / "staging" / "jobs" / job_id)
    staged = [StagedFile(p.relative_to(data).as_posix(), p) for p in sorted(data.rglob("*")) if p.is_file()]
    job = ActiveJob(command=command, spec=spec, engine=None, files=staged)
    uploader.store_job(ctx, job)
    assert Scanner(ctx).index_download(job) == 1
    pump(app)
    [item] = library(client, headers).values()
    assert (item["title"], item["matchState"], item["sourceJobId"]) == ("The Matrix", "matched", job_id)
    detail = json.loads(client.http.get(f"/api/v1/library/{item['id']}", headers=headers).body)
    assert detail["storageKey"] == f"downloads/{job_id}/The.Matrix.1999.1080p.BluRay.x264-GROUP/The.Matrix.1999.mkv"
    assert {s["kind"] for s in detail["streams"]} == {"original", "mp4_remux"}
    assert [s["language"] for s in detail["subtitles"]] == ["en"]


def test_big_files_go_up_in_parts_with_their_sha256_and_are_not_uploaded_twice(client, tmp_path):
    import hashlib

    root = tmp_path / "big"
    film = root / "Big (2000).mkv"
    film.parent.mkdir(parents=True)
    film.write_bytes(os.urandom(11 * 1024 * 1024))  # three 5 MiB parts; not a real video: indexed flagged
    age(film)
    worker = scanner(tmp_path / "staging", [root], SEEN_UPLOAD_PART_BYTES=str(5 * 1024 * 1024))
    assert worker.scan(ScanRequest()).indexed == 1
    s3, bucket = aws.client("s3"), get_aws_settings().bucket
    head = s3.head_object(Bucket=bucket, Key="media/big/Big (2000).mkv")
    digest = hashlib.sha256(film.read_bytes()).hexdigest()
    assert (head["ContentLength"], head["Metadata"]["sha256"]) == (film.stat().st_size, digest)
    assert head["ETag"].strip('"').endswith("-3")  # a multipart upload's ETag counts its parts
    before = head["LastModified"]
    assert worker.scan(ScanRequest(force=True)).indexed == 1  # same bytes: the object is left as it is
    assert s3.head_object(Bucket=bucket, Key="media/big/Big (2000).mkv")["LastModified"] == before
