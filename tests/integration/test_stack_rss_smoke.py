"""The stack RSS bench's scenario (tests/bench/test_stack_rss.py), small and quick: a live `make dev` stack,
each app process found and measured idle, then while a user browses, an import and a download run."""

from __future__ import annotations

import os

from tests.rss_support import ROLES, app_processes, measure, role_of, running_stack

MB = 1024 * 1024


def test_roles_are_told_apart_by_command_line():
    python = "/venv/bin/python"
    assert role_of([python, "-m", "server", "--bind", "127.0.0.1:8080"]) == "api"
    assert role_of([python, "-m", "embedded.pump", "--queues", "events"]) == "events"
    assert role_of([python, "-m", "embedded.pump", "--queues", "imports"]) == "imports"
    assert role_of([python, "-m", "worker"]) == "worker"
    assert role_of([python, "-m", "embedded.edge", "--bind", "127.0.0.1:8080", "--api-port", "8001"]) == "edge"
    assert role_of(["/venv/bin/moto_server", "-H", "127.0.0.1", "-p", "4566"]) is None


def test_the_rss_scenario_runs_cleanly_on_a_live_stack(template_url, tmp_path):
    redis_db = int(os.environ.get("SEEN_TEST_REDIS_DB", "15"))
    with running_stack(template_url, tmp_path, redis_db=redis_db) as stack:
        result = measure(stack, users=3, seconds=3, rows=300, size=8 * MB, rate=4 * MB, settle=1)
        roles = app_processes(stack.proc.pid)
    assert len(roles["api"]) >= 3  # gunicorn's master and its two workers, measured together
    for role in ROLES:  # api, events, imports, worker, edge
        idle, busy = result["idle"][role], result["busy"][role]
        assert idle.processes >= 1 and idle.rss > 10 * MB and 0 < idle.pss <= idle.rss, (role, idle)
        assert busy.rss >= idle.rss * 0.5, (role, idle, busy)
    assert set(result["idle"]) == set(ROLES) and result["samples"] >= 2
    work = result["work"]
    assert work.requests > 0 and work.failures == [], work.failures[:5]
    assert result["import_status"] not in ("failed", "http 404", "http 500"), result["import_status"]
    assert result["job_status"] in ("queued", "preparing", "downloading", "completed"), result["job_status"]
    assert result["origin_gets"] <= 1
