"""boto3 clients as lazy module globals (reused by a warm Lambda container).

The endpoint comes from settings: the moto server or LocalStack locally, the
real AWS endpoints when ``AWS_ENDPOINT_URL`` is unset. Timeouts are short and
retries few: a request should fail fast and say which dependency is down.
"""

from __future__ import annotations

import threading
from typing import Any

from chalicelib.config import get_aws_settings

_clients: dict[str, Any] = {}
_queue_urls: dict[str, str] = {}
_lock = threading.Lock()


def client(service: str) -> Any:
    """A shared boto3 client for ``service`` ("s3", "sqs", "dynamodb")."""
    cached = _clients.get(service)
    if cached is not None:
        return cached
    settings = get_aws_settings()
    import boto3
    from botocore.config import Config

    config = Config(
        connect_timeout=2,
        read_timeout=10,
        retries={"max_attempts": 2, "mode": "standard"},
        s3={"addressing_style": "path"},
    )
    made = boto3.session.Session().client(
        service, region_name=settings.region, endpoint_url=settings.endpoint_url, config=config
    )
    with _lock:
        _clients.setdefault(service, made)
    return _clients[service]


def queue_url(name: str) -> str:
    """The URL of the SQS queue ``name`` (looked up once per process)."""
    url = _queue_urls.get(name)
    if url is None:
        url = client("sqs").get_queue_url(QueueName=name)["QueueUrl"]
        _queue_urls[name] = url
    return url


def reset() -> None:
    with _lock:
        _clients.clear()
        _queue_urls.clear()
