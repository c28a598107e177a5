"""Source search: one episode over 3 fake Torznab indexers x 100 results, each answering after a fixed delay.

Subject: ``sources.service.search(..., fresh=True)`` -- the database reads, the three indexers asked in
parallel over HTTP, 300 items parsed and normalised, scored and ranked, the answer cached. Reference:
the slowest indexer's own answer to the same page (one plain HTTP GET), timed in the same run. The
overhead beyond the slowest indexer is the subject minus the reference (goal: <= 50 ms).

Two variants: release names already parsed (the same results searched again after the cache expired:
names are cached per process) and never seen (every name parsed by guessit, a new episode's first
search). Nothing asserts on time.
"""

from __future__ import annotations

import multiprocessing
import statistics
import time
from types import SimpleNamespace

import httpx
import pytest

from tests.integration import sources_support
from tests.integration.sources_support import episode_releases, register_indexer
from tests.integration.tracking_support import Catalog

from .conftest import benchmark_stats, measure

DELAYS = (0.05, 0.10, 0.15)  # seconds before each indexer answers
RESULTS = 100
ROUNDS = 15


@pytest.fixture
def setup(client, make_user, settings_env):
    from chalicelib import db

    sources_support.use_sources(settings_env, SEEN_SOURCES_SEARCH_RATE="100000/60",
                                SEEN_SOURCES_INDEXER_TIMEOUT="5")
    user_id, headers = make_user(role="admin")
    with db.connection() as conn:
        show_id, _ = Catalog(conn).show({1: 10}, title="Breaking Bad")
        conn.execute("UPDATE media_items SET tmdb_id = 1396, runtime_minutes = 47 WHERE id = %s", (show_id,))
    # Each fake runs in its own process, as real indexers would: their XML writing must not share a GIL
    # with each other or with the search.
    running = [_start_fake(n, delay) for n, delay in enumerate(DELAYS)]
    fakes = [fake for fake, _, _ in running]
    for n, fake in enumerate(fakes):
        register_indexer(client, headers, fake, f"Bench {n}")
    yield user_id, show_id, fakes
    for _, conn, process in running:
        conn.send("stop")
        process.join(10)


def _start_fake(n: int, delay: float):
    parent, child = multiprocessing.Pipe()
    process = multiprocessing.get_context("fork").Process(target=_serve_fake, args=(child, n, delay), daemon=True)
    process.start()
    url, key = parent.recv()
    return SimpleNamespace(url=url, api_key=key), parent, process


def _serve_fake(conn, n: int, delay: float) -> None:
    fake = sources_support.FakeIndexer(episode_releases("Breaking Bad", 1, 2, RESULTS, seed=n * 101)).start()
    fake.delay = delay
    conn.send((fake.url, fake.api_key))
    conn.recv()
    fake.stop()


def _slowest_alone(fake) -> None:
    params = {"t": "tvsearch", "tmdbid": "1396", "season": "1", "ep": "2", "limit": "100", "offset": "0",
              "apikey": fake.api_key}
    with httpx.Client(timeout=10) as http:  # one connection, like each indexer's thread
        response = http.get(fake.url, params=params)
    assert response.status_code == 200 and response.text.count("<item>") == RESULTS


def test_search_and_score_overhead_beyond_the_slowest_indexer(benchmark, report, setup):
    from chalicelib.library import naming
    from chalicelib.sources import service
    from chalicelib.sources.release import parse_release

    user_id, show_id, fakes = setup
    result = service.search(user_id, show_id, 1, 2, fresh=True)  # warms caps, connections, names
    assert len(result.candidates) == RESULTS * len(fakes) and not result.errors
    cpu: list[float] = []
    benchmark.pedantic(lambda: _cpu_timed(cpu, lambda: service.search(user_id, show_id, 1, 2, fresh=True)),
                       rounds=ROUNDS, iterations=1)
    subject = benchmark_stats(benchmark)
    reference = measure(lambda: _slowest_alone(fakes[-1]), rounds=ROUNDS)
    report.ratio("sources: search+score 3x100 vs slowest indexer", subject, reference,
                 subject_label="search(fresh) names parsed before", reference_label="slowest indexer alone",
                 overhead_ms=round((subject["median"] - reference["median"]) * 1000, 1), goal_overhead_ms=50,
                 cpu_median_ms=round(statistics.median(cpu) * 1000, 1))

    def cold() -> None:
        parse_release.cache_clear()
        naming.cached_guessit.cache_clear()
        service.search(user_id, show_id, 1, 2, fresh=True)

    cold_cpu: list[float] = []
    cold_stats = measure(lambda: _cpu_timed(cold_cpu, cold), rounds=5, warmup=1)
    names = [c.candidate.name for c in result.candidates]
    report.ratio("sources: search+score 3x100, names never seen", cold_stats, reference,
                 subject_label="search(fresh), release-name cache cleared", reference_label="slowest indexer alone",
                 overhead_ms=round((cold_stats["median"] - reference["median"]) * 1000, 1),
                 cpu_median_ms=round(statistics.median(cold_cpu[-cold_stats["rounds"]:]) * 1000, 1),
                 fast_path_share=round(sum(1 for n in names if _fast(n)) / len(names), 3))


def _fast(name: str) -> bool:
    try:
        from chalicelib.sources import release_fast
    except ImportError:  # measured on a tree without the fast path
        return False
    return release_fast.parse(name) is not None


def _cpu_timed(samples: list[float], fn) -> None:
    """``fn()``, its CPU time (every thread of this process) appended to ``samples``."""
    started = time.process_time()
    fn()
    samples.append(time.process_time() - started)
