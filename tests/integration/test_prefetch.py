"""Next episode ready (issue 20, item 2): a heartbeat past ``prefetch_at`` of an episode enqueues one
``playback.prefetch`` on the events queue (moto SQS); the app's ``worker_events`` handler then makes the
next episode ready: in the library -> remembered; in a running season pack -> its file index on the job's
DynamoDB telemetry item; otherwise -> a pick from a fake Torznab indexer over HTTP and its download job.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from chalicelib.config import get_aws_settings
from chalicelib.telemetry import DownloadTelemetry
from tests.integration.downloads_support import drain_queue
from tests.integration.picks_support import index_files, linked_job, make_world
from tests.integration.sources_support import episode_releases, fake_indexers

SHOW = "Severance"
DURATION = 2700.0  # 45 minutes
PACK = "Severance.S01.1080p.WEB-DL.DDP5.1.H.264-NTb"


@pytest.fixture
def world(client, make_user, settings_env):
    return make_world(client, make_user, settings_env)


@pytest.fixture
def fake_indexer():
    yield from fake_indexers()


@pytest.fixture
def show(world):
    """Severance, season 1 with three aired episodes; returns (show id, {(season, episode): episode id})."""
    return world.show(SHOW, {1: 3}, runtime=45)


def beat(world, show_id: int, episode_id: int, fraction: float, api=None) -> dict:
    status, body = (api or world.user)("POST", "/api/v1/progress", {
        "mediaId": show_id, "episodeId": episode_id, "durationSeconds": DURATION,
        "positionSeconds": round(DURATION * fraction, 1)})
    assert status == 200, body
    return body


def enqueued() -> list[dict]:
    """The playback messages now on the events queue (taken off it)."""
    return [json.loads(m["Body"]) for m in drain_queue(get_aws_settings().events_queue)]


def handle(client, bodies: list[dict]) -> None:
    """Deliver messages to the app's events consumer, as SQS would; every record must succeed."""
    event = client.events.generate_sqs_event(message_bodies=[json.dumps(b) for b in bodies],
                                             queue_name=get_aws_settings().events_queue)
    assert client.lambda_.invoke("worker_events", event).payload == {"batchItemFailures": []}


def next_up(world, show_id: int) -> list[dict]:
    return world.sql("SELECT episode_id, after_episode_id, how, job_id, expires_at > now() AS protected "
                     "FROM playback_next_up WHERE user_id = %s AND media_id = %s", world.user_id, show_id)


def pack_job(world, show_id: int, status: str = "downloading"):
    [row] = world.sql(
        "INSERT INTO download_jobs (user_id, source_type, source, title, status, started_at, media_id, season) "
        "VALUES (%s, 'magnet', %s, %s, %s, now(), %s, 1) RETURNING id",
        world.user_id, "magnet:?xt=urn:btih:" + "cd" * 20, PACK, status, show_id)
    return str(row["id"])


def seed_files(job_id: str) -> None:
    """The payload list the worker writes once the torrent's metadata is known (with a sample clip)."""
    files = [{"index": 0, "path": f"{PACK}/Sample/severance.s01e02.sample.mkv", "size": 20_000_000},
             *({"index": n, "path": f"{PACK}/Severance.S01E0{n}.1080p.WEB-DL.DDP5.1.H.264-NTb.mkv",
                "size": 1_400_000_000, "contiguousBytes": 0, "tailReady": False} for n in (1, 2, 3))]
    DownloadTelemetry(job_id, status="downloading", files_json=json.dumps(files),
                      updated_at=datetime.now(UTC)).save()


def test_a_heartbeat_past_half_of_an_episode_in_a_running_season_pack_asks_its_next_file_first(
        client, world, show):
    show_id, episodes = show
    job_id = pack_job(world, show_id)
    seed_files(job_id)

    beat(world, show_id, episodes[(1, 1)], 0.6)
    [message] = enqueued()
    assert message["type"] == "playback.prefetch"
    assert (message["userId"], message["mediaId"], message["episodeId"]) == (
        str(world.user_id), show_id, episodes[(1, 1)])
    handle(client, [message])

    assert DownloadTelemetry.get(job_id).prefetch_files == {2}  # E02's file, not the sample
    assert [(r["episode_id"], r["how"], str(r["job_id"]), r["protected"]) for r in next_up(world, show_id)] == [
        (episodes[(1, 2)], "prioritized", job_id, True)]
    handle(client, [message])  # redelivered: the same set, the same row
    assert DownloadTelemetry.get(job_id).prefetch_files == {2}
    assert len(next_up(world, show_id)) == 1


def test_without_a_job_the_next_episode_is_picked_and_its_download_started_once(client, world, show,
                                                                                   fake_indexer):
    show_id, episodes = show
    world.indexer(fake_indexer(episode_releases(SHOW, 1, 2, 4)))

    beat(world, show_id, episodes[(1, 1)], 0.55)
    messages = enqueued()
    assert [m["type"] for m in messages] == ["playback.prefetch"]
    handle(client, messages)

    picks = world.sql("SELECT season, episode, job_id, reason FROM picks WHERE user_id = %s AND media_id = %s",
                      world.user_id, show_id)
    assert [(p["season"], p["episode"], p["reason"]) for p in picks] == [(1, 2, "best")]
    jobs = world.sql("SELECT id, season, episode, status FROM download_jobs WHERE user_id = %s", world.user_id)
    assert [(j["id"], j["season"], j["episode"]) for j in jobs] == [(picks[0]["job_id"], 1, 2)]
    assert [(r["episode_id"], r["how"], r["job_id"]) for r in next_up(world, show_id)] == [
        (episodes[(1, 2)], "picked", picks[0]["job_id"])]

    beat(world, show_id, episodes[(1, 1)], 0.65)  # the next heartbeat: already claimed, nothing sent
    assert enqueued() == []
    handle(client, messages)  # a redelivery reuses the pick and its job
    assert len(world.sql("SELECT 1 FROM picks WHERE user_id = %s", world.user_id)) == 1
    assert len(world.sql("SELECT 1 FROM download_jobs WHERE user_id = %s", world.user_id)) == 1


@pytest.fixture
def opensubtitles(settings_env):
    """A fake OpenSubtitles over HTTP as the configured one."""
    from cryptography.fernet import Fernet

    from chalicelib.settings import credentials
    from embedded.fakes.opensubtitles import FakeOpenSubtitles

    server = FakeOpenSubtitles(api_key="os-key").start()
    credentials.forget()
    settings_env(OPENSUBTITLES_BASE_URL=server.url, OPENSUBTITLES_ALLOW_PRIVATE="true", OPENSUBTITLES_API_KEY="os-key",
                 SEEN_SETTINGS_KEY=Fernet.generate_key().decode())
    yield server
    server.stop()
    credentials.forget()


def test_a_next_episode_in_the_library_is_remembered_with_its_subtitles_fetched_ahead(client, world, show,
                                                                                     opensubtitles):
    show_id, episodes = show
    assert world.user("PATCH", "/api/v1/settings", {"subtitleLanguages": ["en"]})[0] == 200
    world.sql("UPDATE media_items SET tmdb_id = 95396 WHERE id = %s", show_id)
    opensubtitles.add("en", parent_tmdb_id=95396, season_number=1, episode_number=3)
    job_id = linked_job(world, show_id, 1)
    assert index_files(client, job_id, [f"{PACK}/Severance.S01E03.1080p.WEB-DL.DDP5.1.H.264-NTb.mkv"]) == {
        "batchItemFailures": []}

    beat(world, show_id, episodes[(1, 2)], 0.9)
    handle(client, enqueued())
    assert [(r["episode_id"], r["how"], r["job_id"]) for r in next_up(world, show_id)] == [
        (episodes[(1, 3)], "library", None)]
    assert len(world.sql("SELECT 1 FROM download_jobs WHERE user_id = %s", world.user_id)) == 1  # the linked one
    assert world.sql("SELECT s.language, s.source FROM library_subtitles s JOIN library_items li "
                     "ON li.id = s.library_item_id WHERE li.episode_id = %s", episodes[(1, 3)]) == [
        {"language": "en", "source": "opensubtitles"}]


def test_below_the_threshold_or_on_the_last_episode_nothing_is_made_ready(client, world, show):
    show_id, episodes = show
    beat(world, show_id, episodes[(1, 1)], 0.45)
    assert enqueued() == []

    beat(world, show_id, episodes[(1, 3)], 0.7)  # the last aired episode: the message finds no next one
    handle(client, enqueued())
    assert next_up(world, show_id) == []
    assert world.sql("SELECT 1 FROM download_jobs WHERE user_id = %s", world.user_id) == []


def test_another_user_past_the_same_episode_gets_a_prefetch_of_their_own(client, world, show):
    show_id, episodes = show
    beat(world, show_id, episodes[(1, 1)], 0.6)
    beat(world, show_id, episodes[(1, 1)], 0.6, api=world.other_user())
    assert len({m["userId"] for m in enqueued()}) == 2


def test_with_redis_down_the_heartbeat_succeeds_and_nothing_is_sent(client, world, show, settings_env, caplog):
    from chalicelib import cache

    show_id, episodes = show
    settings_env(REDIS_URL="redis://127.0.0.1:1/0")  # nothing listens on port 1
    cache.reset()
    try:
        with caplog.at_level("WARNING", logger="seen-api"):
            body = beat(world, show_id, episodes[(1, 1)], 0.8)
        assert body["positionSeconds"] == pytest.approx(DURATION * 0.8)
        assert enqueued() == []
        assert any(getattr(r, "action", None) == "prefetch_skipped" for r in caplog.records)
    finally:
        cache.reset()


def test_a_running_pack_that_has_not_listed_its_files_is_retried_until_it_has(client, world, show):
    show_id, episodes = show
    job_id = pack_job(world, show_id)
    beat(world, show_id, episodes[(1, 1)], 0.7)
    messages = enqueued()
    event = client.events.generate_sqs_event(message_bodies=[json.dumps(m) for m in messages],
                                             queue_name=get_aws_settings().events_queue)
    assert len(client.lambda_.invoke("worker_events", event).payload["batchItemFailures"]) == 1  # SQS redelivers
    assert next_up(world, show_id) == []

    seed_files(job_id)
    handle(client, messages)  # the redelivery, once the worker knows the payload
    assert DownloadTelemetry.get(job_id).prefetch_files == {2}


def test_the_next_episodes_own_job_needs_no_pick(client, world, show):
    show_id, episodes = show
    [job] = world.sql(
        "INSERT INTO download_jobs (user_id, source_type, source, title, status, media_id, season, episode) "
        "VALUES (%s, 'magnet', %s, 'E02', 'queued', %s, 1, 2) RETURNING id",
        world.user_id, "magnet:?xt=urn:btih:" + "ef" * 20, show_id)
    beat(world, show_id, episodes[(1, 1)], 0.5)  # exactly the threshold counts
    handle(client, enqueued())
    assert [(r["how"], r["job_id"]) for r in next_up(world, show_id)] == [("downloading", job["id"])]
    assert world.sql("SELECT 1 FROM picks WHERE user_id = %s", world.user_id) == []
