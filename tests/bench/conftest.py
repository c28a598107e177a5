"""`make bench`: measured scenarios reported as ratios to a reference measured in the same run.

Each scenario times its subject with pytest-benchmark (``benchmark.pedantic``,
so it lands in pytest-benchmark's JSON) and its reference with ``measure``,
then calls ``report.ratio(...)``. At the end the ratios are printed and
written to ``.data/bench/report.json``, each compared with the committed
baseline (``tests/bench/baseline.json``, itself the median of a few runs):
what is judged is each ratio's median over the newest ``JUDGED_RUNS`` runs that
measured it, this one included, as one run's ratio moves by a third on a shared
machine (a run of one scenario file counts for its own scenarios only). A ratio
more than 20% worse is flagged REGRESSED in its row and listed under the
table. Nothing here asserts on time, so a regression is reported, never a
failure; the assertions in the scenarios check that the measured work was
really done. Ratios keep four significant figures (three decimals made a
0.0033 ratio read 33% worse for a third of a thousandth).

Smoke mode (``SEEN_BENCH_SMOKE=1``; ``tests/integration/test_bench_smoke.py``
runs it inside ``make test`` so a broken scenario fails CI): every scenario
runs once at its smallest size, to prove it still runs, not to measure.

* sizes: a scenario picks each size with ``bench_size(full, smoke)`` (200k
  titles -> 2k, 256 MiB -> 16 MiB, 100k rows -> 2k, ...); expensive set-up
  (generated data sets, subprocess stacks, load steps) must scale down with it;
* rounds: ``benchmark.pedantic`` (this file's ``benchmark`` fixture) and
  ``measure`` run one round without warm-up, whatever the scenario asks;
* verdicts: nothing is judged or compared with the baseline, and the rows go to
  ``.data/bench/smoke/report.json``: never to ``report.json`` or ``runs/``, so a
  smoke run can neither overwrite a real run nor enter the baseline.
"""

from __future__ import annotations

import importlib.util
import json
import os
import platform
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

import pytest

SMOKE = os.environ.get("SEEN_BENCH_SMOKE", "") not in ("", "0")
REPORT_PATH = Path(__file__).resolve().parents[2] / ".data" / "bench" / "report.json"
SMOKE_REPORT_PATH = REPORT_PATH.parent / "smoke" / "report.json"
RUNS_PATH = REPORT_PATH.parent / "runs"
# The median ratios of a few committed runs (`make bench-baseline` after several full `make bench` runs).
BASELINE_PATH = Path(__file__).resolve().parent / "baseline.json"
REGRESSION_TOLERANCE = 0.20
JUDGED_RUNS = 3  # the newest runs whose median ratio is judged against the baseline (a median of runs too)
T = TypeVar("T")


def _load_baseline_script():
    """scripts/bench_baseline.py: the one place that rounds ratios and takes medians of runs."""
    spec = importlib.util.spec_from_file_location(
        "bench_baseline", Path(__file__).resolve().parents[2] / "scripts" / "bench_baseline.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bench_baseline = _load_baseline_script()


def bench_size(full: T, smoke: T) -> T:
    """A scenario's size: ``full`` in ``make bench``, ``smoke`` with ``SEEN_BENCH_SMOKE=1`` (the smallest that
    still runs every step of the scenario: it proves the scenario works, it measures nothing)."""
    return smoke if SMOKE else full


def measure(fn: Callable[[], object], rounds: int = 20, warmup: int = 2) -> dict[str, float]:
    """Time ``fn`` ``rounds`` times after ``warmup`` calls; seconds. One round, no warm-up in smoke mode."""
    rounds, warmup = bench_size(rounds, 1), bench_size(warmup, 0)
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return summarise(samples)


def paired(benchmark, subject: Callable[[], object], references: dict[str, Callable[[], object]], *, rounds: int,
           warmup: int = 3, setup: Callable[[], object] | None = None) -> dict[str, dict[str, float]]:
    """``subject`` timed by ``benchmark`` with each of ``references`` timed right before each of its rounds (in
    pedantic's untimed setup, then ``setup``), so that a drift of the machine's speed over a scenario hits both
    sides of its ratios alike. Measured one after the other instead, a sub-millisecond reference moved by 2x
    between runs (``SELECT 1`` at 0.06 ms after a subject at 0.5 ms, 0.15 ms in the next scenario) and its
    ratios with it. The references' figures, by name (their warm-up rounds left out)."""
    samples: dict[str, list[float]] = {name: [] for name in references}

    def before_each() -> None:
        for name, reference in references.items():
            started = time.perf_counter()
            reference()
            samples[name].append(time.perf_counter() - started)
        if setup is not None:
            setup()

    benchmark.pedantic(subject, setup=before_each, rounds=rounds, warmup_rounds=warmup)
    measured = len(benchmark.stats.stats.data)  # smoke mode runs one round and no warm-up
    return {name: summarise(values[-measured:]) for name, values in samples.items()}


def summarise(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "rounds": len(ordered),
        "median": statistics.median(ordered),
        "p95": ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))],
        "mean": statistics.fmean(ordered),
        "min": ordered[0],
    }


def benchmark_stats(benchmark) -> dict[str, float]:
    stats = benchmark.stats.stats
    data = sorted(stats.data)
    return {"rounds": len(data), "median": stats.median, "p95": data[min(len(data) - 1, round(0.95 * (len(data) - 1)))],
            "mean": stats.mean, "min": stats.min}


class Report:
    def __init__(self) -> None:
        self.scenarios: list[dict] = []

    def ratio(self, scenario: str, subject: dict[str, float], reference: dict[str, float], *,
              subject_label: str, reference_label: str, tools_only: bool = False, **info: object) -> float:
        """``tools_only``: both sides are outside tools (moto's upload against libtorrent, say), a figure of the
        machine to read the others by; none of this project's code is in it, so no regression is judged.
        ``why``: where the subject's time went, printed after the figures (a missed goal's measured reason)."""
        value = subject["median"] / reference["median"]
        self.scenarios.append({"scenario": scenario, "ratio": bench_baseline.significant(value),
                               "subject": subject_label,
                               "reference": reference_label, "subject_s": subject, "reference_s": reference,
                               **({"tools_only": True} if tools_only else {}), **info})
        return value

    def figure(self, scenario: str, **values: object) -> None:
        """A figure that is not a ratio (counts, throughput)."""
        self.scenarios.append({"scenario": scenario, **values})

    def write(self) -> Path:
        """report.json, and a copy under runs/ (the newest few make the baseline: scripts/bench_baseline.py);
        a smoke run's rows go to smoke/report.json alone."""
        now = datetime.now(UTC)
        text = json.dumps({
            "generated_at": now.isoformat(),
            "machine": {"python": platform.python_version(), "platform": platform.platform()},
            **({"smoke": True} if SMOKE else {}),
            "scenarios": self.scenarios,
        }, indent=2)
        if SMOKE:
            SMOKE_REPORT_PATH.parent.mkdir(parents=True, exist_ok=True)
            SMOKE_REPORT_PATH.write_text(text)
            return SMOKE_REPORT_PATH
        REPORT_PATH.parent.mkdir(parents=True, exist_ok=True)
        REPORT_PATH.write_text(text)
        RUNS_PATH.mkdir(parents=True, exist_ok=True)
        (RUNS_PATH / f"{now:%Y%m%dT%H%M%S}.json").write_text(text)
        for old in sorted(RUNS_PATH.glob("*.json"))[:-bench_baseline.HISTORY]:
            old.unlink(missing_ok=True)
        return REPORT_PATH


_report = Report()


@pytest.fixture(scope="session")
def report() -> Report:
    return _report


@pytest.fixture
def benchmark(benchmark):
    """pytest-benchmark's fixture; in smoke mode its ``pedantic`` runs one round without warm-up."""
    if SMOKE:
        pedantic = benchmark.pedantic

        def one_round(target, *args, **kwargs):
            return pedantic(target, *args, **{**kwargs, "rounds": 1, "warmup_rounds": 0, "iterations": 1})

        benchmark.pedantic = one_round
    return benchmark


def _goal_of(item: dict) -> tuple[object, bool | None]:
    """(goal, met) of a scenario: a ratio goal (``goal``), or a figure's own ``within_goal``."""
    if "within_goal" in item:
        return item.get("goal_ms", item.get("goal_s", item.get("goal", "-"))), bool(item["within_goal"])
    if "goal" in item and "ratio" in item:
        return item["goal"], item["ratio"] <= item["goal"]
    return "-", None


def _judged(item: dict, recent: dict[str, float] | None) -> float:
    """The ratio judged: the median of the newest runs when known, else this run's."""
    return (recent or {}).get(item["scenario"], item["ratio"])


def _regressed(item: dict, baseline: dict[str, float], recent: dict[str, float] | None = None) -> bool:
    before = baseline.get(item["scenario"])
    return ("ratio" in item and not item.get("tools_only") and bool(before)
            and _judged(item, recent) / before - 1 > REGRESSION_TOLERANCE)


def _regression(item: dict, baseline: dict[str, float], recent: dict[str, float] | None = None) -> str:
    """"REGRESSED" when a ratio is more than 20% worse than the committed baseline (a flag, not a failure)."""
    if "ratio" not in item:
        return ""
    before = baseline.get(item["scenario"])
    if not before:
        return "no baseline"
    change = _judged(item, recent) / before - 1
    if item.get("tools_only"):
        return f"{change:+.0%} (tools)"
    return f"{change:+.0%}" + ("  REGRESSED" if _regressed(item, baseline, recent) else "")


def summary_lines(scenarios: list[dict], baseline: dict[str, float], recent: dict[str, float] | None = None,
                  runs: int = 1) -> list[str]:
    """The verdict against the baseline under the table: which ratios regressed, which have no baseline yet.
    ``recent``: each scenario's median ratio over the newest ``runs`` runs (this one included), judged instead
    of this run's alone."""
    ratios = [item for item in scenarios if "ratio" in item and not item.get("tools_only")]
    regressed = [item for item in ratios if _regressed(item, baseline, recent)]
    unknown = [item["scenario"] for item in ratios if not baseline.get(item["scenario"])]
    tools = sum(1 for item in scenarios if item.get("tools_only"))
    judged = f" (each ratio the median of up to its newest {runs} runs)" if recent and runs > 1 else ""
    lines = [f"vs baseline{judged}: {len(regressed)} of {len(ratios) - len(unknown)} ratios regressed over "
             f"{REGRESSION_TOLERANCE:.0%}" + (f" ({tools} between two outside tools, not judged)" if tools else "")
             + (":" if regressed else "")]
    lines += [f"  REGRESSED {item['scenario']}: {_judged(item, recent):.4g}"
              + (f" (this run {item['ratio']:.4g})" if judged else "")
              + f" vs baseline {baseline[item['scenario']]:.4g}"
              for item in regressed]
    if unknown:
        lines.append(f"no baseline yet for {len(unknown)} ratio(s) (make bench-baseline records them): "
                     + "; ".join(unknown))
    return lines


def table_lines(scenarios: list[dict], baseline: dict[str, float],
                recent: dict[str, float] | None = None) -> list[str]:
    """This run's ratios; the "vs baseline" column judges ``recent`` (the newest runs' medians) when given."""
    lines = [f"  {'scenario':<46} {'ratio':>9}  {'goal':>7}  {'met':<4} {'vs baseline':<16} floor / figures"]
    for item in scenarios:
        goal, met = _goal_of(item)
        verdict = {True: "yes", False: "NO", None: "-"}[met]
        if "ratio" in item:
            ratio = f"{item['ratio']:.3g}x"
            detail = (f"{item['subject_s']['median'] * 1000:.2f} ms vs {item['reference_s']['median'] * 1000:.2f} ms "
                      f"{item['reference']}" + (f"; {item['why']}" if item.get("why") else ""))
        else:
            ratio = "-"
            detail = ", ".join(f"{k}={v}" for k, v in item.items() if k not in ("scenario", "within_goal"))
        lines.append(f"  {item['scenario'][:46]:<46} {ratio:>9}  {goal!s:>7}  {verdict:<4} "
                     f"{_regression(item, baseline, recent):<16} {detail}")
    return lines


def load_baseline() -> dict[str, float]:
    try:
        return json.loads(BASELINE_PATH.read_text())["ratios"]
    except (OSError, ValueError, KeyError):
        return {}


@pytest.hookimpl(trylast=True)
def pytest_terminal_summary(terminalreporter) -> None:
    if not _report.scenarios:
        return
    path = _report.write()
    line = terminalreporter.write_line
    line("")
    if SMOKE:
        line(f"/seen/ bench smoke run (SEEN_BENCH_SMOKE: smallest sizes, one round): {len(_report.scenarios)} "
             f"rows, nothing judged or compared with the baseline; rows: {path}")
        return
    line("/seen/ bench (ratio = subject median / reference median, same run; baseline: tests/bench/baseline.json)")
    baseline = load_baseline()
    # Each scenario's newest runs that measured it, this one the newest: a run of one file measures only its own.
    recent = bench_baseline.median_ratios(bench_baseline.newest_reports(RUNS_PATH), JUDGED_RUNS)
    for text in (table_lines(_report.scenarios, baseline, recent)
                 + summary_lines(_report.scenarios, baseline, recent, JUDGED_RUNS)):
        line(text)
    line(f"report: {path}")


@pytest.fixture
def pipeline(client, make_user, settings_env, tmp_path):
    """The download pipeline: the API in process, a real worker process, and the events handler driven as
    Lambda runs it; ``(client, headers, driver, worker)``."""
    from app import app
    from embedded.testworker import Driver, WorkerProcess

    settings_env(SEEN_DOWNLOAD_ALLOW_PRIVATE="true")
    worker = WorkerProcess(tmp_path / "staging", tmp_path / "worker.log").start()
    headers = make_user()[1]
    driver = Driver(app)
    yield client, headers, driver, worker
    worker.stop()
