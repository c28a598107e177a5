"""One payload file -> one bucket object: its sha256, its multipart parts, their journal.

A ``FileUpload`` is fed while the file is still downloading: ``hash_to``
reads the contiguous prefix once, computing the whole-file sha256 and each
part's sha256 in the same pass; ``upload_part`` sends one part straight from
the payload file (the digest the hash pass computed when it has one, its own
otherwise). At the end ``complete`` sends only the parts still missing or
whose bytes differ from what was hashed, completes the upload, checks the
object's size and its composite SHA256 against the local part digests, and
only then tags the object with the file's sha256: a tagged object is a
verified one (``stored_sha256``).

Every uploaded part is written to a journal under the job's workdir, so a
worker killed mid-upload reuses, on restart, the parts the bucket lists
(``list_parts``) whose ETag the journal recorded; other uploads on the key are
aborted. The payload file is read through one descriptor held open, so a file
the engine replaced (an HTTP restart from byte 0) is noticed by its inode and
everything read from the old one is dropped.
"""

from __future__ import annotations

import base64
import hashlib
import json
import mimetypes
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from botocore.exceptions import BotoCoreError, ClientError
from s3transfer.exceptions import S3UploadFailedError

READ_BYTES = 4 * 1024 * 1024
NOT_FOUND = ("404", "NoSuchKey", "NotFound")
# What a call to the bucket raises when it (or the disk under the file) is briefly away: retried with back-off.
UPLOAD_ERRORS = (BotoCoreError, ClientError, S3UploadFailedError, OSError)


class Interrupted(Exception):
    """The worker is stopping or the job was cancelled while uploading."""


class NotVerified(ClientError):
    """The completed object is not the file we hashed (retried like any bucket error)."""

    def __init__(self, key: str, why: str):
        super().__init__({"Error": {"Code": "NotVerified", "Message": f"{key}: {why}"}}, "CompleteMultipartUpload")


@dataclass(frozen=True)
class Part:
    etag: str
    checksum: str  # base64 sha256 the part was sent with (S3 checks the bytes against it)


def b64(digest: bytes) -> str:
    return base64.b64encode(digest).decode()


def sha256_of(path: Path) -> tuple[str, int]:
    """A whole file's sha256 and size in one read (the scanner's library imports)."""
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as source:
        while chunk := source.read(READ_BYTES):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def stored_sha256(s3: Any, bucket: str, key: str, size: int) -> str | None:
    """The sha256 tag of the verified object at ``key`` when it holds ``size`` bytes, else None."""
    try:
        head = s3.head_object(Bucket=bucket, Key=key)
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in NOT_FOUND:
            return None
        raise
    if head.get("ContentLength") != size:
        return None
    tags = s3.get_object_tagging(Bucket=bucket, Key=key).get("TagSet", [])
    return next((tag["Value"] for tag in tags if tag["Key"] == "sha256"), None)


class FileUpload:
    """The upload state of one file; methods are called from several threads (``lock``)."""

    def __init__(self, s3: Any, bucket: str, key: str, local: Path, size: int, part_bytes: int, journal: Path):
        self.s3, self.bucket, self.key, self.local = s3, bucket, key, local
        self.part_bytes, self.journal = part_bytes, journal
        self.lock = threading.RLock()
        self.upload_id: str | None = None
        self.aborted = False
        self.source: Any = None  # the payload file, read by offset; a task keeps its own reference
        self.leftovers_aborted, self.reused = False, 0
        self._reset(size)

    def _reset(self, size: int) -> None:
        self.size = size
        self.epoch = getattr(self, "epoch", 0) + 1  # results of tasks started before are dropped
        self.hasher, self.part_hasher, self.hashed = hashlib.sha256(), hashlib.sha256(), 0
        self.digests: dict[int, str] = {}  # part -> base64 sha256 of the local bytes (from the hash pass)
        self.parts: dict[int, Part] = {}  # parts in the bucket's upload
        self.source = None  # not closed here: a task may still read it (closed when the last one lets go)

    # --- geometry ------------------------------------------------------------

    @property
    def count(self) -> int:
        return max(1, -(-self.size // self.part_bytes))

    @property
    def multipart(self) -> bool:
        return self.count > 1

    def span(self, number: int) -> tuple[int, int]:
        start = (number - 1) * self.part_bytes
        return start, min(self.size, start + self.part_bytes)

    @property
    def hashed_all(self) -> bool:
        return self.hashed >= self.size and len(self.digests) == self.count

    # --- the payload file ----------------------------------------------------

    def check(self, size: int | None = None, prefix: int | None = None) -> bool:
        """Drop what was read when the file was replaced, shrank below the hashed prefix or changed size."""
        with self.lock:
            try:
                current = os.stat(self.local)
            except FileNotFoundError:
                current = None
            replaced = self.source is not None and (
                current is None or current.st_ino != os.fstat(self.source.fileno()).st_ino)
            if replaced or (size is not None and size != self.size) or (prefix is not None and prefix < self.hashed):
                self._reset(self.size if size is None else size)
            if self.source is None and current is not None:
                self.source = open(self.local, "rb", buffering=0)  # noqa: SIM115 - held for the job's life
            return self.source is not None

    def _read(self, source: Any, start: int, length: int) -> bytes:
        data = os.pread(source.fileno(), length, start)
        if len(data) != length:
            raise OSError(f"{self.local.name}: {len(data)} of {length} bytes at {start}")
        return data

    def hash_to(self, upto: int) -> None:
        """Hash bytes ``[hashed, upto)`` (all complete on disk): the whole sha256 and the part digests."""
        epoch, source, buffer = self.epoch, self.source, bytearray(READ_BYTES)
        view = memoryview(buffer)
        while self.hashed < min(upto, self.size) and epoch == self.epoch:
            number = self.hashed // self.part_bytes + 1
            length = min(READ_BYTES, self.span(number)[1] - self.hashed, upto - self.hashed)
            got = os.preadv(source.fileno(), [view[:length]], self.hashed)
            if got != length:
                raise OSError(f"{self.local.name}: short read at {self.hashed}")
            with self.lock:
                if epoch != self.epoch:
                    return
                self.hasher.update(view[:length])
                self.part_hasher.update(view[:length])
                self.hashed += length
                if self.hashed == self.span(number)[1]:
                    self.digests[number] = b64(self.part_hasher.digest())
                    self.part_hasher = hashlib.sha256()
        if self.size == 0 and epoch == self.epoch:
            self.digests[1] = b64(self.part_hasher.digest())

    def sha256(self) -> str:
        assert self.hashed_all
        return self.hasher.hexdigest()

    def composite(self) -> str:
        """S3's checksum of a multipart object: the sha256 of the parts' sha256s."""
        joined = b"".join(base64.b64decode(self.digests[n]) for n in range(1, self.count + 1))
        return b64(hashlib.sha256(joined).digest())

    # --- the bucket ------------------------------------------------------------

    def ensure_open(self, content_type: str | None = None) -> None:
        """Reuse this key's upload the journal names (its listed parts), abort any other, or create one."""
        with self.lock:
            if self.aborted:
                raise Interrupted()
            if self.upload_id is not None:
                return
            journal = self._load_journal()
            for upload in self._uploads():
                if upload["UploadId"] == journal.get("upload_id") and self.upload_id is None:
                    self.upload_id = upload["UploadId"]
                    self._reuse(journal.get("parts", {}))
                else:
                    self.s3.abort_multipart_upload(Bucket=self.bucket, Key=self.key, UploadId=upload["UploadId"])
                    self.leftovers_aborted = True
            if self.upload_id is None:
                self.parts = {}
                content_type = content_type or mimetypes.guess_type(self.key)[0] or "application/octet-stream"
                self.upload_id = self.s3.create_multipart_upload(
                    Bucket=self.bucket, Key=self.key, ChecksumAlgorithm="SHA256", ContentType=content_type,
                )["UploadId"]
                self._save_journal()

    def _uploads(self) -> list[dict]:
        listed = self.s3.list_multipart_uploads(Bucket=self.bucket, Prefix=self.key).get("Uploads", [])
        return [upload for upload in listed if upload["Key"] == self.key]

    def _reuse(self, recorded: dict[str, list[str]]) -> None:
        paginator = self.s3.get_paginator("list_parts")
        for page in paginator.paginate(Bucket=self.bucket, Key=self.key, UploadId=self.upload_id):
            for listed in page.get("Parts", []):
                number, mine = listed["PartNumber"], recorded.get(str(listed["PartNumber"]))
                start, end = self.span(number)
                checksum = listed.get("ChecksumSHA256") or (mine[1] if mine else None)
                if mine and mine[0] == listed["ETag"] and listed["Size"] == end - start and checksum == mine[1]:
                    self.parts[number] = Part(listed["ETag"], mine[1])
        self.reused = len(self.parts)

    def upload_part(self, number: int, epoch: int) -> bool:
        """Send part ``number`` from the payload file; False when the file changed meanwhile."""
        start, end = self.span(number)
        data = self._read(self.source, start, end - start)
        checksum = self.digests.get(number) or b64(hashlib.sha256(data).digest())
        response = self.s3.upload_part(Bucket=self.bucket, Key=self.key, UploadId=self.upload_id,
                                       PartNumber=number, Body=data, ChecksumSHA256=checksum)
        with self.lock:
            if epoch != self.epoch or self.aborted:
                return False
            self.parts[number] = Part(response["ETag"], checksum)
            self._save_journal()
        return True

    def missing(self) -> list[int]:
        """Parts not in the bucket, or sent with other bytes than those hashed (a changed file)."""
        return [n for n in range(1, self.count + 1)
                if n not in self.parts or self.parts[n].checksum != self.digests.get(n)]

    def complete(self) -> None:
        """Complete the upload, verify the object against the hashed file, then tag it with its sha256."""
        parts = [{"PartNumber": n, "ETag": self.parts[n].etag, "ChecksumSHA256": self.parts[n].checksum}
                 for n in range(1, self.count + 1)]
        try:
            self.s3.complete_multipart_upload(Bucket=self.bucket, Key=self.key, UploadId=self.upload_id,
                                              MultipartUpload={"Parts": parts})
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") != "NoSuchUpload":
                raise
            # Completed by an earlier call whose answer was lost, or gone: the check below tells.
        self.upload_id, self.parts = None, {}
        self._save_journal()
        head = self.s3.head_object(Bucket=self.bucket, Key=self.key, ChecksumMode="ENABLED")
        stored = head.get("ChecksumSHA256")
        if head.get("ContentLength") != self.size or (stored is not None and stored.split("-")[0] != self.composite()):
            # Bytes read while they were still changing: the retry hashes and sends the file again.
            self._reset(self.size)
            raise NotVerified(self.key, "the stored object differs from the file on disk")
        self._tag()

    def put(self, content_type: str | None = None) -> None:
        """A file of one part: one PUT, S3 checks the bytes against the hashed sha256, tagged in the same call."""
        content_type = content_type or mimetypes.guess_type(self.key)[0] or "application/octet-stream"
        self.s3.put_object(Bucket=self.bucket, Key=self.key, Body=self._read(self.source, 0, self.size),
                           ChecksumSHA256=self.digests[1], ContentType=content_type,
                           Tagging=urlencode({"sha256": self.sha256()}))
        self.forget()

    def _tag(self) -> None:
        self.s3.put_object_tagging(Bucket=self.bucket, Key=self.key,
                                   Tagging={"TagSet": [{"Key": "sha256", "Value": self.sha256()}]})
        self.forget()

    def forget(self) -> None:
        self.journal.unlink(missing_ok=True)
        self.close()

    def close(self) -> None:
        with self.lock:
            self.source = None  # closed once no task reads it any more

    # --- the journal ---------------------------------------------------------

    def _load_journal(self) -> dict:
        try:
            record = json.loads(self.journal.read_text())
        except (OSError, ValueError):
            return {}
        same = record.get("key") == self.key and record.get("part_bytes") == self.part_bytes
        return record if same and record.get("size") == self.size else {}

    def _save_journal(self) -> None:
        record = {"key": self.key, "size": self.size, "part_bytes": self.part_bytes, "upload_id": self.upload_id,
                  "parts": {str(n): [p.etag, p.checksum] for n, p in self.parts.items()}}
        self.journal.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.journal.with_name(f"{self.journal.name}.{threading.get_ident()}.tmp")
        tmp.write_text(json.dumps(record))
        os.replace(tmp, self.journal)
