"""What the media server readers keep of text Postgres cannot store (NUL, lone surrogates): nothing, and the item
is read all the same (the sync writes it with the rest instead of failing on it)."""

from __future__ import annotations

import pytest

from chalicelib.mediaservers import jellyfin, plex
from chalicelib.mediaservers.items import BadItem, Known


def test_a_jellyfin_item_loses_the_characters_postgres_refuses_and_keeps_the_rest():
    item = jellyfin.parse({"Type": "Movie", "Id": "a\x00b", "Name": " Null\x00 Island ", "ProductionYear": 2001,
                           "Overview": "A plot \ud800with a lone surrogate.", "Genres": ["Dra\x00ma", 7]})
    assert (item.item_id, item.title) == ("ab", "Null Island")
    assert item.facts == {"overview": "A plot with a lone surrogate.", "genres": ["Drama"]}


def test_a_name_made_only_of_what_postgres_refuses_is_a_bad_item():
    with pytest.raises(BadItem, match="without a Name"):
        jellyfin.parse({"Type": "Movie", "Id": "x1", "Name": "\x00\udc00"})


def test_a_plex_season_from_its_episode_loses_them_too():
    raw = {"parentRatingKey": "5\x001", "parentIndex": 2, "parentTitle": "Season\x00 Two"}
    season = plex._season(raw, "show-1", Known())
    assert season is not None and (season.item_id, season.title, season.season) == ("51", "Season Two", 2)
    assert plex._season({**raw, "parentRatingKey": "\x00"}, "show-1", Known()) is None
