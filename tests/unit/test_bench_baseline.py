"""The bench baseline is the median of several runs, per scenario (scripts/bench_baseline.py)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("bench_baseline", ROOT / "scripts" / "bench_baseline.py")
assert spec and spec.loader
bench_baseline = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench_baseline)


def run(**ratios: float) -> dict:
    return {"scenarios": [{"scenario": name, "ratio": value} for name, value in ratios.items()]
            + [{"scenario": "a figure", "seconds": 3.0}]}


def test_each_scenario_gets_the_median_of_the_runs_that_measured_it():
    reports = [run(a=1.0, b=10.0), run(a=3.0, b=30.0), run(a=2.0)]
    assert bench_baseline.median_ratios(reports) == {"a": 2.0, "b": 20.0}


def test_only_the_newest_runs_count(tmp_path):
    for stamp, value in (("20261101T000000", 100.0), ("20261102T000000", 1.0), ("20261103T000000", 2.0),
                         ("20261104T000000", 3.0)):
        (tmp_path / f"{stamp}.json").write_text(json.dumps(run(a=value)))
    assert bench_baseline.median_ratios(bench_baseline.newest_reports(tmp_path, 3)) == {"a": 2.0}


def test_spread_lists_only_ratios_that_moved_more_than_twice_between_runs():
    reports = [run(steady=1.0, jumpy=1.0, once=5.0), run(steady=1.9, jumpy=2.1), run(steady=1.5, jumpy=1.5)]
    assert bench_baseline.spread(reports) == {"jumpy": (1.0, 2.1)}


def test_ratios_keep_four_significant_figures_small_or_large():
    reports = [run(tiny=0.0043211, big=1234.56), run(tiny=0.0033149, big=1234.44), run(tiny=0.0035555, big=1000.0)]
    assert bench_baseline.median_ratios(reports) == {"tiny": 0.003556, "big": 1234.0}
