"""Watched history, progress heartbeats, continue watching (cached) and show progress over HTTP."""

from __future__ import annotations

import json

from chalicelib import cache
from tests.integration.tracking_support import Api, code

V1 = "/api/v1"


def test_mark_list_and_unmark_watched(me, cat):
    _, api = me
    movie = cat.movie(title="Up")
    show, eps = cat.show({1: 2, 2: 2})
    status, entry = api("POST", f"{V1}/watched", {"mediaId": movie, "watchedAt": "2024-01-02T20:00:00Z"})
    assert status == 201 and entry["media"]["title"] == "Up" and entry["watchedAt"].startswith("2024-01-02T20:00")
    api("POST", f"{V1}/watched", {"mediaId": movie})
    status, bulk = api("POST", f"{V1}/watched/bulk", {"mediaId": show, "seasonNumber": 1})
    assert status == 200 and bulk == {"mediaId": show, "seasonNumber": 1, "added": 2}
    assert api("POST", f"{V1}/watched/bulk", {"mediaId": show})[1]["added"] == 2
    page = api("GET", f"{V1}/watched?pageSize=10")[1]
    assert page["total"] == 6
    assert api("GET", f"{V1}/watched?mediaType=movie&to=2024-01-02")[1]["total"] == 1
    status, removed = api("DELETE", f"{V1}/watched?mediaId={movie}")
    assert (status, removed) == (200, {"removed": 1})
    assert api("DELETE", f"{V1}/watched?mediaId={show}&seasonNumber=2&scope=all")[1] == {"removed": 2}
    assert api("DELETE", f"{V1}/watched/{entry['id']}")[0] == 204
    assert code(api("DELETE", f"{V1}/watched/{entry['id']}")[1]) == "watched_entry_not_found"
    assert code(api("DELETE", f"{V1}/watched/not-a-uuid")[1]) == "watched_entry_not_found"
    assert api("GET", f"{V1}/watched")[1]["total"] == 2
    assert eps  # the show's episodes exist


BAD_WATCHED = [
    ({"mediaId": 999999999}, 404, "media_not_found"),
    ({"mediaId": "1"}, 422, "validation_error"),
    ({"mediaId": 1, "watchedAt": "2999-01-01T00:00:00Z"}, 422, "validation_error"),
    ({"mediaId": 1, "surprise": True}, 422, "validation_error"),
]


def test_bad_watched_bodies(me):
    _, api = me
    for body, status, error in BAD_WATCHED:
        got, data = api("POST", f"{V1}/watched", body)
        assert (got, code(data)) == (status, error), body


def test_an_episode_of_another_show_is_not_found_and_nothing_is_written(me, cat):
    user_id, api = me
    show, _ = cat.show()
    _, other_eps = cat.show()
    status, data = api("POST", f"{V1}/watched", {"mediaId": show, "episodeId": other_eps[(1, 1)]})
    assert (status, code(data)) == (404, "episode_not_found")
    status, data = api("POST", f"{V1}/progress", {"mediaId": show, "episodeId": other_eps[(1, 1)],
                                                   "positionSeconds": 5, "durationSeconds": 100})
    assert (status, code(data)) == (404, "episode_not_found")
    assert cat.count("user_watched", user_id) == 0 and cat.count("user_progress", user_id) == 0


def test_a_heartbeat_at_the_threshold_records_the_watch_once_even_when_redelivered(me, cat):
    user_id, api = me
    show, eps = cat.show()
    body = {"mediaId": show, "episodeId": eps[(1, 1)], "durationSeconds": 1200}
    status, first = api("POST", f"{V1}/progress", {**body, "positionSeconds": 300})
    assert status == 200 and first["positionSeconds"] == 300 and not first["completed"]
    done = {**body, "positionSeconds": 1100}
    responses = [api("POST", f"{V1}/progress", done)[1] for _ in range(3)]
    assert [r["historyRecorded"] for r in responses] == [True, False, False]
    assert all(r["completed"] and r["positionSeconds"] == 0 for r in responses)
    assert cat.count("user_watched", user_id) == 1
    assert api("GET", f"{V1}/progress?mediaId={show}")[1] == {"items": []}


BAD_HEARTBEATS = [
    ('{"mediaId": %d, "positionSeconds": NaN, "durationSeconds": 100}', "positionSeconds"),
    ('{"mediaId": %d, "positionSeconds": 10, "durationSeconds": Infinity}', "durationSeconds"),
    ('{"mediaId": %d, "positionSeconds": -1, "durationSeconds": 100}', "positionSeconds"),
    ('{"mediaId": %d, "positionSeconds": 106, "durationSeconds": 100}', "positionSeconds"),
    ('{"mediaId": %d, "positionSeconds": 10, "durationSeconds": 0}', "durationSeconds"),
    ('{"mediaId": %d, "positionSeconds": "10", "durationSeconds": 100}', "positionSeconds"),
    ('{"mediaId": %d, "positionSeconds": 1e400, "durationSeconds": 100}', "positionSeconds"),
    ('{"mediaId": %d, "positionSeconds": 10}', "durationSeconds"),
]


def test_bad_heartbeats_are_422_and_write_nothing(me, cat):
    user_id, api = me
    movie = cat.movie()
    for raw, field in BAD_HEARTBEATS:
        status, data = api("POST", f"{V1}/progress", raw=raw % movie)
        assert status == 422 and field in data["error"]["fields"], (raw, data)
    assert cat.count("user_progress", user_id) == 0


def test_a_position_within_the_slack_is_stored_as_the_duration(me, cat):
    _, api = me
    movie = cat.movie()
    cat.threshold(me[0], 100)
    status, data = api("POST", f"{V1}/progress", {"mediaId": movie, "positionSeconds": 104.9,
                                                   "durationSeconds": 100})
    assert status == 200 and data["historyRecorded"]


def test_continue_watching_is_cached_and_every_write_invalidates_it(me, cat, redis_client):
    user_id, api = me
    movie, other_movie = cat.movie(), cat.movie()
    show, eps = cat.show()
    key = cache.Keys.continue_watching(user_id)
    api("POST", f"{V1}/progress", {"mediaId": movie, "positionSeconds": 60, "durationSeconds": 600})
    status, body = api("GET", f"{V1}/progress/continue-watching")
    assert status == 200 and [i["media"]["id"] for i in body["items"]] == [movie]
    assert json.loads(redis_client.get(key)) == body

    # A stale cached value is served until a write invalidates it.
    redis_client.set(key, json.dumps({"items": []}))
    assert api("GET", f"{V1}/progress/continue-watching")[1] == {"items": []}
    writes = [
        ("POST", f"{V1}/progress", {"mediaId": other_movie, "positionSeconds": 5, "durationSeconds": 600}),
        ("POST", f"{V1}/watched", {"mediaId": show, "episodeId": eps[(1, 1)]}),
        ("POST", f"{V1}/watched/bulk", {"mediaId": show, "seasonNumber": 2}),
        ("DELETE", f"{V1}/watched?mediaId={show}&seasonNumber=2&scope=all", None),
    ]
    for method, path, body in writes:
        redis_client.set(key, "{}")
        assert api(method, path, body)[0] in (200, 201), path
        assert redis_client.get(key) is None, path
    items = api("GET", f"{V1}/progress/continue-watching")[1]["items"]
    assert {(i["kind"], i["media"]["id"]) for i in items} == {("resume", movie), ("resume", other_movie),
                                                               ("next", show)}
    nxt = next(i for i in items if i["kind"] == "next")
    assert (nxt["episode"]["seasonNumber"], nxt["episode"]["episodeNumber"]) == (1, 2)


def test_continue_watching_still_answers_when_redis_is_down(me, cat, settings_env):
    from chalicelib import cache as cache_module

    _, api = me
    movie = cat.movie()
    api("POST", f"{V1}/progress", {"mediaId": movie, "positionSeconds": 60, "durationSeconds": 600})
    settings_env(REDIS_URL="redis://127.0.0.1:1/0")
    cache_module.reset()
    try:
        status, body = api("GET", f"{V1}/progress/continue-watching")
        assert status == 200 and [i["media"]["id"] for i in body["items"]] == [movie]
    finally:
        cache_module.reset()


def test_show_progress_endpoint(me, cat):
    _, api = me
    show, eps = cat.show({1: 2, 2: 1})
    api("POST", f"{V1}/watched", {"mediaId": show, "episodeId": eps[(1, 1)]})
    status, body = api("GET", f"{V1}/shows/{show}/progress")
    assert status == 200
    assert (body["aired"], body["watched"], body["percent"]) == (3, 1, 33.3)
    assert body["nextEpisode"]["id"] == eps[(1, 2)]
    assert [s["watched"] for s in body["seasons"]] == [1, 0]
    assert code(api("GET", f"{V1}/shows/{cat.movie()}/progress")[1]) == "wrong_media_type"
    assert code(api("GET", f"{V1}/shows/987654321/progress")[1]) == "media_not_found"


def test_history_and_progress_are_private(me, cat, client, make_user):
    _, api = me
    other = Api(client, make_user()[1])
    movie = cat.movie()
    api("POST", f"{V1}/watched", {"mediaId": movie})
    api("POST", f"{V1}/progress", {"mediaId": cat.movie(), "positionSeconds": 1, "durationSeconds": 10})
    assert other("GET", f"{V1}/watched")[1]["total"] == 0
    assert other("GET", f"{V1}/progress")[1] == {"items": []}
    assert other("GET", f"{V1}/progress/continue-watching")[1] == {"items": []}
    assert other("DELETE", f"{V1}/watched?mediaId={movie}&scope=all")[1] == {"removed": 0}
    assert api("GET", f"{V1}/watched")[1]["total"] == 1
