"""Torrents as libtorrent takes them, end to end (issue 59): through the API, the queue and the real worker.

A BEP 47 hybrid with padding files, uploaded as the web app does (presigned POST, then POST /downloads),
and a v1 file whose info dictionary is not in canonical key order: both reach the worker byte for byte,
so the worker's libtorrent joins the swarm a real seeder on loopback serves (uTP off; the tracker never
hands a peer its own address) and downloads every file.
"""

import hashlib
import json
from pathlib import Path

import fastbencode
import libtorrent as lt
import pytest
from downloads_support import body, job_files, job_row, send_file, start_upload, submit, torrent_b64

from chalicelib import aws
from chalicelib.config import get_aws_settings
from chalicelib.downloads import bencode
from embedded.testpeers import Seeder, Tracker, make_file, make_torrent
from embedded.testworker import Driver, WorkerProcess

pytestmark = pytest.mark.peers  # real BitTorrent peers on loopback


@pytest.fixture
def swarm():
    tracker = Tracker()
    seeder = Seeder(tracker)
    yield tracker, seeder
    seeder.close()
    tracker.close()


@pytest.fixture
def worker(settings_env, tmp_path):
    settings_env(SEEN_DOWNLOAD_ALLOW_PRIVATE="true")
    process = WorkerProcess(tmp_path / "staging", tmp_path / "worker.log",
                            SEEN_UPLOAD_PART_BYTES=str(5 * 1024 * 1024)).start()
    yield process
    process.stop()


def wait_completed(client, headers, job_id: str, worker: WorkerProcess) -> dict:
    from app import app

    def done():
        job = body(client.http.get(f"/api/v1/downloads/{job_id}", headers=headers))
        assert job["status"] not in ("failed", "cancelled"), job
        return job["status"] == "completed" and job
    return Driver(app).until(done, 90, f"job {job_id} completed\n{worker.output()[-3000:]}")


def stored(key: str) -> bytes:
    return aws.client("s3").get_object(Bucket=get_aws_settings().bucket, Key=key)["Body"].read()


def reordered(raw: bytes) -> bytes:
    """``raw`` with its info dictionary's keys written in reverse order: valid bencode, another v1 hash."""
    top = bencode.decode(raw)
    info = top.find_kind(b"info", "d")
    assert info is not None
    pairs = b"".join(raw[key.start:value.end] for key, value in reversed(info.pairs))
    return raw[:info.start] + b"d" + pairs + b"e" + raw[info.end:]


def test_a_pad_file_hybrid_uploaded_through_the_api_downloads_from_a_real_seeder(client, make_user, swarm, worker,
                                                                                 tmp_path):
    tracker, seeder = swarm
    folder = tmp_path / "seed" / "Season 1"
    digests = {name: make_file(folder / name, size) for name, size in
               (("e01.mkv", 3 * 1024 * 1024 + 17), ("e02.mkv", 1024 * 1024 + 5), ("notes.nfo", 333))}
    raw = make_torrent(folder, tracker.url)  # hybrid: each file padded to a piece boundary (BEP 47)
    info = fastbencode.bdecode(raw)[b"info"]
    assert info[b"meta version"] == 2 and any(b"p" in f.get(b"attr", b"") for f in info[b"files"])
    seeded = seeder.seed(folder, torrent=raw)

    headers = make_user()[1]
    form = start_upload(client, headers)
    assert send_file(form, raw).status_code in (200, 201, 204)
    response = client.http.post("/api/v1/downloads", headers=headers,
                                body=json.dumps({"sourceType": "torrent", "torrentUploadId": form["uploadId"]}))
    assert response.status_code == 201, response.body
    job = body(response)
    assert job_row(job["id"])["info_hash"] == seeded.info_hash

    done = wait_completed(client, headers, job["id"], worker)
    assert sorted(f["path"] for f in done["files"]) == ["Season 1/e01.mkv", "Season 1/e02.mkv", "Season 1/notes.nfo"]
    files = {f["path"]: f for f in job_files(job["id"])}
    assert {path: f["sha256"] for path, f in files.items()} == {f"Season 1/{n}": d for n, d in digests.items()}
    assert not any(".pad" in path for path in files)


def test_a_torrent_with_keys_out_of_order_keeps_its_info_hash_end_to_end(client, make_user, swarm, worker,
                                                                         tmp_path):
    tracker, seeder = swarm
    path = tmp_path / "seed" / "film.mkv"
    digest = make_file(path, 2 * 1024 * 1024 + 99)
    raw = reordered(make_torrent(path, tracker.url, flags=lt.create_torrent.v1_only))
    given = lt.torrent_info(raw).info_hashes().v1.to_bytes().hex()
    info = bencode.decode(raw).find_kind(b"info", "d")
    assert info is not None
    canonical = hashlib.sha1(bencode.encode(bencode.to_python(info))).hexdigest()  # noqa: S324 - v1 is sha1
    assert given != canonical  # re-encoding the info dictionary would have joined another swarm
    seeder.seed(path, torrent=raw)

    headers = make_user()[1]
    response = submit(client, headers, "torrent", torrent_b64(raw))
    assert response.status_code == 201, response.body
    job = body(response)
    row = job_row(job["id"])
    assert row["info_hash"] == given
    assert stored(row["torrent_key"]) == raw  # what the worker is sent: the bytes as given

    wait_completed(client, headers, job["id"], worker)
    assert [(f["path"], f["sha256"]) for f in job_files(job["id"])] == [("film.mkv", digest)]


def test_the_worker_loads_the_bytes_it_is_given(tmp_path: Path):
    from worker.engines.torrent import _source_hashes

    path = tmp_path / "clip.bin"
    make_file(path, 40_000)
    raw = reordered(make_torrent(path, flags=lt.create_torrent.v1_only))
    info = bencode.decode(raw).find_kind(b"info", "d")
    assert info is not None
    expected = hashlib.sha1(raw[info.start:info.end]).digest()  # noqa: S324 - BitTorrent v1 is sha1
    assert _source_hashes(None, raw) == (expected,)
