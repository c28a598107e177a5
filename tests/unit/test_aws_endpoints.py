"""Per-service endpoints: ``AWS_ENDPOINT_URL_S3`` / ``_SQS`` / ``_DYNAMODB`` win over ``AWS_ENDPOINT_URL`` in every
client the app and the worker make, so one run can mix engines (MinIO for S3 beside another engine's queues).

botocore reads those variables itself only when a client is made without ``endpoint_url``; the app passes one
(the shared endpoint), so each client must be handed its service's own.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from chalicelib.config import AwsSettings
from embedded.services import ROOT

SHARED, S3, DYNAMODB = "http://127.0.0.1:4566", "http://127.0.0.1:9000", "http://127.0.0.1:8001"

# Every client, made in a fresh process the way the app makes it (settings are read once per process).
PROBE = """
import json
from chalicelib import aws, presign, telemetry
print(json.dumps({
    "s3": aws.client("s3").meta.endpoint_url,
    "s3_transfers": aws.client("s3", transfers=True).meta.endpoint_url,
    "sqs": aws.client("sqs").meta.endpoint_url,
    "dynamodb": aws.client("dynamodb").meta.endpoint_url,
    "telemetry_table": telemetry.DownloadTelemetry._get_connection().connection.client.meta.endpoint_url,
    "presign": presign.signer().meta.endpoint_url,
}))
"""


def test_a_services_own_endpoint_wins_over_the_shared_one():
    settings = AwsSettings.from_env({"AWS_ENDPOINT_URL": SHARED, "AWS_ENDPOINT_URL_S3": S3})
    assert (settings.endpoint("s3"), settings.endpoint("sqs"), settings.endpoint("dynamodb")) == (S3, SHARED, SHARED)
    assert AwsSettings.from_env({"AWS_ENDPOINT_URL_SQS": SHARED}).endpoint("s3") is None  # S3 on AWS itself


def test_every_client_honours_its_services_endpoint_in_a_mixed_run():
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_") and k != "SEEN_S3_PUBLIC_ENDPOINT"}
    env.update({"AWS_ENDPOINT_URL": SHARED, "AWS_ENDPOINT_URL_S3": S3, "AWS_ENDPOINT_URL_DYNAMODB": DYNAMODB,
                "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test", "AWS_DEFAULT_REGION": "us-east-1",
                "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'localstack'}"})
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"s3": S3, "s3_transfers": S3, "sqs": SHARED, "dynamodb": DYNAMODB,
                                         "telemetry_table": DYNAMODB, "presign": S3}
