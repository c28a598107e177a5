"""Where an upload waits to be parsed (the bucket) and how the background jobs are started (the queue)."""

from __future__ import annotations

import shutil
import tempfile
from typing import IO, Any
from uuid import UUID

from chalicelib import aws, presign
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
    """Store an inline upload, tagged as the app's own (the job checks every upload's tag alike)."""
    aws.client("s3").put_object(Bucket=get_aws_settings().bucket, Key=key, Body=data,
                                ContentType="application/octet-stream", Metadata=presign.tag_metadata(key))


def fetch(key: str) -> IO[bytes] | None:
    """The stored upload as a seekable file (spooled to disk past a few megabytes; the caller closes it),
    None when it is gone. Its tag and size are checked on the response it is read from: UploadRejected or
    UploadTooLarge (and the object deleted) for one that its form did not put there."""
    body = presign.open_signed(key, MAX_FILE_BYTES)
    if body is None:
        return None
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - the caller closes it
    try:
        shutil.copyfileobj(body, spool, CHUNK)
    except BaseException:
        spool.close()
        raise
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
