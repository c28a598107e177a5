"""Presigned bucket URLs for the browser: video out (GET) and big uploads in (POST), never through a function.

URLs are signed for the host the browser uses (``SEEN_S3_PUBLIC_ENDPOINT``: the MinIO or moto address as
seen from the browser; the API's own endpoint when unset). An upload is a presigned POST whose policy holds
the exact key, a ``content-length-range`` and the upload's tag, so the store itself refuses another key or
a larger file (S3, MinIO and `make dev`'s gate enforce the policy).

The app does not trust that the store did: a store that takes anything (plain moto, some S3-compatibles)
would let one user's form write another user's key. So the form carries the tag, an HMAC of the object key
(which names the user and what the upload is for) by the app's secret, stored as the object's metadata; the
job that reads an upload reads the tag and the size from the same response as the bytes and refuses (and
deletes) an object without the key's tag or over the signed limit.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
from collections.abc import Mapping
from typing import Any

from chalicelib import aws, errors
from chalicelib.config import get_settings
from chalicelib.logs import get_logger

TAG_FIELD = "x-amz-meta-seen-upload"  # the form field (and header) that stores the tag as metadata
TAG_METADATA = "seen-upload"  # the same, as boto3 returns an object's Metadata

_signers: dict[str | None, Any] = {}
_lock = threading.Lock()


def signer() -> Any:
    """An S3 client used only to sign URLs for the public endpoint (cached per endpoint)."""
    settings = get_settings()
    endpoint = settings.s3_public_endpoint or settings.aws.endpoint("s3")
    with _lock:
        client = _signers.get(endpoint)
        if client is None:
            from botocore.config import Config  # lazy: botocore loads with the first signed URL

            client = aws.make_client(
                "s3", region_name=settings.aws.region, endpoint_url=endpoint,
                config=Config(signature_version="s3v4", s3={"addressing_style": "path"}))
            _signers[endpoint] = client
    return client


def get_url(key: str, ttl: int, content_type: str | None = None) -> str:
    """A presigned GET of ``key`` (``content_type`` overrides the stored Content-Type in the response)."""
    params: dict[str, object] = {"Bucket": get_settings().aws.bucket, "Key": key}
    if content_type:
        params["ResponseContentType"] = content_type
    return signer().generate_presigned_url("get_object", Params=params, ExpiresIn=ttl)


def upload_tag(key: str) -> str:
    """The app's mark on an object it allowed at ``key``: nobody without the app's secret can make it."""
    secret = get_settings().auth.jwt_secret.encode()
    return hmac.new(secret, f"seen-upload|{key}".encode(), hashlib.sha256).hexdigest()


def tag_metadata(key: str) -> dict[str, str]:
    """The Metadata of an object the app stores itself at an upload's key (an inline import)."""
    return {TAG_METADATA: upload_tag(key)}


def upload_form(key: str, max_bytes: int, ttl: int = 900) -> dict[str, Any]:
    """A presigned POST for exactly ``key``, at most ``max_bytes``, stamped with the key's tag:
    ``{"url", "fields"}`` for a form upload (the fields first, the file last, as S3 requires)."""
    tag = upload_tag(key)
    return signer().generate_presigned_post(
        Bucket=get_settings().aws.bucket, Key=key, ExpiresIn=ttl, Fields={TAG_FIELD: tag},
        Conditions=[["content-length-range", 1, max_bytes], {TAG_FIELD: tag}])


class UploadRejected(errors.ValidationFailed):
    """The object at an upload's key is not one the app's form put there (no tag, or another key's)."""

    code = "upload_rejected"


class UploadTooLarge(errors.PayloadTooLarge):
    """The object at an upload's key is larger than the form allowed."""

    code = "upload_too_large"


def signed_size(key: str, max_bytes: int) -> int | None:
    """The size of the upload at ``key`` once it is checked (``check``); None when there is none yet."""
    head = _object("head_object", key)
    if head is None:
        return None
    check(key, max_bytes, head)
    return int(head["ContentLength"])


def open_signed(key: str, max_bytes: int) -> Any:
    """The upload at ``key`` opened for reading (a botocore StreamingBody the caller closes), checked on
    the very response it is read from, so nothing can replace it in between; None when there is none."""
    response = _object("get_object", key)
    if response is None:
        return None
    try:
        check(key, max_bytes, response)
    except errors.DomainError:
        response["Body"].close()
        raise
    return response["Body"]


def _object(operation: str, key: str) -> dict[str, Any] | None:
    """``head_object`` or ``get_object`` of ``key``; None when there is no such object."""
    from botocore.exceptions import ClientError  # lazy: botocore loads with the first bucket call

    try:
        return getattr(aws.client("s3"), operation)(Bucket=get_settings().aws.bucket, Key=key)
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
            return None
        raise


def check(key: str, max_bytes: int, response: Mapping[str, Any]) -> None:
    """A HEAD or GET response of ``key`` is the app's upload within ``max_bytes``; else the object is
    deleted and UploadRejected or UploadTooLarge says why."""
    found = str((response.get("Metadata") or {}).get(TAG_METADATA, ""))
    if not hmac.compare_digest(found.encode(), upload_tag(key).encode()):
        _refuse(key, "tag", UploadRejected("The uploaded file was not sent with this upload's form; upload "
                                           "it again"))
    size = int(response.get("ContentLength") or 0)
    if size > max_bytes:
        _refuse(key, "size", UploadTooLarge(f"The uploaded file is {size} bytes; at most {max_bytes} may be "
                                            "uploaded"))


def _refuse(key: str, reason: str, error: errors.DomainError) -> None:
    get_logger().warning("upload refused", extra={"action": "upload_refused", "reason": reason})
    try:
        aws.client("s3").delete_object(Bucket=get_settings().aws.bucket, Key=key)
    except Exception as exc:  # the bucket sweep of the prefix removes what is left
        get_logger().warning("refused upload not deleted", extra={"action": "upload_refused_kept",
                                                                  "error": type(exc).__name__})
    raise error
