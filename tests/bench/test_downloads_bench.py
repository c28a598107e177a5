"""Downloads: the whole pipeline against the bare tools, on loopback, same data, same peers.

* 256 MiB torrent (magnet via a local tracker, one local libtorrent seeder with
  uTP off): submit -> ``completed`` with the file in the bucket (API, SQS, the
  real worker process, upload with sha256, events back into Postgres) versus
  a bare libtorrent session with the worker's own settings, and versus
  ``aria2c`` fetching the same .torrent from the same seeder.
* 256 MiB over HTTP from the same local file server: the pipeline versus ``curl``.

The pipeline's extra over the bare download is mostly the upload to the
bucket (a second full copy of the file) and the monitor's poll interval
(``DOWNLOAD_POLL_INTERVAL=0.25`` here). Data lives in a temp dir and is
removed; nothing asserts on time.
"""

from __future__ import annotations

import shutil
import subprocess
import time
import uuid
from pathlib import Path

import pytest

from chalicelib import aws, db
from chalicelib.config import EngineSettings, get_aws_settings
from embedded.testpeers import FileServer, Seeder, Tracker, make_file
from embedded.testworker import Driver, WorkerProcess

from .conftest import summarise

SIZE = 256 * 1024 * 1024
ROUNDS = 3


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    root = tmp_path_factory.mktemp("downloads-bench")
    path = root / "seed" / "bench-256MiB.bin"
    digest = make_file(path, SIZE)
    (root / "www").mkdir()
    (root / "www" / path.name).hardlink_to(path)
    yield root, path, digest
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def peers(data):
    root, path, _ = data
    import libtorrent as lt

    tracker = Tracker()
    seeder = Seeder(tracker)
    # v1 only: aria2c 1.36 mis-hashes hybrid (v1+v2) torrents and would join an empty swarm.
    seeded = seeder.seed(path, flags=lt.create_torrent.v1_only, timeout=300)
    (root / "bench.torrent").write_bytes(seeded.torrent)
    files = FileServer(root / "www")
    yield seeded, files, root / "bench.torrent"
    files.close()
    seeder.close()
    tracker.close()


@pytest.fixture
def pipeline(client, make_user, settings_env, tmp_path):
    from app import app

    settings_env(SEEN_DOWNLOAD_ALLOW_PRIVATE="true")
    worker = WorkerProcess(tmp_path / "staging", tmp_path / "worker.log").start()
    headers = make_user()[1]
    driver = Driver(app)
    yield client, headers, driver, worker
    worker.stop()


def _phases(worker: WorkerProcess) -> dict[str, float]:
    """Median seconds of the worker's download and upload phases, from its structured log."""
    import json
    import statistics
    from datetime import datetime

    started, finished, uploads = {}, {}, []
    for line in worker.output().splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        at = datetime.strptime(record.get("timestamp", ""), "%Y-%m-%d %H:%M:%S,%f%z").timestamp() \
            if record.get("timestamp") else 0.0
        action = record.get("action")
        if action == "download_started":
            started[record["job_id"]] = at
        elif action == "download_finished":
            finished[record["job_id"]] = at
        elif action == "upload_done":
            uploads.append(record["seconds"])
    downloads = [finished[job] - started[job] for job in finished if job in started]
    return {"download_median_s": round(statistics.median(downloads), 3),
            "upload_median_s (sha256 + multipart to the local S3 emulator)": round(statistics.median(uploads), 3)}


def _status(job_id: str) -> str:
    with db.connection() as conn:
        return conn.execute("SELECT status FROM download_jobs WHERE id = %s", (uuid.UUID(job_id),)).fetchone()[
            "status"]


def _clear_bucket(prefix: str = "downloads/") -> None:
    s3 = aws.client("s3")
    bucket = get_aws_settings().bucket
    for item in s3.list_objects_v2(Bucket=bucket, Prefix=prefix).get("Contents", []):
        s3.delete_object(Bucket=bucket, Key=item["Key"])


def _run_job(pipeline, source_type: str, source: str) -> float:
    import json

    client, headers, driver, _ = pipeline
    _clear_bucket()
    started = time.perf_counter()
    response = client.http.post("/api/v1/downloads", headers=headers,
                                body=json.dumps({"sourceType": source_type, "source": source}))
    job_id = json.loads(response.body)["id"]
    driver.until(lambda: _status(job_id) in ("completed", "failed"), timeout=600, interval=0.02,
                 what=f"bench job {job_id}")
    elapsed = time.perf_counter() - started
    assert _status(job_id) == "completed"
    return elapsed


def _bare_libtorrent(magnet: str, target: Path) -> float:
    import libtorrent as lt

    from worker.engines.torrent import session_settings

    settings = EngineSettings(listen_host="127.0.0.1", listen_port=0, dht=False, lsd=False, upnp=False, utp=False)
    session = lt.session(session_settings(settings))
    started = time.perf_counter()
    params = lt.parse_magnet_uri(magnet)
    params.save_path = str(target)
    handle = session.add_torrent(params)
    while not handle.status().is_seeding:
        time.sleep(0.02)
    elapsed = time.perf_counter() - started
    session.remove_torrent(handle)
    del session
    shutil.rmtree(target, ignore_errors=True)
    return elapsed


def _aria2c(torrent: Path, target: Path) -> float:
    started = time.perf_counter()
    subprocess.run(["aria2c", "--quiet=true", "--seed-time=0", "--enable-dht=false", "--enable-dht6=false",
                    "--bt-enable-lpd=false", "--enable-peer-exchange=false", "--check-integrity=false",
                    "--allow-overwrite=true", "--listen-port=51413-51513", f"--dir={target}", str(torrent)],
                   check=True, timeout=600)
    elapsed = time.perf_counter() - started
    shutil.rmtree(target, ignore_errors=True)
    return elapsed


def _curl(url: str, target: Path) -> float:
    started = time.perf_counter()
    subprocess.run(["curl", "--silent", "--fail", "--output", str(target), url], check=True, timeout=600)
    elapsed = time.perf_counter() - started
    target.unlink()
    return elapsed


def test_torrent_pipeline_vs_bare_libtorrent_and_aria2c(benchmark, report, data, peers, pipeline, tmp_path):
    if shutil.which("aria2c") is None:
        pytest.skip("aria2c is not installed (make setup installs it)")
    seeded, _, torrent_file = peers
    subject: list[float] = []
    benchmark.pedantic(lambda: subject.append(_run_job(pipeline, "magnet", seeded.magnet)), rounds=ROUNDS)
    stored = aws.client("s3").get_object(Bucket=get_aws_settings().bucket,
                                         Key=next(iter(_keys())))["Body"]
    assert _sha256_stream(stored) == data[2]
    bare = [_bare_libtorrent(seeded.magnet, tmp_path / f"lt-{i}") for i in range(ROUNDS)]
    aria = [_aria2c(torrent_file, tmp_path / f"aria-{i}") for i in range(ROUNDS)]
    info = {"size_mib": SIZE // (1024 * 1024), "transport": "loopback TCP, uTP off"}
    benchmark.extra_info["ratio_vs_libtorrent"] = report.ratio(
        "torrent 256 MiB: pipeline vs bare libtorrent", summarise(subject), summarise(bare),
        subject_label="submit -> completed in the bucket (worker, upload, events)",
        reference_label="bare libtorrent session, same settings", **info)
    benchmark.extra_info["ratio_vs_aria2c"] = report.ratio(
        "torrent 256 MiB: pipeline vs aria2c", summarise(subject), summarise(aria),
        subject_label="submit -> completed in the bucket", reference_label="aria2c on the same .torrent", **info)
    report.ratio("torrent 256 MiB: bare libtorrent vs aria2c", summarise(bare), summarise(aria),
                 subject_label="bare libtorrent", reference_label="aria2c", **info)
    report.figure("torrent 256 MiB: pipeline phases", **_phases(pipeline[3]))


def test_http_pipeline_vs_curl(benchmark, report, data, peers, pipeline, tmp_path):
    _, files, _ = peers
    url = files.url(data[1].name)
    subject: list[float] = []
    benchmark.pedantic(lambda: subject.append(_run_job(pipeline, "http", url)), rounds=ROUNDS)
    reference = [_curl(url, tmp_path / f"curl-{i}.bin") for i in range(ROUNDS)]
    benchmark.extra_info["ratio_vs_curl"] = report.ratio(
        "http 256 MiB: pipeline vs curl", summarise(subject), summarise(reference),
        subject_label="submit -> completed in the bucket (worker, upload, events)",
        reference_label="curl from the same local server", size_mib=SIZE // (1024 * 1024))
    report.figure("http 256 MiB: pipeline phases", **_phases(pipeline[3]))


def _keys() -> list[str]:
    listing = aws.client("s3").list_objects_v2(Bucket=get_aws_settings().bucket, Prefix="downloads/")
    return [item["Key"] for item in listing.get("Contents", [])]


def _sha256_stream(body) -> str:
    import hashlib

    digest = hashlib.sha256()
    for chunk in iter(lambda: body.read(4 * 1024 * 1024), b""):
        digest.update(chunk)
    return digest.hexdigest()

