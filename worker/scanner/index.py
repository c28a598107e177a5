"""One media file -> the bucket -> ``library.file_indexed``.

Order matters for "never a lost file": the original is stored first
(multipart, sha256 in its metadata, skipped when the same bytes are already
there), then the MP4 variant and the WebVTT subtitles beside it, and only then
the event is sent. Anything failing raises ``IndexFailed``: the scanner does
not record the file, so the next scan tries it again; a half-stored file is
harmless because every object is written idempotently under a stable key.
In ``move`` mode the source is deleted only after the event went out and the
stored object's size was checked. A file that cannot be opened is still
reported (flagged, no stream) so it shows up for review instead of vanishing.
"""

from __future__ import annotations

import base64
import hashlib
import re
import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from boto3.exceptions import Boto3Error
from boto3.s3.transfer import TransferConfig
from botocore.exceptions import BotoCoreError, ClientError

from chalicelib.library.naming import parse
from chalicelib.messages import IndexedStream, IndexedSubtitle, LibraryFileIndexed, Message
from worker import reporter
from worker import subtitles as subs
from worker.context import WorkerContext
from worker.multipart import UPLOAD_ERRORS, sha256_of
from worker.scanner import oshash
from worker.scanner import probe as probing
from worker.scanner import remux as remuxing

KEY_PREFIX = "media"
MAX_KEY_BYTES = 900  # S3 allows 1024; room for the ".stream.mp4" and ".subs/..." suffixes
MAX_SUBTITLES = 30
SEND_ATTEMPTS = 5
# boto3's upload_file raises its own S3UploadFailedError (a Boto3Error), not s3transfer's.
STORE_ERRORS = (*UPLOAD_ERRORS, Boto3Error, OSError)


class IndexFailed(Exception):
    """The file could not be stored or reported; it is retried by the next scan."""


@dataclass(frozen=True)
class Source:
    """A file to index: where it is, how it is named, and whether it is already in the bucket."""

    local: Path
    rel: str  # the name the parser reads (relative to the root or the download)
    key: str
    sidecars: tuple[Path, ...] = ()
    stored_sha256: str | None = None  # set when the original is already stored (a finished download)
    source_job_id: str | None = None
    scan_id: str | None = None
    guess: dict[str, Any] | None = None  # parsed already (a scan parses its names up front, on all cores)


def media_key(label: str, rel: str) -> str:
    """``media/<root label>/<relative path>``: stable per path, so a rescan overwrites the same item."""
    key = f"{KEY_PREFIX}/{label}/{rel}"
    if len(key.encode()) <= MAX_KEY_BYTES:
        return key
    digest = hashlib.sha256(rel.encode()).hexdigest()[:32]
    return f"{KEY_PREFIX}/{label}/_long/{digest}{Path(rel).suffix}"


def variant_key(key: str) -> str:
    return f"{key}.stream.mp4"


def subtitle_key(key: str, number: int, language: str) -> str:
    return f"{key}.subs/{number:02d}.{re.sub(r'[^A-Za-z0-9-]', '', language) or 'und'}.vtt"


class Indexer:
    def __init__(self, ctx: WorkerContext):
        self.ctx = ctx
        self.settings = ctx.settings.library
        self.bucket = ctx.settings.aws.bucket
        self.tmp_root = Path(ctx.settings.staging_dir) / "library" / "tmp"
        shutil.rmtree(self.tmp_root, ignore_errors=True)  # remux leftovers of a worker that was killed
        self.listed: set[str] | None = None  # the keys under a scan's roots when it started (see ``list_keys``)

    def list_keys(self, prefixes: list[str]) -> None:
        """Remember which keys exist under ``prefixes``: a key not among them needs no HEAD before its upload.

        A big scan calls this first (a LIST per 1,000 keys instead of a HEAD per file); ``forget_keys``
        ends it. Only an absence is trusted: a listed key is still checked with HEAD (sha256, size)."""
        keys: set[str] = set()
        paginator = self.ctx.s3.get_paginator("list_objects_v2")
        for prefix in prefixes:
            for page in paginator.paginate(Bucket=self.bucket, Prefix=prefix):
                keys.update(item["Key"] for item in page.get("Contents", ()))
        self.listed = keys

    def forget_keys(self) -> None:
        self.listed = None

    # --- storage ---------------------------------------------------------------

    def _existing(self, key: str) -> dict[str, Any] | None:
        if self.listed is not None and key not in self.listed:
            return None  # absent when the scan started, and only this scan writes it
        return self._head(key)

    def _head(self, key: str) -> dict[str, Any] | None:
        try:
            return self.ctx.s3.head_object(Bucket=self.bucket, Key=key)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return None
            raise

    def store_file(self, local: Path, key: str, content_type: str) -> tuple[str, int]:
        """Upload ``local`` to ``key`` (multipart, SHA-256 checked per part) unless the same bytes are there."""
        sha256, size = sha256_of(local)
        head = self._existing(key)
        if head and head.get("ContentLength") == size and head.get("Metadata", {}).get("sha256") == sha256:
            return sha256, size
        extra = {"Metadata": {"sha256": sha256}, "ContentType": content_type}
        part = self.ctx.settings.engines.upload_part_bytes
        if size < part:  # one request; the managed transfer's thread pool only pays off for multipart
            checksum = base64.b64encode(bytes.fromhex(sha256)).decode()  # hashed once, not again by botocore
            with open(local, "rb") as body:
                self.ctx.s3.put_object(Bucket=self.bucket, Key=key, Body=body, ChecksumSHA256=checksum, **extra)
            return sha256, size
        extra["ChecksumAlgorithm"] = "SHA256"
        config = TransferConfig(multipart_threshold=part, multipart_chunksize=part,
                                max_concurrency=self.ctx.settings.engines.upload_concurrency)
        self.ctx.s3.upload_file(str(local), self.bucket, key, Config=config, ExtraArgs=extra)
        return sha256, size

    def store_text(self, text: str, key: str, content_type: str) -> None:
        self.ctx.s3.put_object(Bucket=self.bucket, Key=key, Body=text.encode("utf-8"), ContentType=content_type,
                               ChecksumAlgorithm="SHA256")

    # --- one file --------------------------------------------------------------

    def index(self, source: Source) -> LibraryFileIndexed:
        """Parse, probe, store and report ``source``; raises ``IndexFailed``."""
        event = self.store(source)
        self.send(event)
        return event

    def store(self, source: Source) -> LibraryFileIndexed:
        """Parse (unless parsed already), probe and store ``source``: its event, not sent yet."""
        guess = source.guess if source.guess is not None else parse(source.rel)
        result = probing.probe(source.local, self.settings.ffprobe, self.settings.probe_timeout)
        try:
            stat = source.local.stat()
            original = self._original(source, result)
            streams = [original, *self._variant(source, result.summary)] if original else []
            tracks = self._subtitles(source, result.summary)
            movie_hash = oshash.moviehash(source.local)
        except STORE_ERRORS as exc:
            raise IndexFailed(f"storing failed: {type(exc).__name__}: {exc}") from exc
        event = LibraryFileIndexed(
            key=source.key, size=stat.st_size, path=str(source.local), sha256=original.sha256 if original else None,
            oshash=movie_hash, mtime=datetime.fromtimestamp(stat.st_mtime, UTC), source_job_id=source.source_job_id,
            scan_id=source.scan_id, guess=guess, probe=result.summary, probe_error=result.error,
            streams=streams, subtitles=tracks)
        return event

    def _tmp(self) -> Path:
        self.tmp_root.mkdir(parents=True, exist_ok=True)
        return self.tmp_root

    def _original(self, source: Source, result: probing.ProbeResult) -> IndexedStream | None:
        """The stored original; None when the file cannot be read (indexed flagged, nothing to stream)."""
        container = (result.summary or {}).get("container") or probing.container_of(None, source.local.suffix.lower())
        mime = remuxing.mime_type(container)
        if source.stored_sha256:
            return IndexedStream(kind="original", key=source.key, mime_type=mime, container=container,
                                 size=source.local.stat().st_size, sha256=source.stored_sha256)
        if not result.readable:
            return None
        sha256, size = self.store_file(source.local, source.key, mime)
        return IndexedStream(kind="original", key=source.key, mime_type=mime, container=container, size=size,
                             sha256=sha256)

    def _variant(self, source: Source, summary: dict[str, Any] | None) -> list[IndexedStream]:
        if not self.settings.remux or not remuxing.needs_remux(summary):
            return []  # no scratch folder made: creating and removing one costs more than a small file's upload
        with tempfile.TemporaryDirectory(dir=self._tmp()) as scratch:
            return self._remuxed(source, Path(scratch) / "stream.mp4", summary)

    def _remuxed(self, source: Source, target: Path, summary: dict[str, Any] | None) -> list[IndexedStream]:
        try:  # the default audio track first: the one the <video> plays
            remuxing.remux(source.local, target, self.settings.ffmpeg, self.settings.remux_timeout, summary)
        except remuxing.RemuxError as exc:
            self.ctx.logger.warning("mp4 variant not made", extra={"action": "library_remux_failed",
                                                                    "key": source.key, "error": str(exc)[:300]})
            return []
        key = variant_key(source.key)
        sha256, size = self.store_file(target, key, "video/mp4")
        return [IndexedStream(kind="mp4_remux", key=key, mime_type="video/mp4", container="mp4", size=size,
                              sha256=sha256)]

    def _subtitles(self, source: Source, summary: dict[str, Any] | None) -> list[IndexedSubtitle]:
        tracks: list[IndexedSubtitle] = []
        for sidecar in source.sidecars:
            track = self._sidecar(source, sidecar, len(tracks))
            if track is not None:
                tracks.append(track)
        for stream in (summary or {}).get("subtitles") or ():
            if stream.get("text") and stream.get("index") is not None:
                track = self._embedded(source, stream, len(tracks))
                if track is not None:
                    tracks.append(track)
        return tracks[:MAX_SUBTITLES]

    def _skip(self, source: Source, what: str, exc: Exception) -> None:
        self.ctx.logger.warning("subtitle skipped", extra={"action": "library_subtitle_skipped", "key": source.key,
                                                           "subtitle": what, "error": str(exc)[:300]})

    def _sidecar(self, source: Source, sidecar: Path, number: int) -> IndexedSubtitle | None:
        if number >= MAX_SUBTITLES:
            return None
        try:
            text = subs.to_webvtt(sidecar)
        except (subs.SubtitleError, OSError) as exc:
            self._skip(source, sidecar.name, exc)
            return None
        language = subs.sidecar_language(source.local.stem, sidecar)
        key = subtitle_key(source.key, number, language.tag)
        self.store_text(text, key, "text/vtt; charset=utf-8")
        return IndexedSubtitle(key=key, language=language.tag, label=language.label, source="sidecar",
                               format=subs.FORMATS[sidecar.suffix.lower()], is_default=language.default,
                               is_forced=language.forced)

    def _embedded(self, source: Source, stream: dict[str, Any], number: int) -> IndexedSubtitle | None:
        if number >= MAX_SUBTITLES:
            return None
        try:
            text = subs.extract_embedded(source.local, int(stream["index"]), self.settings.ffmpeg,
                                         self.settings.probe_timeout * 5)
        except subs.SubtitleError as exc:
            self._skip(source, f"stream {stream['index']}", exc)
            return None
        language = subs.embedded_language(stream.get("language"), stream.get("title"))
        key = subtitle_key(source.key, number, language.tag)
        self.store_text(text, key, "text/vtt; charset=utf-8")
        return IndexedSubtitle(key=key, language=language.tag, label=language.label, source="embedded",
                               format=probing.TEXT_SUBTITLE_CODECS[stream["codec"]], stream_index=int(stream["index"]),
                               is_default=bool(stream.get("default")), is_forced=bool(stream.get("forced")))

    # --- reporting and moving ----------------------------------------------------

    def send(self, event: Message) -> None:
        delay = 0.5
        for _ in range(SEND_ATTEMPTS):
            if reporter.send(self.ctx, event):
                return
            if self.ctx.stopping.wait(delay):
                break
            delay *= 2
        raise IndexFailed(f"the {getattr(event, 'type', None)} event could not be sent")

    def remove_source(self, source: Source, size: int) -> bool:
        """``move`` mode: delete the source (and its sidecars) once the stored object is confirmed."""
        try:
            head = self._head(source.key)
        except (BotoCoreError, ClientError):
            return False
        if not head or head.get("ContentLength") != size:
            return False
        for path in (source.local, *source.sidecars):
            path.unlink(missing_ok=True)
        return True
