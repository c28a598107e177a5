"""``GET /metrics`` on the home server: Prometheus text of every process of the server (and of the pump and the
scheduler when they share ``SEEN_METRICS_DIR``), plus the queues' depths.

Served by the front door, never through the API routes; only to a caller on this host or one with
``Authorization: Bearer <SEEN_METRICS_TOKEN>`` (``chalicelib.observability.access``). Caddy at home does not
forward ``/metrics`` at all (infra/home/Caddyfile).
"""

from __future__ import annotations

import os
import tempfile
import threading
import time
from typing import Any

from chalicelib.config.observability import get_observability_settings
from chalicelib.observability import access, prom
from chalicelib.observability.names import QUEUE_DEPTH
from server.wsgi import StartResponse, status_line

QUEUE_TTL = 15.0
FORBIDDEN = b'{"error":{"code":"forbidden","message":"Metrics are for this host or the metrics token"}}'
FORWARDING = ("HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED", "HTTP_X_REAL_IP")

_lock = threading.Lock()
_queues: tuple[float, list[tuple[dict[str, str], float]]] = (0.0, [])


def serve(environ: dict[str, Any], start_response: StartResponse) -> list[bytes]:
    if environ.get("REQUEST_METHOD", "GET").upper() not in ("GET", "HEAD"):
        return _send(start_response, 405, b'{"error":{"code":"method_not_allowed","message":"GET only"}}',
                     "application/json")
    if not access.allowed(environ.get("REMOTE_ADDR"), environ.get("HTTP_AUTHORIZATION"),
                          any(environ.get(name) for name in FORWARDING)):
        return _send(start_response, 403, FORBIDDEN, "application/json")
    body = prom.exposition([(QUEUE_DEPTH, "Messages waiting in each queue (SQS ApproximateNumberOfMessages)",
                             queue_depths())])
    return _send(start_response, 200, body, prom.CONTENT_TYPE)


def queue_depths() -> list[tuple[dict[str, str], float]]:
    """Each queue's waiting messages, asked of SQS at most every ``QUEUE_TTL`` seconds (a queue SQS does not
    answer for is left out)."""
    global _queues
    with _lock:
        if time.monotonic() - _queues[0] < QUEUE_TTL:
            return _queues[1]
        from chalicelib import aws  # lazy: boto3 loads on the first scrape, not with the server
        from chalicelib.config import get_aws_settings  # the queue names

        depths = []
        for name in get_aws_settings().queues:
            try:
                answer = aws.client("sqs").get_queue_attributes(QueueUrl=aws.queue_url(name),
                                                                AttributeNames=["ApproximateNumberOfMessages"])
                depths.append(({"queue": name}, float(answer["Attributes"]["ApproximateNumberOfMessages"])))
            except Exception:  # noqa: S112 - a queue SQS does not answer for is left out of this scrape
                continue
        _queues = (time.monotonic(), depths)
        return depths


def _send(start_response: StartResponse, status: int, body: bytes, content_type: str) -> list[bytes]:
    start_response(status_line(status), [("Content-Type", content_type), ("Cache-Control", "no-store"),
                                         ("Content-Length", str(len(body)))])
    return [body]


def prepare_dir() -> str:
    """The directory gunicorn's workers share their counters in (``SEEN_METRICS_DIR``, else a fresh temporary
    one), emptied: prometheus-client must not sum an earlier run's values into this one's."""
    directory = get_observability_settings().metrics_dir or tempfile.mkdtemp(prefix="seen-metrics-")
    os.makedirs(directory, exist_ok=True)
    for name in os.listdir(directory):
        if name.endswith(".db"):
            os.unlink(os.path.join(directory, name))
    os.environ["SEEN_METRICS_DIR"] = directory  # the workers (forked after this) and their settings read it
    get_observability_settings.cache_clear()
    return directory


def child_exit(_server: Any, worker: Any) -> None:
    """gunicorn's hook: a worker that exited leaves its live values behind (prometheus-client's rule)."""
    prom.mark_process_dead(worker.pid)
