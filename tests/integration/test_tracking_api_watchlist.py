"""Watch later, ratings and favorites through the HTTP API (real app, Postgres, Redis)."""

from __future__ import annotations

import pytest

from chalicelib import cache
from tests.integration.tracking_support import Api, code

V1 = "/api/v1"


@pytest.fixture
def api(client, make_user):
    return Api(client, make_user()[1])


@pytest.fixture
def other(client, make_user):
    return Api(client, make_user()[1])


def ids(page):
    return [item["media"]["id"] for item in page["items"]]


def test_watch_later_add_is_idempotent_and_lists_newest_first(api, cat):
    first, second, game = cat.movie(title="Alien"), cat.show()[0], cat.game()
    for media_id in (first, second, game):
        assert api("PUT", f"{V1}/watch-later/{media_id}")[0] == 200
    status, again = api("PUT", f"{V1}/watch-later/{first}")
    assert status == 200 and again["media"]["id"] == first and again["media"]["title"] == "Alien"
    assert set(again) == {"media", "position", "addedAt"}
    assert set(again["media"]) == {"id", "mediaType", "title", "year", "posterPath", "posterUrl", "backdropUrl"}
    status, page = api("GET", f"{V1}/watch-later")
    assert status == 200 and ids(page) == [game, second, first] and page["total"] == 3
    assert ids(api("GET", f"{V1}/watch-later?mediaType=show")[1]) == [second]
    small = api("GET", f"{V1}/watch-later?pageSize=2&page=2")[1]
    assert ids(small) == [first] and (small["page"], small["pageSize"], small["total"]) == (2, 2, 3)


def test_watch_later_reorder_takes_the_full_list_and_new_items_go_on_top(api, cat):
    a, b, c, d = (cat.movie() for _ in range(4))
    for media_id in (a, b, c):
        api("PUT", f"{V1}/watch-later/{media_id}")
    assert api("PUT", f"{V1}/watch-later/order", {"mediaIds": [a, c, b]})[0] == 204
    assert ids(api("GET", f"{V1}/watch-later")[1]) == [a, c, b]
    api("PUT", f"{V1}/watch-later/{d}")
    assert ids(api("GET", f"{V1}/watch-later")[1]) == [d, a, c, b]
    for bad in ([a, c, b], [a, c, b, d, d], [a, c, b, d, 999999999]):
        status, error = api("PUT", f"{V1}/watch-later/order", {"mediaIds": bad})
        assert status == 422 and code(error) == "invalid_order"
    assert ids(api("GET", f"{V1}/watch-later")[1]) == [d, a, c, b]


def test_watch_later_remove_and_errors(api, cat):
    movie = cat.movie()
    api("PUT", f"{V1}/watch-later/{movie}")
    assert api("DELETE", f"{V1}/watch-later/{movie}") == (204, None)
    status, error = api("DELETE", f"{V1}/watch-later/{movie}")
    assert status == 404 and code(error) == "not_tracked"
    for bad in ("99999999", "abc", "0", "-1", "99999999999999999999999"):
        status, error = api("PUT", f"{V1}/watch-later/{bad}")
        assert status == 404 and code(error) == "media_not_found", bad


def test_watch_later_lists_are_per_user(api, other, cat):
    movie = cat.movie()
    api("PUT", f"{V1}/watch-later/{movie}")
    assert other("GET", f"{V1}/watch-later")[1]["total"] == 0
    assert other("DELETE", f"{V1}/watch-later/{movie}")[0] == 404
    assert api("GET", f"{V1}/watch-later")[1]["total"] == 1


def test_watch_later_changes_invalidate_dashboard_and_recommendations(api, cat, make_user, client):
    user_id, headers = make_user()
    me = Api(client, headers)
    movie = cat.movie()
    keys = [cache.Keys.dashboard(user_id), cache.Keys.recommendations(user_id), cache.Keys.calendar(user_id, "2024-05")]
    for key in keys:
        cache.set_json(key, {"stale": True}, 60)
    assert me("PUT", f"{V1}/watch-later/987654321")[0] == 404
    assert [cache.get_json(key) for key in keys] == [{"stale": True}] * 3  # a failed write changes nothing
    me("PUT", f"{V1}/watch-later/{movie}")
    assert [cache.get_json(key) for key in keys] == [None, None, None]


def test_ratings_accept_half_steps_and_refuse_anything_else(api, cat):
    movie, show = cat.movie(), cat.show()[0]
    status, rating = api("PUT", f"{V1}/ratings/{movie}", {"rating": 7.5})
    assert status == 200 and rating["rating"] == 7.5 and rating["media"]["id"] == movie
    assert api("PUT", f"{V1}/ratings/{movie}", {"rating": 9})[1]["rating"] == 9
    api("PUT", f"{V1}/ratings/{show}", {"rating": 1})
    for bad in (0.5, 10.5, 7.25, "8", True, None):
        status, error = api("PUT", f"{V1}/ratings/{movie}", {"rating": bad})
        assert status == 422 and "rating" in error["error"]["fields"], bad
    status, error = api("PUT", f"{V1}/ratings/{movie}", raw='{"rating": NaN}')
    assert status == 422
    assert api("GET", f"{V1}/ratings/{movie}")[1]["rating"] == 9
    page = api("GET", f"{V1}/ratings")[1]
    assert page["total"] == 2 and ids(page) == [show, movie]
    assert ids(api("GET", f"{V1}/ratings?mediaType=movie")[1]) == [movie]
    assert api("DELETE", f"{V1}/ratings/{movie}")[0] == 204
    status, unrated = api("GET", f"{V1}/ratings/{movie}")
    assert status == 200 and unrated == {"mediaId": movie, "rating": None, "ratedAt": None}
    assert code(api("GET", f"{V1}/ratings/123456789")[1]) == "media_not_found"
    assert code(api("PUT", f"{V1}/ratings/123456789", {"rating": 5})[1]) == "media_not_found"


def test_a_rating_invalidates_recommendations(api, cat, make_user, client):
    user_id, headers = make_user()
    movie = cat.movie()
    cache.set_json(cache.Keys.recommendations(user_id), ["stale"], 60)
    Api(client, headers)("PUT", f"{V1}/ratings/{movie}", {"rating": 6.5})
    assert cache.get_json(cache.Keys.recommendations(user_id)) is None


def test_favorites_are_idempotent_and_per_user(client, make_user, other, cat):
    user_id, headers = make_user()
    api = Api(client, headers)
    movie, game = cat.movie(), cat.game()
    cache.set_json(cache.Keys.recommendations(user_id), ["stale"], 60)
    assert api("PUT", f"{V1}/favorites/{movie}")[0] == 200
    assert cache.get_json(cache.Keys.recommendations(user_id)) is None
    assert api("PUT", f"{V1}/favorites/{movie}")[0] == 200
    api("PUT", f"{V1}/favorites/{game}")
    page = api("GET", f"{V1}/favorites")[1]
    assert page["total"] == 2 and set(ids(page)) == {movie, game}
    assert ids(api("GET", f"{V1}/favorites?mediaType=game")[1]) == [game]
    assert other("GET", f"{V1}/favorites")[1]["total"] == 0
    assert code(other("DELETE", f"{V1}/favorites/{movie}")[1]) == "not_tracked"
    assert api("DELETE", f"{V1}/favorites/{movie}")[0] == 204
    assert ids(api("GET", f"{V1}/favorites")[1]) == [game]


def test_list_queries_are_validated(api):
    for query in ("pageSize=0", "pageSize=101", "page=0", "mediaType=book", "sort=title"):
        status, error = api("GET", f"{V1}/watch-later?{query}")
        assert status == 422 and code(error) == "validation_error", query


def test_every_tracking_route_needs_a_user(client):
    for method, path in (("GET", "/watch-later"), ("PUT", "/watch-later/1"), ("GET", "/ratings"),
                         ("GET", "/progress/continue-watching"), ("GET", "/me/export"), ("GET", "/games/backlog")):
        response = getattr(client.http, method.lower())(V1 + path)
        assert response.status_code == 401, path
