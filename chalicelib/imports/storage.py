"""Where an upload waits to be parsed (the bucket) and how the background jobs are started (the queue)."""

from __future__ import annotations

import shutil
import tempfile
from typing import IO, Any
from uuid import UUID

from chalicelib import aws
from chalicelib.config import get_aws_settings

PREFIX = "imports/"
MAX_FILE_BYTES = 48 * 1024 * 1024  # an export larger than this is refused (upload policy, and the job)
SPOOL_BYTES = 8 * 1024 * 1024  # larger downloads go to a temporary file, not memory
CHUNK = 1024 * 1024


def object_key(user_id: UUID, import_id: UUID) -> str:
    return f"{PREFIX}{user_id}/{import_id}"


def upload_key(user_id: UUID, upload_id: UUID) -> str:
    return f"{PREFIX}{user_id}/uploads/{upload_id}"


def put(key: str, data: bytes) -> None:
    aws.client("s3").put_object(Bucket=get_aws_settings().bucket, Key=key, Body=data,
                                ContentType="application/octet-stream")


def fetch(key: str) -> IO[bytes]:
    """The stored upload as a seekable file (spooled to disk past a few megabytes); the caller closes it."""
    body = aws.client("s3").get_object(Bucket=get_aws_settings().bucket, Key=key)["Body"]
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - the caller closes it
    try:
        shutil.copyfileobj(body, spool, CHUNK)
    finally:
        body.close()
    spool.seek(0)
    return spool


def delete(key: str) -> None:
    aws.client("s3").delete_object(Bucket=get_aws_settings().bucket, Key=key)


def enqueue(message: Any) -> None:
    """Send an imports message to the imports queue (handled by ``imports.handlers``, never by the events
    consumer)."""
    aws.client("sqs").send_message(QueueUrl=aws.queue_url(get_aws_settings().imports_queue),
                                   MessageBody=message.to_json())
