"""Notifications (issue 24, item 3): a followed show's new episode, a wanted title downloaded, a failed
download and a released wish-listed game each make one in-app notification and one message on every
channel: Apprise posts to a local HTTP sink (``json://``), run after run, exactly once."""

from __future__ import annotations

import json
import threading
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from cryptography.fernet import Fernet

from tests.integration.tracking_support import Catalog


class Sink:
    """A local HTTP endpoint recording what Apprise's json:// plugin posts (status configurable)."""

    def __init__(self) -> None:
        self.messages: list[dict] = []
        self.status = 200
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if sink.status == 200:
                    sink.messages.append(json.loads(body))
                self.send_response(sink.status)
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"json://127.0.0.1:{self.server.server_address[1]}/notify"


@pytest.fixture
def sink():
    running = Sink()
    yield running
    running.server.shutdown()


@pytest.fixture
def keyed(settings_env):
    # the sink listens on loopback: open that one address to channels, as a home admin opens their ntfy box
    settings_env(SEEN_SETTINGS_KEY=Fernet.generate_key().decode(), SEEN_NOTIFY_PRIVATE_NETWORKS="127.0.0.1")


def _events(user_id) -> dict:
    """Seed one of each event for ``user_id``: returns the ids involved."""
    from chalicelib import db

    today = date.today()
    with db.transaction() as conn:
        cat = Catalog(conn)
        show, episodes = cat.show({1: 2}, title="Notify Show", status="returning")
        conn.execute("UPDATE episodes SET air_date = %s WHERE id = %s", (today, episodes[(1, 2)]))
        conn.execute("INSERT INTO user_follows (user_id, media_id, state) VALUES (%s, %s, 'follow')", (user_id, show))
        game = cat.game("Notify Game", release_date=today - timedelta(days=1))
        conn.execute("INSERT INTO user_game_status (user_id, media_id, status) VALUES (%s, %s, 'wishlist')",
                     (user_id, game))
        movie = cat.movie("Notify Movie")
        conn.execute("INSERT INTO download_jobs (user_id, source_type, source, title, status, ended_at, error_message)"
                     " VALUES (%s, 'magnet', 'magnet:?xt=urn:btih:' || repeat('b', 40), 'Broken.Release', 'failed',"
                     " now(), 'No peers for 2 hours')", (user_id,))
        conn.execute("INSERT INTO download_jobs (user_id, source_type, source, title, status, progress, ended_at,"
                     " completed_at, media_id) VALUES (%s, 'magnet', 'magnet:?xt=urn:btih:' || repeat('c', 40),"
                     " 'Notify.Movie.1080p', 'completed', 100, now(), now(), %s)", (user_id, movie))
    return {"show": show, "game": game, "movie": movie, "episode": episodes[(1, 2)]}


def _put(client, headers, body):
    return client.http.put("/api/v1/me/preferences", headers=headers, body=json.dumps(body))


def test_each_event_is_notified_once_in_the_app_and_on_the_channel(client, make_user, keyed, sink):
    from chalicelib.notifications import produce

    user_id, headers = make_user()
    saved = _put(client, headers, {"notifications": {"channels": [{"label": "Phone", "url": sink.url}]}})
    assert saved.status_code == 200, saved.body
    channel = json.loads(saved.body)["notifications"]["channels"][0]
    assert channel["service"] == "json" and "url" not in channel
    ids = _events(user_id)
    assert produce.run() == {"sent": 4}
    assert produce.run() == {}  # a second run finds nothing new and sends nothing
    titles = sorted(m["title"] for m in sink.messages)
    assert titles == ["Download failed: Broken.Release", "Notify Game is out", "Notify Movie is ready to watch",
                      "Notify Show · S01E02"]
    listed = json.loads(client.http.get("/api/v1/notifications", headers=headers).body)
    assert listed["unread"] == 4
    assert {n["link"] for n in listed["items"]} == {f"/app/shows/{ids['show']}", f"/app/games/{ids['game']}",
                                                   f"/app/movies/{ids['movie']}", "/app/downloads"}
    first = listed["items"][0]["id"]
    read = client.http.post("/api/v1/notifications/read", headers=headers, body=json.dumps({"ids": [first]}))
    assert json.loads(read.body) == {"unread": 3}
    after = json.loads(client.http.get("/api/v1/notifications", headers=headers).body)["items"]
    assert after[-1]["id"] == first and after[-1]["readAt"] is not None  # unread first


def test_rules_turn_kinds_off_and_other_users_see_nothing(client, make_user, keyed, sink):
    from chalicelib.notifications import produce

    user_id, headers = make_user()
    _, other = make_user()
    rules = {"episodeAired": False, "downloadFailed": False}
    saved = json.loads(_put(client, headers, {"notifications": {"rules": rules}}).body)
    assert saved["notifications"]["rules"] == {"episodeAired": False, "wantedDownloaded": True,
                                               "downloadFailed": False, "gameReleased": True}
    _events(user_id)
    assert produce.run() == {"skipped": 2}  # no channel: in the app only
    kinds = {n["kind"] for n in json.loads(client.http.get("/api/v1/notifications", headers=headers).body)["items"]}
    assert kinds == {"wanted_downloaded", "game_released"}
    assert json.loads(client.http.get("/api/v1/notifications", headers=other).body) == {"items": [], "unread": 0}
    assert sink.messages == []


def test_a_channel_that_fails_is_retried_then_delivered_once(client, make_user, keyed, sink):
    from chalicelib import db
    from chalicelib.notifications import produce

    user_id, headers = make_user()
    _put(client, headers, {"notifications": {"channels": [{"label": "Phone", "url": sink.url}]}})
    _events(user_id)
    sink.status = 500
    assert produce.run() == {"pending": 4}
    sink.status = 200
    assert produce.run() == {"sent": 4}
    assert len(sink.messages) == 4
    with db.connection() as conn:
        attempts = [r["attempts"] for r in conn.execute("SELECT attempts FROM notifications").fetchall()]
    assert attempts == [2, 2, 2, 2]


def test_bad_channel_settings_are_422_and_change_nothing(client, make_user, keyed, sink):
    _, headers = make_user()
    _put(client, headers, {"notifications": {"channels": [{"label": "Phone", "url": sink.url}]}})
    for channels in ([{"label": "X", "url": "nope://whatever"}], [{"url": sink.url}],
                     [{"label": "A", "url": sink.url}, {"label": "A", "url": sink.url}]):
        response = _put(client, headers, {"notifications": {"channels": channels, "rules": {"gameReleased": False}}})
        assert response.status_code == 422, (channels, response.body)
    kept = json.loads(client.http.get("/api/v1/me/preferences", headers=headers).body)["notifications"]
    assert [c["label"] for c in kept["channels"]] == ["Phone"] and kept["rules"]["gameReleased"] is True
    keep = kept["channels"][0]["id"]
    clash = _put(client, headers, {"notifications": {"channels": [{"id": keep}, {"label": "Phone", "url": sink.url}]}})
    assert clash.status_code == 422
    emptied = json.loads(_put(client, headers, {"notifications": {"channels": []}}).body)
    assert emptied["notifications"]["channels"] == []
