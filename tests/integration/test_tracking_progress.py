"""Progress heartbeats (the watched threshold, exactly once), continue watching and show progress."""

from __future__ import annotations

import threading

import psycopg
import pytest
from psycopg.rows import dict_row

from chalicelib.tracking import errors, history, progress
from chalicelib.tracking.schemas import HeartbeatIn
from tests.integration.tracking_support import Catalog


@pytest.fixture
def cat(conn) -> Catalog:
    return Catalog(conn)


def beat(conn, user_id, media_id, position, duration=1000.0, episode_id=None):
    body = HeartbeatIn(media_id=media_id, episode_id=episode_id, position_seconds=position,
                       duration_seconds=duration)
    return progress.record_heartbeat(conn, user_id, body)


def history_rows(conn, user_id, media_id):
    return conn.execute("SELECT * FROM user_watched WHERE user_id = %s AND media_id = %s ORDER BY watched_at",
                        (user_id, media_id)).fetchall()


def test_heartbeat_below_threshold_saves_the_resume_point_only(conn, cat):
    user, movie = cat.user(), cat.movie()
    outcome = beat(conn, user, movie, 300)
    assert outcome.created and not outcome.result.completed and not outcome.result.history_recorded
    assert outcome.result.position_seconds == 300
    assert history_rows(conn, user, movie) == []
    [point] = progress.resume_points(conn, user, movie)
    assert (point.position_seconds, point.duration_seconds, point.percent) == (300, 1000, 30.0)
    beat(conn, user, movie, 420)
    assert progress.resume_points(conn, user, movie)[0].position_seconds == 420


def test_reaching_90_percent_records_one_watch_and_clears_the_resume_point(conn, cat):
    user, movie = cat.user(), cat.movie()
    beat(conn, user, movie, 899)
    assert history_rows(conn, user, movie) == []
    outcome = beat(conn, user, movie, 900)
    assert outcome.result.completed and outcome.result.history_recorded
    assert outcome.result.position_seconds == 0
    [row] = history_rows(conn, user, movie)
    assert row["source"] == "player" and row["episode_id"] is None
    assert progress.resume_points(conn, user, movie) == []


def test_the_same_completing_heartbeat_twice_writes_one_history_row(conn, cat):
    user, movie = cat.user(), cat.movie()
    first = beat(conn, user, movie, 950)
    second = beat(conn, user, movie, 950)
    third = beat(conn, user, movie, 1000)  # the credits keep heartbeating
    assert first.result.history_recorded
    assert not second.result.history_recorded and not third.result.history_recorded
    assert second.result.completed
    assert len(history_rows(conn, user, movie)) == 1


def test_the_threshold_is_the_users_preference(conn, cat):
    user, other, movie = cat.user(), cat.user(), cat.movie()
    cat.threshold(user, 75)
    assert beat(conn, user, movie, 760).result.history_recorded
    assert not beat(conn, other, movie, 760).result.history_recorded  # default 90


def test_a_late_heartbeat_from_before_the_end_does_not_reopen_the_watch(conn, cat):
    user, movie = cat.user(), cat.movie()
    beat(conn, user, movie, 950)
    late = beat(conn, user, movie, 880)  # delivered after the completing one
    assert late.result.completed and late.result.position_seconds == 0
    beat(conn, user, movie, 950)
    assert len(history_rows(conn, user, movie)) == 1


def test_a_rewatch_after_the_grace_period_is_a_new_history_row(conn, cat):
    user, movie = cat.user(), cat.movie()
    beat(conn, user, movie, 950)
    conn.execute("UPDATE user_progress SET completed_at = completed_at - interval '1 day' WHERE user_id = %s",
                 (user,))
    reopened = beat(conn, user, movie, 30)
    assert not reopened.result.completed and reopened.result.position_seconds == 30
    assert [p.position_seconds for p in progress.resume_points(conn, user, movie)] == [30]
    assert beat(conn, user, movie, 990).result.history_recorded
    assert len(history_rows(conn, user, movie)) == 2


def test_episode_heartbeats_track_each_episode_separately(conn, cat):
    user = cat.user()
    show, eps = cat.show()
    beat(conn, user, show, 100, 1500, eps[(1, 1)])
    beat(conn, user, show, 1400, 1500, eps[(1, 2)])
    points = progress.resume_points(conn, user, show)
    assert [(p.episode.season_number, p.episode.episode_number) for p in points] == [(1, 1)]
    [row] = history_rows(conn, user, show)
    assert row["episode_id"] == eps[(1, 2)]


@pytest.mark.parametrize("case", ["unknown_media", "unknown_episode", "other_show", "game", "show_without_episode",
                                  "movie_with_episode"])
def test_heartbeats_for_things_that_cannot_be_played_are_refused(conn, cat, case):
    user, movie, game = cat.user(), cat.movie(), cat.game()
    show, eps = cat.show()
    _, other_eps = cat.show()
    media_id, episode_id, error = {
        "unknown_media": (10**12, None, errors.MediaNotFound),
        "unknown_episode": (show, 10**12, errors.EpisodeNotFound),
        "other_show": (show, other_eps[(1, 1)], errors.EpisodeNotFound),
        "game": (game, None, errors.WrongMediaType),
        "show_without_episode": (show, None, errors.WrongMediaType),
        "movie_with_episode": (movie, eps[(1, 1)], errors.WrongMediaType),
    }[case]
    with pytest.raises(error):
        beat(conn, user, media_id, 10, 100, episode_id)
    assert cat.count("user_progress", user) == 0 and cat.count("user_watched", user) == 0


def test_marking_an_episode_watched_closes_its_resume_point(conn, cat):
    user = cat.user()
    show, eps = cat.show()
    beat(conn, user, show, 100, 1500, eps[(1, 1)])
    history.mark_watched(conn, user, show, eps[(1, 1)], None)
    assert progress.resume_points(conn, user, show) == []


def test_continue_watching_lists_started_items_and_each_shows_next_episode(conn, cat):
    user = cat.user()
    movie, finished_movie = cat.movie(), cat.movie()
    show, eps = cat.show({1: 3, 2: 2})
    started_show, started_eps = cat.show({1: 2})
    done_show, done_eps = cat.show({1: 1})
    beat(conn, user, movie, 100)
    beat(conn, user, finished_movie, 999)
    history.mark_watched(conn, user, show, eps[(1, 1)], None)
    history.mark_watched(conn, user, show, eps[(1, 3)], None)
    history.mark_watched(conn, user, started_show, started_eps[(1, 1)], None)
    beat(conn, user, started_show, 60, 1200, started_eps[(1, 2)])
    history.mark_watched(conn, user, done_show, done_eps[(1, 1)], None)

    items = progress.continue_watching(conn, user).items
    by_media = {item.media.id: item for item in items}
    assert set(by_media) == {movie, show, started_show}
    assert by_media[movie].kind == "resume" and by_media[movie].percent == 10.0
    assert by_media[show].kind == "next"
    assert (by_media[show].episode.season_number, by_media[show].episode.episode_number) == (2, 1)
    assert by_media[started_show].kind == "resume" and by_media[started_show].episode.id == started_eps[(1, 2)]
    assert by_media[show].media.title and by_media[show].media.media_type == "show"


def test_the_next_episode_skips_watched_and_unaired_episodes(conn, cat):
    user = cat.user()
    show, eps = cat.show({1: 3}, unaired={1: 2})
    history.mark_watched(conn, user, show, eps[(1, 1)], None)
    history.mark_watched(conn, user, show, eps[(1, 3)], None)
    assert progress.show_progress(conn, user, show).next_episode is None  # E4, E5 have not aired
    conn.execute("DELETE FROM user_watched WHERE episode_id = %s", (eps[(1, 3)],))
    assert progress.show_progress(conn, user, show).next_episode.id == eps[(1, 2)]


def test_show_progress_counts_aired_regular_episodes_per_season(conn, cat):
    user = cat.user()
    show, eps = cat.show({0: 2, 1: 3, 2: 2}, unaired={2: 1})
    fresh = progress.show_progress(conn, user, show)
    assert (fresh.aired, fresh.watched, fresh.percent, fresh.completed) == (5, 0, 0.0, False)
    assert fresh.next_episode.id == eps[(1, 1)]
    history.mark_bulk(conn, user, show, 1, None)
    history.mark_watched(conn, user, show, eps[(0, 1)], None)
    history.mark_watched(conn, user, show, eps[(1, 1)], None)  # a rewatch counts once
    result = progress.show_progress(conn, user, show)
    assert (result.aired, result.watched, result.percent) == (5, 3, 60.0)
    seasons = {s.season_number: s for s in result.seasons}
    assert (seasons[0].aired, seasons[0].watched) == (2, 1)
    assert (seasons[1].watched, seasons[1].completed) == (3, True)
    assert (seasons[2].aired, seasons[2].watched, len(seasons[2].episodes)) == (2, 0, 3)
    assert seasons[1].episodes[0].plays == 2
    assert result.next_episode.id == eps[(2, 1)]
    assert result.last_watched_at is not None


def test_show_progress_of_a_movie_is_refused(conn, cat):
    with pytest.raises(errors.WrongMediaType):
        progress.show_progress(conn, cat.user(), cat.movie())


# Concurrency: separate connections that commit, on a database of their own.


@pytest.fixture
def shared(app_db):
    connections: list[psycopg.Connection] = []

    def connect(autocommit: bool = True) -> psycopg.Connection:
        connection = psycopg.connect(app_db, autocommit=autocommit, row_factory=dict_row)
        connections.append(connection)
        return connection

    yield connect
    for connection in connections:
        connection.close()


def _race(connect, user, media_id, position, workers=2, episode_id=None):
    barrier = threading.Barrier(workers)
    results, failures = [], []

    def run():
        with connect() as connection:
            barrier.wait()
            try:
                results.append(beat(connection, user, media_id, position, 1000.0, episode_id))
            except Exception as exc:  # surfaced by the assertion below
                failures.append(exc)

    threads = [threading.Thread(target=run) for _ in range(workers)]
    for thread in threads:
        thread.start()
    return threads, results, failures


def test_concurrent_completing_heartbeats_record_one_watch(shared):
    setup = shared()
    cat = Catalog(setup)
    user, movie = cat.user(), cat.movie()
    beat(setup, user, movie, 500)
    # Hold the row so both heartbeats queue behind the same lock, then let them go together.
    blocker = shared(autocommit=False)
    blocker.execute("SELECT 1 FROM user_progress WHERE user_id = %s FOR UPDATE", (user,))
    threads, results, failures = _race(shared, user, movie, 950, workers=4)
    threading.Event().wait(0.3)
    blocker.commit()
    for thread in threads:
        thread.join(10)
    assert failures == [] and len(results) == 4
    assert sum(r.result.history_recorded for r in results) == 1
    assert cat.count("user_watched", user) == 1


def test_concurrent_first_heartbeats_record_one_watch(shared):
    setup = shared()
    cat = Catalog(setup)
    user, movie = cat.user(), cat.movie()
    for _ in range(5):  # no row yet: both race to insert it
        setup.execute("DELETE FROM user_progress WHERE user_id = %s", (user,))
        setup.execute("DELETE FROM user_watched WHERE user_id = %s", (user,))
        threads, results, failures = _race(shared, user, movie, 990, workers=3)
        for thread in threads:
            thread.join(10)
        assert failures == []
        assert sum(r.result.history_recorded for r in results) == 1
        assert cat.count("user_watched", user) == 1


def test_a_heartbeat_racing_an_uncommitted_insert_still_records_the_watch(shared):
    """The other session inserts the row below the threshold; this one crosses it and must not lose the watch."""
    setup = shared()
    cat = Catalog(setup)
    user, movie = cat.user(), cat.movie()
    other = shared(autocommit=False)
    beat(other, user, movie, 100)  # inserted, not committed
    threads, results, failures = _race(shared, user, movie, 950, workers=1)
    threading.Event().wait(0.3)
    other.commit()
    threads[0].join(10)
    assert failures == [] and results[0].result.history_recorded
    assert cat.count("user_watched", user) == 1


def test_an_ordinary_heartbeat_commits_asynchronously_a_watch_durably_and_nothing_leaks(shared):
    from chalicelib import db

    connection = shared()
    cat = Catalog(connection)
    user, movie = cat.user(), cat.movie()
    params = {"user_id": user, "media_id": movie, "episode_id": None, "duration_seconds": 1000.0,
              "reopen_grace_seconds": progress.REOPEN_GRACE_SECONDS}
    ordinary = db.queries().tracking_heartbeat(connection, **params, position_seconds=300.0)
    assert ordinary["commit_mode"] == "off" and not ordinary["history_recorded"]
    # Local to the statement's own transaction: the pooled session keeps the server's setting.
    assert connection.execute("SHOW synchronous_commit").fetchone()["synchronous_commit"] == "on"
    watched = db.queries().tracking_heartbeat(connection, **params, position_seconds=950.0)
    assert watched["commit_mode"] == "on" and watched["history_recorded"]
    assert len(history_rows(connection, user, movie)) == 1


def test_only_the_heartbeat_crossing_the_prefetch_point_is_told_to_claim(conn, cat):
    user, (show, episodes) = cat.user(), cat.show({1: 2})
    crossings = [beat(conn, user, show, position, 1000.0, episodes[(1, 1)]).prior_due
                 for position in (100, 400, 600, 700, 800)]
    assert crossings == [False, False, False, True, True]  # 600 crosses 50%: the later ones were due already
    assert beat(conn, user, show, 950, 1000.0, episodes[(1, 1)]).prior_due  # completion
    # A rewatch after the grace period starts below the point again.
    conn.execute("UPDATE user_progress SET completed_at = now() - interval '1 hour' WHERE user_id = %s", (user,))
    assert beat(conn, user, show, 100, 1000.0, episodes[(1, 1)]).prior_due  # replaced a completed point
    assert not beat(conn, user, show, 600, 1000.0, episodes[(1, 1)]).prior_due
