"""Anime numbering against the fake Jikan (MAL) and the fake TMDB: the sequel chain, Jikan's rate limit, the
caches, a scanned absolute-numbered file, a release search's absolute number, and TMDB's absolute retry."""

from __future__ import annotations

from datetime import date

import catalog_support
import pytest

from embedded.fakes.jikan import FakeJikan
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
def jikan(settings_env):
    """The fake Jikan with a 3-season chain: S1 -> a movie -> S2 -> S3 (still airing, 24 listed, 10 a page)."""
    fake = FakeJikan(per_page=10).start()
    fake.add_anime(101, TITLE, 12, SEASONS[0][1], title_english="Kessen Academy")
    fake.add_anime(150, f"{TITLE} Movie: Interlude", 1, "2020-06-01", kind="Movie")
    fake.add_anime(202, f"{TITLE} 2nd Season", 13, SEASONS[1][1])
    fake.add_anime(303, f"{TITLE} Final Season", None, SEASONS[2][1], listed_episodes=24)
    fake.add_anime(404, f"{TITLE} OVA", 2, "2021-03-01", kind="OVA")
    for first, second in ((101, 150), (150, 202), (202, 303)):
        fake.relate(first, "Sequel", second)
        fake.relate(second, "Prequel", first)
    fake.relate(202, "Side story", 404)
    settings_env(JIKAN_BASE_URL=fake.url, SEEN_CATALOG_BACKOFF="0.01")
    yield fake
    fake.stop()


def _store_show(*, with_season_two: bool = True, flat: bool = False, tmdb_id: int | None = None) -> int:
    """The anime in the catalog as TMDB has it: seasons of 12, 13 and 24 (season 2's episodes maybe missing),
    or one flat season of 49."""
    from chalicelib import db
    from chalicelib.catalog import store
    from chalicelib.catalog.records import EpisodeRecord, GenreRef, MediaRecord, SeasonRecord

    counts = [49] if flat else [count for count, _ in SEASONS]
    seasons = [SeasonRecord(n, name=f"Season {n}", episode_count=count,
                            episodes=[EpisodeRecord(n, e, name=f"S{n}E{e}") for e in range(1, count + 1)]
                            if with_season_two or n != 2 else None)
               for n, count in enumerate(counts, start=1)]
    record = MediaRecord("show", TITLE, tmdb_id=tmdb_id, release_date=date(2019, 4, 6), original_language="ja",
                         genres=[GenreRef("tmdb", 16)], seasons=seasons)
    with db.transaction() as conn:
        store.save(conn, [record])
    return catalog_support.media_id(TITLE, "show")


def _numbering(media_id: int):
    from chalicelib import db
    from chalicelib.anime import service

    with db.transaction() as conn:
        return service.numbering(conn, media_id)


def test_numbering_walks_the_sequel_chain_of_tv_entries_and_is_cached(client, jikan, redis_client):
    media_id = _store_show()

    found = _numbering(media_id)

    assert found is not None
    assert [(s.mal_id, s.episodes) for s in found.seasons] == [(101, 12), (202, 13), (303, 24)]
    assert jikan.paths("/v4/anime/303/episodes") == ["/v4/anime/303/episodes"] * 3  # airing: counted by pages
    asked = len(jikan.requests)
    assert _numbering(media_id) == found and len(jikan.requests) == asked  # Redis
    redis_client.flushdb()
    assert _numbering(media_id) == found and len(jikan.requests) == asked  # Postgres, fetched this week
    stored = catalog_support.rows("SELECT mal_id FROM anime_mappings WHERE media_id = %(id)s", id=media_id)
    assert stored == [{"mal_id": 101}]


def test_a_show_that_is_not_anime_never_asks_jikan(client, jikan):
    assert _numbering(catalog_support.media_id("Breaking Bad", "show")) is None
    assert jikan.requests == []


def test_with_jikan_off_an_anime_has_no_numbering_and_none_is_stored(client):
    media_id = _store_show()
    assert _numbering(media_id) is None
    assert catalog_support.rows("SELECT media_id FROM anime_mappings") == []


def test_jikan_requests_stay_within_its_published_limits_and_a_429_is_waited_out(client, jikan):
    from chalicelib.anime.client import JikanClient
    from chalicelib.config import get_settings

    jikan.fail("/v4/anime", 429, retry_after=1)
    with JikanClient(get_settings().catalog) as api:
        hits = [api.search(f"{TITLE} {n}") for n in range(5)]
        assert api.search(TITLE)[0]["mal_id"] == 101

    assert hits[0] == [] and len(jikan.requests) == 7  # the 429, then 6 answers
    assert jikan.over_limit == 0
    times = [r.at for r in jikan.requests]
    assert max(sum(1 for t in times if start <= t < start + 1) for start in times) <= 3
    assert times[-1] - times[0] >= 4  # 1 a second after a burst of 2 (and the 1 s Retry-After)


def test_a_scanned_absolute_numbered_file_lands_on_its_season_and_episode(client, jikan, auth_headers):
    from test_library_api import deliver, event_for, item_by_key

    _store_show(with_season_two=False)  # TMDB gave no episodes for season 2: counting rows would be wrong
    admin = auth_headers(role="admin")
    path = f"Anime/{TITLE}/[SubsPlease] {TITLE} - 27 (1080p).mkv"

    deliver(client, event_for(path))

    item = item_by_key(client, admin, f"media/library/{path}")
    assert item["matchState"] == "matched", item["candidates"][:1]
    assert (item["episode"]["season"], item["episode"]["episode"]) == (3, 2)


def test_a_file_named_by_mal_season_lands_in_a_flat_catalog_season(client, jikan, auth_headers):
    from test_library_api import deliver, event_for, item_by_key

    _store_show(flat=True)  # TMDB keeps all 49 episodes in season 1; the file counts MAL's seasons
    admin = auth_headers(role="admin")
    path = f"Anime/{TITLE}/{TITLE} S03E02 1080p.mkv"

    deliver(client, event_for(path))

    item = item_by_key(client, admin, f"media/library/{path}")
    assert item["matchState"] == "matched", item["candidates"][:1]
    assert (item["episode"]["season"], item["episode"]["episode"]) == (1, 27)


def test_a_release_named_by_absolute_number_is_accepted_for_the_wanted_episode(client, jikan):
    from chalicelib import db
    from chalicelib.sources import anime_numbers
    from chalicelib.sources.release import parse_release
    from chalicelib.sources.scoring_match import episode_mismatch
    from chalicelib.sources.scoring_types import Target

    media_id = _store_show()
    release = parse_release(f"[SubsPlease] {TITLE} - 27 (1080p) [ABCD1234].mkv")
    wanted = Target(media_type="show", title=TITLE, year=2019, season=3, episode=2, runtime_minutes=24)
    assert episode_mismatch(release, 3, 2, wanted.absolute_episode) is not None  # nothing says 27 is S03E02
    with db.transaction() as conn:
        target = anime_numbers.with_absolute(conn, media_id, wanted)
        other = anime_numbers.with_absolute(conn, catalog_support.media_id("Breaking Bad", "show"), wanted)

    assert target.absolute_episode == 27 and other.absolute_episode is None
    assert episode_mismatch(release, 3, 2, target.absolute_episode) is None
    assert episode_mismatch(release, 3, 3, 28) is not None


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
