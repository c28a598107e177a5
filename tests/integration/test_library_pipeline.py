"""End to end with the real worker process (``python -m worker``): a completed download flows into
the library without a manual step, a video dropped into a library root appears on the next scheduled
scan, and a rescan from the API reaches the scanner through the worker's dispatcher."""

from __future__ import annotations

import json
import signal

import catalog_support
import httpx
import pytest
from library_support import age, media_cache, place

from embedded.testpeers import FileServer
from embedded.testworker import Driver, WorkerProcess


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
def stack(client, tmp_path, settings_env):
    from app import app

    settings_env(SEEN_DOWNLOAD_ALLOW_PRIVATE="true")  # the file server is on 127.0.0.1
    root = tmp_path / "library"
    root.mkdir()
    (tmp_path / "www").mkdir()
    files = FileServer(tmp_path / "www")
    worker = WorkerProcess(tmp_path / "staging", tmp_path / "worker.log", LIBRARY_ROOTS=str(root),
                           LIBRARY_SCAN_INTERVAL="1", LIBRARY_SETTLE_SECONDS="0").start()
    yield Driver(app), worker, root, files, tmp_path
    worker.stop(signal.SIGTERM, 30)
    files.close()


def library(client, headers, **params):
    return {i["fileName"]: i for i in json.loads(catalog_support.get(client, "/api/v1/library", headers,
                                                                     pageSize=100, **params).body)["items"]}


def test_a_completed_download_appears_in_the_library_matched(client, auth_headers, stack, media):
    driver, worker, _, files, tmp = stack
    headers = auth_headers()
    place(media["mkv"], tmp / "www" / "The.Matrix.1999.1080p.BluRay.x264-GROUP.mkv")
    response = client.http.post("/api/v1/downloads", headers=headers, body=json.dumps(
        {"sourceType": "http", "source": files.url("The.Matrix.1999.1080p.BluRay.x264-GROUP.mkv")}))
    assert response.status_code == 201, response.body
    job_id = json.loads(response.body)["id"]
    item = driver.until(lambda: library(client, headers).get("The.Matrix.1999.1080p.BluRay.x264-GROUP.mkv"), 120,
                        f"the download in the library\n{worker.output()[-3000:]}")
    assert (item["matchState"], item["title"], item["sourceJobId"], item["hasMp4Variant"]) == (
        "matched", "The Matrix", job_id, True)
    # The worker-events queue is a standard SQS queue: the scanner's file_indexed may be applied before
    # the job's final download.state, so the job's completion is waited for, not assumed.
    driver.until(lambda: json.loads(client.http.get(f"/api/v1/downloads/{job_id}", headers=headers).body)["status"]
                 == "completed", 60, "the download job completed")


def test_a_video_dropped_into_a_library_root_is_indexed_and_streams(client, auth_headers, stack, media):
    driver, worker, root, _, _ = stack
    headers = auth_headers()
    dropped = place(media["mp4"], root / "Inception (2010).mp4")
    age(dropped)
    item = driver.until(lambda: library(client, headers).get("Inception (2010).mp4"), 120,
                        f"the dropped file in the library\n{worker.output()[-3000:]}")
    assert (item["matchState"], item["title"]) == ("matched", "Inception")
    stream = json.loads(client.http.get(f"/api/v1/library/{item['id']}/stream", headers=headers).body)
    ranged = httpx.get(stream["url"], headers={"Range": "bytes=0-1023"}, timeout=10)
    assert ranged.status_code == 206 and ranged.content == dropped.read_bytes()[:1024]


def test_a_rescan_from_the_api_reaches_the_scanner_through_the_dispatcher(client, auth_headers, stack):
    driver, worker, _, _, _ = stack
    admin = auth_headers(role="admin")
    response = client.http.post("/api/v1/library/rescan", headers=admin, body=json.dumps({"force": True}))
    assert response.status_code == 202, response.body
    scan_id = json.loads(response.body)["id"]
    scan = driver.until(
        lambda: (s := json.loads(client.http.get(f"/api/v1/library/scans/{scan_id}", headers=admin).body))[
            "status"] == "completed" and s, 60, f"the scan to complete\n{worker.output()[-3000:]}")
    assert scan["trigger"] == "manual" and scan["error"] is None
    assert "command_unhandled" not in worker.output()
