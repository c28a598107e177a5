"""The bench's verdict against its committed baseline: a ratio over 20% worse is reported, never failed."""

from __future__ import annotations

from tests.bench.conftest import Report, load_baseline, summary_lines, table_lines


def scenario(name: str, ratio: float) -> dict:
    timing = {"median": 0.001}
    return {"scenario": name, "ratio": ratio, "subject": "s", "reference": "r", "subject_s": timing,
            "reference_s": timing}


def test_a_ratio_over_20_percent_worse_than_the_baseline_is_flagged_and_listed():
    baseline = {"a": 2.0, "b": 2.0, "c": 2.0}
    scenarios = [scenario("a", 2.5), scenario("b", 2.3), scenario("c", 1.0)]  # +25%, +15%, -50%
    rows = table_lines(scenarios, baseline)[1:]
    assert "+25%  REGRESSED" in rows[0]
    assert "+15%" in rows[1] and "REGRESSED" not in rows[1]
    assert "-50%" in rows[2] and "REGRESSED" not in rows[2]
    summary = summary_lines(scenarios, baseline)
    assert summary[0] == "vs baseline: 1 of 3 ratios regressed over 20%:"
    assert summary[1:] == ["  REGRESSED a: 2.5 vs baseline 2"]


def test_the_median_of_the_newest_runs_is_judged_not_one_run():
    baseline = {"slow once": 2.0, "slower now": 2.0}
    scenarios = [scenario("slow once", 3.0), scenario("slower now", 2.6)]  # this run: +50%, +30%
    recent = {"slow once": 2.1, "slower now": 2.6}  # medians of three runs: one slow run, a real change
    rows = table_lines(scenarios, baseline, recent)[1:]
    assert "+5%" in rows[0] and "REGRESSED" not in rows[0]
    assert "+30%  REGRESSED" in rows[1]
    assert summary_lines(scenarios, baseline, recent, runs=3) == [
        "vs baseline (each ratio the median of up to its newest 3 runs): 1 of 2 ratios regressed over 20%:",
        "  REGRESSED slower now: 2.6 (this run 2.6) vs baseline 2"]


def test_a_small_ratio_keeps_its_significant_figures():
    report = Report()
    value = report.ratio("tiny", {"median": 0.00012345}, {"median": 0.0373}, subject_label="s", reference_label="r")
    assert report.scenarios[0]["ratio"] == 0.00331 and abs(value - 0.0033097) < 1e-6
    rows = table_lines(report.scenarios, {"tiny": 0.0033})[1:]  # +0.3%, where three decimals read 0.003 vs 0.003
    assert "+0%" in rows[0] and "0.00331x" in rows[0]


def test_a_scenario_missing_from_the_baseline_is_named_not_compared():
    scenarios = [scenario("new", 3.0), {"scenario": "a figure", "count": 3}]
    assert "no baseline" in table_lines(scenarios, {})[1]
    assert summary_lines(scenarios, {}) == [
        "vs baseline: 0 of 0 ratios regressed over 20%",
        "no baseline yet for 1 ratio(s) (make bench-baseline records them): new"]


def test_the_committed_baseline_holds_ratios():
    baseline = load_baseline()
    assert baseline and all(isinstance(value, float) and value > 0 for value in baseline.values())


def test_a_ratio_between_two_outside_tools_is_shown_but_never_judged():
    tools = {**scenario("moto vs libtorrent", 3.0), "tools_only": True}  # +50%: the machine, not this code
    rows = table_lines([tools, scenario("a", 2.0)], {"moto vs libtorrent": 2.0, "a": 2.0})[1:]
    assert "+50% (tools)" in rows[0] and "REGRESSED" not in rows[0]
    assert summary_lines([tools, scenario("a", 2.0)], {"moto vs libtorrent": 2.0, "a": 2.0}) == [
        "vs baseline: 0 of 1 ratios regressed over 20% (1 between two outside tools, not judged)"]


def test_a_scenarios_measured_reason_is_printed_after_its_figures():
    report = Report()
    report.ratio("recs", {"median": 0.08}, {"median": 0.001}, subject_label="s", reference_label="count(*)",
                 goal_ms=50, within_goal=False, why="stages ms: userSql 20, candidateSql 40")
    row = table_lines(report.scenarios, {})[1]
    assert " NO " in row and row.endswith("80.00 ms vs 1.00 ms count(*); stages ms: userSql 20, candidateSql 40")
    assert "; " not in table_lines([scenario("plain", 2.0)], {})[1]  # nothing to add: nothing added
