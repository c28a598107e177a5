"""The bench cannot rot: every `make bench` scenario runs, in smoke mode, inside `make test`.

A child pytest runs ``tests/bench`` as `make bench` does, with ``SEEN_BENCH_SMOKE=1``: each scenario at its
smallest size (``bench_size`` in tests/bench/conftest.py), one round, nothing judged or compared with the
baseline, its rows written to ``.data/bench/smoke/report.json`` (never over a real run's report). A scenario
that errors or fails, or a bench module that no longer imports, fails this test with that scenario's own
message. The child has a Redis db of its own (it flushes it per test) and starts its own Postgres template and
moto server, as any pytest run does. Nothing here is timed: the ceiling only stops a hang.
"""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CEILING_S = 1500  # a hung scenario, not a budget: the whole smoke run takes a few minutes
SMOKE_REDIS_DB = "13"  # not 15 (this suite's), 14 or 7 (the e2e stacks')
# A missing tool, pytest-benchmark's own, or a scenario whose smoke run is a test of the suite already.
ALLOWED_SKIPS = ("is not installed", "non-benchmark", "runs small in make test as tests/")


def run_bench_smoke(junit: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`make bench`'s pytest command in smoke mode, its results as JUnit XML in ``junit``."""
    # Not an xdist worker's variables: pytest-benchmark turns itself off under xdist.
    env = {**{name: value for name, value in os.environ.items() if not name.startswith("PYTEST_XDIST_")},
           "SEEN_BENCH_SMOKE": "1", "SEEN_TEST_REDIS_DB": SMOKE_REDIS_DB}
    command = [sys.executable, "-m", "pytest", "tests/bench", "-p", "no:cacheprovider", "--benchmark-only", "-q",
               f"--junitxml={junit}", *args]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=CEILING_S,
                          check=False)


def outcomes(junit: Path) -> dict[str, tuple[str, str]]:
    """Per test case (``module::name``): its outcome (passed, skipped, failure, error) and the message."""
    found: dict[str, tuple[str, str]] = {}
    for case in ET.parse(junit).getroot().iter("testcase"):  # noqa: S314 - the child's own report, not input
        name = f"{case.get('classname', '')}::{case.get('name', '')}"
        verdict = next((child for child in case if child.tag in ("failure", "error", "skipped")), None)
        if verdict is None:
            found[name] = ("passed", "")
        else:
            found[name] = (verdict.tag, f"{verdict.get('message', '')}\n{verdict.text or ''}".strip())
    return found


@pytest.mark.timeout(CEILING_S + 120)
def test_every_bench_scenario_runs_at_its_smallest_size(tmp_path):
    junit = tmp_path / "bench-smoke.xml"
    done = run_bench_smoke(junit)
    output = done.stdout[-6000:] + done.stderr[-3000:]
    assert junit.exists(), output  # pytest itself could not start
    cases = outcomes(junit)
    broken = {name: message for name, (outcome, message) in cases.items() if outcome in ("failure", "error")}
    assert not broken, "bench scenarios broken in smoke mode:\n\n" + "\n\n".join(
        f"{name}: {message[-3000:]}" for name, message in broken.items())
    assert done.returncode == 0, output  # e.g. an error in a session hook, outside any test case
    skipped = {name: message for name, (outcome, message) in cases.items() if outcome == "skipped"}
    assert len(skipped) < len(cases), skipped
    # A scenario may skip only when a tool it compares with is missing (aria2c), never to dodge smoke mode.
    assert all(any(why in message for why in ALLOWED_SKIPS) for message in skipped.values()), skipped
