"""Catalog pieces that need no services: rate limiting, upstream mapping, search terms, bundled data."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path

import httpx
import pytest

from chalicelib.catalog import igdb_map, tmdb_map, upstream
from chalicelib.catalog.records import MediaRecord, PlatformInfo, slugify
from chalicelib.catalog.search import terms

DEMO = Path(__file__).resolve().parents[2] / "chalicelib" / "catalog" / "demo_data"


class Clock:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_token_bucket_allows_a_burst_then_spaces_calls_at_the_rate():
    clock = Clock()
    bucket = upstream.TokenBucket(4, clock=clock, sleep=clock.sleep)

    for _ in range(4):
        assert bucket.acquire() == 0
    waits = [bucket.acquire() for _ in range(3)]

    assert waits == pytest.approx([0.25, 0.25, 0.25])
    clock.now += 10  # idle time refills, but never beyond the burst size
    assert [bucket.acquire() for _ in range(4)] == [0, 0, 0, 0]
    assert bucket.acquire() == pytest.approx(0.25)


def test_retry_after_reads_seconds_and_http_dates():
    assert upstream.retry_after_seconds(httpx.Response(429, headers={"Retry-After": "3"}), 9) == 3
    assert upstream.retry_after_seconds(httpx.Response(429), 9) == 9
    assert upstream.retry_after_seconds(httpx.Response(429, headers={"Retry-After": "soon"}), 9) == 9
    past = upstream.retry_after_seconds(httpx.Response(429, headers={"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}),
                                        9)
    assert past == 0


def test_record_keys_prefer_upstream_ids_then_title_and_year():
    assert MediaRecord("movie", "The Matrix", tmdb_id=603).key == "movie:tmdb:603"
    assert MediaRecord("game", "Hades", igdb_id=113112).key == "game:igdb:113112"
    assert MediaRecord("game", "Hades II", release_date=date(2025, 9, 25)).key == "game:title:hades ii:2025"


def test_record_rows_keep_values_inside_the_schema_rules():
    row = MediaRecord("movie", "X", vote_average=11.2, runtime_minutes=0, imdb_id="nm123", original_language="EN",
                      popularity=-1).row()
    assert row["vote_average"] == 10 and row["runtime_minutes"] is None
    assert row["imdb_id"] is None and row["original_language"] is None and row["popularity"] is None


def test_countries_are_read_from_origin_country_else_production_countries_and_cleaned():
    show = tmdb_map.show_summary({"id": 1, "name": "Dark", "origin_country": ["DE"]})
    movie = tmdb_map.movie_details({"id": 2, "title": "Parasite", "origin_country": [],
                                    "production_countries": [{"iso_3166_1": "KR", "name": "South Korea"}]})
    listed = tmdb_map.movie_summary({"id": 3, "title": "Listed"})  # TMDB's movie lists carry neither field
    assert (show.origin_countries, movie.origin_countries, listed.origin_countries) == (["DE"], ["KR"], None)
    assert listed.row()["origin_countries"] is None  # the stored countries are kept
    row = MediaRecord("movie", "X", origin_countries=["us", "US", "GBR", "", 7, "fr "]).row()
    assert row["origin_countries"] == ["US", "FR"]


def test_slugs_match_the_schema_pattern():
    assert slugify("Sci-Fi & Fantasy") == "sci-fi-fantasy"
    assert slugify("Role-playing (RPG)") == "role-playing-rpg"
    assert PlatformInfo(slug="ps4--1", name="PlayStation 4").slug == "ps4-1"
    assert slugify("日本語") == "x"


def test_tmdb_movie_details_map_to_a_record():
    record = tmdb_map.movie_details({
        "id": 603, "title": "The Matrix", "original_title": "The Matrix", "release_date": "1999-03-31",
        "runtime": 136, "status": "Released", "tagline": "Welcome to the Real World.", "imdb_id": "tt0133093",
        "genres": [{"id": 28, "name": "Action"}], "vote_average": 8.2, "vote_count": 26000, "popularity": 80.1,
        "belongs_to_collection": {"id": 2344, "name": "The Matrix Collection"},
        "similar": {"results": [{"id": 604, "title": "The Matrix Reloaded", "release_date": "2003-05-15",
                                 "genre_ids": [28]}]},
        "recommendations": {"results": []},
    })
    assert (record.key, record.runtime_minutes, record.status, record.details) == ("movie:tmdb:603", 136,
                                                                                  "released", True)
    assert [g.external_id for g in record.genres] == [28]
    assert record.franchises[0].external_id == 2344 and record.franchises[0].source == "tmdb"
    assert [r.key for r in record.related["similar"]] == ["movie:tmdb:604"]


def test_tmdb_show_details_with_appended_seasons_map_episodes():
    record = tmdb_map.show_record({
        "id": 1396, "name": "Breaking Bad", "first_air_date": "2008-01-20", "status": "Returning Series",
        "episode_run_time": [47], "last_air_date": "2013-09-29", "external_ids": {"imdb_id": "tt0903747",
                                                                                  "tvdb_id": 81189},
        "seasons": [{"id": 3572, "season_number": 1, "name": "Season 1", "episode_count": 7,
                     "air_date": "2008-01-20"}],
        "season/1": {"episodes": [{"id": 62085, "episode_number": 1, "name": "Pilot", "air_date": "2008-01-20",
                                   "runtime": 58, "still_path": "/still.jpg"}]},
    })
    assert record.status == "returning" and record.runtime_minutes == 47 and record.tvdb_id == 81189
    [season] = record.seasons
    assert season.episode_count == 7 and season.episodes[0].name == "Pilot"
    assert season.episodes[0].air_date == date(2008, 1, 20) and season.episodes[0].runtime_minutes == 58


def test_list_items_without_a_title_or_id_are_skipped():
    assert tmdb_map.movie_summary({"id": 5}) is None
    assert tmdb_map.show_summary({"name": "No id"}) is None
    assert igdb_map.game({"id": 1, "name": "  "}) is None


def test_igdb_games_map_ratings_statuses_and_release_precision():
    record = igdb_map.game({
        "id": 1942, "name": "The Witcher 3: Wild Hunt", "first_release_date": 1431993600, "total_rating": 92.6,
        "total_rating_count": 3000, "hypes": 10, "status": 4, "cover": {"id": 1, "image_id": "co1wyy"},
        "genres": [{"id": 12, "name": "Role-playing (RPG)", "slug": "role-playing-rpg"}],
        "themes": [{"id": 17, "name": "Fantasy", "slug": "fantasy"}],
        "platforms": [{"id": 6, "name": "PC (Microsoft Windows)", "abbreviation": "PC", "slug": "win"}],
        "release_dates": [{"platform": 6, "date": 1431993600, "category": 0},
                          {"platform": 6, "date": 1420070400, "category": 2}],
        "franchise": {"id": 452, "name": "The Witcher", "slug": "the-witcher"},
        "dlcs": [{"id": 2, "name": "A DLC"}], "expansions": [12, 13],
    }, details=True)
    assert record.vote_average == 9.26 and record.vote_count == 3000 and record.status == "early_access"
    assert record.release_date == date(2015, 5, 19) and record.poster_path == "co1wyy"
    assert {(g.kind, g.external_id) for g in record.genres} == {("genre", 12), ("theme", 17)}
    [pc] = record.platforms
    assert pc.release_date == date(2015, 1, 1) and pc.precision == "year"
    assert record.franchises[0].is_primary and record.franchises[0].external_id == 452
    assert [a.extra["category"] for a in record.related["dlc"]] == ["dlc"]
    assert record.related["expansion"] == []  # bare ids (not expanded) carry nothing to store


def test_igdb_queries_ask_for_what_the_mapping_reads():
    assert "release_dates.category" in igdb_map.SUMMARY_FIELDS and "cover.image_id" in igdb_map.SUMMARY_FIELDS
    assert "dlcs.name" in igdb_map.DETAIL_FIELDS and "similar_games.cover.image_id" in igdb_map.DETAIL_FIELDS
    queries = igdb_map.section_queries(1_800_000_000)
    assert set(queries) == {"recently_released", "most_anticipated", "popular"}
    assert all(body.endswith("limit 30;") for _, body in queries.values())
    assert igdb_map.detail_query(7).startswith("fields ") and "where id = 7;" in igdb_map.detail_query(7)


def test_search_terms_escape_like_wildcards_and_keep_only_words_for_full_text():
    assert terms("  The   MATRIX ")["q"] == "the matrix"
    assert terms("100%_off")["prefix"] == "100\\%\\_off%"
    assert terms("it's a-ha!")["tsquery"] == "it:* & s:* & a:* & ha:*"
    assert terms("!!!")["tsquery"] is None
    assert terms("ab")["fuzzy"] is False and terms("abc")["fuzzy"] is True


def _demo(name: str):
    return json.loads((DEMO / name).read_text())


def test_bundled_demo_data_is_consistent():
    movies, shows, games = _demo("movies.json"), _demo("shows.json"), _demo("games.json")
    assert len(movies) + len(shows) + len(games) >= 300
    matrix = [m for m in movies if m["title"] == "The Matrix"]
    assert matrix == [m for m in movies if m.get("tmdb") == 603] and matrix[0]["date"] == "1999-03-31"
    for items, key in ((movies, "tmdb"), (shows, "tmdb"), (games, "igdb")):
        ids = Counter(i[key] for i in items if i.get(key))
        assert not [k for k, n in ids.items() if n > 1], f"duplicate {key} ids"
        titles = Counter((i["title"], i.get("date", i.get("year"))) for i in items)
        assert not [t for t, n in titles.items() if n > 1]
    for item in movies + shows + games:
        assert item.get("date") or item.get("year") or item.get("status") == "planned", item["title"]
        assert 0 < len(item.get("overview", "x")) <= 300, item["title"]
    for item in movies + shows:
        assert item["countries"] and all(len(c) == 2 and c.isupper() for c in item["countries"]), item["title"]
    genre_ids = {g[0] for g in _demo("genres.json")["tmdb"]} | {g[0] for g in _demo("genres.json")["igdb"]}
    assert all(set(i.get("genres", ())) <= genre_ids for i in movies + shows + games)


def test_demo_seasons_add_up():
    for show in _demo("shows.json"):
        for season in show["seasons"]:
            parts = season[2]
            if isinstance(parts, list):
                assert sum(p[0] for p in parts) == season[1], (show["title"], season[0])
        numbers = [s[0] for s in show["seasons"]]
        assert numbers == sorted(set(numbers)), show["title"]


def test_demo_game_platforms_are_known():
    platforms = _demo("platforms.json")
    for game in _demo("games.json"):
        for spec in game["platforms"]:
            assert (spec if isinstance(spec, str) else spec[0]) in platforms, game["title"]


def test_the_bundled_curated_collections_are_valid():
    from chalicelib.catalog import curated

    collections = curated.collections()
    assert len(collections) >= 5
    assert len({c.key for c in collections}) == len(collections)


def test_an_invalid_collection_file_names_itself(tmp_path, monkeypatch):
    from chalicelib.catalog import curated

    (tmp_path / "broken.yaml").write_text("collections:\n  - key: Bad Key\n    title: x\n")
    monkeypatch.setattr(curated, "CURATED_DIR", tmp_path)
    curated.collections.cache_clear()
    try:
        with pytest.raises(curated.InvalidCollection, match=r"broken\.yaml"):
            curated.collections()
    finally:
        monkeypatch.undo()
        curated.collections.cache_clear()


def test_catalog_settings_parse_and_hide_secrets():
    from chalicelib.config import CatalogSettings, ConfigError

    settings = CatalogSettings.from_env({"TMDB_API_KEY": "k3y", "IGDB_CLIENT_ID": "id",
                                         "IGDB_CLIENT_SECRET": "s3cret", "TMDB_BASE_URL": "http://x/3/"})
    assert settings.tmdb_enabled and settings.igdb_enabled and settings.tmdb_base_url == "http://x/3"
    assert "k3y" not in repr(settings) and "s3cret" not in repr(settings)
    assert not CatalogSettings.from_env({"IGDB_CLIENT_ID": "only-id"}).igdb_enabled
    with pytest.raises(ConfigError, match="SEEN_SEARCH_SIMILARITY"):
        CatalogSettings.from_env({"SEEN_SEARCH_SIMILARITY": "2"})
    with pytest.raises(ConfigError, match="TMDB_RATE_LIMIT"):
        CatalogSettings.from_env({"TMDB_RATE_LIMIT": "fast"})
