"""Worker events through the SQS consumer: per-record failures, and the local pump."""

import json
import threading

import pytest
from chalice.test import Client

from chalicelib import events
from chalicelib.messages import DownloadState


@pytest.fixture
def recorded(monkeypatch):
    """Register a handler for download.state that records what it applied (after the app's own handlers
    registered: loading them later would put the real one back)."""
    import app  # noqa: F401

    events.load_handlers()

    seen: list[DownloadState] = []

    def handler(message):
        if message.error == "explode":
            raise RuntimeError("handler failed")
        seen.append(message)

    monkeypatch.setitem(events.HANDLERS, "download.state", handler)
    return seen


def state(job="j1", **overrides):
    return DownloadState(job_id=job, attempt=1, status="downloading", progress=10, **overrides).to_json()


def test_one_bad_record_does_not_fail_its_batch(recorded):
    from app import app

    with Client(app) as client:
        event = client.events.generate_sqs_event(
            message_bodies=[state("a"), "{not json", state("b", error="explode"), state("c")],
            queue_name="seen-worker-events")
        result = client.lambda_.invoke("worker_events", event).payload
    ids = [record["messageId"] for record in event["Records"]]
    assert [f["itemIdentifier"] for f in result["batchItemFailures"]] == [ids[1], ids[2]]
    assert [m.job_id for m in recorded] == ["a", "c"]


def test_unknown_fields_and_values_are_rejected_not_applied(recorded):
    bad_status = json.dumps({"type": "download.state", "jobId": "x", "attempt": 1, "status": "exploded",
                             "progress": 5})
    extra = json.dumps({"type": "download.state", "jobId": "x", "attempt": 1, "status": "queued",
                        "progress": 5, "sql": "drop table"})
    result = events.handle_batch([{"messageId": "m1", "body": bad_status}, {"messageId": "m2", "body": extra}])
    assert len(result["batchItemFailures"]) == 2
    assert recorded == []


def test_local_pump_deletes_handled_messages_and_leaves_failed_ones(aws, recorded):
    from app import app
    from chalicelib import aws as aws_clients
    from embedded.lambdas import SqsPump

    sqs = aws_clients.client("sqs")
    url = sqs.get_queue_url(QueueName="seen-worker-events")["QueueUrl"]
    # A failed record becomes visible again after the visibility timeout; make that immediate.
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"VisibilityTimeout": "0"})
    for body in (state("ok-1"), state("bad", error="explode"), state("ok-2")):
        sqs.send_message(QueueUrl=url, MessageBody=body)
    pump = SqsPump(app, sqs, threading.Event(), lambda *a, **k: None)
    handled = sum(pump.run_once(pump.configs[0], wait_seconds=0) for _ in range(3))
    assert handled == 2
    assert sorted(m.job_id for m in recorded) == ["ok-1", "ok-2"]
    left = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=0).get("Messages", [])
    assert [json.loads(m["Body"])["jobId"] for m in left] == ["bad"]


def test_dead_letter_queue_receives_a_poison_message_after_the_redrive_limit(aws):
    from chalicelib import aws as aws_clients
    from chalicelib.awsinit import MAX_RECEIVE_COUNT, dlq_name

    sqs = aws_clients.client("sqs")
    url = sqs.get_queue_url(QueueName="seen-worker-events")["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="{poison")
    for _ in range(MAX_RECEIVE_COUNT + 1):
        sqs.receive_message(QueueUrl=url, VisibilityTimeout=0)
    dlq = sqs.get_queue_url(QueueName=dlq_name("seen-worker-events"))["QueueUrl"]
    moved = sqs.receive_message(QueueUrl=dlq).get("Messages", [])
    assert [m["Body"] for m in moved] == ["{poison"]


def test_local_pump_looks_a_queue_up_once_and_again_after_it_was_deleted(aws, recorded, request):
    """A poll is one ReceiveMessage (the URL and ARN are looked up once); a queue deleted under the pump (a
    reset emulator) is looked up again on the next poll."""
    from app import app
    from chalicelib import aws as aws_clients
    from chalicelib import awsinit
    from embedded.lambdas import SqsPump

    sqs = aws_clients.client("sqs")
    calls: list[str] = []

    def count(model, **_) -> None:
        calls.append(model.name)

    def polls(times: int) -> tuple[int, list[str]]:
        calls.clear()
        handled = sum(pump.run_once(events_config, wait_seconds=0) for _ in range(times))
        return handled, sorted(calls)

    sqs.meta.events.register("before-call.sqs", count, unique_id="test-count-sqs-calls")
    request.addfinalizer(lambda: sqs.meta.events.unregister("before-call.sqs", unique_id="test-count-sqs-calls"))
    pump = SqsPump(app, sqs, threading.Event(), lambda *a, **k: None)
    events_config = next(c for c in pump.configs if c.queue == "seen-worker-events")
    assert polls(3) == (0, ["GetQueueAttributes", "GetQueueUrl", "ReceiveMessage", "ReceiveMessage",
                            "ReceiveMessage"])
    sqs.delete_queue(QueueUrl=sqs.get_queue_url(QueueName="seen-worker-events")["QueueUrl"])
    with pytest.raises(sqs.exceptions.QueueDoesNotExist):
        pump.run_once(events_config, wait_seconds=0)
    awsinit.ensure_resources()
    sqs.send_message(QueueUrl=sqs.get_queue_url(QueueName="seen-worker-events")["QueueUrl"],
                     MessageBody=state("after"))
    assert polls(2)[0] == 1 and calls.count("GetQueueUrl") == 1  # looked up again, once
    assert [m.job_id for m in recorded] == ["after"]
