"""Recommendation snapshot per user on a 200,000-title catalog with a 2,000-item history; calendar read warm vs cold.

Everything is generated in a dedicated database (copied from the migrated
test template, dropped at the end) with generate_series: titles over the three
media types with two genres each, franchises every 50 titles, similar links
for the titles the user saw, and a user with 2,000 watched titles (500 rated,
100 favorited). The demo catalog and its calendar (loaded for a fixed day)
give the calendar scenario real shows to follow. References: one indexed
``count(*)`` of the user's history, and ``SELECT 1``. Nothing asserts on time.
"""

from __future__ import annotations

import os
import statistics
import time
import uuid
from datetime import UTC, date, datetime

import pytest

from embedded import services

from .conftest import bench_size, benchmark_stats, measure, paired

TITLES = bench_size(200_000, 2_000)
HISTORY = bench_size(2_000, 200)
# issue 39: a user's snapshot in <= 50 ms, steady across runs (issue 22's was 100 ms; an absolute figure: on a
# busy machine read the ratio too)
GOAL_MS = 50
TODAY = date(2026, 11, 22)
GENERATE = [
    """INSERT INTO genres (source, external_id, name, slug, media_types)
       SELECT 'local', g, 'Bench genre ' || g, 'bench-genre-' || g, ARRAY['movie', 'show', 'game']
       FROM generate_series(1, 24) AS g""",
    """INSERT INTO franchises (source, external_id, name)
       SELECT 'local', f, 'Bench franchise ' || f FROM generate_series(1, %(titles)s / 50) AS f""",
    """INSERT INTO media_items (media_type, title, release_date, popularity, vote_average, vote_count)
       SELECT (ARRAY['movie', 'show', 'game'])[1 + i %% 3], 'Bench title ' || i,
              date '1960-01-01' + ((i * 37) %% 24000)::int, ((i * 7907) %% 100000) / 100.0,
              ((i * 389) %% 100) / 10.0, (i * 13) %% 20000
       FROM generate_series(1, %(titles)s) AS i""",
    """INSERT INTO media_genres (media_id, genre_id)
       SELECT m.id, g.id FROM media_items m
       JOIN genres g ON g.source = 'local' AND g.external_id IN (1 + m.id %% 24, 1 + (m.id * 7) %% 24)
       WHERE m.title LIKE 'Bench title %%'
       ON CONFLICT DO NOTHING""",
    """INSERT INTO media_franchises (media_id, franchise_id)
       SELECT m.id, f.id FROM media_items m JOIN franchises f ON f.source = 'local' AND f.external_id = 1 + m.id / 50
       WHERE m.title LIKE 'Bench title %%' AND m.id %% 5 = 0""",
]
HISTORY_SQL = [
    """INSERT INTO user_watched (user_id, media_id, watched_at)
       SELECT %(user)s, m.id, now() - (m.id %% 900) * interval '1 day'
       FROM media_items m WHERE m.title LIKE 'Bench title %%' AND m.media_type = 'movie'
       ORDER BY m.id LIMIT %(history)s""",
    """INSERT INTO user_ratings (user_id, media_id, rating)
       SELECT user_id, media_id, 1 + (media_id %% 10) FROM user_watched WHERE user_id = %(user)s
       ORDER BY media_id LIMIT 500""",
    """INSERT INTO user_favorites (user_id, media_id)
       SELECT user_id, media_id FROM user_watched WHERE user_id = %(user)s ORDER BY media_id DESC LIMIT 100""",
    """INSERT INTO media_relations (media_id, relation, related_media_id, source, position)
       SELECT w.media_id, 'similar', w.media_id + k * 3 + %(titles)s * 3 / 20, 'tmdb', k
       FROM user_watched w CROSS JOIN generate_series(1, 10) AS k
       WHERE w.user_id = %(user)s ON CONFLICT DO NOTHING""",
]


def _point_app_at(url: str) -> None:
    from chalicelib import config, db

    db.reset()
    os.environ["DATABASE_URL"] = url
    config.get_settings.cache_clear()


@pytest.fixture(scope="module")
def big(template_url, report):
    """The bench database and the heavy user's id."""
    import psycopg
    from psycopg.rows import dict_row

    from chalicelib.calendar import fill
    from chalicelib.catalog import demo

    url = services.with_database(template_url, f"seen_bench_recs_{uuid.uuid4().hex[:10]}")
    services.create_database(url, template=services.database_name(template_url))
    started = time.perf_counter()
    with psycopg.connect(url, row_factory=dict_row, autocommit=True) as conn:
        with conn.transaction():
            demo.load(conn, today=TODAY)
            fill.load_demo_events(conn, today=TODAY)
            for statement in GENERATE:
                conn.execute(statement, {"titles": TITLES})
            user = conn.execute("INSERT INTO users (email, password_hash, last_active_at) "
                                "VALUES ('bench@seen.test', 'x', now()) RETURNING id").fetchone()["id"]
            for statement in HISTORY_SQL:
                conn.execute(statement, {"user": user, "history": HISTORY, "titles": TITLES})
        conn.execute("VACUUM ANALYZE")
        titles = conn.execute("SELECT count(*) AS n FROM media_items").fetchone()["n"]
        history = conn.execute("SELECT count(*) AS n FROM user_watched WHERE user_id = %s", (user,)).fetchone()["n"]
    report.figure("recs: generated bench catalog", titles=titles, history=history,
                  seconds=round(time.perf_counter() - started, 1))
    previous = os.environ["DATABASE_URL"]
    _point_app_at(url)
    try:
        yield user
    finally:
        _point_app_at(previous)
        services.drop_database(url)


def history_count(user) -> None:
    from chalicelib import db

    with db.connection() as conn:
        conn.execute("SELECT count(*) FROM user_watched WHERE user_id = %s", (user,)).fetchone()


def select_one() -> None:
    from chalicelib import db

    with db.connection() as conn:
        db.queries().ping(conn)


def test_snapshot_per_user_200k_titles_2000_history(benchmark, report, big, redis_client):
    from chalicelib import db
    from chalicelib.recommendations import service

    runs: list[dict] = []

    def snapshot() -> dict:
        started = time.perf_counter()
        with db.connection() as conn:
            stats = service.compute_snapshot(conn, big, "manual")
        runs.append({**stats["timingsMs"], "total": (time.perf_counter() - started) * 1000})
        return stats

    stats = snapshot()
    assert stats["signals"] == HISTORY and stats["items"] > bench_size(100, 20)
    runs.clear()
    benchmark.pedantic(snapshot, rounds=9, warmup_rounds=1)
    reference = measure(lambda: history_count(big), rounds=30)
    subject = benchmark_stats(benchmark)
    # Where the time goes (the reason when the goal is missed): each stage's median over the measured rounds,
    # "store" being the rest (the insert, the prune, the cache and the log).
    for run in runs:
        run["store"] = run["total"] - sum(value for name, value in run.items() if name != "total")
    stages = {name: round(statistics.median(run[name] for run in runs[-9:]), 1) for name in runs[0] if name != "total"}
    benchmark.extra_info["ratio"] = report.ratio(
        "recs: snapshot, 200k titles, 2k history", subject, reference,
        subject_label="compute_snapshot (2 reads, scoring, insert)",
        reference_label="indexed count(*) of the user's history", candidates=stats["candidates"],
        goal_ms=GOAL_MS, median_ms=round(subject["median"] * 1000, 1), stages_ms=stages,
        why="stages ms: " + ", ".join(f"{name} {value:g}" for name, value in stages.items()),
        within_goal=subject["median"] * 1000 <= GOAL_MS)


@pytest.fixture
def follower(big, redis_client, clock):
    from chalicelib import db

    clock.current = datetime(2026, 11, 22, 12, tzinfo=UTC)
    with db.connection() as conn:
        conn.execute("INSERT INTO user_follows (user_id, media_id, state) SELECT %s, id, 'follow' FROM media_items "
                     "WHERE is_demo AND media_type = 'show' AND status = 'returning' ORDER BY id LIMIT 10 "
                     "ON CONFLICT DO NOTHING", (big,))
    return big


def _read(user) -> None:
    from chalicelib.calendar import service
    from chalicelib.calendar.models import CalendarQuery

    assert service.calendar(user, CalendarQuery.model_validate({"from": "2026-11-01", "to": "2027-01-31"})).items


def test_calendar_read_warm_vs_cold(benchmark, report, follower):
    from chalicelib import cache

    def cold() -> None:
        cache.invalidate_pattern(cache.Keys.calendar_pattern(follower))
        _read(follower)

    # Each warm read right after a cold one (which fills the cache again) and SELECT 1: all three side by side.
    figures = paired(benchmark, lambda: _read(follower), {"select 1": select_one, "cold": cold}, rounds=40,
                     warmup=2)
    warm_stats, cold_stats, reference = benchmark_stats(benchmark), figures["cold"], figures["select 1"]
    report.ratio("calendar: 3-month read, warm (Redis)", warm_stats, reference,
                 subject_label="calendar service, 3 cached months + filters", reference_label="SELECT 1")
    report.ratio("calendar: 3-month read, cold (Postgres)", cold_stats, reference,
                 subject_label="calendar service, months built from release_events", reference_label="SELECT 1")
    benchmark.extra_info["ratio"] = report.ratio(
        "calendar: warm vs cold", warm_stats, cold_stats, subject_label="warm read", reference_label="cold read")
