"""Game backlog and show follows over HTTP, plus followed_show_ids (what the calendar reads)."""

from __future__ import annotations

from chalicelib import cache
from chalicelib.tracking import follows, history, progress
from chalicelib.tracking.schemas import HeartbeatIn
from tests.integration.tracking_support import Catalog, code

V1 = "/api/v1"


def test_backlog_entries_are_set_merged_and_grouped_by_status(me, cat, clock):
    user_id, api = me
    zelda, doom, tetris = cat.game(title="Zelda"), cat.game(title="Doom"), cat.game(title="Tetris")
    pc = cat.platform("PC")
    cache.set_json(cache.Keys.dashboard(user_id), {"stale": 1}, 60)
    status, entry = api("PUT", f"{V1}/games/backlog/{zelda}", {"status": "active", "hoursPlayed": 12.5,
                                                                "platformId": pc})
    assert status == 200
    assert (entry["status"], entry["hoursPlayed"], entry["platform"]["name"]) == ("active", 12.5, "PC")
    assert entry["startedOn"] == clock().date().isoformat() and entry["lastPlayedAt"] is not None
    assert cache.get_json(cache.Keys.dashboard(user_id)) is None  # "recently played" is on the dashboard
    status, entry = api("PUT", f"{V1}/games/backlog/{zelda}", {"status": "completed", "completionPercent": 100})
    assert (entry["hoursPlayed"], entry["platform"]["id"], entry["completionPercent"]) == (12.5, pc, 100)
    assert entry["finishedOn"] == clock().date().isoformat()
    api("PUT", f"{V1}/games/backlog/{doom}", {"status": "wishlist"})
    api("PUT", f"{V1}/games/backlog/{tetris}", {"status": "dropped", "startedOn": "2020-01-01",
                                                "finishedOn": "2020-02-01", "hoursPlayed": 3})
    status, grouped = api("GET", f"{V1}/games/backlog")
    assert status == 200
    assert grouped["counts"] == {"active": 0, "paused": 0, "completed": 1, "wishlist": 1, "dropped": 1}
    assert [e["media"]["title"] for e in grouped["completed"]] == ["Zelda"]
    assert grouped["wishlist"][0]["startedOn"] is None
    only = api("GET", f"{V1}/games/backlog?status=dropped")[1]
    assert only["counts"]["dropped"] == 1 and only["completed"] == []
    assert api("GET", f"{V1}/games/backlog/{tetris}")[1]["finishedOn"] == "2020-02-01"
    assert api("DELETE", f"{V1}/games/backlog/{doom}")[0] == 204
    assert code(api("GET", f"{V1}/games/backlog/{doom}")[1]) == "not_tracked"


def test_bad_backlog_input_is_refused_and_nothing_is_written(me, cat):
    user_id, api = me
    game, movie = cat.game(), cat.movie()
    attempts = [
        (game, {"status": "playing"}, 422, "validation_error"),
        (game, {"status": "active", "completionPercent": 101}, 422, "validation_error"),
        (game, {"status": "active", "hoursPlayed": -1}, 422, "validation_error"),
        (game, {"status": "active", "startedOn": "2021-05-01", "finishedOn": "2021-04-01"}, 422, "validation_error"),
        (game, {"status": "active", "platformId": 987654}, 422, "validation_error"),
        (game, {"hoursPlayed": 3}, 422, "validation_error"),
        (movie, {"status": "active"}, 422, "wrong_media_type"),
        (987654321, {"status": "active"}, 404, "media_not_found"),
    ]
    for media_id, body, status, error in attempts:
        got, data = api("PUT", f"{V1}/games/backlog/{media_id}", body)
        assert (got, code(data)) == (status, error), body
    assert cat.count("user_game_status", user_id) == 0


def test_the_literal_backlog_segment_wins_over_a_game_id_route(me):
    """The catalog owns /games/{id}; Chalice (like API Gateway) must match /games/backlog literally."""
    from chalice.local import RouteMatcher

    matcher = RouteMatcher(["/api/v1/games/{id}", "/api/v1/games/backlog", "/api/v1/games/backlog/{media_id}"])
    assert matcher.match_route("/api/v1/games/backlog").route == "/api/v1/games/backlog"
    assert matcher.match_route("/api/v1/games/backlog/7").route == "/api/v1/games/backlog/{media_id}"
    assert matcher.match_route("/api/v1/games/7").route == "/api/v1/games/{id}"
    _, api = me
    status, body = api("GET", f"{V1}/games/backlog")
    assert status == 200 and set(body["counts"]) == {"active", "paused", "completed", "wishlist", "dropped"}


def test_follow_mute_and_implicit_following(me, cat):
    user_id, api = me
    airing, _ = cat.show(status="returning")
    airing_eps = cat.conn.execute("SELECT id FROM episodes WHERE media_id = %s ORDER BY id", (airing,)).fetchall()
    ended, ended_eps = cat.show(status="ended")
    explicit, _ = cat.show(status="ended")
    api("POST", f"{V1}/watched", {"mediaId": airing, "episodeId": airing_eps[0]["id"]})
    api("POST", f"{V1}/watched", {"mediaId": ended, "episodeId": ended_eps[(1, 1)]})
    status, followed = api("PUT", f"{V1}/follows/{explicit}", {"state": "follow"})
    assert status == 200 and (followed["state"], followed["followed"]) == ("follow", True)
    states = {i["media"]["id"]: i["state"] for i in api("GET", f"{V1}/follows")[1]["items"]}
    assert states == {airing: "implicit", explicit: "follow"}

    cache.set_json(cache.Keys.calendar(user_id, "2030-01"), {"stale": 1}, 60)
    muted = api("PUT", f"{V1}/follows/{airing}", {"state": "mute"})[1]
    assert (muted["state"], muted["followed"]) == ("mute", False)
    assert cache.get_json(cache.Keys.calendar(user_id, "2030-01")) is None
    assert api("DELETE", f"{V1}/follows/{airing}")[0] == 204  # lifts the mute: followed by default again
    states = {i["media"]["id"]: i["state"] for i in api("GET", f"{V1}/follows")[1]["items"]}
    assert states == {airing: "implicit", explicit: "follow"}
    assert api("DELETE", f"{V1}/follows/{airing}")[0] == 204  # unfollowing the default writes a mute
    states = {i["media"]["id"]: i["state"] for i in api("GET", f"{V1}/follows")[1]["items"]}
    assert states == {airing: "mute", explicit: "follow"}
    assert api("DELETE", f"{V1}/follows/{explicit}")[0] == 204  # ended, untracked: the follow is just dropped
    assert code(api("DELETE", f"{V1}/follows/{explicit}")[1]) == "not_tracked"
    assert code(api("DELETE", f"{V1}/follows/{ended}")[1]) == "not_tracked"
    assert code(api("PUT", f"{V1}/follows/{cat.movie()}", {"state": "follow"})[1]) == "wrong_media_type"
    assert api("PUT", f"{V1}/follows/{airing}", {"state": "subscribe"})[0] == 422


def test_followed_show_ids_for_the_calendar(conn):
    cat = Catalog(conn)
    user, other = cat.user(), cat.user()
    airing, airing_eps = cat.show(status="returning")
    upcoming, upcoming_eps = cat.show({1: 1}, status=None, unaired={1: 1})
    finished, finished_eps = cat.show({1: 1}, status=None)
    ended, ended_eps = cat.show(status="canceled")
    muted, muted_eps = cat.show(status="returning")
    followed, _ = cat.show(status="ended")
    history.mark_watched(conn, user, airing, airing_eps[(1, 1)], None)
    progress.record_heartbeat(conn, user, HeartbeatIn(media_id=upcoming, episode_id=upcoming_eps[(1, 1)],
                                                      position_seconds=10, duration_seconds=100))
    history.mark_watched(conn, user, finished, finished_eps[(1, 1)], None)
    history.mark_watched(conn, user, ended, ended_eps[(1, 1)], None)
    history.mark_watched(conn, user, muted, muted_eps[(1, 1)], None)
    follows.set_follow(conn, user, muted, "mute")
    follows.set_follow(conn, user, followed, "follow")
    assert follows.followed_show_ids(conn, user) == {airing, upcoming, followed}
    assert follows.followed_show_ids(conn, other) == set()
    follows.set_follow(conn, user, muted, "follow")
    assert muted in follows.followed_show_ids(conn, user)
