"""IMDb datasets import on the 1M set (tests/bench/imdb_gen.py: 1M titles incl. episodes, 1M people,
5M principals): a full import into an empty catalog, an unchanged re-import and a re-import with 1% of
each file's rows changed, each through the CLI in its own process (its peak RSS is the memory figure).

Each is reported as a ratio to a reference measured in the same run (reading every line of the same
gzip files once, or hashing them: the floor of any import) and against absolute goals: full import
<= 180 s with peak memory <= 1 GiB, unchanged <= 2 s, 1% changed <= 20 s.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psycopg
import pytest

from embedded import services

from . import imdb_gen
from .conftest import bench_size, benchmark_stats, measure

pytestmark = pytest.mark.timeout(2400)  # a full import takes minutes on a small machine
ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / ".data" / "bench"
SIZE, SET = bench_size((imdb_gen.FULL, "imdb-1m"), (imdb_gen.SMOKE, "imdb-smoke"))
FULL_GOAL_S, RSS_GOAL_MIB, UNCHANGED_GOAL_S, CHANGED_GOAL_S = 180, 1024, 2, 20
# The CLI, reporting its own peak RSS (KiB on Linux) on its last line.
CLI = ("import resource, sys; from chalicelib.imdb.__main__ import main; code = main(sys.argv[1:]); "
       "print('MAXRSS', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss); sys.exit(code)")


@pytest.fixture(scope="module")
def imdb_sets() -> tuple[Path, Path]:
    return imdb_gen.ensure(DATA / SET, size=SIZE), imdb_gen.ensure(DATA / f"{SET}-changed", delta=True, size=SIZE)


@pytest.fixture(scope="module")
def bench_db(template_url):
    url = services.with_database(template_url, f"seen_bench_imdb_{uuid.uuid4().hex[:8]}")
    services.create_database(url, template=services.database_name(template_url))
    yield url
    services.drop_database(url)


def import_cli(url: str, directory: Path) -> dict:
    """One CLI run: seconds, peak RSS (MiB) and the run's row."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", CLI, "import", "--from", str(directory)], cwd=ROOT,
                          env={**os.environ, "DATABASE_URL": url, "SEEN_DB_POOL_SIZE": "0", "LOG_LEVEL": "WARNING"},
                          capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    rss_kib = int(done.stdout.strip().splitlines()[-1].split()[1])
    with psycopg.connect(url) as conn:
        status, files = conn.execute("SELECT status, files FROM imdb_runs ORDER BY id DESC LIMIT 1").fetchone()
    return {"seconds": seconds, "rss_mib": round(rss_kib / 1024), "status": status, "files": files,
            "output": done.stdout}


def read_lines(directory: Path) -> int:
    lines = 0
    for name in imdb_gen.FILES:
        with gzip.open(directory / f"{name}.tsv.gz", "rb") as handle:
            for _ in handle:
                lines += 1
    return lines


def hash_files(directory: Path) -> None:
    for name in imdb_gen.FILES:
        digest = hashlib.sha256()
        with (directory / f"{name}.tsv.gz").open("rb") as handle:
            while block := handle.read(1 << 20):
                digest.update(block)


def _figures(files: dict) -> str:
    keys = ("read", "malformed", "skipped", "inserted", "updated", "unchanged")
    return json.dumps({name: {k: f[k] for k in keys} for name, f in files.items()})


def _single(benchmark, fn):
    box: dict = {}
    benchmark.pedantic(lambda: box.update(fn()), rounds=1, iterations=1)
    return box, benchmark_stats(benchmark)


def test_imdb_full_import_of_the_1m_set(benchmark, report, imdb_sets, bench_db):
    base, _ = imdb_sets
    result, subject = _single(benchmark, lambda: import_cli(bench_db, base))
    assert result["status"] == "succeeded", result["output"]
    reference = measure(lambda: read_lines(base), rounds=1, warmup=0)
    report.ratio("imdb import: full 1M set vs reading its lines", subject, reference,
                 subject_label="CLI import into an empty catalog", reference_label="gzip line read of the files")
    report.figure("imdb import: full 1M set (s)", seconds=round(result["seconds"], 1), goal_s=FULL_GOAL_S,
                  within_goal=result["seconds"] <= FULL_GOAL_S, figures=_figures(result["files"]))
    report.figure("imdb import: full 1M set peak RSS (MiB)", peak_rss_mib=result["rss_mib"], goal=RSS_GOAL_MIB,
                  within_goal=result["rss_mib"] <= RSS_GOAL_MIB)


def test_imdb_unchanged_reimport_is_a_noop(benchmark, report, imdb_sets, bench_db):
    base, _ = imdb_sets
    result, subject = _single(benchmark, lambda: import_cli(bench_db, base))
    assert result["status"] == "skipped", result["output"]
    reference = measure(lambda: hash_files(base), rounds=3, warmup=1)
    report.ratio("imdb import: unchanged re-import vs hashing", subject, reference,
                 subject_label="CLI run (process start included)", reference_label="SHA-256 of the .gz files")
    report.figure("imdb import: unchanged re-import (s)", seconds=round(result["seconds"], 2),
                  goal_s=UNCHANGED_GOAL_S, within_goal=result["seconds"] <= UNCHANGED_GOAL_S)


def test_imdb_reimport_with_1_percent_changed(benchmark, report, imdb_sets, bench_db):
    _, changed = imdb_sets
    result, subject = _single(benchmark, lambda: import_cli(bench_db, changed))
    assert result["status"] == "succeeded", result["output"]
    assert result["files"]["title.basics"]["inserted"] == 0 and result["files"]["title.basics"]["updated"] > 0
    reference = measure(lambda: read_lines(changed), rounds=1, warmup=0)
    report.ratio("imdb import: 1% changed re-import vs reading its lines", subject, reference,
                 subject_label="CLI re-import, 1% of rows changed", reference_label="gzip line read of the files")
    report.figure("imdb import: 1% changed re-import (s)", seconds=round(result["seconds"], 1),
                  goal_s=CHANGED_GOAL_S, within_goal=result["seconds"] <= CHANGED_GOAL_S,
                  peak_rss_mib=result["rss_mib"], figures=_figures(result["files"]))
