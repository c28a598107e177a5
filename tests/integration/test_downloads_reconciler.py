"""The scheduled reconciler: retries after the back-off, gives up after three, notices silent workers."""

from datetime import UTC, datetime, timedelta

import pytest
from downloads_support import body, commands, job_events, job_row, submit

from chalicelib.messages import DownloadState
from chalicelib.telemetry import DownloadTelemetry, WorkerHeartbeat


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


# --- Events late, worker alive: the worker's own telemetry decides (issue 33 item 4) ---------------------------


def telemetry(job, status, attempt=1, age=0.0, worker="w1", expires_in=3600.0):
    """The job's live item as the worker's monitor writes it (reporter.write_telemetry)."""
    now = datetime.now(UTC)
    DownloadTelemetry(job["id"], attempt=attempt, status=status, worker_id=worker, bytes_done=40_000_000,
                      bytes_total=40_000_000, updated_at=now - timedelta(seconds=age),
                      expires_at=now + timedelta(seconds=expires_in)).save()


def events_delayed(job, seconds=3600):
    """The last event was applied long ago: the event consumer was busy (an import) meanwhile."""
    from chalicelib import db

    with db.connection() as conn:
        conn.execute("UPDATE download_jobs SET last_event_at = now() - make_interval(secs => %s), "
                     "updated_at = now() - make_interval(secs => %s) WHERE id = %s", (seconds, seconds, job["id"]))


def test_a_download_that_finished_while_its_events_waited_is_not_stalled_or_retried(client, job):
    report(client, job, "downloading", bytes_done=10)
    events_delayed(job)
    telemetry(job, "completed")  # written after the completed event was sent; the job then left the worker
    beat(job_ids=None)
    result = reconcile(client)
    assert (result["stalled"], result["retried"]) == (0, 0)
    assert commands() == []  # the origin is not asked for the file a second time
    report(client, job, "completed", bytes_done=40_000_000, bytes_total=40_000_000)  # the late event
    row = job_row(job["id"])
    assert (row["status"], row["attempt"], row["error_code"]) == ("completed", 1, None)


def test_a_job_whose_telemetry_is_fresh_survives_an_expired_heartbeat_and_late_events(client, job):
    report(client, job, "downloading", bytes_done=10)
    events_delayed(job)
    telemetry(job, "downloading", age=2)
    assert reconcile(client)["stalled"] == 0
    assert job_row(job["id"])["status"] == "downloading"
    assert commands() == []


def test_fresh_telemetry_outweighs_a_stale_heartbeat(client, job):
    report(client, job, "downloading", bytes_done=10)
    events_delayed(job)
    beat(age=120, job_ids={job["id"]})  # the heartbeat thread is behind, the monitor still writes
    telemetry(job, "downloading", age=1)
    assert reconcile(client)["stalled"] == 0
    assert job_row(job["id"])["status"] == "downloading"


def test_a_truly_silent_job_is_still_stalled_and_retried(client, job):
    report(client, job, "downloading", bytes_done=10)
    events_delayed(job)
    telemetry(job, "downloading", age=600)  # no heartbeat item at all, telemetry ten minutes old
    result = reconcile(client)
    assert (result["stalled"], result["retried"]) == (1, 1)
    row = job_row(job["id"])
    assert (row["status"], row["attempt"]) == ("retrying", 2)
    assert [e["message"] for e in job_events(job["id"])][-2:] == ["worker offline", "retry scheduled"]


def test_the_last_state_of_an_earlier_attempt_does_not_vouch_for_this_one(client, job):
    beat(job_ids={job["id"]})
    report(client, job, "preparing")
    report(client, job, "stalled", error_code="no_peers")
    reconcile(client)  # attempt 2 is sent
    report(client, job, "downloading", attempt=2, worker="w2")
    events_delayed(job)
    telemetry(job, "stalled", attempt=1, worker="w1")
    assert reconcile(client)["stalled"] == 1
    assert (job_row(job["id"])["attempt"], job_events(job["id"])[-2]["message"]) == (3, "worker offline")


def test_an_ended_attempt_whose_event_never_came_is_stalled_once_its_telemetry_expired(client, job):
    report(client, job, "downloading", bytes_done=10)
    events_delayed(job)
    telemetry(job, "completed", age=90_000, expires_in=-3600)
    beat(job_ids=None)
    assert reconcile(client)["stalled"] == 1
    assert job_events(job["id"])[-2]["message"] == "worker lost job"
