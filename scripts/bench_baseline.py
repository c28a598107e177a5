"""Record the bench baseline as the median ratio of the last few `make bench` runs (``make bench-baseline``).

One run is not a baseline: on a shared machine a scenario's ratio moves by a third from one run to the next,
so a baseline taken from a single lucky run flags half the table as regressed on the next. Each `make bench`
keeps its report under ``.data/bench/runs/`` (the newest ``HISTORY``); this takes, per scenario, the median ratio
of the newest ``--runs`` reports that measured it (a run of one scenario file measures only its own), and
scenarios none of them measured keep their recorded ratio.

    python scripts/bench_baseline.py --runs 3
    python scripts/bench_baseline.py --runs 10 --spread   # which figures vary more than 2x between runs

``--spread`` records nothing: it lists the scenarios whose ratio moved by more than ``SPREAD_LIMIT`` between the
newest runs (largest over smallest), the ones issue 39 asks to be explained as noise or a real cause.
"""

from __future__ import annotations

import argparse
import json
import statistics
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNS_DIR = ROOT / ".data" / "bench" / "runs"
BASELINE = ROOT / "tests" / "bench" / "baseline.json"
SPREAD_LIMIT = 2.0
HISTORY = 30  # reports kept under runs/: enough for a few full runs among runs of single scenario files
DIGITS = 4  # significant figures a ratio keeps: 0.003314 stays itself, where three decimals made it 0.003


def significant(value: float, digits: int = DIGITS) -> float:
    """``value`` to ``digits`` significant figures (ratios span 0.001 to 1000: decimals would not do)."""
    return float(f"{value:.{digits}g}")


def newest_ratios(reports: list[dict], runs: int | None = None) -> dict[str, list[float]]:
    """Per scenario, its ratios in the newest ``runs`` of ``reports`` (oldest first) that measured it."""
    seen: dict[str, list[float]] = {}
    for report in reports:
        for item in report.get("scenarios", []):
            if isinstance(item.get("ratio"), (int, float)) and item["ratio"] > 0:
                seen.setdefault(item["scenario"], []).append(float(item["ratio"]))
    return {scenario: values[-runs:] if runs else values for scenario, values in sorted(seen.items())}


def median_ratios(reports: list[dict], runs: int | None = None) -> dict[str, float]:
    """Per scenario, the median of its ratios in the newest ``runs`` reports that measured it (all when None)."""
    return {scenario: significant(statistics.median(values))
            for scenario, values in newest_ratios(reports, runs).items()}


def spread(reports: list[dict], runs: int | None = None, limit: float = SPREAD_LIMIT) -> dict[str, tuple[float, float]]:
    """Scenarios measured in two of their newest ``runs`` or more whose largest ratio there is over ``limit``
    times their smallest: (smallest, largest) each."""
    return {scenario: (min(values), max(values)) for scenario, values in newest_ratios(reports, runs).items()
            if len(values) > 1 and max(values) > limit * min(values)}


def newest_reports(runs_dir: Path, count: int = HISTORY) -> list[dict]:
    """The newest ``count`` reports under ``runs_dir``, oldest first."""
    paths = sorted(runs_dir.glob("*.json"))[-count:]
    return [json.loads(path.read_text()) for path in paths]


def main() -> None:
    parser = argparse.ArgumentParser(description="Record the bench baseline as the median of the last runs")
    parser.add_argument("--runs", type=int, default=3, help="how many of the newest runs to take the median of")
    parser.add_argument("--spread", action="store_true",
                        help=f"only list the ratios that vary more than {SPREAD_LIMIT:g}x between those runs")
    args = parser.parse_args()
    reports = newest_reports(RUNS_DIR)
    if not reports:
        raise SystemExit(f"no bench runs under {RUNS_DIR}: run `make bench` first")
    if args.spread:
        varied = spread(reports, args.runs)
        print(f"{len(varied)} ratio(s) vary more than {SPREAD_LIMIT:g}x over their newest {args.runs} run(s)")
        for scenario, (low, high) in varied.items():
            print(f"  {scenario}: {low:.3f} .. {high:.3f} ({high / low:.1f}x)")
        return
    old = json.loads(BASELINE.read_text())["ratios"] if BASELINE.exists() else {}
    ratios = {**old, **median_ratios(reports, args.runs)}
    BASELINE.write_text(json.dumps({"generated_at": datetime.now(UTC).isoformat(), "runs": args.runs,
                                    "ratios": ratios}, indent=1) + "\n")
    print(f"baseline: {len(ratios)} ratios, each the median of its newest {args.runs} run(s)")


if __name__ == "__main__":
    main()
