"""What the download scenarios share (with the ``pipeline`` fixture of ``conftest.py``): one job submitted
through the API and waited for until it is stored, and the worker's phases from its log."""

from __future__ import annotations

import hashlib
import json
import statistics
import time
import uuid
from datetime import datetime

from chalicelib import aws, db
from chalicelib.config import get_aws_settings
from embedded.testworker import WorkerProcess


def phases(worker: WorkerProcess) -> dict[str, object]:
    """Median seconds of the worker's phases, from its structured log, and each job's (a slow round says which
    phase it lost its time in)."""
    started, finished, first_part, stored = {}, {}, {}, {}
    for line in worker.output().splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        at = datetime.strptime(record.get("timestamp", ""), "%Y-%m-%d %H:%M:%S,%f%z").timestamp() \
            if record.get("timestamp") else 0.0
        action = record.get("action")
        if action == "download_started":
            started[record["job_id"]] = at
        elif action == "download_finished":
            finished[record["job_id"]] = at
        elif action == "upload_ahead_started":
            first_part.setdefault(record["job_id"], at)
        elif action == "upload_done":
            stored[record["job_id"]] = stored.get(record["job_id"], 0.0) + record["seconds"]
    downloads = [finished[job] - started[job] for job in finished if job in started]
    firsts = [first_part[job] - started[job] for job in first_part if job in started]
    after = list(stored.values())

    def seconds(value: float | None) -> float | None:
        return None if value is None else round(value, 3)

    return {"download_median_s": round(statistics.median(downloads), 3),
            "first_part_uploaded_after_s": round(statistics.median(firsts), 3) if firsts else None,
            "finish_to_stored_median_s (last parts, complete, verify, report)": round(statistics.median(after), 3),
            "each_job_s (download, first part, finish to stored)": [
                [seconds(finished[job] - started[job]), seconds(first_part[job] - started[job] if job in first_part
                                                                else None), seconds(stored.get(job))]
                for job in finished if job in started]}


def job_status(job_id: str) -> str:
    with db.connection() as conn:
        return conn.execute("SELECT status FROM download_jobs WHERE id = %s", (uuid.UUID(job_id),)).fetchone()[
            "status"]


def clear_bucket(prefix: str = "downloads/") -> None:
    s3 = aws.client("s3")
    bucket = get_aws_settings().bucket
    for item in s3.list_objects_v2(Bucket=bucket, Prefix=prefix).get("Contents", []):
        s3.delete_object(Bucket=bucket, Key=item["Key"])


def run_job(pipeline, source_type: str, source: str) -> float:
    client, headers, driver, _ = pipeline
    clear_bucket()
    started = time.perf_counter()
    response = client.http.post("/api/v1/downloads", headers=headers,
                                body=json.dumps({"sourceType": source_type, "source": source}))
    job_id = json.loads(response.body)["id"]
    driver.until_event(lambda: job_status(job_id) in ("completed", "failed"), timeout=600,
                       what=f"bench job {job_id}")
    elapsed = time.perf_counter() - started
    assert job_status(job_id) == "completed"
    return elapsed


def stored_digest() -> str:
    """The SHA-256 of the download in the bucket (``run_job`` clears the prefix first: there is one)."""
    s3, bucket = aws.client("s3"), get_aws_settings().bucket
    key = s3.list_objects_v2(Bucket=bucket, Prefix="downloads/")["Contents"][0]["Key"]
    digest, body = hashlib.sha256(), s3.get_object(Bucket=bucket, Key=key)["Body"]
    for chunk in iter(lambda: body.read(4 * 1024 * 1024), b""):
        digest.update(chunk)
    return digest.hexdigest()

