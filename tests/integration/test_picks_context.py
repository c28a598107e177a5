"""POST /api/v1/picks in context (issue 37): episode 5 prefers the group of the user's episode 4, and a
pick is kept per playing device (deviceCaps), against a fake Torznab indexer over HTTP."""

from __future__ import annotations

import pytest

from embedded.fakes.torznab import FakeRelease
from tests.integration.picks_support import make_world
from tests.integration.sources_support import fake_indexers


@pytest.fixture
def world(client, make_user, settings_env):
    return make_world(client, make_user, settings_env)


@pytest.fixture
def fake_indexer():
    yield from fake_indexers()


E4_NTB = "Severance.S01E04.1080p.WEB-DL.DDP5.1.H.264-NTb"
E5_NTB = "Severance.S01E05.1080p.WEB-DL.DDP5.1.H.264-NTb"
E5_FLUX = "Severance.S01E05.1080p.WEB-DL.DDP5.1.H.264-FLUX"  # a little healthier: wins when no group is known
SAME_AS_4 = "same group as episode 4"


@pytest.fixture
def show(world, fake_indexer):
    show_id, episodes = world.show("Severance", {1: 5})
    world.indexer(fake_indexer([FakeRelease(E4_NTB, size=1_800_000_000, seeders=70, category=5040),
                                FakeRelease(E5_NTB, size=1_800_000_000, seeders=60, category=5040),
                                FakeRelease(E5_FLUX, size=1_800_000_000, seeders=80, category=5040)]))
    return show_id, episodes


def get(api, show_id: int, episode: int, **more) -> dict:
    status, body = api("POST", "/api/v1/picks", {"mediaId": show_id, "season": 1, "episode": episode, **more})
    assert status in (200, 201), body
    return body["pick"]


def test_episode_5_prefers_the_group_of_the_users_episode_4_pick_and_says_so(world, show):
    show_id, _ = show
    other = world.other_user()
    assert get(world.user, show_id, 4)["name"] == E4_NTB
    # Another user with no earlier episode gets the healthier release: the first user's pick does not leak.
    theirs = get(other, show_id, 5)
    assert theirs["name"] == E5_FLUX and not any("group" in r for r in theirs["score"]["reasons"])
    mine = get(world.user, show_id, 5)
    assert mine["name"] == E5_NTB and SAME_AS_4 in mine["score"]["reasons"]
    assert mine["score"]["score"]["consistency"] == 100


def test_a_library_file_counts_but_another_users_download_does_not(world, show):
    show_id, episodes = show
    other_id = world.make_user()[0]
    [job] = world.sql("INSERT INTO download_jobs (user_id, source_type, source, title, status, progress, "
                      "completed_at, ended_at) VALUES (%s, 'magnet', 'magnet:?xt=urn:btih:' || repeat('cd', 20), "
                      "'x', 'completed', 100, now(), now()) RETURNING id", other_id)
    for key, name, episode, job_id in (("a", "Severance.S01E03.1080p.WEB-DL.H.264-NTb.mkv", 3, None),
                                       ("b", "Severance.S01E04.1080p.WEB-DL.H.264-FLUX.mkv", 4, job["id"])):
        world.sql("INSERT INTO library_items (storage_key, file_name, size_bytes, match_state, media_id, episode_id, "
                  "source_job_id) VALUES (%s, %s, 1, 'matched', %s, %s, %s)", f"lib/{key}", name, show_id,
                  episodes[(1, episode)], job_id)
    mine = get(world.user, show_id, 5)
    assert mine["name"] == E5_NTB and "same group as episode 3" in mine["score"]["reasons"]


PHONE = {"video": ["avc1"], "audio": ["aac", "eac3"], "hdr": False, "maxHeight": 1080}
DESKTOP = {"video": ["h264", "HEVC", "av1"], "audio": ["aac", "eac3"], "hdr": True, "maxHeight": 2160}
X264 = "Arrival.2001.1080p.WEB-DL.DDP5.1.H.264-NTb"
HEVC = "Arrival.2001.1080p.WEB-DL.DDP5.1.x265-FLUX"


def test_two_devices_get_two_picks_of_one_movie_each_stable_on_repeat(world, fake_indexer):
    status, _ = world.user("PATCH", "/api/v1/settings",
                           {"qualityProfile": {"playableCodecs": ["h264", "h265", "vp9", "av1"]}})
    assert status == 200
    world.indexer(fake_indexer([FakeRelease(X264, size=5_000_000_000, seeders=30),
                                FakeRelease(HEVC, size=3_000_000_000, seeders=300)]))
    movie = world.movie("Arrival", runtime=116)
    ask = lambda caps: world.user("POST", "/api/v1/picks", {"mediaId": movie, "deviceCaps": caps})  # noqa: E731
    (s1, desktop), (s2, phone) = ask(DESKTOP), ask(PHONE)
    assert (s1, s2) == (201, 201)
    assert (desktop["pick"]["name"], phone["pick"]["name"]) == (HEVC, X264)
    assert desktop["pick"]["deviceKey"] != phone["pick"]["deviceKey"] and phone["pick"]["deviceKey"]
    assert "your device can't play HEVC" not in desktop["pick"]["score"]["reasons"]
    again = {"video": ["hevc", "h264", "av1", "vp8-ish"], "audio": ["eac3", "AAC"], "hdr": True, "maxHeight": 2160}
    (s3, desktop_again), (s4, phone_again) = ask(again), ask(PHONE)
    assert (s3, s4, desktop_again["reused"], phone_again["reused"]) == (200, 200, True, True)
    assert (desktop_again["pick"]["id"], phone_again["pick"]["id"]) == (desktop["pick"]["id"], phone["pick"]["id"])
    # Without caps: the pick as before (its own key), and both device picks stay current.
    plain = world.user("POST", "/api/v1/picks", {"mediaId": movie})[1]["pick"]
    assert plain["deviceKey"] == "" and plain["id"] not in (desktop["pick"]["id"], phone["pick"]["id"])
    current = world.sql("SELECT name, device_key FROM picks WHERE user_id = %s AND replaced_at IS NULL "
                        "ORDER BY created_at", world.user_id)
    assert [r["name"] for r in current] == [HEVC, X264, plain["name"]]


def test_bad_device_caps_are_a_422_and_write_nothing(world, fake_indexer):
    movie = world.movie("Arrival", runtime=116)
    status, body = world.user("POST", "/api/v1/picks", {"mediaId": movie, "deviceCaps": {"video": "h264"}})
    assert status == 422 and body["error"]["code"] == "validation_error"
    assert world.sql("SELECT id FROM picks WHERE user_id = %s", world.user_id) == []


def test_the_listing_is_ranked_for_the_previous_group_and_the_device(world, show, fake_indexer):
    show_id, _ = show
    listing = lambda api, query="": api("GET", f"/api/v1/sources?mediaId={show_id}&season=1&episode=5{query}")  # noqa: E731
    assert listing(world.user)[1]["candidates"][0]["name"] == E5_FLUX  # nothing earlier yet
    get(world.user, show_id, 4)
    status, mine = listing(world.user)
    assert status == 200 and mine["candidates"][0]["name"] == E5_NTB
    assert SAME_AS_4 in mine["candidates"][0]["reasons"]
    assert listing(world.other_user())[1]["candidates"][0]["name"] == E5_FLUX
    # The device's codecs as repeated query parameters: nothing here is HEVC, so the order stays.
    status, phone = listing(world.user, "&video=avc1&audio=aac&audio=eac3&maxHeight=1080")
    assert status == 200 and [c["name"] for c in phone["candidates"]] == [c["name"] for c in mine["candidates"]]
    assert listing(world.user, "&maxHeight=0")[0] == 422


def test_the_listing_puts_what_the_device_cannot_decode_below_what_it_plays(world, fake_indexer):
    world.user("PATCH", "/api/v1/settings", {"qualityProfile": {"playableCodecs": ["h264", "h265", "vp9", "av1"]}})
    world.indexer(fake_indexer([FakeRelease(X264, size=5_000_000_000, seeders=30),
                                FakeRelease(HEVC, size=3_000_000_000, seeders=300)]))
    movie = world.movie("Arrival", runtime=116)
    names = lambda query: [c["name"] for c in world.user("GET", f"/api/v1/sources?mediaId={movie}{query}")[1][  # noqa: E731
        "candidates"]]
    assert names("") == names("&video=h264&video=hevc") == [HEVC, X264]
    assert names("&video=h264") == [X264, HEVC]
