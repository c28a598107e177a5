"""Scrobbling from Jellyfin and Plex: real-shaped webhook payloads through the API update progress and
watched history; a replay changes nothing; a wrong or rotated secret is refused (issue 24, item 2)."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest

from tests.integration.tracking_support import Catalog

DATA = Path(__file__).resolve().parents[1] / "data" / "hooks"
BOUNDARY = "------------------------7b3c8e5d0f1a2b44"


@pytest.fixture
def seeded(client):
    from chalicelib import db

    with db.transaction() as conn:
        cat = Catalog(conn)
        movie = cat.movie("Hook Test Movie", imdb_id="tt7654321", tmdb_id=999001)
        show, episodes = cat.show({1: 3}, title="Hook Test Show", status="returning")
        conn.execute("UPDATE media_items SET tvdb_id = 349232 WHERE id = %s", (show,))
    return {"movie": movie, "show": show, "episodes": episodes}


def _urls(client, headers) -> dict:
    response = client.http.get("/api/v1/me/webhooks", headers=headers)
    assert response.status_code == 200, response.body
    return json.loads(response.body)


def _jellyfin(client, path: str, body: dict):
    return client.http.post(path, body=json.dumps(body), headers={"Content-Type": "application/json"})


def _plex(client, path: str, payload: dict, thumb: bytes = b"\xff\xd8\xff\xe0JFIF\x00binary"):
    parts = (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"payload\"\r\n"
             f"Content-Type: application/json\r\n\r\n{json.dumps(payload)}\r\n").encode()
    parts += (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"thumb\"; filename=\"thumb.jpg\"\r\n"
              "Content-Type: image/jpeg\r\n\r\n").encode() + thumb + f"\r\n--{BOUNDARY}--\r\n".encode()
    return client.http.post(path, body=parts, headers={
        "Content-Type": f"multipart/form-data; boundary={BOUNDARY}"})


def _history(user_id, media_id) -> list:
    from chalicelib import db

    with db.connection() as conn:
        return conn.execute("SELECT episode_id FROM user_watched WHERE user_id = %s AND media_id = %s",
                            (user_id, media_id)).fetchall()


def _resume(user_id, media_id):
    from chalicelib import db

    with db.connection() as conn:
        return conn.execute("SELECT position_seconds, duration_seconds, completed_at FROM user_progress "
                            "WHERE user_id = %s AND media_id = %s", (user_id, media_id)).fetchone()


def test_jellyfin_episode_played_to_completion_is_watched_once(client, make_user, seeded):
    user_id, headers = make_user()
    path = _urls(client, headers)["jellyfin"]["path"]
    body = json.loads((DATA / "jellyfin_episode_stop.json").read_text())
    first = _jellyfin(client, path, body)
    assert first.status_code == 200, first.body
    out = json.loads(first.body)
    assert out == {"status": "applied", "mediaId": seeded["show"], "episodeId": seeded["episodes"][(1, 2)],
                   "completed": True}
    assert _history(user_id, seeded["show"]) == [{"episode_id": seeded["episodes"][(1, 2)]}]
    replay = _jellyfin(client, path, body)
    assert json.loads(replay.body)["status"] == "duplicate"
    assert len(_history(user_id, seeded["show"])) == 1


def test_jellyfin_progress_below_the_threshold_is_a_resume_point(client, make_user, seeded):
    user_id, headers = make_user()
    path = _urls(client, headers)["jellyfin"]["path"]
    body = json.loads((DATA / "jellyfin_episode_stop.json").read_text())
    body.update(NotificationType="PlaybackProgress", PlayedToCompletion=False, PlaybackPositionTicks=6_000_000_000,
                EpisodeNumber=3, Provider_tvdb=None, UtcTimestamp="2026-11-20T20:20:00Z")
    assert json.loads(_jellyfin(client, path, body).body)["status"] == "applied"
    resume = _resume(user_id, seeded["show"])
    assert (float(resume["position_seconds"]), float(resume["duration_seconds"])) == (600.0, 3480.0)
    assert resume["completed_at"] is None and _history(user_id, seeded["show"]) == []


def test_plex_pause_then_scrobble_of_a_movie(client, make_user, seeded):
    user_id, headers = make_user()
    path = _urls(client, headers)["plex"]["path"]
    payload = json.loads((DATA / "plex_movie_pause.json").read_text())
    assert json.loads(_plex(client, path, payload).body)["status"] == "applied"
    resume = _resume(user_id, seeded["movie"])
    assert (float(resume["position_seconds"]), float(resume["duration_seconds"])) == (1800.0, 6000.0)
    payload.update(event="media.scrobble")
    payload["Metadata"]["viewOffset"] = 5_420_000
    assert json.loads(_plex(client, path, payload).body)["completed"] is True
    assert _history(user_id, seeded["movie"]) == [{"episode_id": None}]
    assert json.loads(_plex(client, path, payload).body)["status"] == "duplicate"
    assert len(_history(user_id, seeded["movie"])) == 1


def test_events_that_are_not_playback_or_not_in_the_catalog(client, make_user, seeded):
    _, headers = make_user()
    urls = _urls(client, headers)
    payload = json.loads((DATA / "plex_movie_pause.json").read_text())
    rated = {**payload, "event": "media.rate"}
    assert json.loads(_plex(client, urls["plex"]["path"], rated).body)["status"] == "ignored"
    unknown = {**payload, "Metadata": {**payload["Metadata"], "Guid": [{"id": "imdb://tt1"}],
                                       "title": "Not In The Catalog"}}
    assert json.loads(_plex(client, urls["plex"]["path"], unknown).body)["status"] == "unmatched"
    bad = client.http.post(urls["jellyfin"]["path"], body=b"{not json", headers={"Content-Type": "application/json"})
    assert bad.status_code == 400 and json.loads(bad.body)["error"]["code"] == "invalid_json"
    shapeless = _jellyfin(client, urls["jellyfin"]["path"], {"hello": "world"})
    assert shapeless.status_code == 422


def test_a_wrong_or_rotated_secret_is_refused_and_urls_are_per_user(client, make_user, seeded):
    user_a, headers_a = make_user()
    _, headers_b = make_user()
    old = _urls(client, headers_a)
    assert old == _urls(client, headers_a)  # stable until rotated
    assert old["plex"]["path"] != _urls(client, headers_b)["plex"]["path"]
    body = json.loads((DATA / "jellyfin_episode_stop.json").read_text())
    wrong = _jellyfin(client, f"/api/v1/hooks/jellyfin/{uuid.uuid4().hex}", body)
    assert wrong.status_code == 404 and json.loads(wrong.body)["error"]["code"] == "webhook_not_found"
    rotated = client.http.post("/api/v1/me/webhooks/rotate", headers=headers_a)
    assert rotated.status_code == 200 and json.loads(rotated.body)["generation"] == 2
    assert _jellyfin(client, old["jellyfin"]["path"], body).status_code == 404
    assert _history(user_a, seeded["show"]) == []
    fresh = json.loads(rotated.body)["jellyfin"]["path"]
    assert json.loads(_jellyfin(client, fresh, body).body)["status"] == "applied"
    assert client.http.get("/api/v1/me/webhooks").status_code == 401


def test_a_plex_multipart_post_through_the_production_server(app_db, aws, redis_client, tmp_path, seeded):
    """The home server path: gunicorn + the WSGI adapter must hand the multipart body over as bytes."""
    import httpx

    from tests.integration.auth_support import PASSWORD
    from tests.server_support import production_server

    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "index.html").write_text("<!doctype html><div id=root></div>")
    with production_server(tmp_path / "server.log", "--dist", str(dist), workers=1) as running:
        base = running.base_url
        token = httpx.post(base + "/api/v1/auth/register", json={"email": "plex@seen.test", "password": PASSWORD},
                           timeout=30).json()["accessToken"]
        urls = httpx.get(base + "/api/v1/me/webhooks", headers={"Authorization": f"Bearer {token}"}, timeout=30)
        payload = json.loads((DATA / "plex_movie_pause.json").read_text())
        sent = httpx.post(base + urls.json()["plex"]["path"], timeout=30, data={"payload": json.dumps(payload)},
                          files={"thumb": ("thumb.jpg", b"\xff\xd8\xff\xe0" + bytes(range(256)) * 64, "image/jpeg")})
    assert sent.status_code == 200, sent.text
    assert sent.json()["status"] == "applied" and sent.json()["mediaId"] == seeded["movie"]
