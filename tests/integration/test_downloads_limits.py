"""The instance setting downloadsMaxConcurrent: jobs past the limit stay queued until an older one ends."""

import json

import pytest
from downloads_support import body, commands, job_events, job_row, submit

from tests.integration.tracking_support import Api

ADMIN = "/api/v1/admin/settings"


@pytest.fixture
def headers(make_user):
    return make_user()[1]


@pytest.fixture
def admin(client, auth_headers):
    return Api(client, auth_headers(role="admin"))


def magnet(i: int) -> str:
    return f"magnet:?xt=urn:btih:{i:040x}"


def reconcile(client) -> dict:
    event = client.events.generate_cw_event(source="aws.events", detail_type="Scheduled Event", detail={},
                                            resources=[])
    return client.lambda_.invoke("reconcile_downloads", event).payload


def age(job_id: str) -> None:
    """As if the job had waited past DOWNLOAD_RESEND_AFTER."""
    from chalicelib import db

    with db.connection() as conn:
        conn.execute("UPDATE download_jobs SET updated_at = now() - interval '10 minutes' WHERE id = %s", (job_id,))


def test_without_a_limit_every_job_is_sent_at_once(client, headers, admin):
    assert admin("GET", ADMIN)[1]["downloadsMaxConcurrentSet"] is False
    ids = [body(submit(client, headers, source=magnet(i)))["id"] for i in range(3)]  # 3: the per-user cap
    assert sorted(c.job_id for c in commands()) == sorted(ids)


def test_jobs_past_the_limit_stay_queued_and_are_sent_when_a_slot_frees(client, headers, admin):
    status, data = admin("PATCH", ADMIN, {"downloadsMaxConcurrent": 2})
    assert (status, data["downloadsMaxConcurrent"], data["downloadsMaxConcurrentSet"]) == (200, 2, True)
    jobs = [body(submit(client, headers, source=magnet(i))) for i in range(3)]
    ids = [job["id"] for job in jobs]
    assert [job["dispatched"] for job in jobs] == [True, True, False]
    assert [c.job_id for c in commands()] == ids[:2]
    listed = body(client.http.get("/api/v1/downloads?status=queued", headers=headers))["items"]
    assert [(job["id"], job["dispatched"]) for job in listed] == [(ids[2], False), (ids[1], True), (ids[0], True)]
    waiting = job_row(ids[2])
    assert waiting["status"] == "queued" and waiting["command_sent_at"] is None
    assert job_events(ids[2])[-1]["message"] == "submitted; waiting for a free download slot"
    # The reconciler does not send it while both slots are taken...
    age(ids[2])
    reconcile(client)
    assert commands() == [] and job_row(ids[2])["command_sent_at"] is None
    # ...and it is sent as soon as an older job ends.
    assert client.http.delete(f"/api/v1/downloads/{ids[0]}", headers=headers).status_code == 200
    assert [c.job_id for c in commands()] == [ids[2]]
    assert body(client.http.get(f"/api/v1/downloads/{ids[2]}", headers=headers))["dispatched"] is True


def test_the_limit_counts_every_users_jobs(client, headers, admin, make_user):
    assert admin("PATCH", ADMIN, {"downloadsMaxConcurrent": 1})[0] == 200
    first = body(submit(client, headers, source=magnet(1)))["id"]
    _, other = make_user()
    second = body(submit(client, other, source=magnet(2)))["id"]
    assert [c.job_id for c in commands()] == [first]
    assert job_row(second)["command_sent_at"] is None


def test_removing_the_limit_releases_the_waiting_jobs(client, headers, admin):
    assert admin("PATCH", ADMIN, {"downloadsMaxConcurrent": 1})[0] == 200
    ids = [body(submit(client, headers, source=magnet(i)))["id"] for i in range(3)]
    assert [c.job_id for c in commands()] == ids[:1]
    assert admin("PATCH", ADMIN, {"downloadsMaxConcurrent": None})[0] == 200
    for job_id in ids[1:]:
        age(job_id)
    assert reconcile(client)["sent"] == 2
    assert sorted(c.job_id for c in commands()) == sorted(ids[1:])


def test_a_replayed_submission_is_not_refused_or_resent_at_the_limit(client, headers, admin):
    assert admin("PATCH", ADMIN, {"downloadsMaxConcurrent": 1})[0] == 200
    first = submit(client, headers, source=magnet(1), key="k-1")
    again = submit(client, headers, source=magnet(1), key="k-1")
    assert (again.status_code, again.headers.get("Idempotent-Replayed")) == (201, "true")
    assert json.loads(again.body)["id"] == json.loads(first.body)["id"]
    assert len(commands()) == 1
