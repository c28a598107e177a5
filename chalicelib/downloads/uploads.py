""".torrent files the AWS way: the browser POSTs the file straight to the bucket (a presigned form whose
policy holds the exact key and the size limit), then submits the download with the upload's id.

An upload is its owner's and usable once: the id is looked up with the user's id, and the job's own
transaction marks it used. The file is read back from the bucket with its size checked again (moto
does not enforce the policy), validated exactly as an inline .torrent, and deleted. Objects live under
``torrents/uploads/``, so an upload never submitted goes with the bucket sweep of ``torrents/``.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from botocore.exceptions import BotoCoreError, ClientError

from chalicelib import aws, db, errors, presign
from chalicelib.config import get_settings
from chalicelib.db import Conn
from chalicelib.downloads import queries
from chalicelib.downloads.models import TorrentUpload
from chalicelib.downloads.queries import UploadRow
from chalicelib.downloads.torrentmeta import TorrentTooLarge
from chalicelib.logs import get_logger

PREFIX = "torrents/uploads/"
FORM_TTL = 900  # seconds the presigned form accepts a file
USABLE_FOR = timedelta(hours=1)  # an uploaded file may wait this long for its POST /downloads
MAX_OPEN = 20  # unused uploads per user at a time


class UploadPending(errors.Conflict):
    code = "upload_not_received"


class TooManyUploads(errors.RateLimited):
    code = "too_many_uploads"


def start(user_id: uuid.UUID) -> TorrentUpload:
    """A presigned form for one .torrent of at most the configured size."""
    with db.transaction() as conn:
        queries.prune_uploads(conn, user_id=user_id)
        if queries.count_open_uploads(conn, user_id=user_id) >= MAX_OPEN:
            raise TooManyUploads(f"At most {MAX_OPEN} uploads may wait to be used; use or let some expire",
                                 retry_after=FORM_TTL)
        upload_id = uuid.uuid4()
        key = f"{PREFIX}{user_id}/{upload_id}.torrent"
        max_bytes = get_settings().downloads.max_torrent_bytes
        now = datetime.now(UTC)
        form = presign.upload_form(key, max_bytes, FORM_TTL)
        queries.insert_upload(conn, id=upload_id, user_id=user_id, object_key=key, max_bytes=max_bytes,
                              usable_until=now + USABLE_FOR)
        return TorrentUpload(upload_id=upload_id, url=form["url"], fields=form["fields"], max_bytes=max_bytes,
                             expires_at=now + timedelta(seconds=FORM_TTL))


def read(conn: Conn, user_id: uuid.UUID, upload_id: uuid.UUID) -> tuple[str, bytes]:
    """(object key, file) of the user's unused upload; UploadNotFound for anyone else's, a used or an
    expired one; UploadPending before the file arrived; TorrentTooLarge past its limit and UploadRejected
    for a file its form did not put there (either way the upload is spent and the file deleted)."""
    row = _open(conn, user_id, upload_id)
    key, limit = row["object_key"], row["max_bytes"]
    try:
        data = _fetch(key, limit)
    except (TorrentTooLarge, presign.UploadRejected):
        spend(conn, user_id, upload_id, key)
        raise
    if data is None:
        _open(conn, user_id, upload_id)  # used (and deleted) by a request racing this one: not found
        raise UploadPending("The file has not reached the bucket yet; upload it first",
                            fields={"torrentUploadId": "no file uploaded"})
    return key, data


def _open(conn: Conn, user_id: uuid.UUID, upload_id: uuid.UUID) -> UploadRow:
    row = queries.get_open_upload(conn, id=upload_id, user_id=user_id)
    if row is None:
        raise errors.UploadNotFound("No such upload (it may have been used or have expired)",
                             fields={"torrentUploadId": "not found"})
    return row


def _fetch(key: str, limit: int) -> bytes | None:
    """The object's bytes, None when there is none; TorrentTooLarge past ``limit`` (never read further),
    UploadRejected when its form did not put it there (``presign.open_signed`` deletes it then)."""
    too_large = TorrentTooLarge(f"A .torrent file may be at most {limit} bytes")
    try:
        body = presign.open_signed(key, limit)
        if body is None:
            return None
        with body:
            data = body.read(limit + 1)
    except presign.UploadTooLarge:
        raise too_large from None
    except (BotoCoreError, ClientError) as exc:
        get_logger().error("torrent upload read failed", extra={"action": "download_upload_read_failed",
                                                               "error": type(exc).__name__})
        raise errors.StorageUnavailable("The uploaded file could not be read; try again") from None
    if len(data) > limit:
        raise too_large
    return data


def use(conn: Conn, user_id: uuid.UUID, upload_id: uuid.UUID) -> None:
    """Mark the upload used, inside the job's transaction: UploadNotFound when another request used it."""
    if queries.use_upload(conn, id=upload_id, user_id=user_id) is None:
        raise errors.UploadNotFound("No such upload (it may have been used or have expired)",
                             fields={"torrentUploadId": "not found"})


def spend(conn: Conn, user_id: uuid.UUID, upload_id: uuid.UUID, key: str) -> None:
    """Use up an upload whose file was refused, and delete the file."""
    queries.use_upload(conn, id=upload_id, user_id=user_id)
    discard(key)


def discard(key: str) -> None:
    """Delete the uploaded object (best effort: the bucket sweep of torrents/ removes what is left)."""
    try:
        aws.client("s3").delete_object(Bucket=get_settings().aws.bucket, Key=key)
    except (BotoCoreError, ClientError) as exc:
        get_logger().warning("torrent upload not deleted", extra={"action": "download_upload_delete_failed",
                                                                 "error": type(exc).__name__})
