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


@pytest.mark.parametrize("item_id", ["4f1c2a9e0b7d4e6f8a1b2c3d4e5f6a7b", "12345", "a b/c?d&e#f", "é-ü_~.x", ""])
def test_deep_links_quote_an_id_as_urllib_does(item_id):
    from urllib.parse import quote

    # The links are part of each stored row's fingerprint: a link spelled otherwise rewrites every row.
    assert jellyfin.Jellyfin.opener("http://jf:8096/", "srv 1")(item_id) == (
        f"http://jf:8096/web/#/details?id={quote(item_id)}&serverId=srv%201")
    assert plex.Plex.opener("http://px:32400", None)(item_id) == (
        f"http://px:32400/web/index.html#!/server//details?key={quote(f'/library/metadata/{item_id}', safe='')}")
