"""GET /api/v1/me/titles/{mediaId}, artwork URLs on tracking cards, episode and platform ids in the catalog."""

from __future__ import annotations

import uuid

import pytest

from tests.integration.tracking_support import Api, Catalog

URL = "/api/v1/me/titles/{}"


def library_item(cat: Catalog, media_id: int, episode_id: int | None = None, *, matched: bool = True,
                 stream: bool = True) -> str:
    key = f"library/{uuid.uuid4().hex}.mkv"
    item = cat.conn.execute(
        "INSERT INTO library_items (storage_key, file_name, size_bytes, match_state, media_id, episode_id) "
        "VALUES (%s, 'file.mkv', 10, %s, %s, %s) RETURNING id",
        (key, "matched" if matched else "unmatched", media_id, episode_id)).fetchone()["id"]
    if stream:
        cat.conn.execute("INSERT INTO library_streams (library_item_id, kind, storage_key, mime_type) "
                         "VALUES (%s, 'original', %s, 'video/x-matroska')", (item, key))
    return str(item)


def test_untouched_title_has_empty_state(me, cat):
    _, api = me
    movie = cat.movie("Heat")
    status, data = api("GET", URL.format(movie))
    assert status == 200
    assert data["media"]["id"] == movie and data["media"]["title"] == "Heat"
    assert data["media"]["posterUrl"].endswith("w342" + data["media"]["posterPath"])
    assert (data["watchLater"], data["favorite"], data["rating"], data["watchedCount"]) == (False, False, None, 0)
    assert (data["progress"], data["follow"], data["backlog"], data["playable"]) == (None, None, None, [])


def test_movie_state_collects_every_list_and_is_the_callers_only(me, cat, make_user, client):
    _, api = me
    movie = cat.movie()
    assert api("PUT", f"/api/v1/watch-later/{movie}")[0] in (200, 201)
    assert api("PUT", f"/api/v1/favorites/{movie}")[0] in (200, 201)
    assert api("PUT", f"/api/v1/ratings/{movie}", {"rating": 8.5})[0] == 200
    for _ in range(2):
        assert api("POST", "/api/v1/watched", {"mediaId": movie})[0] == 201
    assert api("POST", "/api/v1/progress", {"mediaId": movie, "durationSeconds": 6000.0,
                                            "positionSeconds": 1500.0})[0] == 200
    item = library_item(cat, movie)
    library_item(cat, movie, matched=False)  # not matched: not playable
    library_item(cat, movie, stream=False)  # nothing to stream
    data = api("GET", URL.format(movie))[1]
    assert (data["watchLater"], data["favorite"], data["rating"], data["watchedCount"]) == (True, True, 8.5, 2)
    assert data["lastWatchedAt"] is not None and data["watchLaterAddedAt"] is not None
    assert data["progress"]["positionSeconds"] == 1500.0 and data["progress"]["percent"] == 25.0
    assert data["playable"] == [{"libraryItemId": item, "episodeId": None, "season": None, "episode": None}]
    # Another user sees the title untouched (the library is the instance's, so it is playable for them too).
    _, other = make_user()
    theirs = Api(client, other)("GET", URL.format(movie))[1]
    assert (theirs["watchLater"], theirs["favorite"], theirs["rating"], theirs["watchedCount"]) == (
        False, False, None, 0)
    assert theirs["progress"] is None and [p["libraryItemId"] for p in theirs["playable"]] == [item]


def test_show_state_has_follow_next_episode_resume_and_playable_episodes(me, cat):
    _, api = me
    show, episodes = cat.show({1: 3})
    assert api("POST", "/api/v1/watched", {"mediaId": show, "episodeId": episodes[(1, 1)]})[0] == 201
    assert api("POST", "/api/v1/progress", {"mediaId": show, "episodeId": episodes[(1, 2)],
                                            "durationSeconds": 100.0, "positionSeconds": 10.0})[0] == 200
    assert api("PUT", f"/api/v1/follows/{show}", {"state": "mute"})[0] == 200
    second = library_item(cat, show, episodes[(1, 2)])
    first = library_item(cat, show, episodes[(1, 1)])
    data = api("GET", URL.format(show))[1]
    assert data["follow"]["state"] == "mute" and data["follow"]["followed"] is False
    assert data["nextEpisode"]["id"] == episodes[(1, 2)]
    assert data["progress"]["episode"]["id"] == episodes[(1, 2)]
    assert data["watchedCount"] == 1 and data["backlog"] is None
    assert [(p["libraryItemId"], p["episodeId"], p["season"], p["episode"]) for p in data["playable"]] == [
        (first, episodes[(1, 1)], 1, 1), (second, episodes[(1, 2)], 1, 2)]


def test_game_state_has_the_backlog_entry(me, cat):
    _, api = me
    game, platform = cat.game(), cat.platform("Switch")
    assert api("GET", URL.format(game))[1]["backlog"] is None
    assert api("PUT", f"/api/v1/games/backlog/{game}", {"status": "active", "hoursPlayed": 3.5,
                                                         "platformId": platform})[0] == 200
    data = api("GET", URL.format(game))[1]
    assert data["backlog"]["status"] == "active" and data["backlog"]["platform"] == {"id": platform,
                                                                                     "name": "Switch"}
    assert data["follow"] is None and data["nextEpisode"] is None


@pytest.mark.parametrize("raw", ["999999999", "0", "abc", "-1", "9" * 30])
def test_unknown_or_malformed_ids_are_404(me, raw):
    _, api = me
    status, data = api("GET", URL.format(raw))
    assert status == 404, data


def test_title_state_requires_a_login(client, cat):
    assert client.http.get(URL.format(cat.movie())).status_code == 401


def test_tracking_cards_carry_poster_and_backdrop_urls(me, cat):
    _, api = me
    movie = cat.movie(backdrop_path="/back.jpg")
    game = cat.game(poster_path="co1abc")
    assert api("PUT", f"/api/v1/watch-later/{movie}")[0] in (200, 201)
    assert api("PUT", f"/api/v1/favorites/{game}")[0] in (200, 201)
    assert api("POST", "/api/v1/watched", {"mediaId": movie})[0] == 201
    status, created = api("POST", "/api/v1/collections", {"name": "Best"})
    assert status == 201
    assert api("POST", f"/api/v1/collections/{created['id']}/items", {"mediaId": movie})[0] in (200, 201)
    [later] = api("GET", "/api/v1/watch-later")[1]["items"]
    assert later["media"]["posterUrl"].endswith(f"w342{later['media']['posterPath']}")
    assert later["media"]["backdropUrl"].endswith("w1280/back.jpg")
    [fav] = api("GET", "/api/v1/favorites")[1]["items"]
    assert fav["media"]["posterUrl"].endswith("/t_cover_big/co1abc.jpg") and fav["media"]["backdropUrl"] is None
    [watched] = api("GET", "/api/v1/watched")[1]["items"]
    assert watched["media"]["backdropUrl"].endswith("w1280/back.jpg")
    [entry] = api("GET", f"/api/v1/collections/{created['id']}/items")[1]["items"]
    assert entry["media"]["posterUrl"] == later["media"]["posterUrl"]


def test_season_episodes_and_game_platforms_carry_their_ids(me, cat):
    _, api = me
    show, episodes = cat.show({1: 2})
    status, season = api("GET", f"/api/v1/shows/{show}/seasons/1")
    assert status == 200, season
    assert [(e["id"], e["episodeNumber"]) for e in season["episodes"]] == [(episodes[(1, 1)], 1),
                                                                          (episodes[(1, 2)], 2)]
    game, platform = cat.game(), cat.platform("Switch")
    cat.conn.execute("INSERT INTO media_platforms (media_id, platform_id) VALUES (%s, %s)", (game, platform))
    status, detail = api("GET", f"/api/v1/games/{game}")
    assert status == 200, detail
    assert [(p["id"], p["name"]) for p in detail["platforms"]] == [(platform, "Switch")]
