"""TMDB's absolute retry: a season whose page answers 404 gets its episodes by absolute number."""

from __future__ import annotations

import catalog_support
import pytest

from embedded.fakes.tmdb import FakeTmdb

TITLE = "Kessen Academy"
SEASONS = ((12, "2019-04-06"), (13, "2020-10-02"), (24, "2022-01-09"))


@pytest.fixture(scope="module")
def demo_template(template_url):
    yield from catalog_support.demo_template(template_url)


@pytest.fixture
def app_db(demo_template):
    yield from catalog_support.app_database(demo_template)


@pytest.fixture
def tmdb(settings_env):
    fake = FakeTmdb(seed=False).start()
    settings_env(**catalog_support.upstream_env(fake, None))
    yield fake
    fake.stop()


def _show_details(tmdb_id: int):
    from chalicelib.catalog import details, tmdb_map
    from chalicelib.catalog.tmdb import TmdbClient

    with TmdbClient(details.request_settings()) as api:
        return tmdb_map.show_details(api.show(tmdb_id))


def test_tmdb_absolute_retry_fills_a_season_whose_page_answers_404(client, tmdb):
    show = tmdb.add_show(90001, TITLE, seasons=list(SEASONS), original_language="ja")
    show["_gone_seasons"] = [2]
    tmdb.add_absolute_group(90001)

    record = _show_details(90001)

    assert record is not None and record.seasons is not None
    second = next(s for s in record.seasons if s.season_number == 2)
    assert [e.episode_number for e in second.episodes or ()] == list(range(1, 14))
    assert [e.tmdb_id for e in second.episodes or ()] == [90001 * 1000 + 200 + n for n in range(1, 14)]
    assert tmdb.paths("/3/tv/90001/episode_groups") and tmdb.paths("/3/tv/episode_group/")


def test_tmdb_absolute_retry_cuts_missing_seasons_from_a_flat_first_season(client, tmdb):
    show = tmdb.add_show(90002, TITLE, seasons=[(49, "2019-04-06"), (13, "2020-10-02"), (24, "2022-01-09")])
    show["_seasons"][0]["episode_count"] = 12  # TMDB lists 12 but holds all 49 in season 1
    show["_gone_seasons"] = [2, 3]

    record = _show_details(90002)

    assert record is not None and record.seasons is not None
    third = next(s for s in record.seasons if s.season_number == 3)
    assert [(e.season_number, e.episode_number, e.name) for e in third.episodes or ()][:2] == [
        (3, 1, "Episode 26"), (3, 2, "Episode 27")]
    assert len(third.episodes or ()) == 24


def test_a_show_whose_seasons_all_answer_needs_no_episode_group(client, tmdb):
    tmdb.add_show(90003, TITLE, seasons=list(SEASONS))
    assert _show_details(90003) is not None
    assert tmdb.paths("/3/tv/90003/episode_groups") == []
