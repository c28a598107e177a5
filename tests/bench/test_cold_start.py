"""Cold start: a fresh process imports the app and serves GET /api/v1/health/ready.

The subject is what a Lambda cold start does: import ``app`` and hand it one
API Gateway proxy event. The reference is a fresh process that only imports
psycopg and redis, runs one query and one ping — the least any control-plane
function must do. Each child times itself from its first statement to the
answer and leaves with ``os._exit`` so interpreter teardown (which Lambda
never pays per request) does not blur the figure.

Both start from bytecode: the reference's libraries were compiled when pip installed them, and the app's
own modules are compiled here first, as ``make package`` puts them in the Lambda package (a read-only
unpacked copy cannot write them, and this machine's PYTHONDONTWRITEBYTECODE=1 would not either): compiling
~300 modules from source on every start was 0.3-0.5 s of the subject that no deployed cold start pays.
"""

import compileall
import os
import subprocess
import sys

from embedded.services import ROOT

from .conftest import bench_size, summarise

PROLOGUE = "import time, os\nstarted = time.perf_counter()\n"
EPILOGUE = "\nprint(time.perf_counter() - started, flush=True)\nos._exit(0)\n"

APP = PROLOGUE + """
import app
event = {
    "resource": "/api/v1/health/ready", "path": "/api/v1/health/ready", "httpMethod": "GET",
    "headers": {"Accept": "application/json"}, "multiValueQueryStringParameters": None,
    "pathParameters": None, "stageVariables": None, "body": None, "isBase64Encoded": False,
    "requestContext": {"resourcePath": "/api/v1/health/ready", "httpMethod": "GET",
                       "path": "/api/v1/health/ready", "requestId": "bench", "identity": {"sourceIp": "127.0.0.1"}},
}
response = app.app(event, None)
assert response["statusCode"] == 200, response
""" + EPILOGUE

REFERENCE = PROLOGUE + """
import psycopg, redis
with psycopg.connect(os.environ["DATABASE_URL"]) as conn:
    conn.execute("SELECT 1").fetchone()
redis.Redis.from_url(os.environ["REDIS_URL"]).ping()
""" + EPILOGUE


GOAL = 2.0  # issue 39: at most 2x the bare psycopg + redis start
TOP_IMPORTS = 12


def child_env() -> dict[str, str]:
    return {**os.environ, "SEEN_DB_POOL_SIZE": "0", "PYTHONPATH": str(ROOT), "LOG_LEVEL": "WARNING",
            "AWS_LAMBDA_FUNCTION_NAME": "seen-bench"}


def run(code: str) -> float:
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=child_env(), check=True, capture_output=True,
                         text=True).stdout
    return float(out.strip().splitlines()[-1])


def import_breakdown() -> list[dict[str, object]]:
    """``python -X importtime`` of the subject: the costliest modules the app itself (or its first request)
    imports directly, by cumulative milliseconds, so the report says where a cold start goes."""
    err = subprocess.run([sys.executable, "-X", "importtime", "-c", APP], cwd=ROOT, env=child_env(), check=True,
                         capture_output=True, text=True).stderr
    costs: dict[str, float] = {}
    for line in err.splitlines():
        parts = line.removeprefix("import time:").split("|")
        if len(parts) != 3 or not parts[1].strip().isdigit():
            continue
        name = parts[2].rstrip()
        depth = (len(name) - len(name.lstrip())) // 2
        if depth <= 1:  # the app, its direct imports, and what the first request imports
            # the request's readiness checks run in threads: a module two of them import is listed twice
            costs[name.strip()] = max(costs.get(name.strip(), 0.0), round(int(parts[1]) / 1000, 1))
    top = sorted(costs.items(), key=lambda item: -item[1])[:TOP_IMPORTS]
    return [{"module": module, "cumulative_ms": ms} for module, ms in top]


def unremembered(rounds: int) -> list[float]:
    """The subject with no remembered AWS success (health.service keeps one 15 s in Redis): the probe then
    creates its botocore clients, as the first probe of a quiet installation does."""
    from chalicelib import cache

    samples = []
    for _ in range(rounds):
        cache.invalidate(*(cache.Keys.health(name) for name in ("s3", "sqs", "dynamodb")))
        samples.append(run(APP))
    return samples


def compile_app() -> None:
    """The app's bytecode in its ``__pycache__`` folders, as the deployment package carries it."""
    assert compileall.compile_dir(str(ROOT / "chalicelib"), quiet=1, workers=0)
    assert compileall.compile_file(str(ROOT / "app.py"), quiet=1)


def test_cold_start_ratio(benchmark, report, aws):
    compile_app()
    rounds = bench_size(8, 1)
    for _ in range(bench_size(1, 0)):  # warm the OS page cache once
        run(APP), run(REFERENCE)
    subject_samples: list[float] = []
    benchmark.pedantic(lambda: subject_samples.append(run(APP)), rounds=rounds)
    reference_samples = [run(REFERENCE) for _ in range(rounds)]
    ratio = report.ratio("cold start: import app + GET /health/ready", summarise(subject_samples),
                         summarise(reference_samples),
                         subject_label="fresh process: import app, one API Gateway event",
                         reference_label="fresh process: psycopg+redis, SELECT 1 + PING", goal=GOAL)
    benchmark.extra_info["ratio"] = ratio
    report.figure("cold start: the same, no AWS check remembered (first probe after 15 s)",
                  median_ms=round(summarise(unremembered(rounds))["median"] * 1000, 1))
    report.figure("cold start: import breakdown (python -X importtime)", modules=import_breakdown())
