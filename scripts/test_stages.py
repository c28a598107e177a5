"""Run the suite in stages, cheapest first, and say what each one took (``make test``, ``make test-fast``).

    python scripts/test_stages.py all     # every stage: unit, integration, browser and real peers
    python scripts/test_stages.py fast    # Python unit and integration, no browser, real-peer or slow tests

A stage that fails stops the run: the browser never starts for a change that broke a unit test. Each stage's
tests run in parallel (pytest-xdist; each worker has its own template database, Redis db and moto server,
tests/conftest.py). At the end a table gives every stage's wall time and test counts beside the times recorded
in ``tests/suite_times.json`` (a stage over ``SLOWER`` of its recorded time is flagged, so a change that makes
the suite slower shows in the output that lands it), and ``.data/test-times.json`` keeps this run's figures
and every test's duration, which the next run's scheduler reads to start the longest tests first.

    python scripts/test_stages.py record  # the last run's stage times and long tests into tests/*.json
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
RESULTS = ROOT / ".data" / "test-results"
LAST_RUN = ROOT / ".data" / "test-times.json"
RECORDED = ROOT / "tests" / "suite_times.json"
DURATIONS = ROOT / "tests" / "durations.json"
SLOWER = 0.20  # a stage this much over its recorded time is flagged; less is a machine's day-to-day spread
KEEP_DURATION_S = 1.0  # tests.durations.json keeps the tests at least this long: the ones whose order matters


def workers(per_core: int = 2) -> str:
    """Parallel pytest workers: SEEN_TEST_WORKERS, else ``per_core`` per core (most tests wait on Postgres, moto,
    subprocesses and sockets, not on the CPU), at most six (two Redis dbs each: tests/conftest.py)."""
    return os.environ.get("SEEN_TEST_WORKERS") or str(min(6, per_core * (os.cpu_count() or 1)))


def test_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of the test processes: Python's bytecode cache on, under .data/pycache.

    With PYTHONDONTWRITEBYTECODE=1 (set on some machines, this one included) every pytest process rewrites
    the asserts of every test module it imports and every process the tests start compiles the project
    anew: collecting tests/integration took 18.6 CPU-s against 10.2 with the cache.
    """
    env = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    env.setdefault("PYTHONPYCACHEPREFIX", str(ROOT / ".data" / "pycache"))
    return {**env, **(extra or {})}


@dataclass
class Step:
    name: str
    command: list[str]
    junit: Path
    cwd: Path = ROOT
    env: dict[str, str] = field(default_factory=dict)

    def start(self, log: Path | None = None) -> tuple[subprocess.Popen, float]:
        """Start the step: its output to the console, or to ``log`` when it runs beside another step."""
        self.junit.unlink(missing_ok=True)
        print(f"\n=== {self.name}: {' '.join(self.command)}", flush=True)
        out = open(log, "wb") if log else None  # noqa: SIM115 - closed by finish()
        process = subprocess.Popen(self.command, cwd=self.cwd, env=test_env(self.env), stdout=out,
                                   stderr=subprocess.STDOUT if out else None)
        return process, time.monotonic()

    def finish(self, process: subprocess.Popen, started: float, log: Path | None = None) -> StepResult:
        code = process.wait()
        seconds = time.monotonic() - started
        if log:
            if process.stdout:
                process.stdout.close()
            print(f"\n=== {self.name} said:\n{log.read_text(errors='replace')}", flush=True)
        return StepResult(self.name, code, seconds, *counts(self.junit))


def run_stage(steps: list[Step], together: bool) -> list[StepResult]:
    """The stage's steps one after another, or all at once (each one's output shown when it ends)."""
    if not together or len(steps) == 1:
        return [step.finish(*step.start()) for step in steps]
    logs = [RESULTS / f"{step.junit.stem}.log" for step in steps]
    running = [step.start(log) for step, log in zip(steps, logs, strict=True)]
    return [step.finish(*started, log) for step, started, log in zip(steps, running, logs, strict=True)]


@dataclass
class StepResult:
    name: str
    code: int
    seconds: float
    tests: int = 0
    failed: int = 0
    skipped: int = 0
    durations: dict[str, float] = field(default_factory=dict)


def pytest_step(name: str, *args: str, parallel: bool = True, per_core: int = 2,
                env: dict[str, str] | None = None) -> Step:
    junit = RESULTS / f"{name.replace(' ', '-')}.xml"
    # loadscope: a module (or class) goes whole to one worker, as tests/conftest.py orders them, longest first.
    spread = ["-n", workers(per_core), "--dist", "loadscope", "--no-loadscope-reorder"] if parallel else []
    return Step(name, [PY, "-m", "pytest", "-q", *spread, f"--junitxml={junit}", *args], junit, env=env or {})


def vitest_step() -> Step:
    junit = RESULTS / "frontend-unit.xml"
    # Vitest's default is one worker fewer than the cores (one on two): 242 s here, 137 s with one per core.
    return Step("frontend unit", ["npx", "vitest", "run", "--reporter=dot", "--reporter=junit",
                                  f"--outputFile.junit={junit}", f"--maxWorkers={os.cpu_count() or 1}"],
                junit, ROOT / "frontend")


@dataclass
class Stage:
    steps: list[Step]
    together: bool = False  # the steps run at once (two CPU-bound suites overlap their tails)


def stages(run: str) -> dict[str, Stage]:
    """``all``: every test. ``fast``: the Python unit and integration tests but the browser, real-peer, solo,
    serial and slow ones (slow: 2 s or more in the repository's record, tests/durations.json; tests/conftest.py)."""
    if run == "fast":
        return {"unit": Stage([pytest_step("python unit", "tests/unit", "-m", "not slow")]),
                "integration": Stage([pytest_step("python integration", "tests/integration",
                                                  "-m", "not peers and not solo and not serial and not slow",
                                                  per_core=3)])}
    return {
        "unit": Stage([pytest_step("python unit", "tests/unit"), vitest_step()], together=True),
        # Three workers per core: an integration test mostly waits (on subprocesses, sockets, Postgres); beside
        # them, in a process of its own (Redis db 1: tests/conftest.py), the tests xdist cannot schedule (they
        # share one node id: schemathesis' cases). 12m08 with four workers and the serial step after them.
        "integration": Stage([
            pytest_step("python integration", "tests/integration", "-m", "not peers and not solo and not serial",
                        per_core=3),
            pytest_step("serial", "tests/integration", "-m", "serial and not peers and not solo", parallel=False,
                        env={"SEEN_TEST_REDIS_DB": "1", "SEEN_TEST_STACK_REDIS_DB": "1"})], together=True),
        "browser and real peers": Stage([
            pytest_step("browser and peers", "tests/integration", "tests/e2e", "-m", "(e2e or peers) and not solo"),
            # A test that judges latency under the load it makes has the machine to itself.
            pytest_step("alone", "tests/integration", "tests/e2e", "-m", "solo", parallel=False)]),
    }


def counts(junit: Path) -> tuple[int, int, int, dict[str, float]]:
    """(tests, failed or errored, skipped, each test's seconds) from a JUnit XML report; zeros when missing."""
    if not junit.exists():
        return 0, 0, 0, {}
    tests = failed = skipped = 0
    durations: dict[str, float] = {}
    for case in ET.parse(junit).getroot().iter("testcase"):  # noqa: S314 - our own test run's report
        tests += 1
        verdicts = {child.tag for child in case}
        failed += bool(verdicts & {"failure", "error"})
        skipped += "skipped" in verdicts
        durations[f"{case.get('classname', '')}::{case.get('name', '')}"] = float(case.get("time") or 0)
    return tests, failed, skipped, durations


def clock(seconds: float) -> str:
    return f"{int(seconds // 60)}m{seconds % 60:04.1f}s"


@dataclass
class StageResult:
    seconds: float  # the stage's wall time (its steps may have run at once)
    steps: list[StepResult]

    def total(self, key: str) -> int:
        return sum(getattr(step, key) for step in self.steps)


def table(run: str, results: dict[str, StageResult], recorded: dict[str, float]) -> str:
    lines = [f"{'stage':<24} {'time':>9} {'recorded':>9} {'tests':>6} {'failed':>6} {'skipped':>7}"]
    for stage, result in results.items():
        before = recorded.get(f"{run}: {stage}")
        flag = "  SLOWER" if before and result.seconds > before * (1 + SLOWER) else ""
        lines.append(f"{stage:<24} {clock(result.seconds):>9} {clock(before) if before else '-':>9} "
                     f"{result.total('tests'):>6} {result.total('failed'):>6} {result.total('skipped'):>7}{flag}")
        lines.extend(f"  {step.name:<22} {clock(step.seconds):>9} {'':>9} {step.tests:>6} {step.failed:>6} "
                     f"{step.skipped:>7}" for step in result.steps if len(result.steps) > 1)
    total = sum(result.seconds for result in results.values())
    count = sum(result.total("tests") for result in results.values())
    lines.append(f"{'total':<24} {clock(total):>9} {'':>9} {count:>6}")
    return "\n".join(lines)


def save(run: str, results: dict[str, StageResult]) -> None:
    """This run's stage times and every test's duration (the scheduler's order for the next run)."""
    previous = json.loads(LAST_RUN.read_text()) if LAST_RUN.exists() else {}
    durations = previous.get("durations", {})
    for result in results.values():
        for step in result.steps:
            durations.update(step.durations)
    LAST_RUN.parent.mkdir(parents=True, exist_ok=True)
    LAST_RUN.write_text(json.dumps({
        "run": run, "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "stages": {f"{run}: {stage}": round(result.seconds, 1) for stage, result in results.items()},
        "durations": durations}, indent=1))


def record() -> int:
    """Copy the last run's stage times and its long tests' durations into the files the repository keeps."""
    if not LAST_RUN.exists():
        print("no run to record: run `make test` first", file=sys.stderr)
        return 2
    last = json.loads(LAST_RUN.read_text())
    recorded = json.loads(RECORDED.read_text()) if RECORDED.exists() else {}
    recorded.update(last["stages"])
    RECORDED.write_text(json.dumps(dict(sorted(recorded.items())), indent=1) + "\n")
    long = {name: round(seconds, 1) for name, seconds in last["durations"].items()
            if seconds >= KEEP_DURATION_S and name.startswith("tests.")}  # pytest's: Vitest orders its own
    DURATIONS.write_text(json.dumps(dict(sorted(long.items())), indent=0) + "\n")
    print(f"recorded {len(last['stages'])} stage times in {RECORDED.name}, {len(long)} durations in {DURATIONS.name}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("run", choices=["all", "fast", "record"])
    args = parser.parse_args()
    if args.run == "record":
        return record()
    RESULTS.mkdir(parents=True, exist_ok=True)
    recorded = json.loads(RECORDED.read_text()) if RECORDED.exists() else {}
    results: dict[str, StageResult] = {}
    code = 0
    for stage, plan in stages(args.run).items():
        started = time.monotonic()
        steps = run_stage(plan.steps, plan.together)
        results[stage] = StageResult(time.monotonic() - started, steps)
        code = next((step.code for step in steps if step.code), 0)
        if code:
            print(f"\nstage '{stage}' failed: the later stages did not run", flush=True)
            break
    save(args.run, results)
    print(f"\n{table(args.run, results, recorded)}", flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main())
