"""The storage janitor's quota: evict made variants of watched items, never what plays or is next.

A step of the daily cleanup (``cleanup/service.py``). When the library's bytes in the bucket
(originals plus made variants) exceed ``SEEN_STORAGE_QUOTA_BYTES``, the variants of items watched to
the end are deleted, oldest last watch first, until the library fits; with
``SEEN_STORAGE_MAX_AGE_DAYS`` the variants of items last watched longer ago than that go whatever the
quota. Only made variants are evicted (MP4 remux streams, remux/HLS outputs): the player asks for them
again and the worker remakes them. Originals are never touched, and neither is an item that is
playing (a heartbeat or a watch in the last ``SEEN_PLAYING_MINUTES``), in progress, in a watch-later
list, or a user's next-up episode (``playback_next_up``). Every eviction is a ``storage_evictions``
row (the admin storage view lists the recent ones).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from chalicelib import aws
from chalicelib.config import get_settings
from chalicelib.db import Conn
from chalicelib.logs import get_logger
from chalicelib.playback import queries
from chalicelib.playback.queries import EvictableRow, EvictionRow


def sweep(conn: Conn, now: datetime) -> dict[str, int]:
    """Evict variants by age and over quota; counts for the cleanup run's stats (none when both are off)."""
    settings = get_settings().playback
    quota, max_age = settings.storage_quota_bytes, settings.storage_max_age_days
    if not quota and not max_age:
        return {}
    stats = {"evictedVariants": 0, "evictedBytes": 0}
    stored = queries.stored_bytes(conn)
    aged_before = now - timedelta(days=max_age) if max_age else None
    for row in queries.evictable(conn, now=now, playing_minutes=settings.playing_minutes):
        reason = _reason(row, stored, quota, aged_before)
        if reason is None:  # oldest first: nothing later is older, and the library already fits
            break
        freed = evict(conn, row, reason)
        stored -= freed
        stats["evictedVariants"] += 1
        stats["evictedBytes"] += freed
    return stats


def _reason(row: EvictableRow, stored: int, quota: int, aged_before: datetime | None) -> str | None:
    if aged_before is not None and row["last_watched_at"] < aged_before:
        return "age"
    return "quota" if quota and stored > quota else None


def evict(conn: Conn, row: EvictableRow, reason: str) -> int:
    """Delete one variant's objects and its row, and record it; returns the bytes freed."""
    objects = _objects(row)
    size = sum(objects.values()) or int(row["size_bytes"])
    with conn.transaction():  # the rows go only if the objects did
        queries.forget_variant(conn, library_item_id=row["library_item_id"], kind=row["kind"])
        queries.record_eviction(conn, library_item_id=row["library_item_id"], kind=row["kind"],
                                storage_key=row["storage_key"], objects=len(objects), size_bytes=size,
                                reason=reason)
        _delete(conn, sorted(objects))
    get_logger().info("variant evicted", extra={
        "action": "storage_variant_evicted", "item_id": str(row["library_item_id"]), "kind": row["kind"],
        "bytes": size, "objects": len(objects), "reason": reason})
    return size


def _objects(row: EvictableRow) -> dict[str, int]:
    """The variant's objects and sizes: everything under an HLS/remux output prefix, or the one stream key."""
    key = row["storage_key"]
    if row["is_prefix"] and not key.endswith("/"):
        key += "/"  # never a sibling that merely starts with the same characters
    found: dict[str, int] = {}
    paginator = aws.client("s3").get_paginator("list_objects_v2")
    for page in paginator.paginate(Bucket=get_settings().aws.bucket, Prefix=key):
        for obj in page.get("Contents", []):
            if row["is_prefix"] or obj["Key"] == key:
                found[obj["Key"]] = int(obj["Size"])
    return found


def _delete(conn: Conn, keys: list[str]) -> None:
    """Delete keys, except any a library item or a kept download still references (an original)."""
    if not keys:
        return
    kept = queries.referenced_keys(conn, keys=keys)
    doomed = [key for key in keys if key not in kept]
    bucket = get_settings().aws.bucket
    for start in range(0, len(doomed), 1000):
        batch = [{"Key": key} for key in doomed[start:start + 1000]]
        aws.client("s3").delete_objects(Bucket=bucket, Delete={"Objects": batch, "Quiet": True})


def recent(conn: Conn, limit: int = 20) -> list[EvictionRow]:
    """The janitor's latest evictions, newest first (the admin storage view)."""
    return queries.evictions_recent(conn, limit=limit)
