"""Fair share of the worker: one user's long queue does not hold other users' jobs back.

What the worker was told is read from the real (moto server) command queue.
"""

import pytest
from downloads_support import body, commands, job_events, job_row, submit

from chalicelib.messages import DownloadState
from tests.integration.tracking_support import Api

ADMIN = "/api/v1/admin/settings"
YOURS = "waiting for your other downloads"
A_SLOT = "waiting for a free download slot"


def magnet(i: int) -> str:
    return f"magnet:?xt=urn:btih:{i:040x}"


def deliver(client, *states: DownloadState) -> None:
    event = client.events.generate_sqs_event(message_bodies=[s.to_json() for s in states],
                                             queue_name="seen-worker-events")
    for index, record in enumerate(event["Records"]):
        record["messageId"] = f"m{index}"
    assert client.lambda_.invoke("worker_events", event).payload["batchItemFailures"] == []


def finish(client, job_id: str, status: str = "completed") -> None:
    deliver(client, DownloadState(job_id=job_id, attempt=1, status="downloading", progress=50, worker_id="w1"))
    deliver(client, DownloadState(job_id=job_id, attempt=1, status=status, progress=100, worker_id="w1",
                                  **({"error": "disk full", "error_code": "disk_full"} if status == "failed" else {})))


def reconcile(client) -> dict:
    event = client.events.generate_cw_event(source="aws.events", detail_type="Scheduled Event", detail={},
                                            resources=[])
    return client.lambda_.invoke("reconcile_downloads", event).payload


@pytest.fixture
def users(make_user):
    return make_user()[1], make_user()[1]


def test_one_users_long_queue_does_not_hold_back_another_users_job(client, users):
    alice, bob = users
    mine = [body(submit(client, alice, source=magnet(i))) for i in range(5)]
    theirs = body(submit(client, bob, source=magnet(9)))
    assert [(job["dispatched"], job["queuedReason"]) for job in mine] == [(True, None)] * 3 + [(False, YOURS)] * 2
    assert (theirs["dispatched"], theirs["queuedReason"]) == (True, None)
    assert [c.job_id for c in commands()] == [job["id"] for job in mine[:3]] + [theirs["id"]]
    shown = body(client.http.get(f"/api/v1/downloads/{mine[3]['id']}", headers=alice))
    assert (shown["status"], shown["dispatched"], shown["queuedReason"]) == ("queued", False, YOURS)
    assert job_events(mine[3]["id"])[-1]["message"] == f"submitted; {YOURS}"

    finish(client, mine[0]["id"])  # one of alice's ends: her 4th starts at once, not at the next reconcile
    assert [c.job_id for c in commands()] == [mine[3]["id"]]
    shown = body(client.http.get(f"/api/v1/downloads/{mine[3]['id']}", headers=alice))
    assert (shown["dispatched"], shown["queuedReason"]) == (True, None)
    assert body(client.http.get(f"/api/v1/downloads/{mine[4]['id']}", headers=alice))["queuedReason"] == YOURS


@pytest.mark.parametrize("end", ["failed", "cancelled"])
def test_a_failed_or_cancelled_job_frees_its_owners_slot(client, users, end):
    alice, _ = users
    ids = [body(submit(client, alice, source=magnet(i)))["id"] for i in range(4)]
    assert [c.job_id for c in commands()] == ids[:3]
    if end == "cancelled":
        assert client.http.delete(f"/api/v1/downloads/{ids[1]}", headers=alice).status_code == 200
    else:
        finish(client, ids[1], "failed")
    assert [c.job_id for c in commands()] == [ids[3]]
    assert job_row(ids[3])["queued_reason"] is None


def test_a_cancel_releases_the_waiting_job_on_one_pooled_connection(client, users, settings_env):
    """The cancel hands its slot on through the request's own connection: one taken while holding it could
    starve the pool under load (with a pool of one, it times out)."""
    from chalicelib import db

    alice, _ = users
    ids = [body(submit(client, alice, source=magnet(i)))["id"] for i in range(4)]
    assert [c.job_id for c in commands()] == ids[:3]
    settings_env(SEEN_DB_POOL_SIZE="1", SEEN_DB_CONNECT_TIMEOUT="1")
    db.reset()
    try:
        assert client.http.delete(f"/api/v1/downloads/{ids[0]}", headers=alice).status_code == 200
    finally:
        db.reset()
    assert [c.job_id for c in commands()] == [ids[3]]
    assert job_row(ids[3])["queued_reason"] is None


def test_the_cap_is_a_setting(client, users, settings_env):
    settings_env(SEEN_DOWNLOAD_PER_USER_ACTIVE="1")
    alice, bob = users
    first, second = (body(submit(client, alice, source=magnet(i))) for i in range(2))
    other = body(submit(client, bob, source=magnet(9)))
    assert (first["dispatched"], second["queuedReason"], other["dispatched"]) == (True, YOURS, True)


def test_the_instance_limit_and_the_per_user_cap_together(client, users, auth_headers):
    alice, bob = users
    admin = Api(client, auth_headers(role="admin"))
    assert admin("PATCH", ADMIN, {"downloadsMaxConcurrent": 4})[0] == 200
    mine = [body(submit(client, alice, source=magnet(i))) for i in range(5)]
    theirs = [body(submit(client, bob, source=magnet(10 + i))) for i in range(2)]
    assert [job["queuedReason"] for job in mine] == [None] * 3 + [YOURS] * 2
    assert [job["queuedReason"] for job in theirs] == [None, A_SLOT]  # four slots: alice 3, bob 1
    commands()
    finish(client, mine[0]["id"])  # alice's slot frees: her own next job takes it (bob still holds one)
    assert [c.job_id for c in commands()] == [mine[3]["id"]]
    assert job_row(mine[4]["id"])["queued_reason"] == YOURS and job_row(theirs[1]["id"])["queued_reason"] == A_SLOT
    finish(client, theirs[0]["id"])  # bob's slot frees: his waiting job takes it (alice is at her cap)
    assert [c.job_id for c in commands()] == [theirs[1]["id"]]


def test_the_reconciler_releases_waiting_jobs_when_a_slot_is_free(client, users):
    from chalicelib import db

    alice, _ = users
    ids = [body(submit(client, alice, source=magnet(i)))["id"] for i in range(4)]
    commands()
    with db.connection() as conn:  # as if the job's end had been recorded without the release
        conn.execute("UPDATE download_jobs SET status = 'completed', progress = 100, completed_at = now(), "
                     "ended_at = now() WHERE id = %s", (ids[0],))
    assert reconcile(client)["sent"] == 1
    assert [c.job_id for c in commands()] == [ids[3]]
    assert reconcile(client)["sent"] == 0 and commands() == []
