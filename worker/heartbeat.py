"""The worker's heartbeat item: who it is, that it is alive, how much room it has."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

from chalicelib.telemetry import WorkerHeartbeat
from worker.context import WorkerContext


def free_disk_bytes(path: str) -> int:
    target = Path(path)
    target.mkdir(parents=True, exist_ok=True)
    return shutil.disk_usage(target).free


def beat(ctx: WorkerContext, started_at: datetime) -> WorkerHeartbeat:
    """Overwrite this worker's heartbeat item with its current state."""
    now = datetime.now(UTC)
    item = WorkerHeartbeat(
        ctx.settings.worker_id,
        version=ctx.settings.version,
        last_seen=now,
        started_at=started_at,
        free_disk_bytes=free_disk_bytes(ctx.settings.staging_dir),
        active_jobs=len(ctx.active_jobs),
        job_ids=set(ctx.active_jobs) or None,
        expires_at=now + timedelta(seconds=ctx.settings.heartbeat_ttl_seconds),
    )
    item.save()
    # The container health check reads this file's age (worker.healthcheck).
    health_file(ctx.settings.staging_dir).touch()
    return item


def health_file(staging_dir: str) -> Path:
    return Path(staging_dir) / ".heartbeat"


def run(ctx: WorkerContext) -> None:
    """Beat every ``heartbeat_interval`` seconds until the worker stops."""
    started_at = datetime.now(UTC)
    while not ctx.stopping.is_set():
        try:
            beat(ctx, started_at)
        except Exception as exc:  # DynamoDB briefly away: keep working, beat again next time
            ctx.logger.warning("heartbeat failed", extra={"action": "heartbeat_failed", "error": repr(exc)})
        ctx.stopping.wait(ctx.settings.heartbeat_interval)
