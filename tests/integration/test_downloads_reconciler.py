"""The scheduled reconciler: retries after the back-off, gives up after three, notices silent workers."""

from datetime import UTC, datetime, timedelta

import pytest
from downloads_support import body, commands, job_events, job_row, submit

from chalicelib.messages import DownloadState
from chalicelib.telemetry import WorkerHeartbeat


@pytest.fixture
def job(client, make_user, settings_env):
    settings_env(DOWNLOAD_RETRY_BACKOFF="0", DOWNLOAD_HEARTBEAT_STALE="30")
    _, headers = make_user()
    created = body(submit(client, headers))
    commands()  # the first command is not what these tests look at
    return created


def reconcile(client) -> dict:
    event = client.events.generate_cw_event(source="aws.events", detail_type="Scheduled Event", detail={},
                                            resources=[])
    return client.lambda_.invoke("reconcile_downloads", event).payload


def report(client, job, status, attempt=1, worker="w1", **extra):
    message = DownloadState(job_id=job["id"], attempt=attempt, status=status, progress=0, worker_id=worker, **extra)
    event = client.events.generate_sqs_event(message_bodies=[message.to_json()], queue_name="seen-worker-events")
    assert client.lambda_.invoke("worker_events", event).payload == {"batchItemFailures": []}


def beat(worker="w1", age=0.0, job_ids=None):
    now = datetime.now(UTC)
    WorkerHeartbeat(worker, version="t", last_seen=now - timedelta(seconds=age), started_at=now,
                    job_ids=job_ids).save()


def test_stalled_job_is_retried_with_a_new_attempt_and_resent(client, job):
    beat(job_ids={job["id"]})
    report(client, job, "preparing")
    report(client, job, "stalled", error_code="no_peers")
    result = reconcile(client)
    assert result["retried"] == 1
    row = job_row(job["id"])
    assert (row["status"], row["attempt"], row["retry_count"], row["error_code"]) == ("retrying", 2, 1, None)
    assert row["command_sent_at"] is not None
    assert [(c.job_id, c.attempt) for c in commands()] == [(job["id"], 2)]
    last = job_events(job["id"])[-1]
    assert (last["from_status"], last["to_status"], last["actor"], last["attempt"]) == (
        "stalled", "retrying", "reconciler", 2)
    assert last["data"] == {"retry": 1, "lastErrorCode": "no_peers"}


def test_back_off_is_respected(client, job, settings_env):
    settings_env(DOWNLOAD_RETRY_BACKOFF="3600")
    report(client, job, "preparing")
    report(client, job, "stalled")
    assert reconcile(client)["retried"] == 0
    assert job_row(job["id"])["status"] == "stalled"


def test_three_retries_then_failed(client, job):
    beat(job_ids={job["id"]})
    for attempt in range(1, 5):
        report(client, job, "preparing", attempt=attempt)
        report(client, job, "stalled", attempt=attempt, error_code="http_503")
        reconcile(client)
    row = job_row(job["id"])
    assert (row["status"], row["attempt"], row["retry_count"]) == ("failed", 4, 3)
    assert row["error_code"] == "retries_exhausted" and row["ended_at"] is not None
    assert [c.attempt for c in commands()] == [2, 3, 4]
    assert [e["to_status"] for e in job_events(job["id"])].count("retrying") == 3
    assert reconcile(client) == {"sent": 0, "retried": 0, "failed": 0, "stalled": 0, "errors": []}


def test_job_of_a_worker_whose_heartbeat_is_stale_is_stalled_then_retried(client, job):
    report(client, job, "downloading", bytes_done=10)
    beat(age=120, job_ids={job["id"]})
    result = reconcile(client)
    assert result["stalled"] == 1 and result["retried"] == 1  # back-off 0: retried in the same run
    row = job_row(job["id"])
    assert (row["status"], row["attempt"]) == ("retrying", 2)
    steps = [(e["to_status"], e["actor"], e["message"]) for e in job_events(job["id"])][-2:]
    assert steps == [("stalled", "reconciler", "worker offline"), ("retrying", "reconciler", "retry scheduled")]


def test_job_of_a_live_worker_is_left_alone(client, job):
    report(client, job, "downloading")
    beat(job_ids={job["id"]})
    assert reconcile(client)["stalled"] == 0
    assert job_row(job["id"])["status"] == "downloading"


def test_job_a_live_worker_no_longer_runs_is_stalled(client, job, settings_env):
    settings_env(DOWNLOAD_RETRY_BACKOFF="3600", DOWNLOAD_HEARTBEAT_STALE="1")
    report(client, job, "downloading")
    from chalicelib import db

    with db.connection() as conn:
        conn.execute("UPDATE download_jobs SET last_event_at = now() - interval '1 minute' WHERE id = %s",
                     (job["id"],))
    beat(job_ids={"some-other-job"})
    assert reconcile(client)["stalled"] == 1
    row = job_row(job["id"])
    assert (row["status"], row["error_code"]) == ("stalled", "worker_lost_job")
