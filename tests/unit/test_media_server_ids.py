"""Provider ids as media servers really send them (issue 59): Plex items matched by a legacy agent carry their id
only in the ``guid`` attribute, and Jellyfin's ``ProviderIds`` keys come in any case. Shapes from Plex's own
answers (``com.plexapp.agents.<agent>://<id>?lang=en``; an episode's legacy guid names its show and numbers)."""

from __future__ import annotations

import pytest

from chalicelib.mediaservers import jellyfin, plex
from chalicelib.mediaservers.items import ProviderIds

MOVIE = {"type": "movie", "ratingKey": "101", "title": "The Shawshank Redemption", "year": 1994}
SHOW = {"type": "show", "ratingKey": "202", "title": "Breaking Bad", "year": 2008}
EPISODE = {"type": "episode", "ratingKey": "303", "title": "Pilot", "grandparentRatingKey": "202",
           "parentIndex": 1, "index": 1}


@pytest.mark.parametrize(("raw", "ids"), [
    ({**MOVIE, "guid": "com.plexapp.agents.imdb://tt0111161?lang=en"}, ProviderIds(imdb="tt0111161")),
    ({**MOVIE, "guid": "com.plexapp.agents.themoviedb://278?lang=en"}, ProviderIds(tmdb=278)),
    ({**MOVIE, "guid": "com.plexapp.agents.xbmcnfo://tt0111161?lang=xn"}, ProviderIds(imdb="tt0111161")),
    ({**SHOW, "guid": "com.plexapp.agents.thetvdb://81189?lang=en"}, ProviderIds(tvdb=81189)),
    ({**SHOW, "guid": "com.plexapp.agents.themoviedb://1396?lang=en"}, ProviderIds(tmdb=1396)),
    # An episode's legacy guid names the show's id and the numbers: no id of the episode's own.
    ({**EPISODE, "guid": "com.plexapp.agents.thetvdb://81189/1/1?lang=en"}, ProviderIds()),
    # The new agent's guid names no provider; its ids are in Guid.
    ({**MOVIE, "guid": "plex://movie/5d7768ba96b655001fdc0408",
      "Guid": [{"id": "imdb://tt0111161"}, {"id": "tmdb://278"}]}, ProviderIds(imdb="tt0111161", tmdb=278)),
    # Guid wins where both name the provider; the legacy guid adds what Guid leaves out.
    ({**MOVIE, "guid": "com.plexapp.agents.imdb://tt9999999?lang=en", "Guid": [{"id": "imdb://tt0111161"}]},
     ProviderIds(imdb="tt0111161")),
    ({**MOVIE, "guid": "com.plexapp.agents.themoviedb://278?lang=en", "Guid": [{"id": "imdb://tt0111161"}]},
     ProviderIds(imdb="tt0111161", tmdb=278)),
    ({**MOVIE, "guid": "com.plexapp.agents.none://101?lang=xn"}, ProviderIds()),
    ({**MOVIE, "guid": "com.plexapp.agents.themoviedb://not-a-number"}, ProviderIds()),
    ({**MOVIE, "guid": 278}, ProviderIds()),
])
def test_a_plex_item_reads_its_ids_from_guid_entries_and_the_legacy_agent_guid(raw, ids):
    assert plex.parse(raw, "202" if raw["type"] == "episode" else None).ids == ids


@pytest.mark.parametrize("keys", [("Imdb", "Tmdb", "Tvdb"), ("IMDB", "TMDB", "TVDB"), ("imdb", "tmdb", "tvdb"),
                                  ("Imdb", "TMDb", "TvDb")])
def test_jellyfin_provider_ids_are_read_in_any_key_case(keys):
    raw = {"Type": "Movie", "Id": "a1", "Name": "Heat", "ProviderIds": dict(zip(keys, ["tt0113277", "949", "1234"],
                                                                                strict=True))}
    assert jellyfin.parse(raw).ids == ProviderIds(imdb="tt0113277", tmdb=949, tvdb=1234)
