"""Engagement: title views and collection clicks (once per user and day), the discover order of
curated collections (pinned, then engagement), the popular_here and most_rated sorts, and the purge."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from tests.integration import catalog_support as support


@pytest.fixture(scope="module")
def demo_template(template_url):
    yield from support.demo_template(template_url)


@pytest.fixture
def app_db(demo_template):
    yield from support.app_database(demo_template)


@pytest.fixture
def user(make_user):
    return make_user()


def events() -> list[dict]:
    return support.rows("SELECT kind, media_id, section_id, day FROM engagement_events ORDER BY kind, media_id")


def curated_order(client, headers) -> list[str]:
    from chalicelib import cache

    cache.on_catalog_synced()  # the discover cache would hold the old order for its TTL
    page = support.body(support.get(client, "/api/v1/discover", headers, pageSize=100))
    return [s["key"] for s in page["items"] if s["source"] == "curated"]


def test_a_view_is_counted_once_per_day_and_repeat_views_cost_no_sql(client, user):
    from chalicelib import db, engagement

    user_id, _ = user
    matrix = support.media_id("The Matrix", "movie")

    assert engagement.log_view(user_id, matrix) is True
    db.reset()  # a repeat view must not need the database at all
    with_no_pool = engagement.log_view(user_id, matrix)

    assert with_no_pool is False
    assert [(e["kind"], e["media_id"]) for e in events()] == [("title_view", matrix)]


def test_without_redis_the_insert_still_dedupes(client, user, settings_env):
    from chalicelib import cache, engagement

    user_id, _ = user
    matrix = support.media_id("The Matrix", "movie")
    settings_env(REDIS_URL="redis://127.0.0.1:1/0")
    cache.reset()
    try:
        assert engagement.log_view(user_id, matrix) is True
        assert engagement.log_view(user_id, matrix) is False
    finally:
        cache.reset()
    assert len(events()) == 1


def test_a_click_on_a_collection_is_recorded_with_the_title_opened(client, user):
    _, headers = user
    matrix = support.media_id("The Matrix", "movie")

    response = client.http.post("/api/v1/engagement/clicks", headers=headers,
                                body=json.dumps({"sectionKey": "curated.sci-fi-essentials", "mediaId": matrix}))
    again = client.http.post("/api/v1/engagement/clicks", headers=headers,
                             body=json.dumps({"sectionKey": "curated.sci-fi-essentials"}))

    assert response.status_code == 204 and again.status_code == 204
    [section] = support.rows("SELECT id FROM discover_sections WHERE key = 'curated.sci-fi-essentials'")
    assert [(e["kind"], e["media_id"], e["section_id"]) for e in events()] == [
        ("collection_click", None, section["id"]), ("title_view", matrix, None)]


def test_a_click_on_an_unknown_row_or_title_is_refused(client, user):
    _, headers = user

    unknown = client.http.post("/api/v1/engagement/clicks", headers=headers,
                               body=json.dumps({"sectionKey": "curated.nope"}))
    no_title = client.http.post("/api/v1/engagement/clicks", headers=headers,
                                body=json.dumps({"sectionKey": "curated.sci-fi-essentials", "mediaId": 999999999}))
    bad = client.http.post("/api/v1/engagement/clicks", headers=headers, body=json.dumps({"sectionKey": "Bad Key!"}))
    anonymous = client.http.post("/api/v1/engagement/clicks", headers={"Content-Type": "application/json"},
                                 body=json.dumps({"sectionKey": "curated.sci-fi-essentials"}))

    assert unknown.status_code == 404 and support.body(unknown)["error"]["code"] == "section_not_found"
    assert no_title.status_code == 422 and bad.status_code == 422 and anonymous.status_code == 401
    assert events() == []


def test_curated_collections_are_ordered_pinned_first_then_by_engagement(client, user, make_user):
    from chalicelib import engagement

    user_id, headers = user
    assert support.rows("SELECT key FROM discover_sections WHERE pinned") == [{"key": "curated.acclaimed-dramas"}]
    # (pinned in collections.yaml, but empty in the vote-less demo catalog: pin a row that has titles)
    support.rows("UPDATE discover_sections SET pinned = (key = 'curated.new-series') WHERE source = 'curated'")
    before = curated_order(client, headers)
    assert before[0] == "curated.new-series" and len(before) >= 3
    last = before[-1]

    engagement.service.log_click(user_id, last, None)
    other_id, _ = make_user()
    engagement.service.log_click(other_id, last, None)

    after = curated_order(client, headers)
    assert after[0] == "curated.new-series" and after[1] == last
    assert sorted(after) == sorted(before)
    keys = [s["key"] for s in support.body(support.get(client, "/api/v1/discover", headers, pageSize=100))["items"]]
    block = [i for i, key in enumerate(keys) if key.startswith("curated.")]
    assert block == list(range(block[0], block[0] + len(block)))  # the curated rows stay one block


def test_popular_here_ranks_titles_by_views_over_the_week(client, user, make_user):
    from chalicelib import cache, engagement

    user_id, headers = user
    other_id, _ = make_user()
    heat, jaws = support.media_id("Heat", "movie"), support.media_id("Jaws", "movie")
    for viewer in (user_id, other_id):
        engagement.log_view(viewer, jaws)
    engagement.log_view(user_id, heat)
    old = support.media_id("Up", "movie")
    support.rows("INSERT INTO engagement_events (day, user_id, kind, media_id) VALUES"
                 " (current_date - 9, %(u)s, 'title_view', %(m)s), (current_date - 8, %(o)s, 'title_view', %(m)s),"
                 " (current_date - 10, %(u)s, 'title_view', %(m)s)", u=user_id, o=other_id, m=old)
    cache.on_catalog_synced()

    ranked = support.body(support.get(client, "/api/v1/movies", headers, sort="popular_here", pageSize=3))["items"]

    assert [i["title"] for i in ranked][:2] == ["Jaws", "Heat"] and ranked[2]["title"] != "Up"


def test_most_rated_sorts_by_vote_count(client, user):
    from chalicelib import cache

    _, headers = user
    support.rows("UPDATE media_items SET vote_count = CASE title WHEN 'Heat' THEN 900000 WHEN 'Jaws' THEN 800000"
                 " ELSE vote_count END WHERE media_type = 'movie'")
    cache.on_catalog_synced()

    ranked = support.body(support.get(client, "/api/v1/movies", headers, sort="most_rated", pageSize=2))["items"]
    rows = support.body(support.get(client, "/api/v1/discover", headers, sort="most_rated", pageSize=100))["items"]

    assert [i["title"] for i in ranked] == ["Heat", "Jaws"]
    popular = next(r for r in rows if r["key"] == "demo.movies.popular")
    counts = [i["voteCount"] for i in popular["items"]]
    assert counts == sorted(counts, reverse=True)


def test_the_daily_cleanup_keeps_seven_days_of_events(client, user):
    from chalicelib.cleanup import service as cleanup

    user_id, _ = user
    matrix = support.media_id("The Matrix", "movie")
    for age in (0, 6, 7, 30):
        support.rows("INSERT INTO engagement_events (day, user_id, kind, media_id)"
                     " VALUES (current_date - %(age)s, %(u)s, 'title_view', %(m)s)", age=age, u=user_id, m=matrix)

    result = cleanup.run_job(trigger="manual")

    assert result["stats"]["engagementEvents"] == 2
    assert sorted(e["day"] for e in events()) == [date.today() - timedelta(days=6), date.today()]
