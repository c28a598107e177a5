"""Resident memory of each process of the local stack, idle and busy (issue 33: "make bench adds the idle and
busy RSS of each process of the stack"; goals: API and events each <= 150 MB steady).

A private `make dev` stack (tests/rss_support.py): after it settles, each app process's RSS and PSS (its
process plus descendants: the API is gunicorn's master and its workers) is read idle; then the peak while
``USERS`` users browse, a ``ROWS``-row Letterboxd import runs and a ``SIZE`` download comes in at ``RATE``;
then again once the work is done ("steady"). The goal is judged per process, on the larger of idle and steady
RSS of the role's largest process: the API's gunicorn master and each of its workers is one serving process, as
one Lambda instance is in AWS, and how many run is a deployment's choice (``--web-workers``), not the app's
footprint. The role's summed RSS (pages gunicorn's workers share count once per worker), its PSS (which counts
them once) and the busy peak are reported beside it. The timed part (pytest-benchmark) is one sample of every
process, the cost the sampler adds.
"""

from __future__ import annotations

import os
import time

from tests.bench.conftest import bench_size
from tests.rss_support import ROLES, measure, running_stack, sample

MB = 1024 * 1024
USERS, SECONDS, ROWS, SIZE, RATE = bench_size((20, 20, 5_000, 200 * MB, 10 * MB), (2, 3, 100, 4 * MB, 4 * MB))
SETTLE, AFTER = bench_size((10, 5), (1, 1))  # seconds: before the idle sample, and for the work's last requests
GOALS_MB = {"api": 150, "events": 150}  # steady; imports: <= 300 MB peak on 100k rows (the import bench)
REDIS_DB = int(os.environ.get("SEEN_TEST_REDIS_DB", "15"))


def test_stack_rss_idle_and_busy(benchmark, report, template_url, tmp_path):
    with running_stack(template_url, tmp_path, redis_db=REDIS_DB) as stack:
        result = measure(stack, users=USERS, seconds=SECONDS, rows=ROWS, size=SIZE, rate=RATE, settle=SETTLE)
        time.sleep(AFTER)  # the work's last requests and events are handled
        steady = sample(stack.proc.pid)
        benchmark.pedantic(lambda: sample(stack.proc.pid), rounds=5, warmup_rounds=1)
    work = result["work"]
    assert work.requests > 0 and work.failures == [], work.failures[:5]
    assert set(result["idle"]) == set(ROLES) and result["samples"] >= 2
    report.figure("stack rss: busy scenario", users=USERS, seconds=SECONDS, requests=work.requests,
                  failed_requests=len(work.failures), import_rows=ROWS, import_status=result["import_status"],
                  download_mb=SIZE // MB, download_status=result["job_status"], samples=result["samples"])
    for role in ROLES:
        idle, busy, after = result["idle"][role], result["busy"][role], steady[role]
        figures = {"idle_rss_mb": idle.as_mb()["rss_mb"], "busy_peak_rss_mb": busy.as_mb()["rss_mb"],
                   "steady_rss_mb": after.as_mb()["rss_mb"], "idle_pss_mb": idle.as_mb()["pss_mb"],
                   "busy_peak_pss_mb": busy.as_mb()["pss_mb"], "steady_pss_mb": after.as_mb()["pss_mb"],
                   "steady_largest_process_rss_mb": after.as_mb()["largest_mb"],
                   "processes": max(idle.processes, busy.processes)}
        goal = GOALS_MB.get(role)
        if goal is None:
            report.figure(f"stack rss: {role}", **figures)
        else:
            report.figure(f"stack rss: {role}", goal=f"{goal}MB", **figures,
                          within_goal=max(idle.largest, after.largest) <= goal * MB)
