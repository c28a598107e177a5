"""Imports on their own queue and consumer (issue 33): worker events never wait behind an import, a
redelivered or killed parse/apply finishes exactly once, a row fixed while an apply starts loses nothing,
uploads go to the bucket with a presigned POST, skipped lines are reported."""

from __future__ import annotations

import base64
import json
import threading
import time
import uuid

import httpx
import psycopg
import pytest
from psycopg.rows import dict_row

from tests.bench import imports_scenario as scenario
from tests.integration.imports_support import DATA, seed_catalog, upload, zipped
from tests.integration.tracking_support import Api


@pytest.fixture
def ids(client):
    from chalicelib import db

    with db.transaction() as conn:
        return seed_catalog(conn)


def pump_only(group: str) -> int:
    """Run the consumers of one pump group (as ``python -m embedded.pump --queues <group>``) until idle."""
    from app import app
    from chalicelib import aws
    from chalicelib.config import get_aws_settings
    from embedded.lambdas import SqsPump
    from embedded.pump import select

    pump = SqsPump(app, aws.client("sqs"), threading.Event(), lambda *a, **k: None)
    pump.configs = select(pump.configs, group, get_aws_settings().imports_queue)
    total = 0
    while done := sum(pump.run_once(config, wait_seconds=0) for config in pump.configs):
        total += done
    return total


def queued(queue: str) -> int:
    from chalicelib import aws

    attrs = aws.client("sqs").get_queue_attributes(QueueUrl=aws.queue_url(queue), AttributeNames=["All"])
    return int(attrs["Attributes"]["ApproximateNumberOfMessages"])


def waiting_on_locks(url: str) -> int:
    with psycopg.connect(url) as conn:
        return conn.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                            "AND datname = current_database()").fetchone()[0]


def until(predicate, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.02)


def test_imports_travel_on_their_own_queue_and_the_events_consumer_forwards_strays(client, me):
    from chalicelib import events
    from chalicelib.config import get_aws_settings

    _, api = me
    status, created = upload(api, "yamtrack", "yamtrack.csv", (DATA / "yamtrack.csv").read_bytes())
    assert status == 202, created
    names = get_aws_settings()
    assert (queued(names.imports_queue), queued(names.events_queue)) == (1, 0)
    assert pump_only("events") == 0  # the events pump never takes an import message
    # A message sent to the events queue before imports had their own (in flight at a deployment) is moved
    # to the imports queue, not dropped nor dead-lettered.
    body = json.dumps({"type": "imports.parse", "importId": created["id"]})
    result = events.handle_batch([{"messageId": "m1", "body": body}])
    assert result == {"batchItemFailures": []}
    assert queued(names.imports_queue) == 2
    assert pump_only("imports") == 2  # parsed once; the second message finds it parsed
    assert api("GET", f"/api/v1/imports/{created['id']}")[1]["status"] == "preview"


def test_a_worker_event_is_applied_while_an_import_is_being_parsed(client, me, app_db, settings_env):
    from chalicelib import aws, db
    from chalicelib.config import get_aws_settings
    from chalicelib.messages import LibraryScanState

    _user_id, api = me
    # The two consumers run on two threads of one process, as in the pump's process: with a pool, as there.
    # (The connection the app opened inside a request of the test client follows .chalice/config.json's "dev"
    # stage, one connection per Lambda container: the events consumer then waited on the parse's connection.)
    settings_env(SEEN_DB_POOL_SIZE="4")
    db.reset()
    status, created = upload(api, "trakt", "watched-history.json", scenario.trakt(5000, 500))
    assert status == 202
    with psycopg.connect(app_db, autocommit=False) as hold:  # the parse's first batch waits on this lock
        hold.execute("SELECT 1 FROM imports WHERE id = %s FOR UPDATE", (created["id"],))
        parsing = threading.Thread(target=pump_only, args=("imports",))
        parsing.start()
        until(lambda: waiting_on_locks(app_db) == 1)
        scan_id = str(uuid.uuid4())
        aws.client("sqs").send_message(QueueUrl=aws.queue_url(get_aws_settings().events_queue),
                                       MessageBody=LibraryScanState(scan_id=scan_id, status="running").to_json())
        assert pump_only("events") == 1
        with psycopg.connect(app_db) as check:
            assert check.execute("SELECT status FROM library_scans WHERE id = %s", (scan_id,)).fetchone() == (
                "running",)
            assert check.execute("SELECT status FROM imports WHERE id = %s", (created["id"],)).fetchone() == (
                "parsing",)
        hold.rollback()
    parsing.join(60)
    assert api("GET", f"/api/v1/imports/{created['id']}")[1]["preview"]["rows"] == 5000


def _hold_when(app_db: str, import_id: str, ready) -> psycopg.Connection:
    """Lock the import row as soon as ``ready(row)`` (the consumer's next step then waits on it)."""
    hold = psycopg.connect(app_db, autocommit=False, row_factory=dict_row)
    while True:
        row = hold.execute("SELECT * FROM imports WHERE id = %s FOR UPDATE", (import_id,)).fetchone()
        if ready(row):
            return hold
        hold.rollback()
        time.sleep(0.005)


def test_a_consumer_killed_mid_parse_and_mid_apply_loses_nothing_and_writes_once(client, me, app_db):
    from chalicelib import aws
    from chalicelib.config import get_aws_settings

    user_id, _ = me
    with psycopg.connect(app_db) as conn:
        scenario.seed_catalog(conn, 2000)
    sqs, url = aws.client("sqs"), aws.queue_url(get_aws_settings().imports_queue)
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"VisibilityTimeout": "2"})  # a killed run's message returns
    import_id = str(scenario.upload(user_id, "letterboxd", scenario.letterboxd(20_000, 2000)))
    consumer = scenario.Consumer()
    hold = _hold_when(app_db, import_id, lambda row: row["rows_read"] > 0)
    until(lambda: waiting_on_locks(app_db) == 1)  # the consumer is inside its next batch
    consumer.kill()
    assert hold.execute("SELECT read_at FROM imports WHERE id = %s", (import_id,)).fetchone()["read_at"] is None
    hold.rollback()
    hold.close()
    consumer = scenario.Consumer()
    try:
        row = scenario.wait_for(import_id, ("preview", "failed"), 120, consumer)
        assert (row["status"], row["rows_total"], row["rows_read"]) == ("preview", 20_000, 20_000)
        from chalicelib.imports import service

        service.apply(user_id, uuid.UUID(import_id))
        hold = _hold_when(app_db, import_id, lambda row: row["done"] > 0)
        until(lambda: waiting_on_locks(app_db) == 1)
        consumer.kill()
        hold.rollback()
        hold.close()
        consumer = scenario.Consumer()
        row = scenario.wait_for(import_id, ("applied", "failed"), 120, consumer)
    finally:
        consumer.stop()
    assert (row["status"], row["done"]) == ("applied", row["matched"])
    with psycopg.connect(app_db) as conn:
        stored = conn.execute("SELECT count(*), count(DISTINCT row_no) FROM import_rows WHERE import_id = %s",
                              (import_id,)).fetchone()
        applied = conn.execute("SELECT count(*) FROM import_rows WHERE import_id = %s AND applied_at IS NOT NULL",
                               (import_id,)).fetchone()[0]
        watches = conn.execute("SELECT count(*), count(DISTINCT (media_id, watched_at)) FROM user_watched "
                               "WHERE user_id = %s", (user_id,)).fetchone()
    assert stored == (20_000, 20_000) and applied == row["matched"]
    assert watches[0] == watches[1] > 0  # no watch written twice


def test_a_redelivered_parse_or_apply_message_changes_nothing(client, me, ids):
    from chalicelib import db
    from chalicelib.imports import handlers

    _, api = me
    _status, created = upload(api, "trakt", "trakt.zip", zipped(DATA / "trakt"))
    body = json.dumps({"type": "imports.parse", "importId": created["id"]})
    for _ in range(2):
        assert handlers.handle_batch([{"messageId": "p", "body": body}]) == {"batchItemFailures": []}
    assert pump_only("imports") == 1  # the original message: the import is no longer parsing
    first = api("GET", f"/api/v1/imports/{created['id']}")[1]
    assert first["preview"]["rows"] == 10
    api("POST", f"/api/v1/imports/{created['id']}/apply")
    apply_body = json.dumps({"type": "imports.apply", "importId": created["id"]})
    for _ in range(2):
        handlers.handle_batch([{"messageId": "a", "body": apply_body}])
    pump_only("imports")
    done = api("GET", f"/api/v1/imports/{created['id']}")[1]
    assert (done["status"], done["progress"]) == ("applied", {"done": 8, "total": 8})
    with db.connection() as conn:
        assert conn.execute("SELECT count(*) AS n FROM import_rows WHERE import_id = %s",
                            (created["id"],)).fetchone()["n"] == 10


def test_a_row_fixed_while_the_apply_starts_is_applied_and_the_apply_is_not_lost(client, me, ids, app_db):
    """The fix's transaction is held right after its status check; the apply is started meanwhile.
    Before the fix (no lock, unconditional preview update) the apply committed first and the preview
    rebuild put the import back to ``preview``: the apply was lost."""
    from chalicelib.imports import fixes, service

    user_id, api = me
    _status, created = upload(api, "trakt", "trakt.zip", zipped(DATA / "trakt"))
    pump_only("imports")
    data = api("GET", f"/api/v1/imports/{created['id']}")[1]
    row_no = next(r["row"] for r in data["unmatched"] if r["title"] == "A Film Trakt Alone Knows")
    import_id = uuid.UUID(created["id"])
    with psycopg.connect(app_db, autocommit=False) as hold:  # the fix waits on its row update
        hold.execute("SELECT 1 FROM import_rows WHERE import_id = %s AND row_no = %s FOR UPDATE",
                     (import_id, row_no))
        fixing = threading.Thread(target=fixes.fix_row, args=(user_id, import_id, row_no, ids["heat"]))
        fixing.start()
        until(lambda: waiting_on_locks(app_db) == 1)
        applying = threading.Thread(target=service.apply, args=(user_id, import_id))
        applying.start()
        until(lambda: not applying.is_alive() or waiting_on_locks(app_db) == 2)
        hold.rollback()
    fixing.join(30)
    applying.join(30)
    pump_only("imports")
    done = api("GET", f"/api/v1/imports/{created['id']}")[1]
    assert done["status"] == "applied", done
    assert done["progress"] == {"done": 9, "total": 9}  # the fixed row was applied too


def test_a_presigned_upload_is_imported_once_by_its_owner_only(client, me, make_user, ids):
    _, api = me
    content = (DATA / "yamtrack.csv").read_bytes()
    status, made = api("POST", "/api/v1/imports/uploads",
                       {"format": "yamtrack", "filename": "yamtrack.csv", "sizeBytes": len(content)})
    assert status == 201, made
    assert made["maxBytes"] == 48 * 2**20 and made["fields"]["key"].endswith(made["uploadId"])
    create = {"format": "yamtrack", "filename": "yamtrack.csv", "uploadId": made["uploadId"]}
    assert api("POST", "/api/v1/imports", create)[1]["error"]["code"] == "upload_missing"  # nothing posted yet
    posted = httpx.post(made["url"], data=made["fields"], files={"file": ("yamtrack.csv", content)})
    assert posted.status_code in (200, 204), posted.text
    other = Api(client, make_user()[1])
    status, refused = other("POST", "/api/v1/imports", create)
    assert (status, refused["error"]["code"]) == (404, "upload_not_found")
    status, created = api("POST", "/api/v1/imports", create)
    assert status == 202, created
    pump_only("imports")
    assert api("POST", "/api/v1/imports", create)[0] == 404  # once
    data = api("GET", f"/api/v1/imports/{created['id']}")[1]
    assert (data["status"], data["preview"]["rows"]) == ("preview", 9)


def test_a_file_over_the_limit_is_refused_up_front_or_fails_the_import_naming_the_limit(client, me):
    from chalicelib import aws
    from chalicelib.config import get_aws_settings

    _, api = me
    status, refused = api("POST", "/api/v1/imports/uploads",
                          {"format": "trakt", "filename": "big.json", "sizeBytes": 48 * 2**20 + 1})
    assert status == 422 and "sizeBytes" in refused["error"]["fields"]
    big = b"[" + b" " * (48 * 2**20) + b"]"

    def post(made: dict, content: bytes) -> None:
        sent = httpx.post(made["url"], data=made["fields"], files={"file": ("h.json", content)}, timeout=60)
        assert sent.status_code in (200, 204), sent.text

    def stored(key: str) -> list[str]:
        listing = aws.client("s3").list_objects_v2(Bucket=get_aws_settings().bucket, Prefix=key)
        return [item["Key"] for item in listing.get("Contents", [])]

    # The tests' moto does not enforce the policy's content-length-range: the app refuses the object itself.
    status, made = api("POST", "/api/v1/imports/uploads", {"format": "trakt", "filename": "h.json", "sizeBytes": 10})
    post(made, big)
    create = {"format": "trakt", "filename": "h.json", "uploadId": made["uploadId"]}
    status, refused = api("POST", "/api/v1/imports", create)
    assert (status, refused["error"]["code"]) == (413, "upload_too_large"), refused
    assert stored(made["fields"]["key"]) == []
    # The form still takes a file until it expires: one replaced after the import started fails the job.
    status, made = api("POST", "/api/v1/imports/uploads", {"format": "trakt", "filename": "h.json", "sizeBytes": 10})
    post(made, b"[]")
    status, created = api("POST", "/api/v1/imports", {**create, "uploadId": made["uploadId"]})
    assert status == 202, created
    post(made, big)
    pump_only("imports")
    data = api("GET", f"/api/v1/imports/{created['id']}")[1]
    assert data["status"] == "failed" and "limited to 48 MiB" in data["error"], data
    assert stored(made["fields"]["key"]) == []


def test_an_object_its_form_did_not_put_at_an_upload_key_is_refused_at_once_or_by_the_job(client, me, make_user):
    """The tests' moto takes unsigned writes and ignores POST policies, as some S3-compatible stores do: the
    app refuses an object at a user's upload key that the user's own form did not put there (issue 58)."""
    from chalicelib import aws, db
    from chalicelib.config import get_aws_settings

    _, api = me
    attacker = Api(client, make_user()[1])
    content = (DATA / "yamtrack.csv").read_bytes()
    s3, bucket = aws.client("s3"), get_aws_settings().bucket
    fields = {"format": "yamtrack", "filename": "yamtrack.csv", "sizeBytes": len(content)}

    def stored(key: str) -> list[str]:
        return [item["Key"] for item in s3.list_objects_v2(Bucket=bucket, Prefix=key).get("Contents", [])]

    # Put there unsigned: refused when the import is asked for, the object deleted, no import made.
    made = api("POST", "/api/v1/imports/uploads", fields)[1]
    s3.put_object(Bucket=bucket, Key=made["fields"]["key"], Body=content)
    create = {"format": "yamtrack", "filename": "yamtrack.csv", "uploadId": made["uploadId"]}
    status, refused = api("POST", "/api/v1/imports", create)
    assert (status, refused["error"]["code"]) == (422, "upload_rejected"), refused
    assert stored(made["fields"]["key"]) == []
    # Another user's form re-keyed over a file the job has not read yet: the job refuses it, writes nothing.
    made = api("POST", "/api/v1/imports/uploads", fields)[1]
    httpx.post(made["url"], data=made["fields"], files={"file": ("yamtrack.csv", content)}).raise_for_status()
    status, created = api("POST", "/api/v1/imports", {**create, "uploadId": made["uploadId"]})
    assert status == 202, created
    theirs = attacker("POST", "/api/v1/imports/uploads", fields)[1]
    planted = httpx.post(theirs["url"], data={**theirs["fields"], "key": made["fields"]["key"]},
                         files={"file": ("yamtrack.csv", b"title,watched_at\nPlanted,2020-01-01\n")})
    assert planted.status_code in (200, 204)
    pump_only("imports")
    data = api("GET", f"/api/v1/imports/{created['id']}")[1]
    assert data["status"] == "failed" and "not sent with this upload's form" in data["error"], data
    assert stored(made["fields"]["key"]) == []
    with db.connection() as conn:
        rows = conn.execute("SELECT count(*) AS n FROM import_rows WHERE import_id = %s", (created["id"],)).fetchone()
    assert rows["n"] == 0


def test_a_second_import_waits_for_the_first_and_inline_bodies_are_capped(client, me):
    _, api = me
    content = (DATA / "yamtrack.csv").read_bytes()
    assert upload(api, "yamtrack", "a.csv", content)[0] == 202
    status, busy = upload(api, "yamtrack", "b.csv", content)
    assert (status, busy["error"]["code"]) == (409, "import_in_progress")
    pump_only("imports")
    assert upload(api, "yamtrack", "b.csv", content)[0] == 202
    status, big = upload(api, "yamtrack", "c.csv", b"x" * 5_000_000)  # 6.7 MB of base64
    assert status == 413, big


def test_skipped_lines_are_counted_and_the_first_are_listed(client, me, ids):
    _, api = me
    good = {"id": 1, "watched_at": "2022-01-01T20:00:00.000Z", "action": "watch", "type": "movie",
            "movie": {"title": "Heat", "year": 1995, "ids": {"tmdb": 949}}}
    broken = [{"id": n, "watched_at": "2022-01-01T20:00:00.000Z", "action": "watch", "type": "episode",
               "show": {"title": "Dark", "ids": {}}} for n in range(25)]
    _status, created = upload(api, "trakt", "watched-history.json", json.dumps([good, *broken]).encode())
    pump_only("imports")
    data = api("GET", f"/api/v1/imports/{created['id']}")[1]
    assert data["status"] == "preview", data
    assert (data["preview"]["rows"], data["preview"]["skipped"]) == (1, 25)
    assert len(data["skippedRows"]) == 20
    assert data["skippedRows"][0] == {"row": 2, "reason": "A watched episode without its episode details"}


def test_the_bench_scenario_runs_small_through_a_consumer_process(client, me):
    from chalicelib import db

    user_id, _ = me
    with db.connection() as conn:
        scenario.seed_catalog(conn, 500)
    for fmt in ("letterboxd", "trakt"):
        result = scenario.run(user_id, fmt, 2000, 500, timeout=120)
        assert result.rows == 2000 and result.applied == result.matched > 1800, (fmt, result)
        assert result.peak_rss_mb > 0


@pytest.mark.parametrize("group", ["imports", "events", None])
def test_the_pump_runs_the_imports_consumer_alone_or_everything_else_with_the_scheduler(client, group):
    import os
    import subprocess
    import sys

    from chalicelib.config import get_aws_settings

    names = get_aws_settings()
    args = [sys.executable, "-m", "embedded.pump", *(["--queues", group] if group else [])]
    proc = subprocess.Popen(args, cwd=scenario.ROOT, stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": f"{scenario.ROOT / 'localstack'}:{scenario.ROOT}"})
    try:
        started = next(json.loads(line) for line in proc.stdout if '"started"' in line)
    finally:
        proc.terminate()
        proc.wait(15)
    queues, schedules = set(started["queues"]), started["schedules"]
    if group == "imports":
        assert (queues, schedules) == ({names.imports_queue}, [])
    else:
        assert names.events_queue in queues and "reconcile_downloads" in schedules
        assert (names.imports_queue in queues) == (group is None)


def test_the_imports_consumer_is_a_function_of_its_own_in_the_template(tmp_path):
    from tests.integration import cfn_support as cfn

    function = cfn.load(cfn.package(tmp_path))["Resources"]["ImportJobs"]["Properties"]
    source = function["Events"]["ImportJobsSqsEventSource"]["Properties"]
    assert "seen-import-commands" in json.dumps(source["Queue"])
    assert (source["BatchSize"], source["FunctionResponseTypes"]) == (1, ["ReportBatchItemFailures"])
    assert function["ReservedConcurrentExecutions"] >= 1 and function["Timeout"] >= 60


def test_parse_and_apply_hand_over_to_a_new_message_when_the_invocation_runs_short(client, me):
    """A Lambda context with just over the safety margin left: one batch, then a new message goes on."""
    from chalicelib import db
    from chalicelib.config import get_aws_settings
    from chalicelib.imports import budget, handlers, reading
    from chalicelib.imports import service as imports_service
    from embedded.lambdas import LambdaContext

    user_id, _ = me
    with db.connection() as conn:
        scenario.seed_catalog(conn, 500)
    import_id = scenario.upload(user_id, "letterboxd", scenario.letterboxd(5000, 500))
    names, body = get_aws_settings(), json.dumps({"type": "imports.parse", "importId": str(import_id)})

    def short() -> LambdaContext:
        return LambdaContext("import_jobs", "r", time.monotonic() + budget.MARGIN_SECONDS + 0.001)

    assert handlers.handle_batch([{"messageId": "p", "body": body}], short()) == {"batchItemFailures": []}
    row = scenario.import_row(import_id)
    assert (row["status"], row["rows_read"]) == ("parsing", reading.INSERT_BATCH)
    assert queued(names.imports_queue) == 2  # the original message, and the hand-over
    pump_only("imports")
    row = scenario.import_row(import_id)
    assert (row["status"], row["rows_total"]) == ("preview", 5000)
    imports_service.apply(user_id, import_id)
    pump_only("events")  # nothing for it
    apply_body = json.dumps({"type": "imports.apply", "importId": str(import_id)})
    handlers.handle_batch([{"messageId": "a", "body": apply_body}], short())
    assert scenario.import_row(import_id)["done"] == 500  # one batch, then handed over
    pump_only("imports")
    row = scenario.import_row(import_id)
    assert (row["status"], row["done"]) == ("applied", row["matched"])


def test_two_uploads_at_once_start_one_import(client, me):
    """Both requests pass the check at the same moment; the per-user lock lets one create its import."""
    from concurrent.futures import ThreadPoolExecutor

    from chalicelib.imports import errors, service
    from chalicelib.imports.models import ImportCreate

    user_id, _ = me
    content = base64.b64encode((DATA / "yamtrack.csv").read_bytes()).decode()
    body = ImportCreate(format="yamtrack", filename="y.csv", content=content)
    barrier = threading.Barrier(4)

    def create() -> str:
        barrier.wait()
        try:
            return str(service.create(user_id, body).id)
        except errors.ImportBusy:
            return "busy"

    with ThreadPoolExecutor(4) as pool:
        outcomes = list(pool.map(lambda _: create(), range(4)))
    assert outcomes.count("busy") == 3, outcomes
