"""A kid profile's limit holds on every path that takes an id (issue 58, the content guard): a library file, its
stream, a playback session and a progress write of a title out of the kid's reach answer as an unknown title
does (404), a kid never starts a download, and the account's grown-up profile reaches all of it."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.picks_support import World, index_files, linked_job, make_world
from tests.integration.tracking_support import Api, code

SESSIONS = "/api/v1/playback/sessions"
CAPS = {"video": ["h264"], "audio": ["aac"], "hdr": False, "maxHeight": 1080}


@pytest.fixture
def world(client, make_user, settings_env) -> World:
    return make_world(client, make_user, settings_env)


def rated(world: World, title: str, rating: str, age: int) -> int:
    media_id = world.movie(title)
    world.sql("UPDATE media_items SET content_rating = %s, min_age = %s WHERE id = %s", rating, age, media_id)
    return media_id


def in_library(client, world: World, media_id: int, file_name: str) -> str:
    job_id = linked_job(world, media_id)
    index_files(client, job_id, [file_name])
    [row] = world.sql("SELECT id FROM library_items WHERE source_job_id = %s AND media_id = %s", job_id, media_id)
    return str(row["id"])


def kid_of(world: World, max_rating: str) -> Api:
    status, kid = world.user("POST", "/api/v1/me/profiles", {"name": "Kit", "kind": "kid", "maxRating": max_rating,
                                                           "ownerPin": "9753"})
    assert status == 201, kid
    status, acting = world.user("POST", f"/api/v1/me/profiles/{kid['id']}/select", {})
    assert status == 200, acting
    return Api(world.client, {"Authorization": f"Bearer {acting['accessToken']}"})


def beat(api: Api, media_id: int) -> tuple[int, Any]:
    return api("POST", "/api/v1/progress", {"mediaId": media_id, "durationSeconds": 6000.0,
                                            "positionSeconds": 60.0})


def test_a_pg_kid_reaches_a_pg_film_by_every_path_and_an_r_film_by_none(client, world):
    adult_film = rated(world, "Heat", "R", 17)
    kids_film = rated(world, "Paddington", "PG", 10)
    adult_file = in_library(client, world, adult_film, "Heat.1995.1080p.BluRay.x264-GRP.mkv")
    kids_file = in_library(client, world, kids_film, "Paddington.2014.1080p.BluRay.x264-GRP.mkv")
    # The account's own (grown-up) profile is not limited.
    assert world.user("GET", f"/api/v1/library/{adult_file}")[0] == 200
    assert world.user("GET", f"/api/v1/library/{adult_file}/stream")[0] == 200
    assert beat(world.user, adult_film)[0] == 200
    kid = kid_of(world, "PG")  # this session acts as the kid from now on

    for path in (f"/api/v1/library/{adult_file}", f"/api/v1/library/{adult_file}/stream"):
        status, body = kid("GET", path)
        assert (status, code(body)) == (404, "library_item_not_found"), (path, body)
    status, body = kid("POST", SESSIONS, {"mediaId": adult_film, "deviceCaps": CAPS})
    assert (status, code(body)) == (404, "media_not_found"), body
    status, body = kid("POST", SESSIONS, {"mediaId": adult_film, "libraryItemId": adult_file, "deviceCaps": CAPS})
    assert (status, code(body)) == (404, "media_not_found"), body
    status, body = beat(kid, adult_film)
    assert (status, code(body)) == (404, "media_not_found"), body
    assert world.sql("SELECT 1 FROM user_progress WHERE media_id = %s AND user_id <> %s", adult_film,
                     world.user_id) == []  # only the grown-up's

    assert kid("GET", f"/api/v1/library/{kids_file}")[0] == 200
    status, answer = kid("GET", f"/api/v1/library/{kids_file}/stream")
    assert status == 200 and answer["url"], answer
    status, session = kid("POST", SESSIONS, {"mediaId": kids_film, "deviceCaps": CAPS})
    assert (status, session["mode"]) == (201, "library"), session
    assert beat(kid, kids_film)[0] == 200


def test_a_kid_profile_never_starts_a_download(client, world):
    not_yet_there = rated(world, "The Iron Giant", "PG", 10)
    kid = kid_of(world, "PG")
    jobs_before = world.sql("SELECT count(*) AS n FROM download_jobs")[0]["n"]
    status, body = kid("POST", SESSIONS, {"mediaId": not_yet_there, "deviceCaps": CAPS})
    assert (status, code(body)) == (403, "not_for_kids"), body
    assert world.sql("SELECT count(*) AS n FROM download_jobs")[0]["n"] == jobs_before
    assert world.sql("SELECT 1 FROM picks WHERE media_id = %s", not_yet_there) == []


def test_an_unrated_film_or_one_outside_the_kids_collections_is_out_of_reach(client, world):
    unrated = world.movie("Unrated Cut")
    unrated_file = in_library(client, world, unrated, "Unrated.Cut.2001.1080p.WEB-DL.x264-GRP.mkv")
    kid = kid_of(world, "PG")
    assert kid("GET", f"/api/v1/library/{unrated_file}")[0] == 404
    assert beat(kid, unrated)[0] == 404
