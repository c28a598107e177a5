"""/api/v1/admin/{workers,sync-jobs,queues,storage}: operations views, admin only."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from chalice import Blueprint
from pydantic import Field

from chalicelib.admin import ops
from chalicelib.api import endpoint
from chalicelib.auth.users import Principal
from chalicelib.models import ApiModel

bp = Blueprint(__name__)
TAGS = ("admin",)
V1 = "/api/v1/admin"


class WorkerOut(ApiModel):
    id: str
    version: str
    last_seen: datetime
    started_at: datetime
    free_disk_bytes: int
    active_jobs: int
    online: bool = Field(description=f"Heartbeat within the last {int(ops.ONLINE_WITHIN.total_seconds())} s")


class WorkerList(ApiModel):
    items: list[WorkerOut]


class SyncJobOut(ApiModel):
    name: str
    schedule: str | None
    can_run: bool = Field(description="Whether POST .../run can start it")
    needs_key: Literal["tmdb", "igdb"] | None = Field(default=None, description=(
        "The outside service whose key this job lacks now (it records skipped until an admin adds the key in "
        "Settings -> Instance); null when it has what it needs"))
    status: str | None = Field(description="ok | failed | running | skipped; null = never ran")
    last_started_at: datetime | None
    last_finished_at: datetime | None
    duration_ms: int | None
    error: str | None
    last_success_at: datetime | None
    consecutive_failures: int
    stats: dict[str, Any]


class SyncJobList(ApiModel):
    items: list[SyncJobOut]


class QueueOut(ApiModel):
    name: str
    visible: int
    in_flight: int
    dead_letters: int = Field(description="Messages in the queue's dead-letter queue")


class QueueList(ApiModel):
    items: list[QueueOut]


class StorageOut(ApiModel):
    media_type: str = Field(description="movie | show | game | unmatched")
    files: int
    bytes: int


class StorageList(ApiModel):
    items: list[StorageOut]
    total_bytes: int


@endpoint(bp, f"{V1}/workers", summary="Workers from their heartbeats (online/offline)", tags=TAGS,
          response=WorkerList, auth="admin", errors_=(503,))
def list_workers(principal: Principal) -> WorkerList:
    return WorkerList(items=[WorkerOut.model_validate(row) for row in ops.workers()])


@endpoint(bp, f"{V1}/sync-jobs", summary="Scheduled jobs and their last run", tags=TAGS, response=SyncJobList,
          auth="admin")
def list_sync_jobs(principal: Principal) -> SyncJobList:
    return SyncJobList(items=[SyncJobOut.model_validate(row) for row in ops.sync_jobs()])


@endpoint(bp, f"{V1}/sync-jobs/{{job_name}}/run", "POST", summary="Run a scheduled job now (waits for it)",
          tags=TAGS, response=SyncJobOut, auth="admin", errors_=(404,))
def run_sync_job(job_name: str, principal: Principal) -> SyncJobOut:
    return SyncJobOut.model_validate(ops.run_now(job_name, principal.user_id))


@endpoint(bp, f"{V1}/queues", summary="Queue depths and dead-letter counts", tags=TAGS, response=QueueList,
          auth="admin", errors_=(503,))
def list_queues(principal: Principal) -> QueueList:
    return QueueList(items=[QueueOut.model_validate(row) for row in ops.queues()])


@endpoint(bp, f"{V1}/storage", summary="Library storage per media type", tags=TAGS, response=StorageList,
          auth="admin")
def storage(principal: Principal) -> StorageList:
    rows = ops.storage()
    return StorageList(items=[StorageOut.model_validate(row) for row in rows],
                       total_bytes=sum(row["bytes"] for row in rows))
