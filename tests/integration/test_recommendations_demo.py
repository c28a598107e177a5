"""Recommendations on the demo catalog (no TMDB key, no stored links), as a newcomer meets them.

A rating and an episode watch change the very next view, and what they brought says so in words with the
rating's stars; "Popular right now" is only what a user with no signal at all sees.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration import catalog_support as support
from tests.integration.tracking_support import Api

V1 = "/api/v1"


@pytest.fixture(scope="module")
def demo_template(template_url):
    yield from support.demo_template(template_url)


@pytest.fixture
def app_db(demo_template):
    yield from support.app_database(demo_template)


def view(api: Api) -> list[dict[str, Any]]:
    status, page = api("GET", f"{V1}/recommendations?pageSize=100")
    assert status == 200, page
    return page["items"]


def texts(items: list[dict[str, Any]]) -> set[str]:
    return {r["text"] for item in items for r in item["reasons"]}


def test_a_rating_and_an_episode_change_the_next_view_with_their_reasons(client, make_user):
    _, headers = make_user()
    api = Api(client, headers)
    assert texts(view(api)) == {"Popular right now"}  # no signal yet

    inception = support.media_id("Inception", "movie")
    assert api("PUT", f"{V1}/ratings/{inception}", {"rating": 8})[0] == 200
    items = view(api)

    because = [i for i in items if i["reasons"][0]["text"] == "Because you rated Inception ★★★★"]
    assert because and all(r["refRating"] == 8 and r["refMediaId"] == inception
                           for i in because for r in i["reasons"][:1])
    assert "Interstellar" in [i["media"]["title"] for i in because]
    assert min(items.index(i) for i in because) < 5  # what the rating brought is at the top, not buried
    assert "Popular right now" not in texts(items)

    show = support.media_id("Breaking Bad", "show")
    episode = support.rows("SELECT id FROM episodes WHERE media_id = %(id)s AND season_number = 1 "
                           "AND episode_number = 1", id=show)[0]["id"]
    assert api("POST", f"{V1}/watched", {"mediaId": show, "episodeId": episode})[0] == 201
    items = view(api)

    watched = [i["media"]["title"] for i in items if "Because you watched Breaking Bad" in {r["text"] for r in
                                                                                             i["reasons"]}]
    assert "Better Call Saul" in watched
    assert "Breaking Bad" not in [i["media"]["title"] for i in items]
