"""Presigned bucket URLs for the browser: video out (GET) and big uploads in (POST), never through a function.

URLs are signed for the host the browser uses (``SEEN_S3_PUBLIC_ENDPOINT``: the MinIO or moto address as
seen from the browser; the API's own endpoint when unset). An upload is a presigned POST whose policy holds
the exact key and a ``content-length-range``, so the store itself refuses a larger file (S3 and MinIO
enforce the policy; the job that reads the object checks its size again, since moto does not).
"""

from __future__ import annotations

import threading
from typing import Any

from chalicelib import aws
from chalicelib.config import get_settings

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


def upload_form(key: str, max_bytes: int, ttl: int = 900) -> dict[str, Any]:
    """A presigned POST for exactly ``key``, at most ``max_bytes``: ``{"url", "fields"}`` for a form upload
    (the fields first, the file last, as S3 requires)."""
    return signer().generate_presigned_post(
        Bucket=get_settings().aws.bucket, Key=key, ExpiresIn=ttl,
        Conditions=[["content-length-range", 1, max_bytes]])


def stored_size(key: str) -> int | None:
    """The size of the object at ``key``, None when there is none (not uploaded yet, or expired)."""
    from botocore.exceptions import ClientError  # lazy: botocore loads with the first bucket call

    try:
        head = aws.client("s3").head_object(Bucket=get_settings().aws.bucket, Key=key)
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
            return None
        raise
    return int(head["ContentLength"])
