"""The job timeline: one ``download_events`` row per accepted state change."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from chalicelib import cache
from chalicelib.db import Conn
from chalicelib.downloads import queries


def record(conn: Conn, job: Mapping[str, Any], to_status: str, *, actor: str, attempt: int | None = None,
           progress: Any = None, message: str | None = None, **data: Any) -> None:
    """Append the change of ``job`` (its row before the change) to ``to_status``.

    The user's dashboard counts active downloads, so its cache entry goes too.
    """
    queries.insert_event(
        conn, job_id=job["id"], from_status=job.get("status"), to_status=to_status,
        attempt=attempt or job["attempt"], progress=job["progress"] if progress is None else progress,
        actor=actor, message=message, data=json.dumps({k: v for k, v in data.items() if v is not None}))
    cache.invalidate(cache.Keys.dashboard(job["user_id"]))
