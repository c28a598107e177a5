"""Episode pages on the demo catalog: the demo shows the demo indexer and the browser tests use carry their
episodes' names and synopses (from demo_data/episodes.json), served by the season endpoint."""

from __future__ import annotations

import catalog_support
import pytest


@pytest.fixture(scope="module")
def demo_template(template_url):
    yield from catalog_support.demo_template(template_url)


@pytest.fixture
def app_db(demo_template):
    yield from catalog_support.app_database(demo_template)


def test_a_demo_shows_season_lists_episode_names_synopses_and_air_dates(client, auth_headers):
    show = catalog_support.media_id("Breaking Bad", "show")
    response = client.http.get(f"/api/v1/shows/{show}/seasons/1", headers=auth_headers())
    assert response.status_code == 200, response.body
    episodes = catalog_support.body(response)["episodes"]
    assert len(episodes) == 7
    first, second = episodes[0], episodes[1]
    assert (first["name"], first["airDate"]) == ("Pilot", "2008-01-20")
    assert (second["name"], second["airDate"]) == ("Cat's in the Bag...", "2008-01-27")
    assert all(e["overview"] and len(e["overview"]) > 40 for e in episodes)
    assert all(e["id"] for e in episodes)  # the episode page marks watched and plays by this id


def test_loading_the_demo_again_keeps_the_names_and_other_shows_stay_unnamed(conn):
    from chalicelib.catalog import demo

    demo.load(conn)
    demo.load(conn)
    rows = conn.execute(
        "SELECT m.title, e.name, e.overview FROM episodes e JOIN media_items m ON m.id = e.media_id "
        "WHERE m.title IN ('Sherlock', 'The Wire') AND e.season_number = 1 AND e.episode_number = 1 "
        "ORDER BY m.title").fetchall()
    assert [(r["title"], r["name"]) for r in rows] == [("Sherlock", "A Study in Pink"), ("The Wire", None)]
    assert "consulting detective" in rows[0]["overview"] and rows[1]["overview"] is None
