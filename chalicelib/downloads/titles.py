"""What downloads are of: the catalog title, season/episode and release quality the downloads list shows
instead of a release (file) name. One statement for a page of jobs (the dashboard joins it into its own)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from chalicelib.db import Conn
from chalicelib.downloads import queries
from chalicelib.downloads.models import Download


def titled(job: Download, media: Mapping[str, Any] | None, parsed: Any) -> Download:
    """``job`` with ``media`` (a summary row as JSON) and its pick's ``parsed`` release, where there are some."""
    from chalicelib.catalog.service import summary  # the catalog's row -> MediaSummary, image paths as URLs

    if media is None and not isinstance(parsed, dict):
        return job
    return job.model_copy(update={"media": summary(media) if media else None,
                                  "release": parsed if isinstance(parsed, dict) else None})


def with_titles(conn: Conn, user_id: UUID, jobs: list[Download]) -> list[Download]:
    """The user's ``jobs`` with what each is of filled in (``downloads_titles``)."""
    if not jobs:
        return jobs
    rows = queries.titles(conn, user_id=user_id, job_ids=[str(job.id) for job in jobs])
    found = {str(row["job_id"]): row for row in rows}
    return [titled(job, found[str(job.id)]["media"], found[str(job.id)]["parsed"]) if str(job.id) in found else job
            for job in jobs]
