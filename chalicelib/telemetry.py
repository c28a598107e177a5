"""DynamoDB items shared by the worker and the control plane (pynamodb).

``DownloadTelemetry`` holds the latest live progress of a job (overwritten on
every poll, expires by TTL); ``WorkerHeartbeat`` says which workers are alive.
Neither is a source of truth: Postgres is. Table names and the endpoint come
from ``AwsSettings`` so the init module, the worker and the API agree.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pynamodb.attributes import (
    BooleanAttribute,
    NumberAttribute,
    NumberSetAttribute,
    TTLAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.models import Model

from chalicelib.config import get_aws_settings

_aws = get_aws_settings()


class _Meta:
    region = _aws.region
    host = _aws.endpoint("dynamodb")
    billing_mode = "PAY_PER_REQUEST"
    connect_timeout_seconds = 2
    read_timeout_seconds = 5
    max_retry_attempts = 2


class DownloadTelemetry(Model):
    class Meta(_Meta):
        table_name = _aws.telemetry_table

    job_id = UnicodeAttribute(hash_key=True)
    attempt = NumberAttribute(default=0)
    status = UnicodeAttribute(default="queued")
    progress = NumberAttribute(default=0)
    bytes_done = NumberAttribute(default=0)
    bytes_total = NumberAttribute(null=True)
    speed_bps = NumberAttribute(default=0)
    eta_seconds = NumberAttribute(null=True)
    peers = NumberAttribute(null=True)
    worker_id = UnicodeAttribute(null=True)
    cancel_requested = BooleanAttribute(default=False)
    # Written by the API (like cancel_requested), read back by the worker's monitor on every poll:
    # play this file from this byte (press play, seek; file -1 = not known yet: the largest video) ...
    stream_file = NumberAttribute(null=True)
    stream_from = NumberAttribute(null=True)
    stream_requested_at = UTCDateTimeAttribute(null=True)
    # ... and have these files ready next (the next episode inside a season pack).
    prefetch_files = NumberSetAttribute(null=True)
    # Written by the worker: JSON list of the payload's video and subtitle files once known,
    # [{"index", "path", "size", "contiguousBytes", "tailReady", "mimeType"}], contiguousBytes counted from byte 0;
    # subtitle files also carry "language" and "label" (from the sidecar's name).
    files_json = UnicodeAttribute(null=True)
    updated_at = UTCDateTimeAttribute()
    expires_at = TTLAttribute(null=True)


class WorkerHeartbeat(Model):
    class Meta(_Meta):
        table_name = _aws.heartbeat_table

    worker_id = UnicodeAttribute(hash_key=True)
    version = UnicodeAttribute()
    last_seen = UTCDateTimeAttribute()
    started_at = UTCDateTimeAttribute()
    free_disk_bytes = NumberAttribute(default=0)
    active_jobs = NumberAttribute(default=0)
    # Ids of the jobs it runs: a running job its worker no longer lists was lost (reconciler).
    job_ids = UnicodeSetAttribute(null=True)
    expires_at = TTLAttribute(null=True)

    def is_online(self, now: datetime | None = None, limit: timedelta = timedelta(seconds=30)) -> bool:
        now = now or datetime.now(UTC)
        return now - self.last_seen <= limit


TABLE_MODELS: tuple[type[Model], ...] = (DownloadTelemetry, WorkerHeartbeat)
