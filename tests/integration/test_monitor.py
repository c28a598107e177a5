"""Monitoring: the scheduled ``picks_monitor`` function (invoked in-process as EventBridge would) adds
newly aired episodes of monitored shows to the wanted list and grabs those of auto-get shows from a real
fake Torznab indexer, with a quality cutoff and a retry schedule; PUT/DELETE /api/v1/wanted/monitor."""

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


def run_monitor(client) -> dict:
    event = client.events.generate_cw_event(source="aws.events", detail_type="Scheduled Event", detail={},
                                            resources=[], region="us-east-1")
    result = client.lambda_.invoke("picks_monitor", event).payload
    assert (result["job"], result["status"], result["error"]) == ("picks.monitor", "ok", None), result
    return result["stats"]


def release(name: str, **fields) -> FakeRelease:
    return FakeRelease(name, **{"size": 1_500_000_000, "seeders": 80, "leechers": 5, "category": 5040, **fields})


@pytest.fixture
def show(world):
    """Severance: S1E1-2 aired and wanted (the whole show, monitored), S1E3-4 not aired yet."""
    show_id, episodes = world.show("Severance", {1: 2}, unaired={1: 2})
    assert world.user("POST", "/api/v1/wanted", {"mediaId": show_id})[0] == 201
    return show_id, episodes


def air(world, episode_id: int, days_ago: int = 1) -> None:
    """The episode aired ``days_ago``, after the monitor last looked (checked_through moves back)."""
    world.sql("UPDATE episodes SET air_date = CURRENT_DATE - %s WHERE id = %s", days_ago, episode_id)
    world.sql("UPDATE monitored_shows SET checked_through = CURRENT_DATE - %s", days_ago + 1)


def wanted(world, show_id: int) -> dict[tuple[int, int], dict]:
    return {(r["season"], r["episode"]): r for r in world.sql("SELECT * FROM wanted WHERE media_id = %s", show_id)}


def test_a_newly_aired_episode_joins_the_wanted_list_but_a_removed_one_stays_removed(world, client, show):
    show_id, episodes = show
    removed = wanted(world, show_id)[(1, 1)]["id"]
    assert world.user("DELETE", f"/api/v1/wanted/{removed}")[0] == 204
    air(world, episodes[(1, 3)])
    stats = run_monitor(client)
    assert (stats["added"], stats["searched"]) == (1, 0)  # not auto-get: wanted, not searched
    assert sorted(wanted(world, show_id)) == [(1, 2), (1, 3)]
    assert run_monitor(client)["added"] == 0  # looked at today already
    [monitor] = world.sql("SELECT checked_through = CURRENT_DATE AS today FROM monitored_shows")
    assert monitor["today"] is True


def test_an_auto_get_show_grabs_the_best_release_of_each_aired_episode(world, client, show, fake_indexer):
    show_id, _ = show
    world.indexer(fake_indexer([release("Severance.S01E01.1080p.WEB-DL.DDP5.1.H.264-NTb"),
                                release("Severance.S01E01.720p.HDTV.x264-GRP", seeders=300),
                                release("Severance.S01E02.1080p.WEB-DL.DDP5.1.H.264-NTb"),
                                release("Severance.S01E03.1080p.WEB-DL.DDP5.1.H.264-NTb")]))
    status, monitor = world.user("PUT", f"/api/v1/wanted/monitor/{show_id}", {"autoGet": True})
    assert status == 200 and monitor == {"mediaId": show_id, "seasons": None, "autoGet": True, "cutoff": None}
    stats = run_monitor(client)
    assert (stats["searched"], stats["grabbed"], stats["retrying"]) == (2, 2, 0)  # S1E3 has not aired
    jobs = world.sql("SELECT j.season, j.episode, j.title, e.message FROM download_jobs j "
                     "JOIN download_events e ON e.job_id = j.id ORDER BY j.episode")
    assert [(j["season"], j["episode"], j["title"]) for j in jobs] == [
        (1, 1, "Severance.S01E01.1080p.WEB-DL.DDP5.1.H.264-NTb"),
        (1, 2, "Severance.S01E02.1080p.WEB-DL.DDP5.1.H.264-NTb")]
    assert all(j["message"].startswith("submitted; picked: Severance.S01E0") and "score" in j["message"] for j in jobs)
    rows = wanted(world, show_id)
    picks = {p["id"]: p for p in world.sql("SELECT id, reason, episode FROM picks")}
    assert {picks[rows[(1, n)]["pick_id"]]["reason"] for n in (1, 2)} == {"monitor"}
    assert run_monitor(client)["searched"] == 0  # picked: nothing due


def test_below_the_cutoff_nothing_is_grabbed_and_the_episode_is_retried_later(world, client, show, fake_indexer):
    show_id, _ = show
    world.indexer(fake_indexer([release("Severance.S01E01.720p.WEB-DL.H.264-NTb"),
                                release("Severance.S01E02.720p.WEB-DL.H.264-NTb")]))
    world.user("PUT", f"/api/v1/wanted/monitor/{show_id}", {"autoGet": True})
    assert run_monitor(client)["retrying"] == 2
    row = wanted(world, show_id)[(1, 1)]
    assert (row["attempts"], row["pick_id"]) == (1, None) and "below 1080p" in row["last_error"]
    [due] = world.sql("SELECT round(extract(epoch FROM next_search_at - last_searched_at)) AS s FROM wanted "
                      "WHERE id = %s", row["id"])
    assert due["s"] == 30 * 60
    assert run_monitor(client)["searched"] == 0  # not due yet
    world.user("PUT", f"/api/v1/wanted/monitor/{show_id}", {"autoGet": True, "cutoff": 720})
    world.sql("UPDATE wanted SET next_search_at = now() - interval '1 second'")
    assert run_monitor(client)["grabbed"] == 2
    assert wanted(world, show_id)[(1, 1)]["last_error"] is None


def test_a_failing_indexer_backs_off_longer_each_time(world, client, show, fake_indexer):
    show_id, _ = show
    fake = fake_indexer([release("Severance.S01E01.1080p.WEB-DL.H.264-NTb")])
    world.indexer(fake)
    fake.mode = "http500"
    world.user("PUT", f"/api/v1/wanted/monitor/{show_id}", {"autoGet": True})
    run_monitor(client)
    world.sql("UPDATE wanted SET next_search_at = now() - interval '1 second'")
    run_monitor(client)
    row = wanted(world, show_id)[(1, 1)]
    [due] = world.sql("SELECT round(extract(epoch FROM next_search_at - last_searched_at)) AS s FROM wanted "
                      "WHERE id = %s", row["id"])
    assert (row["attempts"], due["s"], row["pick_id"]) == (2, 3600, None)
    assert "1 indexer(s) failed" in row["last_error"]
    assert world.sql("SELECT id FROM download_jobs") == []


def test_monitor_settings_are_per_user_and_refuse_what_is_not_a_show(world):
    show_id, _ = world.show("Andor", {1: 1})
    movie = world.movie("Heat")
    assert code(world.user("PUT", f"/api/v1/wanted/monitor/{movie}", {"autoGet": True})[1]) == "validation_error"
    assert code(world.user("PUT", "/api/v1/wanted/monitor/999999999", {"autoGet": True})[1]) == "media_not_found"
    assert world.user("PUT", "/api/v1/wanted/monitor/abc", {"autoGet": True})[0] == 404
    for bad in ({"autoGet": "yes"}, {}, {"autoGet": True, "cutoff": 1000}, {"autoGet": True, "x": 1}):
        assert code(world.user("PUT", f"/api/v1/wanted/monitor/{show_id}", bad)[1]) == "validation_error", bad
    assert world.user("PUT", f"/api/v1/wanted/monitor/{show_id}", {"autoGet": False, "cutoff": 2160})[1][
        "cutoff"] == 2160
    other = world.other_user()
    assert other("DELETE", f"/api/v1/wanted/monitor/{show_id}")[0] == 404
    assert world.user("DELETE", f"/api/v1/wanted/monitor/{show_id}") == (204, None)
    assert world.user("DELETE", f"/api/v1/wanted/monitor/{show_id}")[0] == 404


def test_an_episode_whose_grabbed_download_failed_is_grabbed_again_from_another_release(world, client, show,
                                                                                         fake_indexer):
    show_id, _ = show
    world.indexer(fake_indexer([release("Severance.S01E01.1080p.WEB-DL.DDP5.1.H.264-NTb", seeders=200),
                                release("Severance.S01E01.1080p.WEBRip.x264-GRP", seeders=40)]))
    world.sql("DELETE FROM wanted WHERE episode = 2")
    world.user("PUT", f"/api/v1/wanted/monitor/{show_id}", {"autoGet": True})
    assert run_monitor(client)["grabbed"] == 1
    world.sql("UPDATE download_jobs SET status = 'failed', ended_at = now()")
    assert run_monitor(client)["grabbed"] == 1
    titles = [j["title"] for j in world.sql("SELECT title FROM download_jobs ORDER BY created_at")]
    assert titles == ["Severance.S01E01.1080p.WEB-DL.DDP5.1.H.264-NTb", "Severance.S01E01.1080p.WEBRip.x264-GRP"]
    assert run_monitor(client)["searched"] == 0
