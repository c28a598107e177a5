"""Absolute episode numbers ↔ (season, episode) over a 3-season MAL sequel chain of 12, 13 and 24 episodes."""

from __future__ import annotations

import pytest

from chalicelib.anime.mapping import (
    AnimeMapping,
    MalSeason,
    catalog_absolute,
    catalog_numbering,
    from_absolute,
    mal_to_catalog,
    order_seasons,
    tmdb_absolute_group,
    to_absolute,
)

S1, S2, S3 = (MalSeason(101, "Show", 12, "2019-04-06"), MalSeason(202, "Show 2nd Season", 13, "2020-10-02"),
              MalSeason(303, "Show Final Season", 24, "2022-01-09"))
SEASONS = (S1, S2, S3)
MAL = AnimeMapping(SEASONS)
SPLIT_LIKE_MAL = {1: 12, 2: 13, 3: 24}
FLAT = {1: 49}


@pytest.mark.parametrize(("number", "expected"), [
    (1, (1, 1)), (12, (1, 12)), (13, (2, 1)), (25, (2, 13)), (26, (3, 1)), (27, (3, 2)), (49, (3, 24))])
def test_absolute_number_lands_in_its_season_and_back(number, expected):
    assert from_absolute(SEASONS, number) == expected
    assert to_absolute(SEASONS, *expected) == number


@pytest.mark.parametrize("number", [0, -3, 50, 1000])
def test_an_absolute_number_outside_the_chain_is_none(number):
    assert from_absolute(SEASONS, number) is None
    assert catalog_numbering(MAL, SPLIT_LIKE_MAL, number) is None


@pytest.mark.parametrize(("season", "episode"), [(0, 1), (4, 1), (1, 13), (2, 0), (3, 25)])
def test_a_season_episode_outside_the_chain_is_none(season, episode):
    assert to_absolute(SEASONS, season, episode) is None


def test_specials_movies_and_empty_entries_are_not_seasons_and_air_order_decides():
    special = MalSeason(999, "Show OVA", 0, "2020-01-01")
    ordered = order_seasons([S3, special, S1, S2, S1])
    assert ordered == SEASONS
    assert from_absolute(ordered, 13) == (2, 1)


def test_catalog_split_like_mal_takes_mal_numbers():
    assert catalog_numbering(MAL, SPLIT_LIKE_MAL, 27) == (3, 2)
    assert catalog_absolute(MAL, SPLIT_LIKE_MAL, 3, 2) == 27


def test_flat_catalog_season_takes_the_absolute_number_and_a_mal_season_name_maps_into_it():
    assert catalog_numbering(MAL, FLAT, 27) == (1, 27)
    assert mal_to_catalog(MAL, FLAT, 3, 2) == (1, 27)  # "Show S3 - 02" is the flat season's 27th
    assert catalog_absolute(MAL, FLAT, 1, 27) == 27
    assert catalog_absolute(MAL, FLAT, 1, 50) is None


def test_catalog_split_elsewhere_counts_through_its_own_seasons():
    merged = {1: 25, 2: 24}  # TMDB put MAL's first two cours in one season
    assert catalog_numbering(MAL, merged, 27) == (2, 2)
    assert mal_to_catalog(MAL, merged, 2, 3) == (1, 15)
    assert catalog_absolute(MAL, merged, 2, 2) == 27


def test_tmdb_absolute_group_wins_over_mal_counts():
    group = {"groups": [
        {"order": 2, "episodes": [{"order": 0, "season_number": 2, "episode_number": 1}]},
        {"order": 1, "episodes": [{"order": 1, "season_number": 1, "episode_number": 2},
                                  {"order": 0, "season_number": 1, "episode_number": 1},
                                  {"order": 2, "season_number": 0, "episode_number": 1}]}]}
    absolute = tmdb_absolute_group(group)
    assert absolute == ((1, 1), (1, 2), (2, 1))
    mapping = AnimeMapping(SEASONS, absolute)
    assert catalog_numbering(mapping, SPLIT_LIKE_MAL, 3) == (2, 1)
    assert catalog_numbering(mapping, SPLIT_LIKE_MAL, 4) is None
    assert catalog_absolute(mapping, SPLIT_LIKE_MAL, 2, 1) == 3


def test_mapping_survives_its_json_round_trip():
    mapping = AnimeMapping(SEASONS, ((1, 1), (1, 2)))
    assert AnimeMapping.from_json(mapping.as_json()) == mapping
