"""`make bench`: measured scenarios reported as ratios to a reference measured in the same run.

Each scenario times its subject with pytest-benchmark (``benchmark.pedantic``,
so it lands in pytest-benchmark's JSON) and its reference with ``measure``,
then calls ``report.ratio(...)``. At the end the ratios are printed and
written to ``.data/bench/report.json``. Nothing here asserts on time.
"""

from __future__ import annotations

import json
import platform
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

REPORT_PATH = Path(__file__).resolve().parents[2] / ".data" / "bench" / "report.json"


def measure(fn: Callable[[], object], rounds: int = 20, warmup: int = 2) -> dict[str, float]:
    """Time ``fn`` ``rounds`` times after ``warmup`` calls; seconds."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return summarise(samples)


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
              subject_label: str, reference_label: str, **info: object) -> float:
        value = subject["median"] / reference["median"]
        self.scenarios.append({"scenario": scenario, "ratio": round(value, 3), "subject": subject_label,
                               "reference": reference_label, "subject_s": subject, "reference_s": reference,
                               **info})
        return value

    def figure(self, scenario: str, **values: object) -> None:
        """A figure that is not a ratio (counts, throughput)."""
        self.scenarios.append({"scenario": scenario, **values})

    def write(self) -> None:
        REPORT_PATH.parent.mkdir(parents=True, exist_ok=True)
        REPORT_PATH.write_text(json.dumps({
            "generated_at": datetime.now(UTC).isoformat(),
            "machine": {"python": platform.python_version(), "platform": platform.platform()},
            "scenarios": self.scenarios,
        }, indent=2))


_report = Report()


@pytest.fixture(scope="session")
def report() -> Report:
    return _report


@pytest.hookimpl(trylast=True)
def pytest_terminal_summary(terminalreporter) -> None:
    if not _report.scenarios:
        return
    _report.write()
    line = terminalreporter.write_line
    line("")
    line("/seen/ bench (ratio = subject median / reference median, same run)")
    for item in _report.scenarios:
        if "ratio" in item:
            line(f"  {item['scenario']:<44} {item['ratio']:>8.2f}x  "
                  f"({item['subject_s']['median'] * 1000:.2f} ms vs {item['reference_s']['median'] * 1000:.2f} ms"
                  f" {item['reference']})")
        else:
            extras = ", ".join(f"{k}={v}" for k, v in item.items() if k != "scenario")
            line(f"  {item['scenario']:<44} {extras}")
    line(f"report: {REPORT_PATH}")
