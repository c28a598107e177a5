"""A .torrent file added on the downloads page goes to the bucket the AWS way (issue 33, item 2), in
Chromium against the `make dev` stack: the browser POSTs the presigned form across origins to the moto
server (bucket CORS), then submits the download with the upload's id; the job holds the .torrent and the
uploaded object is gone."""

from __future__ import annotations

import hashlib

import boto3
import psycopg
import pytest
from e2e_support import ARTIFACTS, Api, cancel_unfinished_downloads
from playwright.sync_api import expect

from embedded.testpeers import make_torrent

pytestmark = pytest.mark.e2e


@pytest.fixture
def leaves_nothing_running(dev_stack, account):
    """Nobody seeds this torrent: its job would wait for peers in a download slot under later tests."""
    yield
    cancel_unfinished_downloads(Api(dev_stack.base, account))


def test_a_torrent_file_is_uploaded_to_the_bucket_and_becomes_a_download(dev_stack, page, tmp_path,
                                                                        leaves_nothing_running):
    (tmp_path / "Upload Test Clip.mkv").write_bytes(b"x" * 70_000)
    torrent = tmp_path / "clip.torrent"
    torrent.write_bytes(make_torrent(tmp_path / "Upload Test Clip.mkv"))
    bucket_posts = []
    page.on("request", lambda r: bucket_posts.append(r.url) if r.method == "POST" and
            r.url.startswith(dev_stack.aws_endpoint) else None)

    page.goto(dev_stack.base + "/app/downloads")
    page.get_by_role("tab", name="torrent").click()
    page.locator("input[type=file]").set_input_files(str(torrent))
    page.get_by_role("button", name="Add download").click()
    item = page.get_by_role("list", name="Downloads").get_by_text("Upload Test Clip.mkv")
    expect(item).to_be_visible(timeout=20_000)
    page.screenshot(path=str(ARTIFACTS / "torrent-upload.png"), full_page=True)

    assert bucket_posts and page.errors == []
    key = f"torrents/{hashlib.sha256(torrent.read_bytes()).hexdigest()}.torrent"
    with psycopg.connect(dev_stack.database) as conn:
        row = conn.execute("SELECT torrent_key FROM download_jobs WHERE title = 'Upload Test Clip.mkv'").fetchone()
    assert row == (key,)
    s3 = boto3.client("s3", endpoint_url=dev_stack.aws_endpoint, region_name="us-east-1",
                      aws_access_key_id="seen-local", aws_secret_access_key="seen-local")
    bucket = dev_stack.env.get("SEEN_BUCKET", "seen-media")
    assert s3.list_objects_v2(Bucket=bucket, Prefix="torrents/uploads/").get("KeyCount") == 0
