"""Liveness and readiness: is every dependency of the control plane reachable?"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass

from chalicelib import aws, cache, db
from chalicelib.config import get_aws_settings
from chalicelib.health import queries
from chalicelib.logs import get_logger

CHECK_TIMEOUT_SECONDS = 3.0


@dataclass(frozen=True)
class ComponentStatus:
    ok: bool
    detail: str
    latency_ms: float


def _check_postgres() -> str:
    with db.connection() as conn:
        queries.ping(conn)
    return "connected"


def _check_redis() -> str:
    cache.ping()
    return "connected"


def _check_s3() -> str:
    bucket = get_aws_settings().bucket
    aws.client("s3").head_bucket(Bucket=bucket)
    return f"bucket {bucket} reachable"


def _check_sqs() -> str:
    names = get_aws_settings().queues
    for name in names:
        aws.queue_url(name)
    return f"queues {', '.join(names)} reachable"


def _check_dynamodb() -> str:
    names = get_aws_settings().tables
    client = aws.client("dynamodb")
    for name in names:
        status = client.describe_table(TableName=name)["Table"]["TableStatus"]
        if status != "ACTIVE":
            raise RuntimeError(f"table {name} is {status}")
    return f"tables {', '.join(names)} active"


def _remembered(name: str, check: Callable[[], str]) -> Callable[[], str]:
    """``check`` whose success is remembered in Redis for ``cache.Ttl.HEALTH`` seconds: the probes of every
    process (and load balancer) within that time report it without calling AWS, so a cold start's first
    probe needs no botocore client. A failure is never remembered: a broken component is checked again on
    every probe. Without Redis every probe checks."""

    def run() -> str:
        key = cache.Keys.health(name)
        known = cache.get_json(key)
        if isinstance(known, dict) and isinstance(known.get("detail"), str):
            age = max(0, round(time.time() - float(known.get("at", 0))))
            return f"{known['detail']} (checked {age}s ago)"
        detail = check()
        cache.set_json(key, {"detail": detail, "at": time.time()}, cache.Ttl.HEALTH)
        return detail

    return run


CHECKS: dict[str, Callable[[], str]] = {
    "postgres": _check_postgres,
    "redis": _check_redis,
    "s3": _remembered("s3", _check_s3),
    "sqs": _remembered("sqs", _check_sqs),
    "dynamodb": _remembered("dynamodb", _check_dynamodb),
}

_executor: ThreadPoolExecutor | None = None


def _timed(check: Callable[[], str]) -> ComponentStatus:
    started = time.perf_counter()
    try:
        detail = check()
        ok = True
    except Exception as exc:  # a readiness probe reports failures, it does not raise them
        detail = f"{type(exc).__name__}: {str(exc)[:200]}"
        ok = False
    return ComponentStatus(ok, detail, round((time.perf_counter() - started) * 1000, 1))


def readiness() -> dict[str, ComponentStatus]:
    """Run every dependency check concurrently, each bounded by a timeout."""
    global _executor
    _executor = _executor or ThreadPoolExecutor(max_workers=len(CHECKS), thread_name_prefix="ready")
    futures = {name: _executor.submit(_timed, check) for name, check in CHECKS.items()}
    wait(futures.values(), timeout=CHECK_TIMEOUT_SECONDS)
    results: dict[str, ComponentStatus] = {}
    for name, future in futures.items():
        if future.done():
            results[name] = future.result()
        else:
            results[name] = ComponentStatus(False, f"no answer within {CHECK_TIMEOUT_SECONDS}s",
                                            CHECK_TIMEOUT_SECONDS * 1000)
    failed = [name for name, status in results.items() if not status.ok]
    if failed:
        get_logger().warning("not ready", extra={"action": "readiness_failed", "failed": failed})
    return results
