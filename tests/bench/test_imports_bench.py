"""History imports at 100k rows (issue 33): a Letterboxd diary and a Trakt history, uploaded the presigned
way and parsed, matched and applied by the imports consumer running as its own process
(``python -m embedded.pump --queues imports``).

Each is reported as a ratio to a plain read of the same file in this process (csv rows / json.loads),
with the end-to-end seconds and the consumer's peak RSS (goal: at most 300 MB). The same scenario runs
small in ``make test`` (tests/integration/test_import_jobs.py).
"""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests.bench import imports_scenario as scenario
from tests.bench.conftest import bench_size, benchmark_stats, measure

ROWS = bench_size(100_000, 2_000)
TITLES = bench_size(20_000, 1_000)
RSS_GOAL_MB = 300


@pytest.fixture
def catalog(client):
    from chalicelib import db

    with db.connection() as conn:
        scenario.seed_catalog(conn, TITLES)


def _plain_read(fmt: str, content: bytes) -> int:
    if fmt == "letterboxd":
        return sum(1 for _ in csv.reader(io.StringIO(content.decode())))
    return len(json.loads(content))


@pytest.mark.parametrize("fmt", ["letterboxd", "trakt"])
def test_import_of_100k_rows_through_the_consumer_process(benchmark, report, catalog, make_user, fmt):
    user_id, _ = make_user()
    box: dict = {}
    benchmark.pedantic(lambda: box.update(result=scenario.run(user_id, fmt, ROWS, TITLES)), rounds=1, iterations=1)
    result = box["result"]
    assert result.rows == ROWS and result.applied == result.matched
    content = scenario.FILES[fmt][1](ROWS, TITLES)
    reference = measure(lambda: _plain_read(fmt, content), rounds=3, warmup=1)
    report.ratio(f"imports: {fmt} 100k rows end to end vs a plain read of the file", benchmark_stats(benchmark),
                 reference, subject_label="upload, parse, match, apply by the imports consumer process",
                 reference_label=f"{'csv' if fmt == 'letterboxd' else 'json.loads'} read of the same bytes")
    report.figure(f"imports: {fmt} 100k rows (s)", seconds=round(result.seconds, 1), matched=result.matched)
    report.figure(f"imports: {fmt} 100k rows consumer peak RSS (MB)", peak_rss_mb=round(result.peak_rss_mb),
                  goal=RSS_GOAL_MB, within_goal=result.peak_rss_mb <= RSS_GOAL_MB)
