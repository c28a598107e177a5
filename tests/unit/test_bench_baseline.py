"""The bench baseline is the median of several runs, per scenario (scripts/bench_baseline.py)."""

from __future__ import annotations

import json

from tests.bench.conftest import bench_baseline  # scripts/bench_baseline.py, loaded by path as the bench loads it


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
    assert bench_baseline.median_ratios(bench_baseline.newest_reports(tmp_path), 3) == {"a": 2.0}


def test_each_scenario_is_judged_by_its_own_newest_runs_past_runs_of_other_files():
    # Three full runs, then three runs of one scenario file: the other scenario keeps its three full runs.
    reports = [run(a=1.0, b=10.0), run(a=2.0, b=20.0), run(a=3.0, b=90.0), run(a=7.0), run(a=8.0), run(a=9.0)]
    assert bench_baseline.median_ratios(reports, 3) == {"a": 8.0, "b": 20.0}
    assert bench_baseline.spread(reports, 3) == {"b": (10.0, 90.0)}


def test_spread_lists_only_ratios_that_moved_more_than_twice_between_runs():
    reports = [run(steady=1.0, jumpy=1.0, once=5.0), run(steady=1.9, jumpy=2.1), run(steady=1.5, jumpy=1.5)]
    assert bench_baseline.spread(reports) == {"jumpy": (1.0, 2.1)}


def test_ratios_keep_four_significant_figures_small_or_large():
    reports = [run(tiny=0.0043211, big=1234.56), run(tiny=0.0033149, big=1234.44), run(tiny=0.0035555, big=1000.0)]
    assert bench_baseline.median_ratios(reports) == {"tiny": 0.003556, "big": 1234.0}
