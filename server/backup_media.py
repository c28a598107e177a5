"""The bucket half of a backup: every object streamed to a file, its metadata in ``objects.json``.

Files are named by the sha256 of their key (``media/ab/abcd...``), not by the key itself: an
object key may hold ``..`` or be both ``a`` and the prefix of ``a/b``, which no file tree can
mirror, and a restore must never write outside the backup it reads. ``download_file`` and
``upload_file`` stream (multipart for big objects), so no object is ever held in memory.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from chalicelib import awsinit

OBJECTS_FILE = "objects.json"
MEDIA_DIR = "media"
WORKERS = 4
Emit = Callable[..., None]


def file_for(key: str) -> str:
    """The backup-relative file of an object key (safe whatever the key holds)."""
    digest = hashlib.sha256(key.encode()).hexdigest()
    return f"{MEDIA_DIR}/{digest[:2]}/{digest}"


def list_objects(s3: Any, bucket: str) -> list[dict[str, Any]]:
    """Key, size and ETag of every object (paginated; keys only, never bodies)."""
    found = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for item in page.get("Contents", []):
            found.append({"key": item["Key"], "size": item["Size"], "etag": item["ETag"].strip('"')})
    return found


def previous_objects(parent: Path, exclude: Path | None = None) -> tuple[Path | None, dict[str, dict]]:
    """The latest finished backup under ``parent`` that holds media, and its objects by key."""
    candidates = sorted((p for p in parent.glob("seen-*") if p != exclude and (p / "manifest.json").is_file()
                         and (p / OBJECTS_FILE).is_file()), reverse=True)
    for backup in candidates:
        try:
            entries = json.loads((backup / OBJECTS_FILE).read_text())
        except (OSError, ValueError):
            continue
        return backup, {e["key"]: e for e in entries}
    return None, {}


def _reuse(previous: Path | None, earlier: dict | None, obj: dict, target: Path) -> bool:
    """Hard-link the previous backup's copy when key, size and ETag match (False: download it)."""
    if previous is None or earlier is None or (earlier["size"], earlier["etag"]) != (obj["size"], obj["etag"]):
        return False
    source = previous / earlier["file"]
    try:
        if source.stat().st_size != obj["size"]:
            return False
        os.link(source, target)
    except OSError:  # gone, or another filesystem: download instead
        return False
    return True


def _save_one(s3: Any, bucket: str, root: Path, obj: dict, previous: Path | None, earlier: dict | None) -> dict:
    relative = file_for(obj["key"])
    target = root / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    reused = _reuse(previous, earlier, obj, target)
    if not reused:
        s3.download_file(bucket, obj["key"], str(target))
    size = target.stat().st_size
    if size != obj["size"]:
        raise RuntimeError(f"object {obj['key']!r} changed while it was copied ({size} != {obj['size']} bytes)")
    head = s3.head_object(Bucket=bucket, Key=obj["key"])
    tags = s3.get_object_tagging(Bucket=bucket, Key=obj["key"]).get("TagSet", [])
    return {**obj, "file": relative, "contentType": head.get("ContentType"), "metadata": head.get("Metadata", {}),
            "tags": {t["Key"]: t["Value"] for t in tags}, "reused": reused}


def _results(pool: ThreadPoolExecutor, jobs: list) -> Any:
    """Each job's result in order; the first failure cancels the jobs not started yet."""
    try:
        for job in jobs:
            yield job.result()
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        raise


def _check_space(root: Path, objects: list[dict], earlier: dict[str, dict]) -> None:
    """Stop before downloading what the disk cannot hold (objects a hard link will cover cost nothing)."""
    needed = sum(o["size"] for o in objects
                 if (earlier.get(o["key"]) or {}).get("etag") != o["etag"])
    free = shutil.disk_usage(root).free
    if needed > free:
        raise RuntimeError(f"the bucket needs {needed} bytes, {root.parent} has {free} free")


def save_all(s3: Any, bucket: str, root: Path, parent: Path, emit: Emit) -> dict[str, int]:
    """Copy every object of ``bucket`` into ``root``; write ``objects.json``; return the counts."""
    objects = list_objects(s3, bucket)
    previous, earlier = previous_objects(parent, exclude=root)
    emit("media_listed", objects=len(objects), bytes=sum(o["size"] for o in objects),
         previous=previous.name if previous else None)
    _check_space(root, objects, earlier)
    (root / MEDIA_DIR).mkdir(exist_ok=True)
    entries = []
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        jobs = [pool.submit(_save_one, s3, bucket, root, o, previous, earlier.get(o["key"])) for o in objects]
        for done, result in enumerate(_results(pool, jobs), 1):
            entries.append(result)
            if done % 100 == 0:
                emit("media_progress", done=done, of=len(objects))
    (root / OBJECTS_FILE).write_text(json.dumps(entries, indent=1))
    return {"objects": len(entries), "bytes": sum(e["size"] for e in entries),
            "reused": sum(1 for e in entries if e["reused"])}


def read_entries(backup: Path) -> list[dict[str, Any]]:
    """``objects.json``, checked against the files: raises ValueError on anything missing or wrong."""
    entries = json.loads((backup / OBJECTS_FILE).read_text())
    if not isinstance(entries, list):
        raise ValueError("objects.json is not a list")
    for entry in entries:
        if not isinstance(entry, dict) or entry.get("file") != file_for(entry.get("key", "")):
            raise ValueError(f"objects.json: bad entry {entry!r:.200}")
        path = backup / entry["file"]
        if not path.is_file() or path.stat().st_size != entry["size"]:
            raise ValueError(f"media file of {entry['key']!r} is missing or has the wrong size")
    return entries


def ensure_bucket(s3: Any, settings: Any) -> bool:
    """Create the instance's bucket (with its CORS rule) when missing; True when it was created."""
    try:
        s3.head_bucket(Bucket=settings.aws.bucket)
        return False
    except s3.exceptions.ClientError:
        awsinit.ensure_bucket(settings.aws, settings.cors_origins or ("*",))
        return True


def _upload_one(s3: Any, bucket: str, backup: Path, entry: dict) -> int:
    extra: dict[str, Any] = {"Metadata": entry.get("metadata") or {}}
    if entry.get("contentType"):
        extra["ContentType"] = entry["contentType"]
    if entry.get("tags"):
        extra["Tagging"] = urlencode(entry["tags"])
    s3.upload_file(str(backup / entry["file"]), bucket, entry["key"], ExtraArgs=extra)
    return entry["size"]


def upload_all(s3: Any, bucket: str, backup: Path, entries: list[dict], emit: Emit) -> dict[str, int]:
    """Put every object back with its content type, metadata and tags."""
    total = 0
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        jobs = [pool.submit(_upload_one, s3, bucket, backup, e) for e in entries]
        for done, result in enumerate(_results(pool, jobs), 1):
            total += result
            if done % 100 == 0:
                emit("media_progress", done=done, of=len(entries))
    return {"objects": len(entries), "bytes": total}


def remove_tree(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
