"""GET /api/v1/me/export: all of one user's tracking data, and none of anyone else's."""

from __future__ import annotations

import json

from tests.integration.tracking_support import Api

V1 = "/api/v1"


def test_export_contains_every_kind_of_tracking_data(client, make_user, cat):
    user_id, headers = make_user()
    api, other = Api(client, headers), Api(client, make_user()[1])
    movie, game = cat.movie(title="Arrival"), cat.game(title="Celeste")
    show, eps = cat.show({1: 2}, status="returning")
    cat.threshold(user_id, 80)
    api("PUT", f"{V1}/watch-later/{movie}")
    api("POST", f"{V1}/watched", {"mediaId": show, "episodeId": eps[(1, 1)]})
    api("POST", f"{V1}/progress", {"mediaId": show, "episodeId": eps[(1, 2)], "positionSeconds": 30,
                                   "durationSeconds": 1500})
    api("PUT", f"{V1}/ratings/{movie}", {"rating": 8.5})
    api("PUT", f"{V1}/favorites/{game}")
    api("PUT", f"{V1}/follows/{show}", {"state": "mute"})
    api("PUT", f"{V1}/games/backlog/{game}", {"status": "paused", "hoursPlayed": 4})
    cid = api("POST", f"{V1}/collections", {"name": "Best"})[1]["id"]
    api("POST", f"{V1}/collections/{cid}/items", {"mediaId": game, "note": "hard"})
    other("PUT", f"{V1}/watch-later/{show}")

    response = client.http.get(f"{V1}/me/export", headers=headers)
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith('attachment; filename="seen-export-')
    doc = json.loads(response.body)
    assert (doc["format"], doc["version"], doc["userId"]) == ("seen-tracking-export", 1, str(user_id))
    assert doc["preferences"] == {"watchedThresholdPercent": 80}
    assert [w["mediaId"] for w in doc["watchLater"]] == [movie]
    assert [(h["mediaId"], h["episodeId"]) for h in doc["history"]] == [(show, eps[(1, 1)])]
    assert [(p["episodeId"], p["positionSeconds"]) for p in doc["progress"]] == [(eps[(1, 2)], 30.0)]
    assert doc["ratings"][0]["rating"] == 8.5
    assert [f["mediaId"] for f in doc["favorites"]] == [game]
    assert [(f["mediaId"], f["state"]) for f in doc["follows"]] == [(show, "mute")]
    assert (doc["gameBacklog"][0]["status"], doc["gameBacklog"][0]["hoursPlayed"]) == ("paused", 4.0)
    assert doc["collections"][0]["name"] == "Best"
    assert doc["collections"][0]["items"] == [{"mediaId": game, "position": 1, "note": "hard"}]
    titles = {m["mediaId"]: m["title"] for m in doc["media"]}
    assert set(titles) == {movie, game, show} and (titles[movie], titles[game]) == ("Arrival", "Celeste")
    assert {e["episodeId"] for e in doc["episodes"]} == {eps[(1, 1)], eps[(1, 2)]}


def test_a_new_user_exports_empty_sections(client, make_user):
    _, headers = make_user()
    doc = json.loads(client.http.get(f"{V1}/me/export", headers=headers).body)
    assert doc["preferences"] == {"watchedThresholdPercent": 90}
    for section in ("media", "episodes", "watchLater", "history", "progress", "ratings", "favorites", "follows",
                    "gameBacklog", "collections"):
        assert doc[section] == [], section


def test_tracking_routes_are_documented(client):
    document = json.loads(client.http.get(f"{V1}/openapi.json").body)
    paths = document["paths"]
    assert "put" in paths["/api/v1/watch-later/order"]
    order = document["components"]["schemas"]["MediaOrderInInput"]
    assert "every current item exactly once" in order["description"]
    heartbeat = paths["/api/v1/progress"]["post"]
    assert heartbeat["security"] == [{"bearerAuth": []}] and "422" in heartbeat["responses"]
    unmark = {p["name"] for p in paths["/api/v1/watched"]["delete"]["parameters"]}
    assert unmark == {"mediaId", "episodeId", "seasonNumber", "scope"}
    history = {p["name"] for p in paths["/api/v1/watched"]["get"]["parameters"]}
    assert {"from", "to", "mediaType", "page", "pageSize"} <= history


def test_variable_path_segments_agree_with_their_siblings():
    """API Gateway refuses /shows/{show_id} next to /shows/{media_id}/progress: one name per position."""
    from app import app

    names: dict[str, set[str]] = {}
    for path in app.routes:
        parts = path.split("/")
        for depth, part in enumerate(parts):
            if part.startswith("{"):
                names.setdefault("/".join(parts[:depth]), set()).add(part)
    clashes = {parent: found for parent, found in names.items() if len(found) > 1}
    assert clashes == {}
