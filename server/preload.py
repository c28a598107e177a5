"""Load once in the gunicorn master what every worker would otherwise load on its first requests, then freeze it.

The app keeps heavy imports lazy so a Lambda container starts fast. A server
process lives for days, so it pays them up front, before the fork: the workers
share those pages instead of each importing (and holding the import lock over)
psycopg, botocore or a domain's service modules while its first users wait.

``gc.freeze()`` then moves everything loaded so far out of the collector's
reach. Without it a full (generation 2) collection in a worker walks every
module, class and function of the app, 100-250k objects: a pause of 60-250 ms
holding the GIL, which every request of that worker waits out (the issue 33
load test measured it as the tail of the dashboard). Frozen objects are never
collected, so only code and import-time data are loaded here, never request
state. Python's docs recommend freezing right before fork for the same reason:
collections in the children stop writing to the parent's pages.
"""

from __future__ import annotations

import gc
import importlib
import pkgutil
import time

# Third-party modules the app imports inside functions (lazy for Lambda's cold start) on its common paths.
LAZY_LIBRARIES = (
    "psycopg", "psycopg.rows", "psycopg.types.json", "psycopg_pool", "redis", "boto3.session", "botocore.config",
    "botocore.exceptions", "pynamodb.models", "pynamodb.expressions.condition", "httpx",
)
# Entry points (importing one runs it), what only the event consumers use (apprise: ~2 MB a worker), and the
# OpenTelemetry exporter, imported on the first span only when SEEN_OTLP_ENDPOINT is set (the SDK, protobuf and
# requests would otherwise sit in every server that exports nothing).
SKIPPED = ("chalicelib.notifications.channels", "chalicelib.observability.otlp")


def _modules(package: str) -> list[str]:
    root = importlib.import_module(package)
    return [info.name for info in pkgutil.walk_packages(root.__path__, f"{package}.")
            if not info.name.endswith(".__main__") and info.name not in SKIPPED]


def _make_clients() -> None:
    """The AWS clients every worker makes on its first requests: botocore parses each service's models and
    endpoint rules into ~70k objects (S3's rules alone are half). Made here, no connection is opened (urllib3
    connects on the first call, in the worker), and the workers share one parsed copy."""
    from chalicelib import aws  # lazy: `python -m server --help` answers without the app
    from chalicelib.telemetry import DownloadTelemetry, WorkerHeartbeat  # lazy: pynamodb, as above

    for service in ("s3", "sqs", "dynamodb"):
        aws.client(service)
    for model in (DownloadTelemetry, WorkerHeartbeat):  # pynamodb: a botocore session and client per model
        _ = model._get_connection().connection.client


def warm_and_freeze() -> dict[str, float | int]:
    """Import every ``chalicelib`` module and ``LAZY_LIBRARIES``, make the AWS clients, then freeze the heap;
    returns what it did."""
    started = time.perf_counter()
    loaded = 0
    for name in (*LAZY_LIBRARIES, *_modules("chalicelib")):
        importlib.import_module(name)
        loaded += 1
    _make_clients()
    from chalicelib import db  # lazy: as above

    db.parse_queries()  # the named queries, parsed once for every worker
    gc.collect()  # garbage from the imports is freed now, not frozen
    gc.freeze()
    return {"modules": loaded, "frozen": gc.get_freeze_count(),
            "duration_ms": round((time.perf_counter() - started) * 1000)}
