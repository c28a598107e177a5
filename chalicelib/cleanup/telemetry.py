"""DynamoDB sweep: telemetry items of ended (or unknown) jobs and heartbeats of long-gone workers.

The tables also carry a TTL; this sweep covers items written without one and
DynamoDB's lag in expiring them.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from chalicelib.cleanup import queries
from chalicelib.db import Conn
from chalicelib.telemetry import DownloadTelemetry, WorkerHeartbeat

TELEMETRY_STALE = timedelta(hours=1)
HEARTBEAT_STALE = timedelta(days=7)
ACTIVE = {"queued", "preparing", "downloading", "stalled", "retrying"}


def sweep(conn: Conn, now: datetime) -> dict[str, int]:
    """Delete stale telemetry and heartbeat items; counts per kind."""
    old = [item for item in DownloadTelemetry.scan() if item.updated_at < now - TELEMETRY_STALE]
    statuses = {row["id"]: row["status"] for row in
                queries.job_statuses(conn, job_ids=[item.job_id for item in old])} if old else {}
    stale = [item for item in old if statuses.get(item.job_id) not in ACTIVE]
    for item in stale:
        item.delete()
    gone = [beat for beat in WorkerHeartbeat.scan() if beat.last_seen < now - HEARTBEAT_STALE]
    for beat in gone:
        beat.delete()
    return {"telemetryItems": len(stale), "workerHeartbeats": len(gone)}
