"""`make dev`'s bucket as strict as S3 (issue 58, item 6): the AWS emulator `make dev` starts
(``services.ensure_aws``: moto behind ``embedded.awsgate``) refuses unsigned and mis-signed requests and
holds a browser's form POST to its policy (key, size, every field), while the app's own signed clients, its
presigned video URLs and its upload forms keep working. A real process over HTTP, as `make dev` runs it."""

from __future__ import annotations

import datetime as dt
import time
import urllib.parse
from collections.abc import Iterator

import boto3
import httpx
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from embedded import services

BUCKET = "seen-gate-test"
KEY = "imports/owner/uploads/1"
SIGNED = {"aws_access_key_id": "seen-local", "aws_secret_access_key": "seen-local", "region_name": "us-east-1"}


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Iterator[str]:
    """The store `make dev` starts when none answers at its endpoint."""
    started = services.Started()
    endpoint = services.ensure_aws(started, None, services.free_port())
    try:
        yield endpoint
    finally:
        started.stop()


def s3(endpoint: str, **overrides):
    return boto3.client("s3", endpoint_url=endpoint, **{**SIGNED, **overrides},
                        config=Config(signature_version="s3v4", s3={"addressing_style": "path"}))


@pytest.fixture
def bucket(store: str):
    client = s3(store)
    try:
        client.create_bucket(Bucket=BUCKET)
    except ClientError as exc:
        if exc.response["Error"]["Code"] != "BucketAlreadyOwnedByYou":
            raise
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.put_object(Bucket=BUCKET, Key=KEY, Body=b"the owner's history")
    return client


def keys(client) -> list[str]:
    return sorted(item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def code(response: httpx.Response) -> str:
    return response.text.split("<Code>")[1].split("</Code>")[0] if "<Code>" in response.text else ""


def test_unsigned_put_get_and_list_are_refused(store, bucket):
    path = f"{store}/{BUCKET}/{urllib.parse.quote(KEY)}"
    put = httpx.put(path, content=b"planted")
    get = httpx.get(path)
    listing = httpx.get(f"{store}/{BUCKET}?list-type=2")
    delete = httpx.delete(path)
    reset = httpx.post(f"{store}/moto-api/reset")
    for response in (put, get, listing, delete, reset):
        assert (response.status_code, code(response)) == (403, "AccessDenied"), response.text
    assert "owner" not in listing.text
    assert bucket.get_object(Bucket=BUCKET, Key=KEY)["Body"].read() == b"the owner's history"


def test_a_wrong_secret_or_a_tampered_url_is_refused_and_the_signed_ones_pass(store, bucket):
    with pytest.raises(ClientError) as caught:
        s3(store, aws_secret_access_key="not-the-secret").list_objects_v2(Bucket=BUCKET)
    assert caught.value.response["Error"]["Code"] == "SignatureDoesNotMatch"
    bucket.put_object(Bucket=BUCKET, Key="library/a b+ü.mkv", Body=b"0123456789" * 100_000)
    assert keys(bucket) == [KEY, "library/a b+ü.mkv"]
    url = bucket.generate_presigned_url("get_object", Params={"Bucket": BUCKET, "Key": "library/a b+ü.mkv"},
                                        ExpiresIn=60)
    ranged = httpx.get(url, headers={"Range": "bytes=0-3"})
    assert (ranged.status_code, ranged.content) == (206, b"0123")
    other = url.replace(urllib.parse.quote("library/a b+ü.mkv"), urllib.parse.quote(KEY))
    assert other != url and httpx.get(other).status_code == 403
    past = s3(store).generate_presigned_url("get_object", Params={"Bucket": BUCKET, "Key": KEY}, ExpiresIn=1)
    signed_at = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=5)
    stale = past.replace(urllib.parse.parse_qs(urllib.parse.urlsplit(past).query)["X-Amz-Date"][0],
                         signed_at.strftime("%Y%m%dT%H%M%SZ"))
    assert httpx.get(stale).status_code == 403


def test_the_queues_and_tables_the_worker_uses_work_through_it(store):
    sqs = boto3.client("sqs", endpoint_url=store, **SIGNED)
    queue = sqs.create_queue(QueueName="seen-gate-test")["QueueUrl"]
    sqs.send_message(QueueUrl=queue, MessageBody="hello")
    assert sqs.receive_message(QueueUrl=queue)["Messages"][0]["Body"] == "hello"
    unsigned = httpx.post(store, data={"Action": "ListQueues"})
    assert unsigned.status_code == 403


@pytest.fixture
def forms(store, bucket, settings_env):
    """The app's own upload forms, signed for this store (as `make dev` signs them)."""
    from chalicelib import presign

    settings_env(SEEN_S3_PUBLIC_ENDPOINT=store, SEEN_BUCKET=BUCKET)
    return presign.upload_form


def post(form: dict, content: bytes, **fields: str | None) -> httpx.Response:
    data = {name: value for name, value in {**form["fields"], **fields}.items() if value is not None}
    return httpx.post(form["url"], data=data, files={"file": ("history.csv", content)}, timeout=30)


def test_the_apps_form_uploads_and_a_form_rekeyed_to_another_users_key_is_refused(bucket, forms):
    mine = forms("imports/attacker/uploads/2", 1024, 60)
    assert post(mine, b"my own history").status_code == 204
    rekeyed = post(mine, b"planted rows", key=KEY)
    assert (rekeyed.status_code, code(rekeyed)) == (403, "AccessDenied"), rekeyed.text
    assert "Invalid according to Policy" in rekeyed.text
    assert bucket.get_object(Bucket=BUCKET, Key=KEY)["Body"].read() == b"the owner's history"
    untagged = post(mine, b"x", **{"x-amz-meta-seen-upload": None})
    retagged = post(mine, b"x", **{"x-amz-meta-seen-upload": "0" * 64})
    extra = post(mine, b"x", **{"x-amz-meta-other": "1"})
    forged = post(mine, b"x", **{"x-amz-signature": "0" * 64})
    for response in (untagged, retagged, extra, forged):
        assert response.status_code == 403, response.text
    assert code(forged) == "SignatureDoesNotMatch"
    stale = forms("imports/attacker/uploads/5", 1024, 1)
    time.sleep(2)
    expired = post(stale, b"late")
    assert expired.status_code == 403 and "Policy expired" in expired.text, expired.text


def test_a_post_over_the_policys_size_is_refused(bucket, forms):
    form = forms("imports/attacker/uploads/3", 1024, 60)
    big = post(form, b"x" * 1025)
    assert (big.status_code, code(big)) == (400, "EntityTooLarge"), big.text
    huge = post(form, b"x" * (8 * 1024 * 1024))
    assert (huge.status_code, code(huge)) == (400, "EntityTooLarge"), huge.text
    assert "imports/attacker/uploads/3" not in keys(bucket)
    assert post(form, b"x" * 1024).status_code == 204


def multipart(parts: list[tuple[str, bytes, str | None]]) -> tuple[bytes, str]:
    """A form body with parts in exactly this order (``filename`` None: a plain field)."""
    boundary = "seen-gate-boundary"
    body = b""
    for name, value, filename in parts:
        disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        body += f"--{boundary}\r\nContent-Disposition: {disposition}\r\n\r\n".encode() + value + b"\r\n"
    return body + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def test_a_second_key_field_or_a_field_after_the_file_is_refused(bucket, forms):
    """Two spellings of one field, or fields after the file (which S3 ignores but moto reads), could say
    one key to the policy check and another to the store."""
    form = forms("imports/attacker/uploads/4", 1024, 60)
    fields = [(name, value.encode(), None) for name, value in form["fields"].items()]
    file = ("file", b"planted", "history.csv")
    for parts in ([*fields, ("Key", KEY.encode(), None), file],
                  [*fields, file, ("key", KEY.encode(), None)]):
        body, content_type = multipart(parts)
        response = httpx.post(form["url"], content=body, headers={"Content-Type": content_type})
        assert (response.status_code, code(response)) == (400, "InvalidArgument"), response.text
    assert bucket.get_object(Bucket=BUCKET, Key=KEY)["Body"].read() == b"the owner's history"
    body, content_type = multipart([*fields, file])
    assert httpx.post(form["url"], content=body, headers={"Content-Type": content_type}).status_code == 204
