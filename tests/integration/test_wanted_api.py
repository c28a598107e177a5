"""The wanted list (GET/POST /api/v1/wanted, DELETE /api/v1/wanted/{id}) and the library filing the files
of a linked download without guessing, which is what makes a wanted item done."""

from __future__ import annotations

import uuid

import pytest

from tests.integration.picks_support import index_files, library_rows, linked_job, make_world
from tests.integration.tracking_support import code


@pytest.fixture
def world(client, make_user, settings_env):
    return make_world(client, make_user, settings_env)


def units(items: list[dict]) -> list[tuple]:
    return [(i["season"], i["episode"]) for i in items]


def test_a_movie_is_wanted_once_and_a_re_add_adds_nothing(world):
    movie = world.movie("Arrival")
    status, first = world.user("POST", "/api/v1/wanted", {"mediaId": movie})
    assert status == 201 and first["added"] == 1 and units(first["items"]) == [(None, None)]
    status, again = world.user("POST", "/api/v1/wanted", {"mediaId": movie})
    assert status == 200 and again["added"] == 0 and again["items"] == first["items"]
    assert len(world.sql("SELECT id FROM wanted")) == 1
    status, page = world.user("GET", "/api/v1/wanted")
    [group] = page["items"]
    assert (status, page["total"], group["mediaType"], group["wanted"], group["done"]) == (200, 1, "movie", 1, 0)
    assert group["item"]["id"] == first["items"][0]["id"] and group["seasons"] == []


def test_a_show_expands_into_its_aired_episodes_and_is_monitored(world):
    show, _ = world.show("Severance", {1: 3, 2: 2}, unaired={2: 2})
    status, body = world.user("POST", "/api/v1/wanted", {"mediaId": show})
    assert status == 201 and body["added"] == 5
    assert units(body["items"]) == [(1, 1), (1, 2), (1, 3), (2, 1), (2, 2)]
    assert world.user("POST", "/api/v1/wanted", {"mediaId": show}) == (200, {**body, "added": 0})
    [monitor] = world.sql("SELECT seasons, auto_get FROM monitored_shows WHERE media_id = %s", show)
    assert monitor == {"seasons": None, "auto_get": False}
    [group] = world.user("GET", "/api/v1/wanted")[1]["items"]
    assert [(s["season"], s["wanted"], s["done"], len(s["episodes"])) for s in group["seasons"]] == [
        (1, 3, 0, 3), (2, 2, 0, 2)]
    assert group["monitor"] == {"mediaId": show, "seasons": None, "autoGet": False, "cutoff": None}
    assert group["seasons"][0]["episodes"][0]["name"] == "Episode 1"


def test_a_season_adds_its_aired_episodes_and_an_unaired_episode_can_be_wanted_by_name(world):
    show, _ = world.show("Andor", {1: 2, 2: 1}, unaired={2: 1})
    status, body = world.user("POST", "/api/v1/wanted", {"mediaId": show, "season": 2})
    assert status == 201 and units(body["items"]) == [(2, 1)]
    status, body = world.user("POST", "/api/v1/wanted", {"mediaId": show, "season": 2, "episode": 2})
    assert status == 201 and units(body["items"]) == [(2, 2)] and body["items"][0]["airDate"]
    world.user("POST", "/api/v1/wanted", {"mediaId": show, "season": 1})
    [monitor] = world.sql("SELECT seasons FROM monitored_shows WHERE media_id = %s", show)
    assert monitor["seasons"] == [1, 2]
    [group] = world.user("GET", "/api/v1/wanted")[1]["items"]
    assert [(s["season"], units(s["episodes"])) for s in group["seasons"]] == [
        (1, [(1, 1), (1, 2)]), (2, [(2, 1), (2, 2)])]


@pytest.mark.parametrize(("body", "status", "error"), [
    ({"mediaId": 999_999_999}, 404, "media_not_found"),
    ({"mediaId": 1, "episode": 1}, 422, "validation_error"),
    ({"mediaId": -3}, 422, "validation_error"),
    ({"mediaId": 1, "season": "1"}, 422, "validation_error"),
    ({"mediaId": 1, "title": "x"}, 422, "validation_error"),
])
def test_bad_wanted_requests_are_4xx_envelopes(world, body, status, error):
    got, answer = world.user("POST", "/api/v1/wanted", body)
    assert (got, code(answer)) == (status, error)


def test_wrong_numbers_for_a_title_are_refused_and_nothing_is_written(world):
    movie, game = world.movie("Heat"), None
    show, _ = world.show("Severance", {1: 2})
    from chalicelib import db
    from tests.integration.tracking_support import Catalog

    with db.connection() as conn:
        game = Catalog(conn).game("Celeste")
    for body, status, error in [({"mediaId": movie, "season": 1}, 422, "validation_error"),
                                ({"mediaId": show, "season": 4}, 404, "episode_not_found"),
                                ({"mediaId": show, "season": 1, "episode": 9}, 404, "episode_not_found"),
                                ({"mediaId": game}, 404, "media_not_found")]:
        got, answer = world.user("POST", "/api/v1/wanted", body)
        assert (got, code(answer)) == (status, error), body
    assert world.sql("SELECT id FROM wanted") == [] and world.sql("SELECT media_id FROM monitored_shows") == []


def test_the_list_searches_titles_and_pages_by_title(world):
    for title in ("Alien", "Aliens", "Heat"):
        world.user("POST", "/api/v1/wanted", {"mediaId": world.movie(title)})
    page = world.user("GET", "/api/v1/wanted?q=alien&pageSize=1")[1]
    assert (page["total"], page["pageSize"], [g["title"] for g in page["items"]]) == (2, 1, ["Aliens"])
    page = world.user("GET", "/api/v1/wanted?q=ALIEN&pageSize=1&page=2")[1]
    assert [g["title"] for g in page["items"]] == ["Alien"]
    assert world.user("GET", "/api/v1/wanted?q=%25")[1]["total"] == 0  # no LIKE wildcards
    assert world.user("GET", "/api/v1/wanted?page=9")[1] == {"items": [], "page": 9, "pageSize": 20, "total": 3}
    assert code(world.user("GET", "/api/v1/wanted?pageSize=500")[1]) == "validation_error"
    assert world.other_user()("GET", "/api/v1/wanted")[1]["total"] == 0


def test_delete_removes_only_the_owners_row(world):
    movie = world.movie("Heat")
    wanted_id = world.user("POST", "/api/v1/wanted", {"mediaId": movie})[1]["items"][0]["id"]
    other = world.other_user()
    assert code(other("DELETE", f"/api/v1/wanted/{wanted_id}")[1]) == "wanted_not_found"
    assert world.user("DELETE", f"/api/v1/wanted/{wanted_id}") == (204, None)
    assert world.user("DELETE", f"/api/v1/wanted/{wanted_id}")[0] == 404
    assert world.user("DELETE", "/api/v1/wanted/not-a-uuid")[0] == 404
    assert world.user("DELETE", f"/api/v1/wanted/{uuid.uuid4()}")[0] == 404


def test_a_linked_single_episode_file_is_filed_to_its_episode_and_the_item_is_done(world, client):
    show, _ = world.show("Severance", {1: 3})
    world.user("POST", "/api/v1/wanted", {"mediaId": show, "season": 1})
    job = linked_job(world, show, 1, 2)
    # A name title matching could never file (no title, no numbers): the job's link says what it is.
    assert index_files(client, job, ["sev-web-720p-final.mkv"]) == {"batchItemFailures": []}
    assert library_rows(world, job)["sev-web-720p-final.mkv"] == {
        "file_name": "sev-web-720p-final.mkv", "match_state": "matched", "match_confidence": 1,
        "media_id": show, "season_number": 1, "episode_number": 2}
    [group] = world.user("GET", "/api/v1/wanted")[1]["items"]
    assert (group["wanted"], group["done"]) == (2, 1)
    done = {e["episode"]: e for e in group["seasons"][0]["episodes"]}
    assert done[2]["done"] is True and done[2]["doneAt"] and done[1]["done"] is False


def test_a_linked_season_pack_files_every_episode_by_its_own_number(world, client):
    show, _ = world.show("Severance", {1: 3})
    world.user("POST", "/api/v1/wanted", {"mediaId": show})
    job = linked_job(world, show, 1)
    pack = "Severance.S01.1080p.WEB-DL-GRP"
    files = [f"{pack}/Severance.S01E0{n}.1080p.WEB-DL-GRP.mkv" for n in (1, 2, 3)] + [f"{pack}/E02 - b.mkv"]
    index_files(client, job, [*files, f"{pack}/sample.mkv"])
    rows = library_rows(world, job)
    assert [(rows[f.split("/")[1]]["match_state"], rows[f.split("/")[1]]["episode_number"]) for f in files] == [
        ("matched", 1), ("matched", 2), ("matched", 3), ("matched", 2)]
    # A pack's file that names no episode is not filed by the link: title matching decides (no episode).
    assert (rows["sample.mkv"]["match_confidence"] < 1, rows["sample.mkv"]["episode_number"]) == (True, None)
    [group] = world.user("GET", "/api/v1/wanted")[1]["items"]
    assert (group["wanted"], group["done"]) == (0, 3)


def test_a_linked_movie_file_is_filed_to_the_movie_and_an_unlinked_one_is_guessed(world, client):
    movie = world.movie("Arrival")
    world.user("POST", "/api/v1/wanted", {"mediaId": movie})
    job = linked_job(world, movie)
    index_files(client, job, ["x264-final-v2.mkv"])
    assert library_rows(world, job)["x264-final-v2.mkv"]["media_id"] == movie
    unlinked = linked_job(world, movie)
    world.sql("UPDATE download_jobs SET media_id = NULL WHERE id = %s", unlinked)
    index_files(client, unlinked, ["x265-other.mkv"])
    assert library_rows(world, unlinked)["x265-other.mkv"]["match_state"] == "unmatched"
    [group] = world.user("GET", "/api/v1/wanted")[1]["items"]
    assert (group["wanted"], group["done"], group["item"]["done"]) == (0, 1, True)
