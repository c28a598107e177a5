"""POST/GET /api/v1/picks against a real fake Torznab indexer over HTTP: the best candidate becomes a
download job linked to what it is for, picks are reused, overrides keep the audit trail."""

from __future__ import annotations

import pytest

from embedded.fakes.torznab import FakeRelease
from tests.integration.picks_support import make_world
from tests.integration.sources_support import fake_indexers
from tests.integration.tracking_support import code


@pytest.fixture
def world(client, make_user, settings_env):
    return make_world(client, make_user, settings_env)


@pytest.fixture
def fake_indexer():
    yield from fake_indexers()

GOOD = "Arrival.2001.1080p.WEB-DL.DDP5.1.H.264-NTb"
OKAY = "Arrival.2001.720p.HDTV.x264-GRP"
CAM = "Arrival.2001.CAM.x264-BAD"


@pytest.fixture
def movie(world, fake_indexer):
    """Arrival (2001) with three results on one indexer: a good 1080p WEB-DL, a 720p HDTV and a CAM."""
    world.indexer(fake_indexer([FakeRelease(GOOD, size=5_000_000_000, seeders=150, leechers=10),
                                FakeRelease(OKAY, size=1_500_000_000, seeders=30, leechers=3),
                                FakeRelease(CAM, size=1_000_000_000, seeders=400, leechers=90)]))
    return world.movie("Arrival", runtime=116)


def infohash(name: str) -> str:
    return FakeRelease(name).infohash


def jobs(world) -> list[dict]:
    return world.sql("SELECT * FROM download_jobs WHERE user_id = %s ORDER BY created_at", world.user_id)


def test_a_pick_without_infohash_gets_the_best_candidate_as_a_job_linked_to_the_movie(world, movie):
    status, sources = world.user("GET", f"/api/v1/sources?mediaId={movie}")
    assert status == 200 and sources["candidates"][0]["name"] == GOOD
    status, body = world.user("POST", "/api/v1/picks", {"mediaId": movie})
    assert status == 201, body
    pick, job = body["pick"], body["job"]
    assert (pick["name"], pick["infohash"], pick["reason"], pick["mediaId"], pick["season"]) == (
        GOOD, infohash(GOOD), "best", movie, None)
    assert pick["score"]["score"] == sources["candidates"][0]["score"] and pick["score"]["reasons"]
    assert (job["title"], job["infoHash"], job["sourceType"], body["reused"]) == (GOOD, infohash(GOOD), "magnet", False)
    [row] = jobs(world)
    assert (row["id"].hex, row["media_id"], row["season"], row["episode"]) == (job["id"].replace("-", ""), movie,
                                                                             None, None)
    [first] = world.sql("SELECT message, data FROM download_events WHERE job_id = %s", row["id"])
    assert first["message"].startswith(f"submitted; picked: {GOOD} from Fake, score ")
    assert first["data"]["pick"]["reasons"] == pick["score"]["reasons"][:3]


def test_asking_again_returns_the_current_pick_and_no_second_job(world, movie):
    first = world.user("POST", "/api/v1/picks", {"mediaId": movie})[1]
    status, again = world.user("POST", "/api/v1/picks", {"mediaId": movie, "infohash": infohash(GOOD).upper()})
    assert status == 200 and again["reused"] is True
    assert (again["pick"]["id"], again["job"]["id"]) == (first["pick"]["id"], first["job"]["id"])
    assert len(jobs(world)) == 1


def test_two_asks_racing_for_one_unit_make_one_pick_and_one_job(world, movie, monkeypatch):
    """Both search with no connection held; the one that creates second finds the first's pick and returns it."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from chalicelib.picks import service

    both_searched = threading.Barrier(2, timeout=30)
    choose = service.choose

    def choose_then_wait(*args, **kwargs):
        found = choose(*args, **kwargs)
        both_searched.wait()  # neither creates before both have searched: the race, every time
        return found

    monkeypatch.setattr(service, "choose", choose_then_wait)
    with ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(lambda _: service.pick(world.user_id, movie, None, None), range(2)))
    assert {a["pick"]["id"] for a in answers} == {answers[0]["pick"]["id"]}
    assert sorted(a["reused"] for a in answers) == [False, True]
    assert len(jobs(world)) == 1
    assert len(world.sql("SELECT id FROM picks WHERE user_id = %s", world.user_id)) == 1


def test_an_override_replaces_the_pick_and_keeps_it_in_the_audit_trail(world, movie):
    first = world.user("POST", "/api/v1/picks", {"mediaId": movie})[1]["pick"]
    status, body = world.user("POST", "/api/v1/picks", {"mediaId": movie, "infohash": infohash(OKAY)})
    assert status == 201 and body["pick"]["reason"] == "chosen" and body["pick"]["name"] == OKAY
    assert len(jobs(world)) == 2
    status, history = world.user("GET", f"/api/v1/picks?mediaId={movie}")
    assert status == 200 and history["current"]["id"] == body["pick"]["id"]
    [old] = history["trail"]
    assert (old["id"], old["replacedBy"], old["replacedAt"] is not None) == (first["id"], body["pick"]["id"], True)
    # Going back to the first release is another override (a third pick), not a revival of the old row.
    status, back = world.user("POST", "/api/v1/picks", {"mediaId": movie, "infohash": infohash(GOOD)})
    assert status == 201 and back["pick"]["id"] not in (first["id"], body["pick"]["id"])
    assert len(world.user("GET", f"/api/v1/picks?mediaId={movie}")[1]["trail"]) == 2


def test_a_rejected_candidate_named_by_the_user_is_got_and_says_so(world, movie):
    status, body = world.user("POST", "/api/v1/picks", {"mediaId": movie, "infohash": infohash(CAM)})
    assert status == 201 and body["pick"]["score"]["rejected"]
    [event] = world.sql("SELECT message FROM download_events WHERE job_id = %s", jobs(world)[0]["id"])
    assert "but chosen by the user" in event["message"]


def test_an_infohash_not_among_the_results_is_404_and_writes_nothing(world, movie):
    status, body = world.user("POST", "/api/v1/picks", {"mediaId": movie, "infohash": "ab" * 20})
    assert (status, code(body)) == (404, "candidate_not_found")
    assert jobs(world) == [] and world.sql("SELECT id FROM picks") == []


def test_no_acceptable_candidate_is_a_422_envelope_and_writes_nothing(world, fake_indexer):
    world.indexer(fake_indexer([FakeRelease("Heat.2001.CAM-X", size=900_000_000, seeders=300),
                                FakeRelease("Heat.2001.1080p.WEB-DL.H.264-Y", size=4_000_000_000, seeders=0)]))
    heat = world.movie("Heat")
    status, body = world.user("POST", "/api/v1/picks", {"mediaId": heat})
    assert (status, code(body)) == (422, "no_acceptable_candidate")
    assert "2 candidate(s), all rejected" in body["error"]["message"]
    assert "1 cinema recording or screener, 1 without seeders)" in body["error"]["message"]  # per indexer
    assert jobs(world) == [] and world.sql("SELECT id FROM picks") == []


def test_an_episode_pick_links_the_job_to_the_season_and_episode(world, fake_indexer):
    show, _ = world.show("Severance", {1: 3})
    world.indexer(fake_indexer([FakeRelease("Severance.S01E02.1080p.WEB-DL.DDP5.1.H.264-NTb", size=1_800_000_000,
                                            seeders=90, category=5040),
                                FakeRelease("Severance.S01E03.1080p.WEB-DL.DDP5.1.H.264-NTb", size=1_800_000_000,
                                            seeders=90, category=5040)]))
    status, body = world.user("POST", "/api/v1/picks", {"mediaId": show, "season": 1, "episode": 2})
    assert status == 201, body
    assert (body["pick"]["name"], body["pick"]["season"], body["pick"]["episode"]) == (
        "Severance.S01E02.1080p.WEB-DL.DDP5.1.H.264-NTb", 1, 2)
    [row] = jobs(world)
    assert (row["media_id"], row["season"], row["episode"]) == (show, 1, 2)
    # The movie-shaped history of another unit is empty, and another user sees none of this user's picks.
    assert world.user("GET", f"/api/v1/picks?mediaId={show}&season=1&episode=3")[1] == {"current": None, "trail": []}
    other = world.other_user()
    assert other("GET", f"/api/v1/picks?mediaId={show}&season=1&episode=2")[1] == {"current": None, "trail": []}


@pytest.mark.parametrize(("body", "status", "error"), [
    ({"mediaId": 1, "episode": 2}, 422, "validation_error"),
    ({"mediaId": 0}, 422, "validation_error"),
    ({"mediaId": "1"}, 422, "validation_error"),
    ({"mediaId": 1, "infohash": "xyz"}, 422, "validation_error"),
    ({"mediaId": 1, "extra": True}, 422, "validation_error"),
    ({"mediaId": 999_999_999}, 404, "media_not_found"),
])
def test_bad_pick_requests_are_4xx_envelopes(world, body, status, error):
    got, answer = world.user("POST", "/api/v1/picks", body)
    assert (got, code(answer)) == (status, error)


def test_a_season_for_a_movie_and_a_bad_query_are_422(world, movie):
    status, body = world.user("POST", "/api/v1/picks", {"mediaId": movie, "season": 1})
    assert (status, code(body)) == (422, "validation_error")
    status, body = world.user("GET", "/api/v1/picks?mediaId=abc")
    assert (status, code(body)) == (422, "validation_error")
    assert world.user("GET", "/api/v1/picks")[0] == 422
    assert jobs(world) == []


def test_asking_again_after_the_download_failed_picks_the_next_best_release(world, movie):
    first = world.user("POST", "/api/v1/picks", {"mediaId": movie})[1]
    world.sql("UPDATE download_jobs SET status = 'failed', ended_at = now() WHERE id = %s", first["job"]["id"])
    status, again = world.user("POST", "/api/v1/picks", {"mediaId": movie})
    assert status == 201 and again["reused"] is False
    assert (again["pick"]["name"], again["pick"]["reason"]) == (OKAY, "best")  # not the release that failed
    history = world.user("GET", f"/api/v1/picks?mediaId={movie}")[1]
    assert [p["id"] for p in history["trail"]] == [first["pick"]["id"]]
    assert history["trail"][0]["replacedBy"] == again["pick"]["id"] and len(jobs(world)) == 2
