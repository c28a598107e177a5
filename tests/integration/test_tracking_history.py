"""Watch history: marking, bulk season/show marks in one statement, unmarking, the history list."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.tracking import errors, history
from chalicelib.tracking.schemas import HistoryQuery
from tests.integration.tracking_support import Catalog, CountingCursor


@pytest.fixture
def cat(conn) -> Catalog:
    return Catalog(conn)


@pytest.fixture
def counted(conn):
    """Count the statements the code under test sends on ``conn``."""
    CountingCursor.statements = []
    original, conn.cursor_factory = conn.cursor_factory, CountingCursor
    yield CountingCursor.statements
    conn.cursor_factory = original


def test_marking_a_movie_twice_is_a_rewatch(conn, cat):
    user, movie = cat.user(), cat.movie(title="Heat")
    first = history.mark_watched(conn, user, movie, None, datetime(2020, 5, 1, tzinfo=UTC))
    second = history.mark_watched(conn, user, movie, None, None)
    assert first.id != second.id and first.media.title == "Heat" and first.episode is None
    assert first.watched_at == datetime(2020, 5, 1, tzinfo=UTC) and first.source == "manual"
    assert cat.count("user_watched", user) == 2


def test_marking_an_episode_returns_it_with_its_numbers(conn, cat):
    user = cat.user()
    show, eps = cat.show()
    entry = history.mark_watched(conn, user, show, eps[(2, 1)], None)
    assert (entry.episode.id, entry.episode.season_number, entry.episode.episode_number) == (eps[(2, 1)], 2, 1)


@pytest.mark.parametrize("case", ["unknown", "game", "show_only", "foreign_episode", "movie_episode"])
def test_marks_that_make_no_sense_write_nothing(conn, cat, case):
    user, movie, game = cat.user(), cat.movie(), cat.game()
    show, eps = cat.show()
    _, other_eps = cat.show()
    media_id, episode_id, error = {
        "unknown": (10**15, None, errors.MediaNotFound),
        "game": (game, None, errors.WrongMediaType),
        "show_only": (show, None, errors.WrongMediaType),
        "foreign_episode": (show, other_eps[(1, 1)], errors.EpisodeNotFound),
        "movie_episode": (movie, eps[(1, 1)], errors.WrongMediaType),
    }[case]
    with pytest.raises(error):
        history.mark_watched(conn, user, media_id, episode_id, None)
    assert cat.count("user_watched", user) == 0


def test_marking_a_season_is_one_statement_and_skips_unaired_and_watched(conn, cat, counted):
    user = cat.user()
    show, eps = cat.show({1: 4, 2: 2}, unaired={1: 2})
    history.mark_watched(conn, user, show, eps[(1, 2)], None)
    counted.clear()
    result = history.mark_bulk(conn, user, show, 1, None)
    assert len(counted) == 1, counted
    assert (result.added, result.season_number) == (3, 1)
    watched = {r["episode_id"] for r in conn.execute(
        "SELECT episode_id FROM user_watched WHERE user_id = %s", (user,)).fetchall()}
    assert watched == {eps[(1, n)] for n in (1, 2, 3, 4)}
    assert history.mark_bulk(conn, user, show, 1, None).added == 0  # idempotent


def test_marking_a_whole_show_is_one_statement_and_leaves_specials_out(conn, cat, counted):
    user = cat.user()
    show, _ = cat.show({0: 3, 1: 10, 2: 10, 3: 10})
    counted.clear()
    result = history.mark_bulk(conn, user, show, None, datetime(2021, 1, 1, tzinfo=UTC))
    assert len(counted) == 1, counted
    assert result.added == 30
    specials = conn.execute("SELECT count(*) AS n FROM user_watched w JOIN episodes e ON e.id = w.episode_id "
                            "WHERE w.user_id = %s AND e.season_number = 0", (user,)).fetchone()["n"]
    assert specials == 0
    assert {r["watched_at"] for r in conn.execute(
        "SELECT watched_at FROM user_watched WHERE user_id = %s", (user,))} == {datetime(2021, 1, 1, tzinfo=UTC)}


def test_marking_season_zero_explicitly_marks_the_specials(conn, cat):
    user = cat.user()
    show, _ = cat.show({0: 2, 1: 1})
    assert history.mark_bulk(conn, user, show, 0, None).added == 2


def test_bulk_marks_of_unknown_seasons_and_non_shows_are_refused(conn, cat):
    user, movie = cat.user(), cat.movie()
    show, _ = cat.show({1: 2})
    with pytest.raises(errors.SeasonNotFound):
        history.mark_bulk(conn, user, show, 7, None)
    with pytest.raises(errors.WrongMediaType):
        history.mark_bulk(conn, user, movie, None, None)
    with pytest.raises(errors.MediaNotFound):
        history.mark_bulk(conn, user, 10**15, None, None)
    assert cat.count("user_watched", user) == 0


def test_unmark_latest_removes_only_the_most_recent_watch(conn, cat):
    user, movie = cat.user(), cat.movie()
    old = history.mark_watched(conn, user, movie, None, datetime(2019, 1, 1, tzinfo=UTC))
    history.mark_watched(conn, user, movie, None, datetime(2022, 1, 1, tzinfo=UTC))
    assert history.unmark(conn, user, movie, None, None, latest_only=True) == 1
    [left] = conn.execute("SELECT id FROM user_watched WHERE user_id = %s", (user,)).fetchall()
    assert left["id"] == old.id


def test_unmark_all_of_a_season_leaves_other_seasons(conn, cat):
    user = cat.user()
    show, eps = cat.show({1: 2, 2: 2})
    history.mark_bulk(conn, user, show, None, None)
    history.mark_watched(conn, user, show, eps[(1, 1)], None)
    assert history.unmark(conn, user, show, None, 1, latest_only=False) == 3
    assert history.unmark(conn, user, show, eps[(2, 2)], None, latest_only=False) == 1
    assert history.unmark(conn, user, show, eps[(2, 2)], None, latest_only=False) == 0
    assert cat.count("user_watched", user) == 1


def test_unmark_checks_the_episode_belongs_to_the_show(conn, cat):
    user = cat.user()
    show, _ = cat.show()
    _, other_eps = cat.show()
    with pytest.raises(errors.EpisodeNotFound):
        history.unmark(conn, user, show, other_eps[(1, 1)], None, latest_only=True)


def test_one_users_unmark_and_delete_never_touch_another_users_history(conn, cat):
    alice, bob, movie = cat.user(), cat.user(), cat.movie()
    bobs = history.mark_watched(conn, bob, movie, None, None)
    assert history.unmark(conn, alice, movie, None, None, latest_only=False) == 0
    with pytest.raises(errors.WatchedEntryNotFound):
        history.delete_entry(conn, alice, bobs.id)
    assert cat.count("user_watched", bob) == 1
    history.delete_entry(conn, bob, bobs.id)
    assert cat.count("user_watched", bob) == 0


def test_history_filters_by_type_title_and_date_range(conn, cat):
    user, other = cat.user(), cat.user()
    movie = cat.movie()
    show, eps = cat.show()
    base = datetime(2023, 3, 10, 12, tzinfo=UTC)
    history.mark_watched(conn, user, movie, None, base)
    history.mark_watched(conn, user, show, eps[(1, 1)], base + timedelta(days=1))
    history.mark_watched(conn, user, show, eps[(1, 2)], base + timedelta(days=2))
    history.mark_watched(conn, other, movie, None, base)

    def ids(**params):
        entries, total = history.list_history(conn, user, HistoryQuery.model_validate(params))
        return [(e.media.id, e.episode.episode_number if e.episode else None) for e in entries], total

    assert ids() == ([(show, 2), (show, 1), (movie, None)], 3)
    assert ids(mediaType="movie") == ([(movie, None)], 1)
    assert ids(mediaId=str(show), pageSize="1", page="2") == ([(show, 1)], 2)
    assert ids(**{"from": "2023-03-11", "to": "2023-03-11"}) == ([(show, 1)], 1)
    assert ids(**{"from": "2023-03-11T12:00:00Z"}) == ([(show, 2), (show, 1)], 2)
    assert ids(page="9") == ([], 3)


def test_a_season_marked_at_once_is_listed_in_episode_order(conn, cat):
    user = cat.user()
    show, _ = cat.show({1: 6})
    history.mark_bulk(conn, user, show, 1, None)
    entries, _ = history.list_history(conn, user, HistoryQuery())
    assert [e.episode.episode_number for e in entries] == [6, 5, 4, 3, 2, 1]
