"""Run the Chalice app's event handlers the way Lambda would, locally.

``SqsPump`` long-polls each queue an ``@app.on_sqs_message`` handler listens
on, hands the handler a Lambda-shaped SQS event, and deletes what succeeded
(honouring ``batchItemFailures``, as an event source mapping with
ReportBatchItemFailures does). ``Scheduler`` invokes each ``@app.schedule``
function on its rate or cron expression with a scheduled-event payload.
Both call the very functions Lambda would.
"""

from __future__ import annotations

import importlib
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from chalice.app import Chalice, Cron, Rate, ScheduledEventConfig, SQSEventConfig


@dataclass
class LambdaContext:
    function_name: str
    aws_request_id: str
    deadline: float
    memory_limit_in_mb: int = 512
    invoked_function_arn: str = "arn:aws:lambda:us-east-1:000000000000:function:seen-local"

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self.deadline - time.monotonic()) * 1000))


def _context(name: str, timeout: float = 60.0) -> LambdaContext:
    return LambdaContext(name, uuid.uuid4().hex, time.monotonic() + timeout)


def resolve_handler(handler_string: str) -> Callable[[dict, Any], Any]:
    module_name, _, attr = handler_string.rpartition(".")
    return getattr(importlib.import_module(module_name), attr)


def sqs_event(messages: list[dict], queue_arn: str) -> dict:
    return {"Records": [{
        "messageId": m["MessageId"],
        "receiptHandle": m["ReceiptHandle"],
        "body": m["Body"],
        "attributes": m.get("Attributes", {}),
        "messageAttributes": {},
        "md5OfBody": m.get("MD5OfBody", ""),
        "eventSource": "aws:sqs",
        "eventSourceARN": queue_arn,
        "awsRegion": "us-east-1",
    } for m in messages]}


class SqsPump:
    def __init__(self, app: Chalice, sqs: Any, stop: threading.Event, log: Callable[..., None]):
        self.configs = [s for s in app.event_sources if isinstance(s, SQSEventConfig)]
        self.sqs = sqs
        self.stop = stop
        self.log = log
        self._queues: dict[str, tuple[str, str]] = {}  # queue name -> (url, arn), looked up once

    def _queue(self, name: str) -> tuple[str, str]:
        """The queue's URL and ARN. Looked up once, not on every poll: a poll is then one request to the
        emulator, not three (a test that pumps every 20 ms made ~300 requests a second, which the emulator
        served on the cores the code under test was measured on)."""
        if name not in self._queues:
            url = self.sqs.get_queue_url(QueueName=name)["QueueUrl"]
            arn = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
            self._queues[name] = (url, arn)
        return self._queues[name]

    def run_once(self, config: SQSEventConfig, wait_seconds: int = 1) -> int:
        name = str(config.queue)  # every handler here listens on a queue by name, never by ARN
        url, arn = self._queue(name)
        try:
            received = self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=min(config.batch_size, 10),
                                                WaitTimeSeconds=wait_seconds,
                                                AttributeNames=["All"]).get("Messages", [])
        except Exception:
            self._queues.pop(name, None)  # the queue was deleted or recreated: look it up again
            raise
        if not received:
            return 0
        handler = resolve_handler(config.handler_string)
        try:
            result = handler(sqs_event(received, arn), _context(config.name)) or {}
            failed = {f["itemIdentifier"] for f in result.get("batchItemFailures", [])}
        except Exception as exc:  # the whole invocation failed: Lambda redelivers the batch
            self.log("sqs handler failed", handler=config.name, error=repr(exc))
            return 0
        done = [m for m in received if m["MessageId"] not in failed]
        for start in range(0, len(done), 10):
            chunk = done[start:start + 10]
            self.sqs.delete_message_batch(QueueUrl=url, Entries=[
                {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(chunk)])
        return len(done)

    def run(self) -> None:
        while not self.stop.is_set():
            for config in self.configs:
                try:
                    self.run_once(config)
                except Exception as exc:
                    self.log("sqs pump error", queue=config.queue, error=repr(exc))
                    self.stop.wait(1)


def _interval_seconds(expression: Rate) -> float:
    unit = {"MINUTES": 60, "HOURS": 3600, "DAYS": 86400}[expression.unit]
    return expression.value * unit


def _next_cron(expression: str, after: datetime) -> datetime:
    from croniter import croniter

    # AWS cron has six fields (minute hour day month weekday year) and "?".
    fields = expression.replace("?", "*").split()[:5]
    return croniter(" ".join(fields), after).get_next(datetime)


class Scheduler:
    def __init__(self, app: Chalice, stop: threading.Event, log: Callable[..., None]):
        self.configs = [s for s in app.event_sources if isinstance(s, ScheduledEventConfig)]
        self.stop = stop
        self.log = log

    def next_run(self, config: ScheduledEventConfig, now: datetime) -> datetime:
        expression = config.schedule_expression
        if isinstance(expression, Rate):
            return datetime.fromtimestamp(now.timestamp() + _interval_seconds(expression), UTC)
        if isinstance(expression, Cron):
            expression = expression.to_string()
        text = str(expression)
        if text.startswith("rate("):
            value, unit = text[5:-1].split()
            unit = unit.upper() if unit.upper().endswith("S") else unit.upper() + "S"
            return self.next_run(ScheduledEventConfig(config.name, config.handler_string,
                                                      Rate(int(value), unit), ""), now)
        return _next_cron(text[5:-1] if text.startswith("cron(") else text, now)

    def invoke(self, config: ScheduledEventConfig) -> None:
        event = {"version": "0", "id": uuid.uuid4().hex, "detail-type": "Scheduled Event",
                 "source": "aws.events", "account": "000000000000", "time": datetime.now(UTC).isoformat(),
                 "region": "us-east-1", "resources": [f"local:{config.name}"], "detail": {}}
        started = time.monotonic()
        try:
            resolve_handler(config.handler_string)(event, _context(config.name, 900))
            self.log("scheduled run", function=config.name, ms=round((time.monotonic() - started) * 1000))
        except Exception as exc:
            self.log("scheduled run failed", function=config.name, error=repr(exc))

    def run(self) -> None:
        now = datetime.now(UTC)
        due = {c.name: self.next_run(c, now) for c in self.configs}
        while not self.stop.is_set():
            now = datetime.now(UTC)
            for config in self.configs:
                if due[config.name] <= now:
                    self.invoke(config)
                    due[config.name] = self.next_run(config, datetime.now(UTC))
            self.stop.wait(1)
