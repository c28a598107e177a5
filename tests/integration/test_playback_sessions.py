"""Playback sessions (issue 37, item 1) through the API, against a real fake Torznab indexer over HTTP, real
Postgres and the moto server's DynamoDB (the job's telemetry): a session picks and streams, heartbeats time a
stall, a stall with no pieces arriving switches to the next candidate once (the pick's audit trail says why),
and /resume returns the exact pick and file. Every session is its owner's: anyone else gets 404."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest

from chalicelib.telemetry import DownloadTelemetry
from embedded.fakes.torznab import FakeRelease
from tests.integration.picks_support import index_files, linked_job, make_world
from tests.integration.sources_support import fake_indexers
from tests.integration.tracking_support import code

GOOD = "Arrival.2001.1080p.WEB-DL.DDP5.1.H.264-NTb"
OKAY = "Arrival.2001.720p.HDTV.x264-GRP"
CAM = "Arrival.2001.CAM.x264-BAD"
CAPS = {"video": ["h264"], "audio": ["aac"], "hdr": False, "maxHeight": 1080}
SESSIONS = "/api/v1/playback/sessions"


@pytest.fixture
def world(client, make_user, settings_env):
    return make_world(client, make_user, settings_env)


@pytest.fixture
def fake_indexer():
    yield from fake_indexers()


@pytest.fixture
def movie(world, fake_indexer):
    """Arrival (2001) with a good 1080p WEB-DL (the best), a 720p HDTV (the next) and a CAM (rejected)."""
    world.indexer(fake_indexer([FakeRelease(GOOD, size=5_000_000_000, seeders=150, leechers=10),
                                FakeRelease(OKAY, size=1_500_000_000, seeders=30, leechers=3),
                                FakeRelease(CAM, size=1_000_000_000, seeders=400, leechers=90)]))
    return world.movie("Arrival", runtime=116)


def start(world, movie: int, **more) -> dict:
    status, body = world.user("POST", SESSIONS, {"mediaId": movie, "deviceCaps": CAPS, **more})
    assert status == 201, body
    return body


def downloading(world, job_id: str, bytes_done: int) -> None:
    """The job runs on the worker and its telemetry says how much is on disk."""
    world.sql("UPDATE download_jobs SET status = 'downloading', started_at = now() WHERE id = %s", job_id)
    DownloadTelemetry(job_id, status="downloading", bytes_done=bytes_done, updated_at=datetime.now(UTC)).save()


def stalled_for(world, session_id: str, seconds: int) -> None:
    """The stall being timed began ``seconds`` ago (instead of waiting that long)."""
    world.sql("UPDATE playback_sessions SET buffering_since = now() - make_interval(secs => %s) WHERE id = %s",
              seconds, session_id)


def beat(world, session_id: str, position: float, buffering: bool, api=None) -> tuple[int, dict]:
    return (api or world.user)("POST", f"{SESSIONS}/{session_id}/heartbeat",
                               {"positionSeconds": position, "buffering": buffering})


def stall_setting(world, seconds: int) -> None:
    status, body = world.user("PATCH", "/api/v1/settings", {"stallSwitchSeconds": seconds})
    assert status == 200 and body["stallSwitchSeconds"] == seconds, body


def test_a_session_without_a_file_picks_the_best_release_and_streams_its_download(world, movie):
    body = start(world, movie)
    job_id = body["file"]["downloadId"]
    assert (body["mode"], body["pick"]["name"], body["pick"]["reason"], body["next"]) == (
        "download", GOOD, "best", None)
    assert body["pick"]["jobId"] == job_id
    assert body["streamUrl"] == f"/api/v1/downloads/{job_id}/stream?session={body['sessionId']}"
    assert body["stallSwitchSeconds"] == 15  # the default until the user sets it
    status, answer = world.user("GET", body["streamUrl"])  # the stream endpoint takes the session tag
    assert status == 202 and answer["awaiting"], answer  # the download has not started: not yet
    status, again = world.user("GET", f"{SESSIONS}/{body['sessionId']}")
    assert status == 200 and (again["pick"]["id"], again["streamUrl"]) == (body["pick"]["id"], body["streamUrl"])


def test_another_users_session_is_not_found(world, movie):
    body = start(world, movie)
    other = world.other_user()
    for status, answer in (other("GET", f"{SESSIONS}/{body['sessionId']}"),
                           beat(world, body["sessionId"], 10, False, api=other),
                           world.user("GET", f"{SESSIONS}/not-a-uuid")):
        assert (status, code(answer)) == (404, "session_not_found")
    assert other("GET", f"/api/v1/resume?mediaId={movie}")[0] == 404
    status, own_job = other("POST", SESSIONS, {"mediaId": movie, "downloadId": body["file"]["downloadId"],
                                               "deviceCaps": CAPS})
    assert (status, code(own_job)) == (404, "download_not_found")


@pytest.mark.parametrize("sent, status", [
    ({"mediaId": 1}, 422),  # no deviceCaps
    ({"mediaId": 1, "deviceCaps": CAPS, "episode": 2}, 422),  # an episode needs its season
    ({"mediaId": 1, "deviceCaps": CAPS, "libraryItemId": "8c1a5a3e-0000-4000-8000-000000000001",
      "downloadId": "8c1a5a3e-0000-4000-8000-000000000002"}, 422),  # one file, not two
    ({"mediaId": "1", "deviceCaps": CAPS}, 422),  # a number, not text
    ({"mediaId": 1, "deviceCaps": CAPS, "shuffle": True}, 422),  # unknown field
])
def test_bad_session_input_is_a_4xx_envelope(world, sent, status):
    got, body = world.user("POST", SESSIONS, sent)
    assert got == status and body["error"]["code"], body
    assert world.sql("SELECT id FROM playback_sessions") == []


def test_unknown_titles_files_and_downloads_are_404(world, movie):
    assert code(world.user("POST", SESSIONS, {"mediaId": 2**62, "deviceCaps": CAPS})[1]) == "media_not_found"
    missing = "8c1a5a3e-0000-4000-8000-000000000009"
    assert code(world.user("POST", SESSIONS, {"mediaId": movie, "deviceCaps": CAPS,
                                              "libraryItemId": missing})[1]) == "file_not_found"
    assert code(world.user("POST", SESSIONS, {"mediaId": movie, "deviceCaps": CAPS,
                                              "downloadId": missing})[1]) == "download_not_found"
    status, body = beat(world, start(world, movie)["sessionId"], -1, False)
    assert status == 422 and body["error"]["fields"], body


def test_a_stall_past_the_setting_with_no_pieces_arriving_switches_to_the_next_candidate(world, movie):
    stall_setting(world, 5)
    body = start(world, movie)
    sid, first_job = body["sessionId"], body["file"]["downloadId"]
    downloading(world, first_job, 40_000_000)
    status, waiting = beat(world, sid, 754.2, True)
    assert status == 200 and waiting["buffering"] and waiting["pick"]["name"] == GOOD
    stalled_for(world, sid, 6)
    status, switched = beat(world, sid, 754.3, True)  # the same spot, nothing more on disk

    assert status == 200 and switched["pick"]["name"] == OKAY and switched["pick"]["reason"] == "fallback"
    new_job = switched["file"]["downloadId"]
    assert new_job not in (None, first_job)
    assert switched["streamUrl"] == f"/api/v1/downloads/{new_job}/stream?session={sid}"
    [record] = switched["switches"]
    reason = "switched: the stream stalled 5 s at 12:34"
    assert (record["release"], record["reason"], record["positionSeconds"]) == (OKAY, reason, 754.2)
    assert (record["fromPickId"], record["toPickId"]) == (body["pick"]["id"], switched["pick"]["id"])
    assert not switched["buffering"]  # a new stall is timed from scratch on the new download
    [old] = world.sql("SELECT status FROM download_jobs WHERE id = %s", first_job)
    assert old["status"] == "cancelled"  # the stalled download no longer holds a slot
    status, history = world.user("GET", f"/api/v1/picks?mediaId={movie}")
    assert status == 200 and history["current"]["id"] == switched["pick"]["id"]
    [replaced] = history["trail"]
    assert (replaced["name"], replaced["replacedBy"], replaced["replacedReason"]) == (
        GOOD, switched["pick"]["id"], reason)


def test_a_beat_that_finds_the_player_briefly_not_waiting_at_the_spot_keeps_timing_the_stall(world, movie):
    """A player reloading its stream mid-stall plays a frame of what it holds: the stall goes on."""
    stall_setting(world, 5)
    body = start(world, movie)
    sid = body["sessionId"]
    downloading(world, body["file"]["downloadId"], 1_000)
    beat(world, sid, 100, True)
    stalled_for(world, sid, 6)
    status, between = beat(world, sid, 100.2, False)
    assert status == 200 and between["switches"] == [] and between["buffering"]
    status, switched = beat(world, sid, 100.3, True)
    assert status == 200 and switched["pick"]["name"] == OKAY, switched


def test_concurrent_heartbeats_switch_once(world, movie, monkeypatch):
    from chalicelib.playback import queries, sessions
    from chalicelib.playback.models import Heartbeat

    stall_setting(world, 5)
    body = start(world, movie)
    sid = body["sessionId"]
    downloading(world, body["file"]["downloadId"], 1_000)
    beat(world, sid, 60, True)
    stalled_for(world, sid, 30)
    claim, both_there = queries.session_claim_switch, threading.Barrier(2, timeout=30)

    def claim_together(*args, **kwargs):
        both_there.wait()  # both heartbeats decided to switch before either claims: the race, every time
        return claim(*args, **kwargs)

    monkeypatch.setattr(queries, "session_claim_switch", claim_together)
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(lambda _: sessions.heartbeat(world.user_id, sid, Heartbeat(
            position_seconds=60, buffering=True)), range(2)))
    assert world.user("GET", f"{SESSIONS}/{sid}")[1]["pick"]["name"] == OKAY
    assert len(world.sql("SELECT id FROM picks WHERE user_id = %s", world.user_id)) == 2
    assert len(world.sql("SELECT id FROM download_jobs WHERE user_id = %s", world.user_id)) == 2
    [row] = world.sql("SELECT jsonb_array_length(switches) AS n, state FROM playback_sessions WHERE id = %s", sid)
    assert (row["n"], row["state"]) == (1, "active")


@pytest.mark.parametrize("case", ["pieces_arriving", "shorter_than_the_setting", "moving_on", "paused"])
def test_a_stream_that_is_not_stuck_keeps_its_pick(world, movie, case):
    body = start(world, movie)
    sid, job_id = body["sessionId"], body["file"]["downloadId"]
    downloading(world, job_id, 1_000)
    beat(world, sid, 100, True)
    stalled_for(world, sid, 14 if case == "shorter_than_the_setting" else 20)
    if case == "pieces_arriving":  # 30 MB more on disk since the stall began: the download keeps up
        DownloadTelemetry(job_id, status="downloading", bytes_done=30_000_000,
                          updated_at=datetime.now(UTC)).save()
    position, buffering = {"moving_on": (104, True), "paused": (100, False)}.get(case, (100.5, True))
    status, answer = beat(world, sid, position, buffering)
    assert status == 200 and answer["pick"]["id"] == body["pick"]["id"] and answer["switches"] == []
    if case == "moving_on":  # a wait at another spot is a new stall, timed from now
        [row] = world.sql("SELECT buffering_at, now() - buffering_since < interval '5 seconds' AS fresh "
                          "FROM playback_sessions WHERE id = %s", sid)
        assert (row["buffering_at"], row["fresh"]) == (104, True)
    assert len(world.sql("SELECT id FROM picks WHERE user_id = %s", world.user_id)) == 1


def test_with_no_other_release_the_session_keeps_playing_and_says_why(world, fake_indexer):
    world.indexer(fake_indexer([FakeRelease("Heat.2001.1080p.WEB-DL.H.264-Y", size=4_000_000_000, seeders=50),
                                FakeRelease("Heat.2001.CAM-X", size=900_000_000, seeders=300)]))
    heat = world.movie("Heat")
    body = start(world, heat)
    downloading(world, body["file"]["downloadId"], 1_000)
    beat(world, body["sessionId"], 30, True)
    stalled_for(world, body["sessionId"], 20)
    status, answer = beat(world, body["sessionId"], 30, True)
    assert status == 200 and answer["pick"]["id"] == body["pick"]["id"] and answer["switches"] == []
    assert "no other release" in answer["notice"]
    assert len(world.sql("SELECT id FROM picks WHERE user_id = %s", world.user_id)) == 1


def test_resume_returns_the_exact_season_episode_position_pick_and_file(world, fake_indexer):
    show, episodes = world.show("Severance", {1: 3})
    world.indexer(fake_indexer([FakeRelease("Severance.S01E02.1080p.WEB-DL.DDP5.1.H.264-NTb", size=1_800_000_000,
                                            seeders=90, category=5040)]))
    assert code(world.user("GET", f"/api/v1/resume?mediaId={show}")[1]) == "nothing_to_resume"
    body = start(world, show, season=1, episode=2)
    assert body["next"] == {"season": 1, "episode": 3, "libraryItemId": None}
    status, _ = world.user("POST", f"{SESSIONS}/{body['sessionId']}/heartbeat",
                           {"positionSeconds": 321.5, "buffering": False, "fileIndex": 0})
    assert status == 200
    status, resume = world.user("GET", f"/api/v1/resume?mediaId={show}")
    assert status == 200, resume
    assert (resume["season"], resume["episode"], resume["positionSeconds"], resume["pick"]["id"]) == (
        1, 2, 321.5, body["pick"]["id"])
    assert resume["file"] == {"libraryItemId": None, "downloadId": body["file"]["downloadId"], "fileIndex": 0}
    assert world.user("GET", "/api/v1/resume?mediaId=zero")[0] == 422

    # The next episode played later outside a session (the library's player saves progress only): it wins.
    status, _ = world.user("POST", "/api/v1/progress", {"mediaId": show, "episodeId": episodes[(1, 3)],
                                                        "positionSeconds": 42.0, "durationSeconds": 2700.0})
    assert status in (200, 201, 204)
    status, later = world.user("GET", f"/api/v1/resume?mediaId={show}")
    assert status == 200 and (later["sessionId"], later["episode"], later["positionSeconds"], later["pick"]) == (
        None, 3, 42.0, None)


def test_a_title_in_the_library_plays_its_file_with_the_pick_that_brought_it(client, world, movie):
    job_id = linked_job(world, movie)
    index_files(client, job_id, ["Arrival.2001.1080p.WEB-DL.DDP5.1.H.264-NTb.mkv"])
    [item] = world.sql("SELECT id FROM library_items WHERE source_job_id = %s AND match_state = 'matched'", job_id)
    body = start(world, movie)
    assert (body["mode"], body["file"]["libraryItemId"], body["pick"]) == ("library", str(item["id"]), None)
    assert body["streamUrl"] == f"/api/v1/library/{item['id']}/stream?session={body['sessionId']}"
    status, answer = world.user("GET", body["streamUrl"])
    assert status == 200 and answer["url"], answer
    named = start(world, movie, libraryItemId=str(item["id"]))
    assert named["file"]["libraryItemId"] == str(item["id"])
    assert world.sql("SELECT id FROM download_jobs WHERE user_id = %s AND id <> %s", world.user_id, job_id) == []
    other = world.movie("Heat")
    status, answer = world.user("POST", SESSIONS, {"mediaId": other, "deviceCaps": CAPS,
                                                   "libraryItemId": str(item["id"])})
    assert (status, code(answer)) == (422, "file_of_another_title")


def test_a_user_starts_at_most_thirty_sessions_a_minute_and_another_user_is_not_held_up(client, world, movie):
    from chalicelib.playback.routes import SESSION_STARTS

    job_id = linked_job(world, movie)
    index_files(client, job_id, ["Arrival.2001.1080p.WEB-DL.DDP5.1.H.264-NTb.mkv"])
    for _ in range(SESSION_STARTS.limit):
        start(world, movie)
    status, body = world.user("POST", SESSIONS, {"mediaId": movie, "deviceCaps": CAPS})
    assert (status, code(body)) == (429, "rate_limited")
    assert len(world.sql("SELECT id FROM playback_sessions WHERE user_id = %s", world.user_id)) == SESSION_STARTS.limit
    status, body = world.other_user()("POST", SESSIONS, {"mediaId": movie, "deviceCaps": CAPS})
    assert status == 201, body

