"""The bucket's real S3 behaviour, on LocalStack's S3 (host mode): what moto, the suite's S3, gets wrong.

The store itself refuses a presigned POST over its ``content-length-range`` (the app's ``upload_form``); the
bucket answers a CORS preflight from the site's origin, and no other, by the rule the project's own set-up
(``awsinit.ensure_bucket``, the same rule as infra/resources.yml) puts on it; an object the worker uploads with
SHA-256 checksums returns them on HEAD, so its check of the stored object against the file is live.

S3 is LocalStack's and the queues and tables stay on the suite's moto server (``AWS_ENDPOINT_URL_S3``): a run
with mixed engines. Skipped, with the reason, where LocalStack cannot be installed (tests/localstack_support.py).
"""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

import httpx
import pytest
from botocore.exceptions import ClientError

from chalicelib import aws as aws_clients
from chalicelib import awsinit, config, presign
from embedded.services import ROOT
from tests import localstack_support
from tests.integration import cfn_support as cfn
from worker.multipart import FileUpload, b64

pytestmark = pytest.mark.slow  # LocalStack starts in ~15 s: `make test-fast` leaves the module out

SITE = "https://seen.example.com"
CAP = 64 * 1024
MIB = 1024 * 1024
PART = 5 * MIB  # S3's smallest part but the last


@pytest.fixture(scope="module")
def localstack(tmp_path_factory) -> str:
    if why := localstack_support.unavailable():
        pytest.skip(why)
    with localstack_support.localstack_s3(tmp_path_factory.mktemp("localstack")) as endpoint:
        yield endpoint


@pytest.fixture
def bucket(localstack, settings_env) -> str:
    """The media bucket on LocalStack, made and configured by the project's own code for the site's origin."""
    settings_env(AWS_ENDPOINT_URL_S3=localstack, SEEN_CORS_ORIGINS=SITE, SEEN_S3_PUBLIC_ENDPOINT="")
    config.get_aws_settings.cache_clear()
    aws_clients.reset(keep_session=True)
    settings = config.get_settings()
    awsinit.ensure_bucket(settings.aws, settings.cors_origins)
    yield settings.aws.bucket
    aws_clients.reset(keep_session=True)
    config.get_aws_settings.cache_clear()


def post(form: dict, body: bytes) -> httpx.Response:
    return httpx.post(form["url"], data=form["fields"], files={"file": ("upload.bin", body)}, timeout=30)


def test_a_presigned_post_over_its_cap_is_refused_by_the_store_and_one_at_the_cap_accepted(bucket):
    form = presign.upload_form("imports/over-the-cap.json", CAP)
    refused = post(form, b"x" * (CAP + 1))
    assert refused.status_code == 400 and "EntityTooLarge" in refused.text, refused.text
    assert presign.signed_size("imports/over-the-cap.json", CAP) is None
    accepted = post(form, b"x" * CAP)
    assert accepted.status_code in (200, 201, 204), accepted.text
    assert presign.signed_size("imports/over-the-cap.json", CAP) == CAP


def preflight(url: str, origin: str, method: str, headers: str = "") -> httpx.Response:
    asked = {"Origin": origin, "Access-Control-Request-Method": method}
    if headers:
        asked["Access-Control-Request-Headers"] = headers
    return httpx.options(url, headers=asked, timeout=30)


def test_a_cors_preflight_from_the_site_is_answered_and_one_from_another_origin_is_not(bucket):
    aws_clients.client("s3").put_object(Bucket=bucket, Key="media/film.mp4", Body=b"\0" * 4096)
    url = presign.get_url("media/film.mp4", 600)
    ranged = preflight(url, SITE, "GET", "range")  # the player's Range requests
    assert ranged.status_code == 200, ranged.text
    assert ranged.headers["access-control-allow-origin"] == SITE
    assert "GET" in ranged.headers["access-control-allow-methods"]
    assert ranged.headers["access-control-allow-headers"].lower() == "range"
    assert ranged.headers["access-control-max-age"] == "3600"
    upload = preflight(presign.upload_form("imports/list.csv", CAP)["url"], SITE, "POST")  # presigned uploads
    assert upload.status_code == 200 and upload.headers["access-control-allow-origin"] == SITE
    played = httpx.get(url, headers={"Origin": SITE, "Range": "bytes=0-99"}, timeout=30)
    assert played.status_code == 206 and played.headers["access-control-allow-origin"] == SITE
    assert "Content-Range" in played.headers["access-control-expose-headers"]
    for refused in (preflight(url, "https://elsewhere.example", "GET", "range"), preflight(url, SITE, "DELETE")):
        assert refused.status_code == 403 and "access-control-allow-origin" not in refused.headers


def test_the_bucket_gets_the_cors_rule_of_the_aws_template(bucket):
    template = cfn.load(ROOT / "infra" / "resources.yml")
    [rule] = template["Resources"]["MediaBucket"]["Properties"]["CorsConfiguration"]["CorsRules"]
    [applied] = aws_clients.client("s3").get_bucket_cors(Bucket=bucket)["CORSRules"]
    assert rule["AllowedOrigins"] == [{"Ref": "AppOrigin"}] and applied["AllowedOrigins"] == [SITE]
    assert (applied["AllowedMethods"], applied["AllowedHeaders"], applied["ExposeHeaders"],
            applied["MaxAgeSeconds"]) == (rule["AllowedMethods"], rule["AllowedHeaders"], rule["ExposedHeaders"],
                                          rule["MaxAge"])


def write(path: Path, size: int) -> bytes:
    data = hashlib.sha256(path.name.encode()).digest() * (size // 32 + 1)
    path.write_bytes(data[:size])
    return data[:size]


def test_the_workers_multipart_upload_is_checked_against_the_checksum_the_bucket_returns(bucket, tmp_path):
    s3, key, size = aws_clients.client("s3", transfers=True), "downloads/checksums/film.mkv", PART + 4096
    local = tmp_path / "film.mkv"
    data = write(local, size)
    upload = FileUpload(s3, bucket, key, local, size, PART, tmp_path / "journal.json")
    assert upload.check() and upload.multipart
    upload.hash_to(size)
    upload.ensure_open()
    for number in upload.missing():
        assert upload.upload_part(number, upload.epoch)
    upload.complete()  # compares the stored object's checksum with the parts hashed here
    head = s3.head_object(Bucket=bucket, Key=key, ChecksumMode="ENABLED")
    assert head["ContentLength"] == size and head["ChecksumSHA256"].split("-")[0] == upload.composite()
    assert upload.sha256() == hashlib.sha256(data).hexdigest()


def test_a_single_part_upload_returns_its_sha256_and_bytes_that_do_not_match_it_are_refused(bucket, tmp_path):
    s3, local = aws_clients.client("s3", transfers=True), tmp_path / "poster.jpg"
    data = write(local, 4096)
    upload = FileUpload(s3, bucket, "downloads/checksums/poster.jpg", local, len(data), PART, tmp_path / "j.json")
    upload.check()
    upload.hash_to(len(data))
    upload.put()
    head = s3.head_object(Bucket=bucket, Key="downloads/checksums/poster.jpg", ChecksumMode="ENABLED")
    assert head["ChecksumSHA256"] == base64.b64encode(hashlib.sha256(data).digest()).decode()
    with pytest.raises(ClientError) as refused:
        s3.put_object(Bucket=bucket, Key="downloads/checksums/other.jpg", Body=data,
                      ChecksumSHA256=b64(hashlib.sha256(b"other bytes").digest()))
    assert refused.value.response["Error"]["Code"] in ("BadDigest", "InvalidRequest")
