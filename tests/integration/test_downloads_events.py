"""Worker events through the real SQS handler: the state machine, idempotency, per-record failures."""

import pytest
from downloads_support import body, job_events, job_files, job_row, submit

from chalicelib.messages import DownloadFileStored, DownloadState

SHA = "ab" * 32


@pytest.fixture
def job(client, make_user):
    _, headers = make_user()
    return {**body(submit(client, headers)), "headers": headers}


def deliver(client, *messages):
    """Hand messages to ``worker_events`` as one SQS batch, like Lambda; returns the failed message ids."""
    event = client.events.generate_sqs_event(
        message_bodies=[m if isinstance(m, str) else m.to_json() for m in messages], queue_name="seen-worker-events")
    for index, record in enumerate(event["Records"]):
        record["messageId"] = f"m{index}"  # chalice gives every generated record the same id
    result = client.lambda_.invoke("worker_events", event).payload
    return [int(f["itemIdentifier"][1:]) for f in result["batchItemFailures"]]


def state(job, status, attempt=1, progress=0.0, **extra):
    return DownloadState(job_id=job["id"], attempt=attempt, status=status, progress=progress,
                         worker_id="w1", **extra)


def stored(job, path="film.mkv", attempt=1, size=10, sha256=SHA, key=None):
    return DownloadFileStored(job_id=job["id"], attempt=attempt, key=key or f"downloads/{job['id']}/{path}",
                              path=path, size=size, sha256=sha256)


def timeline(job):
    return [(e["from_status"], e["to_status"], e["actor"]) for e in job_events(job["id"])]


def test_happy_path_writes_one_event_per_change_and_completes_at_100(client, job):
    assert deliver(client, state(job, "preparing")) == []
    assert deliver(client, state(job, "downloading", progress=10, bytes_done=10, bytes_total=100)) == []
    assert deliver(client, state(job, "downloading", progress=60, bytes_done=60, bytes_total=100)) == []
    assert deliver(client, stored(job, size=100), state(job, "completed", progress=99, bytes_done=100,
                                                        bytes_total=100)) == []
    row = job_row(job["id"])
    assert (row["status"], float(row["progress"]), row["bytes_done"], row["worker_id"]) == ("completed", 100.0, 100,
                                                                                           "w1")
    assert row["completed_at"] is not None and row["ended_at"] is not None and row["started_at"] is not None
    assert timeline(job) == [(None, "queued", "api"), ("queued", "preparing", "worker"),
                             ("preparing", "downloading", "worker"), ("downloading", "completed", "worker")]
    assert [(f["path"], f["size_bytes"], f["sha256"]) for f in job_files(job["id"])] == [("film.mkv", 100, SHA)]


def test_redelivered_events_change_nothing(client, job):
    messages = [state(job, "preparing"), state(job, "downloading", progress=5), stored(job)]
    deliver(client, *messages)
    before = (job_row(job["id"]), timeline(job), job_files(job["id"]))
    assert deliver(client, *messages) == []
    row = job_row(job["id"])
    assert (row["updated_at"], timeline(job), job_files(job["id"])) == (before[0]["updated_at"], before[1], before[2])


def test_out_of_order_events_converge(client, job):
    deliver(client, state(job, "downloading", progress=30))
    deliver(client, state(job, "preparing"))  # late: stale, refused
    assert job_row(job["id"])["status"] == "downloading"
    events = job_events(job["id"])
    assert events[-1]["data"] == {"skipped": ["preparing"]}
    deliver(client, state(job, "completed", progress=100), stored(job))
    assert job_row(job["id"])["status"] == "completed" and len(job_files(job["id"])) == 1


def test_progress_never_goes_backwards(client, job):
    deliver(client, state(job, "downloading", progress=70, bytes_done=70))
    deliver(client, state(job, "downloading", progress=20, bytes_done=20))
    row = job_row(job["id"])
    assert (float(row["progress"]), row["bytes_done"]) == (70.0, 70)


def test_events_of_an_older_attempt_are_stale(client, job):
    from chalicelib import db

    deliver(client, state(job, "downloading"))
    with db.connection() as conn:  # the reconciler retried it meanwhile
        conn.execute("UPDATE download_jobs SET status = 'retrying', attempt = 2, retry_count = 1 WHERE id = %s",
                     (job["id"],))
    deliver(client, state(job, "completed", attempt=1, progress=100), stored(job, attempt=1))
    row = job_row(job["id"])
    assert (row["status"], row["attempt"]) == ("retrying", 2) and job_files(job["id"]) == []


def test_a_terminal_job_ignores_late_events(client, job):
    assert client.http.delete(f"/api/v1/downloads/{job['id']}", headers=job["headers"]).status_code == 200
    deliver(client, state(job, "preparing"), state(job, "downloading"), state(job, "completed", progress=100))
    assert job_row(job["id"])["status"] == "cancelled"
    assert timeline(job)[-1] == ("queued", "cancelled", "api")


def test_stalled_and_failed_record_the_reason(client, job):
    deliver(client, state(job, "preparing"), state(job, "stalled", error_code="no_peers", error="nobody seeds"))
    row = job_row(job["id"])
    assert (row["status"], row["error_code"], row["error_message"]) == ("stalled", "no_peers", "nobody seeds")
    assert row["next_retry_at"] is not None and row["ended_at"] is None


def test_file_reports_outside_the_jobs_prefix_are_refused(client, job):
    deliver(client, stored(job, key="downloads/someone-else/film.mkv"), stored(job, path="../x", key=None))
    assert job_files(job["id"]) == []


def test_one_bad_record_does_not_fail_the_batch(client, job):
    failed = deliver(client, state(job, "preparing"), "{not json",
                     DownloadState(job_id="not-a-uuid", attempt=1, status="preparing", progress=0),
                     state(job, "downloading"))
    assert failed == [1]  # the malformed one only; unknown jobs are acknowledged and dropped
    assert job_row(job["id"])["status"] == "downloading"


def test_a_re_upload_by_a_later_attempt_records_what_the_bucket_holds(client, job):
    from chalicelib import db

    deliver(client, stored(job, size=10, sha256="aa" * 32))
    with db.connection() as conn:
        conn.execute("UPDATE download_jobs SET attempt = 2 WHERE id = %s", (job["id"],))
    deliver(client, stored(job, attempt=2, size=12, sha256="bb" * 32))
    assert [(f["size_bytes"], f["sha256"]) for f in job_files(job["id"])] == [(12, "bb" * 32)]
