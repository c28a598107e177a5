"""A user's own account on a Jellyfin or Plex server (issue 36): linking (good and bad credentials, the token
write-only and encrypted), the one-time import of played state through the imports queue (watches and resume
points of the items the sync matched, once, however often it runs), and playing an owned file through the
server's own stream URL with the user's token, for that user only.

The fakes speak the real wire format over HTTP; the import runs as in production: the API queues
``media_servers.account_import`` on the imports queue (moto SQS) and the imports consumer's handler runs it.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any, cast

import httpx
import pytest

from embedded.fakes.jellyfin import FakeJellyfin
from embedded.fakes.media_library import Library, generate
from embedded.fakes.plex import FakePlex
from tests.integration import catalog_support as support
from tests.integration.downloads_support import drain_queue
from tests.integration.imports_support import eager_queue
from tests.integration.test_media_servers import SETTINGS_KEY, add_server, sync
from tests.integration.tracking_support import Api, Catalog

MINE = "/api/v1/me/media-servers"
PLAYED_AT = datetime(2024, 5, 1, 20, 0, tzinfo=UTC)


@pytest.fixture
def admin(client, make_user, settings_env) -> Api:
    settings_env(SEEN_SETTINGS_KEY=SETTINGS_KEY)
    return Api(client, make_user(role="admin")[1])


@pytest.fixture
def library() -> Library:
    return generate(movies=4, shows=1, seasons=1, episodes=3, seed=11)


def seed_catalog(library: Library) -> dict[str, Any]:
    """Three of the four movies in the catalog by TMDB id (the fourth stays unmatched) and the show with its
    three episodes by TVDB id."""
    from chalicelib import db

    movies = sorted(library.movies.values(), key=lambda m: m.item_id)
    show = next(iter(library.shows.values()))
    movies[3].imdb = movies[3].tmdb = movies[3].tvdb = None
    movies[3].title = "A Home Video Nobody Catalogued"
    library.changed()
    with db.transaction() as conn:
        factory = Catalog(conn)
        ids = {m.item_id: factory.movie(m.title, tmdb_id=m.tmdb) for m in movies[:3]}
        show_id, episodes = factory.show({1: 3}, title=show.title)
        conn.execute("UPDATE media_items SET tvdb_id = %s, imdb_id = NULL, tmdb_id = NULL WHERE id = %s",
                     (show.tvdb, show_id))
    return {"movies": movies, "movie_ids": ids, "show": show, "show_id": show_id, "episodes": episodes}


@pytest.fixture
def world(admin, library):
    catalog = seed_catalog(library)
    fake = FakeJellyfin(library).start()
    server = add_server(admin, fake)
    assert sync(admin, server["id"])["status"] == "completed"
    yield {"fake": fake, "server": server, **catalog}
    fake.stop()


def run_imports() -> list[str]:
    """Run the imports consumer on what was queued; the message types it took."""
    from chalicelib.config import get_aws_settings
    from chalicelib.imports import handlers

    messages = drain_queue(get_aws_settings().imports_queue)
    records = [{"messageId": m["MessageId"], "body": m["Body"]} for m in messages]
    assert handlers.handle_batch(records) == {"batchItemFailures": []}
    return [json.loads(m["Body"])["type"] for m in messages]


def mine(user: Api, server_id: str) -> dict[str, Any]:
    status, body = user("GET", MINE)
    assert status == 200, body
    return next(item for item in body["items"] if item["serverId"] == server_id)


def watched(user_id: Any) -> list[tuple[int, int | None]]:
    return sorted((r["media_id"], r["episode_id"]) for r in support.rows(
        "SELECT media_id, episode_id FROM user_watched WHERE user_id = %(u)s", u=user_id))


def test_linking_takes_good_jellyfin_credentials_refuses_bad_ones_and_never_returns_the_token(
        world, client, make_user):
    fake, server_id = world["fake"], world["server"]["id"]
    ana = fake.users.add("ana", "secret")
    user_id, headers = make_user()
    me = Api(client, headers)
    assert mine(me, server_id) == {"serverId": server_id, "kind": "jellyfin", "name": "Home jellyfin",
                                   "linked": False, "remoteUser": None, "lastImport": None}

    status, body = me("PUT", f"{MINE}/{server_id}/link", {"username": "ana", "password": "wrong"})
    assert status == 422 and body["error"]["message"] == "The server did not accept this username or password"
    status, body = me("PUT", f"{MINE}/{server_id}/link", {"token": "x"})
    assert status == 422 and set(body["error"]["fields"]) == {"username", "password"}, body
    assert support.rows("SELECT 1 FROM media_server_accounts") == []

    status, body = me("PUT", f"{MINE}/{server_id}/link", {"username": "ana", "password": "secret"})

    assert status == 200, body
    assert body["linked"] is True and body["remoteUser"] == "ana" and body["lastImport"]["status"] == "queued"
    assert ana.token not in json.dumps(body) and "secret" not in json.dumps(body)
    stored = support.rows("SELECT remote_user_id, token_ciphertext FROM media_server_accounts WHERE user_id = %(u)s",
                          u=user_id)
    assert stored[0]["remote_user_id"] == ana.user_id
    assert ana.token.encode() not in bytes(stored[0]["token_ciphertext"])  # encrypted at rest
    assert run_imports() == ["media_servers.account_import"]
    assert me("PUT", f"{MINE}/00000000-0000-0000-0000-000000000000/link", {"token": "x"})[0] == 404


def test_the_import_writes_watches_and_resume_points_once_and_counts_the_unmatched(world, client, make_user):
    fake, server_id, movies, show = world["fake"], world["server"]["id"], world["movies"], world["show"]
    ana = fake.users.add("ana", "secret")
    episodes = show.seasons[0].episodes
    for movie in movies[:2] + movies[3:]:  # movies[3] is not in the catalog
        ana.played(movie.item_id, PLAYED_AT)
    ana.played(episodes[0].item_id, PLAYED_AT)
    ana.resume(episodes[1].item_id, 600.0)
    user_id, headers = make_user()
    me = Api(client, headers)
    scrobbled = world["movie_ids"][movies[1].item_id]  # the webhook recorded that play an hour after it began
    assert me("POST", "/api/v1/watched", {"mediaId": scrobbled,
                                          "watchedAt": "2024-05-01T21:00:00Z"})[0] == 201
    assert me("PUT", f"{MINE}/{server_id}/link", {"username": "ana", "password": "secret"})[0] == 200

    run_imports()

    last = mine(me, server_id)["lastImport"]
    assert last["status"] == "completed", last
    assert (last["watched"], last["inProgress"], last["unmatched"]) == (2, 1, 1)  # the scrobbled play not again
    expected = sorted([(world["movie_ids"][movies[0].item_id], None), (world["movie_ids"][movies[1].item_id], None),
                       (world["show_id"], world["episodes"][(1, 1)])])
    assert watched(user_id) == expected
    progress = support.rows("SELECT episode_id, position_seconds FROM user_progress WHERE user_id = %(u)s",
                            u=user_id)
    assert [(r["episode_id"], float(r["position_seconds"])) for r in progress] == [(world["episodes"][(1, 2)],
                                                                                    600.0)]

    status, body = me("POST", f"{MINE}/{server_id}/import")
    assert status == 202 and body["lastImport"]["status"] == "queued", body
    assert me("POST", f"{MINE}/{server_id}/import")[0] == 409  # one waits already
    run_imports()

    again = mine(me, server_id)["lastImport"]
    assert again["status"] == "completed" and (again["watched"], again["unmatched"]) == (0, 1), again
    assert watched(user_id) == expected  # nothing twice
    assert len(support.rows("SELECT 1 FROM user_progress WHERE user_id = %(u)s", u=user_id)) == 1


def test_the_stream_url_carries_my_token_only_mine_and_unlinking_forgets_it(world, client, make_user, tmp_path):
    from tests.integration.library_support import make_video

    fake, server_id, movie = world["fake"], world["server"]["id"], world["movies"][0]
    ana = fake.users.add("ana", "secret")
    fake.video = make_video(tmp_path / "small.mp4", container="mp4", seconds=1).read_bytes()
    me, other = Api(client, make_user()[1]), Api(client, make_user()[1])
    stream = f"/api/v1/media-servers/{server_id}/items/{movie.item_id}/stream"
    assert me("GET", stream)[0] == 404  # not linked yet
    assert me("PUT", f"{MINE}/{server_id}/link", {"username": "ana", "password": "secret"})[0] == 200

    status, body = me("GET", stream)

    assert status == 200, body
    assert body["url"] == f"{fake.url}/Videos/{movie.item_id}/stream?static=true&api_key={ana.token}"
    assert fake.api_key not in body["url"] and body["mediaId"] == world["movie_ids"][movie.item_id]
    assert body["container"] == "mkv" and body["mime"] == "video/x-matroska"
    assert body["resumeSeconds"] is None
    assert me("POST", "/api/v1/progress", {"mediaId": body["mediaId"], "positionSeconds": 300.0,
                                           "durationSeconds": 6000.0})[0] == 200
    assert me("GET", stream)[1]["resumeSeconds"] == 300.0  # the player starts where you stopped
    played = httpx.get(body["url"], headers={"Range": "bytes=0-15"})
    assert played.status_code == 206 and played.content[4:8] == b"ftyp"  # the real file, by Range
    assert other("GET", stream)[0] == 404
    assert other("POST", f"{MINE}/{server_id}/import")[0] == 404
    assert other("DELETE", f"{MINE}/{server_id}/link")[0] == 404
    assert me("GET", f"/api/v1/media-servers/{server_id}/items/not-there/stream")[0] == 404

    assert me("DELETE", f"{MINE}/{server_id}/link")[0] == 204

    assert support.rows("SELECT 1 FROM media_server_accounts") == []
    assert me("GET", stream)[0] == 404
    assert mine(me, server_id)["linked"] is False


@pytest.mark.parametrize("answer", [b"[" * 100_000 + b"]" * 100_000, b'{"Items": ' + b"[" * 65 + b"]" * 65 + b"}"])
def test_a_server_answering_deeply_nested_json_is_a_502_naming_it_not_a_500(world, client, make_user, answer):
    fake, server_id, movie = world["fake"], world["server"]["id"], world["movies"][0]
    fake.users.add("ana", "secret")
    me = Api(client, make_user()[1])
    assert me("PUT", f"{MINE}/{server_id}/link", {"username": "ana", "password": "secret"})[0] == 200
    fake.fail("/Users/", 200, body=answer)  # the item lookup behind the stream

    status, body = me("GET", f"/api/v1/media-servers/{server_id}/items/{movie.item_id}/stream")

    assert status == 502, body
    assert body["error"]["code"] == "media_server_unreachable"
    assert "nested deeper than 64 levels" in body["error"]["message"]


def test_a_plex_account_links_by_token_imports_its_view_state_and_streams_its_part(admin, client, make_user):
    library = generate(movies=3, shows=0, seed=5)
    catalog = seed_catalog_movies(library)
    plex = FakePlex(library).start()
    try:
        server = add_server(admin, plex, kind="plex")
        assert sync(admin, server["id"])["status"] == "completed"
        bob = plex.users.add("bob", token="bob-own-plex-token")
        first, second = sorted(library.movies.values(), key=lambda m: m.item_id)[:2]
        bob.played(first.item_id, PLAYED_AT)
        bob.resume(second.item_id, 1200.0)
        user_id, headers = make_user()
        me = Api(client, headers)
        assert me("PUT", f"{MINE}/{server['id']}/link", {"token": "not-bobs"})[0] == 422

        status, body = me("PUT", f"{MINE}/{server['id']}/link", {"token": "bob-own-plex-token"})
        assert status == 200 and body["remoteUser"] == "bob", body
        run_imports()
        last = mine(me, server["id"])["lastImport"]
        status, stream = me("GET", f"/api/v1/media-servers/{server['id']}/items/{plex.rating_key(first.item_id)}"
                                   "/stream")
    finally:
        plex.stop()
    assert (last["status"], last["watched"], last["inProgress"], last["unmatched"]) == ("completed", 1, 1, 0), last
    assert watched(user_id) == [(catalog[first.item_id], None)]
    assert status == 200 and stream["url"].startswith(f"{plex.url}/library/parts/"), stream
    assert stream["url"].endswith("?X-Plex-Token=bob-own-plex-token") and plex.token not in stream["url"]


def seed_catalog_movies(library: Library) -> dict[str, int]:
    from chalicelib import db

    with db.transaction() as conn:
        factory = Catalog(conn)
        return {m.item_id: factory.movie(m.title, tmdb_id=m.tmdb) for m in library.movies.values()}


def test_the_spa_lets_the_player_load_media_from_the_servers_origins(world):
    from chalicelib.mediaaccounts.service import media_server_origins
    from server.front import Front

    front = Front(api=cast(Any, None), media_servers=media_server_origins)
    sent: dict[str, str] = {}

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        sent.update(headers)

    front({"PATH_INFO": "/app/play/x/y", "REQUEST_METHOD": "GET"}, start_response)

    policy = dict(part.strip().split(" ", 1) for part in sent["Content-Security-Policy"].split(";"))
    assert policy["media-src"].split() == ["'self'", "blob:", world["fake"].url]
    assert world["fake"].url not in policy["img-src"]  # media only


def test_the_import_is_queued_after_it_commits_and_a_queue_that_is_down_is_a_503(world, client, make_user,
                                                                                   monkeypatch):
    # A consumer that took the message before the queued state committed found nothing to start, and the
    # import stayed "queued" for good (asking again was a 409).
    sqs_as = eager_queue(monkeypatch)
    fake, server_id, movies = world["fake"], world["server"]["id"], world["movies"]
    fake.users.add("ana", "secret").played(movies[0].item_id, PLAYED_AT)
    me = Api(client, make_user()[1])
    sqs_as()
    status, body = me("PUT", f"{MINE}/{server_id}/link", {"username": "ana", "password": "secret"})
    assert status == 200 and mine(me, server_id)["lastImport"]["status"] == "completed", body

    sqs_as(refuse=True)
    status, body = me("POST", f"{MINE}/{server_id}/import")
    assert (status, body["error"]["code"]) == (503, "import_queue_unavailable"), body
    assert mine(me, server_id)["lastImport"]["status"] == "failed"  # not "queued" with no message behind it
    sqs_as()
    status, body = me("POST", f"{MINE}/{server_id}/import")
    assert status == 202 and mine(me, server_id)["lastImport"]["status"] == "completed", body
