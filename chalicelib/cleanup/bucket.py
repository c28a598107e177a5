"""Bucket sweep: staging objects of ended jobs and orphaned .torrent uploads.

Only keys under the two prefixes the control plane and worker write scratch
data to are ever considered, only once older than a grace period (an upload
may land before its job row), and every candidate is checked against
Postgres right before deletion: a key referenced by a ``library_items`` row,
a stored file of a job that did not fail, or an active job's .torrent is kept.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from chalicelib import aws
from chalicelib.cleanup import queries
from chalicelib.config import get_settings
from chalicelib.db import Conn

STAGING_PREFIX = "downloads/"  # downloads/{job_id}/{path} (worker/uploader.py)
TORRENT_PREFIX = "torrents/"  # torrents/{sha256}.torrent (downloads/sources.py)
GRACE = timedelta(days=1)
ENDED = {"completed", "failed", "cancelled"}


def _old_keys(prefix: str, before: datetime) -> list[str]:
    bucket = get_settings().aws.bucket
    keys = []
    for page in aws.client("s3").get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        keys += [obj["Key"] for obj in page.get("Contents", []) if obj["LastModified"] < before]
    return keys


def _staging_candidates(conn: Conn, keys: list[str]) -> list[str]:
    jobs = {key: key[len(STAGING_PREFIX):].split("/", 1)[0] for key in keys}
    statuses = {row["id"]: row["status"] for row in
                queries.job_statuses(conn, job_ids=sorted(set(jobs.values())))}
    # A job that no longer exists has ended too.
    return [key for key, job in jobs.items() if statuses.get(job, "cancelled") in ENDED]


def _delete(keys: list[str]) -> None:
    bucket = get_settings().aws.bucket
    for start in range(0, len(keys), 1000):
        batch = [{"Key": key} for key in keys[start:start + 1000]]
        aws.client("s3").delete_objects(Bucket=bucket, Delete={"Objects": batch, "Quiet": True})


def sweep(conn: Conn, now: datetime) -> dict[str, int]:
    """Delete unreferenced staging objects of ended jobs and orphaned .torrent uploads; counts per kind."""
    before = now - GRACE
    staging = _staging_candidates(conn, _old_keys(STAGING_PREFIX, before))
    torrents = _old_keys(TORRENT_PREFIX, before)
    candidates = staging + torrents
    kept = queries.referenced_keys(conn, keys=candidates) if candidates else set()
    staging = [key for key in staging if key not in kept]
    torrents = [key for key in torrents if key not in kept]
    _delete(staging + torrents)
    return {"stagingObjects": len(staging), "torrentUploads": len(torrents)}
