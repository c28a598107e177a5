"""Load: the SPA's request mix against the production server (``python -m server``, 4 workers), with locust.

A fresh database gets the demo catalog and calendar and 200 accounts made
through the API (a watchlist, history, a followed show, resume points, two
downloads; one user in four has a running download, so their lists poll).
Then locust (FastHttpUser, tests/bench/locustfile.py) runs 50 users and 200
users for ``SEEN_BENCH_LOAD_SECONDS`` (120) each, with the SPA's pauses
(think time, typing, a heartbeat every 10 s, a poll every 2.5 s), and a
saturation step: 200 users without any pause. Reference: the same visits as
direct ``app(event, context)`` calls (events from server/wsgi.py's builder)
in 4 processes; the serving overhead is in-process requests/s over the
saturated served requests/s. Everything shares this machine's cores (locust,
the 4 workers, Postgres, Redis, moto). Nothing asserts on time; errors fail
the test once every figure is reported (a dashboard with an "unavailable"
widget is an error too).

The server runs with the app's own database pool size (the suite's
SEEN_DB_POOL_SIZE=4 is dropped); SEEN_BENCH_LOAD_DB_POOL sets one instead.
SEEN_BENCH_LOAD_SECONDS shortens the two user steps (and caps the others) for
a quick try. Logs and per-step JSON: .data/bench/load-*. Smoke mode: 4 accounts,
2 workers, 2 and 4 users for 11 s each (longer than the 10 s heartbeat, so every
user sends something), 3 s of saturation and of the reference.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import queue
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from embedded import services

from . import load_support as mix
from .conftest import REPORT_PATH, bench_size, benchmark_stats

SECONDS = float(os.environ.get("SEEN_BENCH_LOAD_SECONDS", bench_size("120", "11")))
SATURATION_SECONDS = bench_size(min(30.0, SECONDS), 3.0)
REFERENCE_SECONDS = bench_size(min(20.0, SECONDS), 3.0)
ACCOUNTS = bench_size(200, 4)
USERS = bench_size((50, 200), (2, 4))  # the two steps; the goal is judged on the second
WORKERS = bench_size(4, 2)
THREADS = 8  # python -m server's default (SEEN_WEB_THREADS)
P99_GOAL_MS = 250  # issue 21: cached reads at 200 users, with 0 errors
LOCUSTFILE = Path(__file__).with_name("locustfile.py")
OUT = REPORT_PATH.parent
# Search and type-ahead are limited per user (60/min); the saturation step types without pause.
# The simulated users share the seed's accounts, several at once: the per-account caps on searches and on
# requests in flight (fairness between real accounts, tests/e2e/test_isolation_players.py) stay out of the way.
OVERRIDES = {"SEEN_RATE_SEARCH_USER": "1000000/60", "SEEN_USER_IN_FLIGHT": "1000"}


def server_env() -> dict[str, str]:
    """This test's environment for the server and the reference, with the app's own database pool size
    (the suite's SEEN_DB_POOL_SIZE=4 is a test setting) unless SEEN_BENCH_LOAD_DB_POOL names one."""
    env = {**os.environ, **OVERRIDES}
    env.pop("SEEN_DB_POOL_SIZE", None)
    if os.environ.get("SEEN_BENCH_LOAD_DB_POOL"):
        env["SEEN_DB_POOL_SIZE"] = os.environ["SEEN_BENCH_LOAD_DB_POOL"]
    return env


@pytest.fixture
def seed_file(client, make_user, settings_env, report) -> Path:
    settings_env(SEEN_ACCESS_TOKEN_TTL="3600", **OVERRIDES)  # one token per user for the whole run
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("load-*.log"):  # this run's logs only
        old.unlink()
    path = OUT / "load-seed.json"
    report.figure("load: seeded instance", **mix.seed_instance(client, make_user, ACCOUNTS, path))
    yield path
    path.unlink(missing_ok=True)


@pytest.fixture
def server(seed_file):
    """The production server on a free port, on this test's database, Redis db and moto server."""
    port = services.free_port()
    proc = mix.start_server(port, server_env(), OUT / "load-server.log", WORKERS, THREADS)
    yield proc, f"http://127.0.0.1:{port}"
    mix.stop_server(proc)


def run_locust(host: str, seed_file: Path, users: int, seconds: float, saturate: bool = False) -> dict:
    out = OUT / f"load-{users}{'-saturated' if saturate else ''}.json"
    command = [sys.executable, str(LOCUSTFILE), "--host", host, "--seed", str(seed_file), "--users", str(users),
               "--spawn-rate", "25", "--seconds", str(seconds), "--out", str(out),
               *(["--saturate"] if saturate else [])]
    with (OUT / "load-locust.log").open("ab") as log:
        subprocess.run(command, check=True, stdout=log, stderr=subprocess.STDOUT, timeout=seconds + users / 25 + 120)
    return json.loads(out.read_text())


def in_process(seed_file: Path, seconds: float, threads: int) -> dict:
    """The mix as direct app(event, context) calls in WORKERS processes of ``threads`` threads; requests/s."""
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(WORKERS), ctx.Queue()
    log = str(OUT / "load-reference.log")
    args = (str(seed_file), seconds, threads, server_env(), barrier, results, log)
    procs = [ctx.Process(target=mix.reference_process, args=(i, *args)) for i in range(WORKERS)]
    for proc in procs:
        proc.start()
    outcomes = _outcomes(procs, results, seconds + 240, log)
    for proc in procs:
        proc.join(timeout=30)
    requests = sum(o["requests"] for o in outcomes)
    return {"rps": round(requests / seconds, 1), "requests": requests, "errors": sum(o["errors"] for o in outcomes),
            "first_errors": [m for o in outcomes for m in o["messages"]][:5]}


def _outcomes(procs: list, results, timeout: float, log: str) -> list[dict]:
    """Each reference process's result; a process that died fails at once (not after ``timeout``) with its log."""
    outcomes: list[dict] = []
    deadline = time.monotonic() + timeout
    while len(outcomes) < len(procs):
        try:
            outcomes.append(results.get(timeout=1))
        except queue.Empty:
            died = [proc.exitcode for proc in procs if proc.exitcode not in (None, 0)]
            assert not died and time.monotonic() < deadline, f"reference processes: exit codes {died}, see {log}"
    return outcomes


def _level(report, label: str, result: dict, **goal: object) -> None:
    """One step's figures; the machine's 1-minute load average says how much else was running."""
    report.figure(f"load: {label}", rps=result["rps"], p50_ms=result["p50_ms"], p99_ms=result["p99_ms"],
                  p99_cached_ms=result["reads"]["p99_ms"], requests=result["requests"], errors=result["failures"],
                  first_errors=result["first_errors"][:3], keepalive_retries=result["stale_keepalive_retries"],
                  locust_cpu=result["locust_cpu"], seconds=result["seconds"], users=result["users"],
                  load_avg_1m=round(os.getloadavg()[0], 1), **goal)


def _table(results: dict[str, dict], references: dict[str, dict]) -> str:
    lines = [f"{'load step':<44}{'req/s':>8}{'p50 ms':>8}{'p99 ms':>8}{'p99 reads':>10}{'errors':>8}"]
    for label, r in results.items():
        lines.append(f"{label:<44}{r['rps']:>8}{r['p50_ms']:>8.0f}{r['p99_ms']:>8.0f}"
                     f"{r['reads']['p99_ms']:>10.0f}{r['failures']:>8}")
    for label, r in references.items():
        lines.append(f"{label:<44}{r['rps']:>8}{'':>26}{r['errors']:>8}")
    return "\n".join(lines)


def _dashboard(host: str, token: str):
    request = urllib.request.Request(f"{host}/api/v1/dashboard", headers={"Authorization": f"Bearer {token}"})

    def get() -> None:
        with urllib.request.urlopen(request, timeout=60) as response:
            assert response.status == 200
            response.read()
    return get


@pytest.mark.timeout(1800)
def test_load_served_vs_in_process(benchmark, report, server, seed_file):
    proc, host = server
    token = mix.load_seed(seed_file)["users"][0]["token"]
    benchmark.pedantic(_dashboard(host, token), rounds=30, warmup_rounds=3)  # one request on an idle server
    report.figure("load: one GET /dashboard on the idle server (warm)", median_ms=round(
        benchmark_stats(benchmark)["median"] * 1000, 2))
    results = {}
    for users in USERS:
        results[f"{users} users, {SECONDS:.0f} s"] = result = run_locust(host, seed_file, users, SECONDS)
        _level(report, f"{users} users", result, **({"goal_ms": P99_GOAL_MS, "within_goal": result["failures"] == 0
                                                        and result["reads"]["p99_ms"] <= P99_GOAL_MS}
                                                     if users == USERS[-1] else {}))
    saturated = run_locust(host, seed_file, USERS[-1], SATURATION_SECONDS, saturate=True)
    results[f"saturation: {USERS[-1]} users, no pauses, {SATURATION_SECONDS:.0f} s"] = saturated
    _level(report, f"saturation ({USERS[-1]} users, no pauses)", saturated)
    mix.stop_server(proc)  # the reference gets the machine to itself, as the server had
    label = f"in-process: {WORKERS} processes x {THREADS} threads, {REFERENCE_SECONDS:.0f} s"  # the server's shape
    references = {label: (reference := in_process(seed_file, REFERENCE_SECONDS, THREADS))}
    report.figure(f"load: {label}", **reference, load_avg_1m=round(os.getloadavg()[0], 1))
    report.ratio("load: serving overhead (in-process req/s / served req/s, saturated)",
                 {"median": 1 / saturated["rps"]}, {"median": 1 / reference["rps"]},
                 subject_label=f"python -m server, {WORKERS} workers x {THREADS} threads, locust without pauses",
                 reference_label=f"app(event, context), {WORKERS} processes x {THREADS} threads",
                 goal=2.0, cores=os.cpu_count())
    print("\n" + _table(results, references), flush=True)
    assert all(r["requests"] > 0 for r in results.values())
    assert all(r["requests"] > 0 and r["errors"] == 0 for r in references.values()), references
    assert all(r["failures"] == 0 for r in results.values()), {k: r["first_errors"] for k, r in results.items()}
