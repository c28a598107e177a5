"""Personal collections over HTTP: lifecycle, items of any type, ordering, ownership."""

from __future__ import annotations

import uuid

from chalicelib import cache
from tests.integration.tracking_support import Api, code

V1 = "/api/v1"


def item_ids(api, collection_id):
    return [i["media"]["id"] for i in api("GET", f"{V1}/collections/{collection_id}/items")[1]["items"]]


def test_collection_lifecycle(me, cat):
    user_id, api = me
    status, created = api("POST", f"{V1}/collections", {"name": "  Rainy days ", "description": "cozy"})
    assert status == 201 and created["name"] == "Rainy days" and created["itemCount"] == 0
    cid = created["id"]
    status, renamed = api("PATCH", f"{V1}/collections/{cid}", {"name": "Rainy Sundays"})
    assert status == 200 and (renamed["name"], renamed["description"]) == ("Rainy Sundays", "cozy")
    assert api("PATCH", f"{V1}/collections/{cid}", {"description": None})[1]["description"] is None
    assert code(api("PATCH", f"{V1}/collections/{cid}", {"name": None})[1]) == "validation_error"
    assert api("GET", f"{V1}/collections/{cid}")[1]["name"] == "Rainy Sundays"
    cache.set_json(cache.Keys.dashboard(user_id), {"stale": 1}, 60)
    assert api("DELETE", f"{V1}/collections/{cid}")[0] == 204
    assert cache.get_json(cache.Keys.dashboard(user_id)) is None
    assert code(api("GET", f"{V1}/collections/{cid}")[1]) == "collection_not_found"


def test_collection_names_are_unique_per_user_ignoring_case(me, cat, client, make_user):
    _, api = me
    api("POST", f"{V1}/collections", {"name": "Noir"})
    status, data = api("POST", f"{V1}/collections", {"name": "NOIR"})
    assert (status, code(data)) == (409, "collection_name_taken")
    other_id = api("POST", f"{V1}/collections", {"name": "Other"})[1]["id"]
    assert code(api("PATCH", f"{V1}/collections/{other_id}", {"name": "noir"})[1]) == "collection_name_taken"
    assert Api(client, make_user()[1])("POST", f"{V1}/collections", {"name": "Noir"})[0] == 201
    for bad in ({"name": ""}, {"name": "   "}, {"name": "x" * 201}, {"description": "no name"}):
        assert api("POST", f"{V1}/collections", bad)[0] == 422, bad


def test_items_of_any_type_are_appended_reordered_and_removed(me, cat):
    _, api = me
    movie, game = cat.movie(), cat.game()
    show, _ = cat.show()
    cid = api("POST", f"{V1}/collections", {"name": "Mixed"})[1]["id"]
    for media_id in (movie, show, game):
        assert api("POST", f"{V1}/collections/{cid}/items", {"mediaId": media_id})[0] == 201
    assert item_ids(api, cid) == [movie, show, game]
    again = api("POST", f"{V1}/collections/{cid}/items", {"mediaId": movie, "note": "the best"})[1]
    assert again["note"] == "the best" and again["position"] == 1
    assert api("GET", f"{V1}/collections/{cid}")[1]["itemCount"] == 3
    assert api("PUT", f"{V1}/collections/{cid}/items/order", {"mediaIds": [game, movie, show]})[0] == 204
    assert item_ids(api, cid) == [game, movie, show]
    status, data = api("PUT", f"{V1}/collections/{cid}/items/order", {"mediaIds": [game, movie]})
    assert (status, code(data)) == (422, "invalid_order")
    assert api("DELETE", f"{V1}/collections/{cid}/items/{movie}")[0] == 204
    assert code(api("DELETE", f"{V1}/collections/{cid}/items/{movie}")[1]) == "collection_item_not_found"
    assert code(api("POST", f"{V1}/collections/{cid}/items", {"mediaId": 987654321})[1]) == "media_not_found"
    page = api("GET", f"{V1}/collections/{cid}/items?pageSize=1&page=2")[1]
    assert [i["media"]["id"] for i in page["items"]] == [show] and page["total"] == 2


def test_collections_reorder(me):
    _, api = me
    a, b, c = (api("POST", f"{V1}/collections", {"name": name})[1]["id"] for name in "abc")
    status, data = api("PUT", f"{V1}/collections/order", {"collectionIds": [c, a, b]})
    assert status == 200 and [x["id"] for x in data["items"]] == [c, a, b]
    assert [x["name"] for x in api("GET", f"{V1}/collections")[1]["items"]] == ["c", "a", "b"]
    assert api("PUT", f"{V1}/collections/order", {"collectionIds": [c, a]})[0] == 422


def test_another_users_collection_is_not_found_and_unchanged(me, cat, client, make_user):
    _, api = me
    intruder = Api(client, make_user()[1])
    movie = cat.movie()
    cid = api("POST", f"{V1}/collections", {"name": "Mine"})[1]["id"]
    api("POST", f"{V1}/collections/{cid}/items", {"mediaId": movie})
    attempts = [
        ("GET", f"{V1}/collections/{cid}", None),
        ("GET", f"{V1}/collections/{cid}/items", None),
        ("PATCH", f"{V1}/collections/{cid}", {"name": "Stolen"}),
        ("DELETE", f"{V1}/collections/{cid}", None),
        ("POST", f"{V1}/collections/{cid}/items", {"mediaId": movie}),
        ("DELETE", f"{V1}/collections/{cid}/items/{movie}", None),
        ("PUT", f"{V1}/collections/{cid}/items/order", {"mediaIds": [movie]}),
    ]
    for method, path, body in attempts:
        status, data = intruder(method, path, body)
        assert (status, code(data)) == (404, "collection_not_found"), (method, path)
    assert code(intruder("GET", f"{V1}/collections/{uuid.uuid4()}")[1]) == "collection_not_found"
    assert code(intruder("GET", f"{V1}/collections/nope")[1]) == "collection_not_found"
    assert intruder("GET", f"{V1}/collections")[1] == {"items": []}
    mine = api("GET", f"{V1}/collections/{cid}")[1]
    assert (mine["name"], mine["itemCount"]) == ("Mine", 1)
