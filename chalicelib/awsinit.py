"""Create the AWS resources /seen/ needs: bucket, queues (+DLQs), tables.

The one init module: the embedded runtime, the LocalStack init hook and the
test fixtures all call ``ensure_resources``. It is idempotent. In AWS the same
resources come from the CloudFormation template in ``infra/`` (a test checks
both name the same things).

Run it directly against an emulator::

    AWS_ENDPOINT_URL=http://127.0.0.1:4566 python -m chalicelib.awsinit
"""

from __future__ import annotations

import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any

from chalicelib import aws
from chalicelib.aws import MAX_RECEIVE_COUNT
from chalicelib.config import AwsSettings, get_aws_settings

VISIBILITY_TIMEOUT = 120  # seconds; >= the SQS consumer function's timeout
RETENTION_SECONDS = 14 * 24 * 3600


def dlq_name(queue: str) -> str:
    return f"{queue}-dlq"


def ensure_bucket(settings: AwsSettings, cors_origins: tuple[str, ...] = ("*",)) -> None:
    s3 = aws.client("s3")
    try:
        s3.head_bucket(Bucket=settings.bucket)
    except s3.exceptions.ClientError:
        params: dict[str, object] = {"Bucket": settings.bucket}
        if settings.region != "us-east-1":
            params["CreateBucketConfiguration"] = {"LocationConstraint": settings.region}
        s3.create_bucket(**params)
    # The browser streams straight from the bucket with Range requests, and POSTs presigned uploads to it.
    s3.put_bucket_cors(Bucket=settings.bucket, CORSConfiguration={"CORSRules": [{
        "AllowedOrigins": list(cors_origins),
        "AllowedMethods": ["GET", "HEAD", "POST"],
        "AllowedHeaders": ["Range", "Origin", "Accept"],
        "ExposeHeaders": ["Content-Range", "Content-Length", "Accept-Ranges", "ETag"],
        "MaxAgeSeconds": 3600,
    }]})


def ensure_queue(name: str) -> str:
    sqs = aws.client("sqs")
    dlq_url = sqs.create_queue(QueueName=dlq_name(name),
                               Attributes={"MessageRetentionPeriod": str(RETENTION_SECONDS)})["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    sqs.set_queue_attributes(QueueUrl=url, Attributes={
        "VisibilityTimeout": str(VISIBILITY_TIMEOUT),
        "MessageRetentionPeriod": str(RETENTION_SECONDS),
        "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": MAX_RECEIVE_COUNT}),
    })
    return url


def ensure_table(model: Any) -> None:
    """A pynamodb model's table, on demand, its items expiring at ``expires_at``."""
    dynamodb = aws.client("dynamodb")
    if not model.exists():
        model.create_table(billing_mode="PAY_PER_REQUEST", wait=True)
    ttl = dynamodb.describe_time_to_live(TableName=model.Meta.table_name)["TimeToLiveDescription"]
    if ttl.get("TimeToLiveStatus") not in ("ENABLED", "ENABLING"):
        dynamodb.update_time_to_live(TableName=model.Meta.table_name, TimeToLiveSpecification={
            "Enabled": True, "AttributeName": "expires_at"})


def ensure_resources(settings: AwsSettings | None = None, cors_origins: tuple[str, ...] = ("*",)) -> None:
    """Create (or leave as they are) every bucket, queue and table: each one's few calls in a thread of its own,
    as they depend on nothing but themselves (the test suite makes them for every test)."""
    from chalicelib.telemetry import TABLE_MODELS  # lazy: pynamodb's models; admin only needs dlq_name

    settings = settings or get_aws_settings()
    for service in ("s3", "sqs", "dynamodb"):
        aws.client(service)  # made once, before the threads share them
    steps: list[Callable[[], object]] = [lambda: ensure_bucket(settings, cors_origins)]
    steps += [partial(ensure_queue, queue) for queue in settings.queues]
    steps += [partial(ensure_table, model) for model in TABLE_MODELS]
    with ThreadPoolExecutor(len(steps), thread_name_prefix="awsinit") as pool:
        for done in [pool.submit(step) for step in steps]:
            done.result()  # the first failure, raised as it was


if __name__ == "__main__":
    ensure_resources()
    print("aws resources ready")
