"""Next episode after "ended" -> playing, when it was prefetched (issue 20 goal: <= 1 s).

A show's E01 plays past ``prefetch_at`` (a real heartbeat through the app); the prefetch it enqueues
is handled by the app's events consumer, which remembers E02 (in the library) as next up. When E01
ends, the player asks ``GET /api/v1/library/{E02}/stream`` (in-process chalice test client) and reads
the first byte of the URL it got from the moto bucket: that is the subject. The floor is one bare
presigned GET of the same object (boto3 presign + the same first-byte read), measured in the same run.
"""

from __future__ import annotations

import json
import os

import httpx
import pytest

from chalicelib import aws
from chalicelib.config import get_aws_settings
from tests.integration.downloads_support import drain_queue
from tests.integration.picks_support import make_world

from .conftest import bench_size, benchmark_stats, measure

SIZE = bench_size(8, 1) * 1024 * 1024
ROUNDS = 30
GOAL_SECONDS = 1.0


def _first_byte(url: str) -> None:
    with httpx.stream("GET", url, headers={"Range": "bytes=0-"}, timeout=30) as response:
        assert response.status_code == 206, response.status_code
        next(response.iter_bytes(1))


def _episode_item(world, show_id: int, episode_id: int, name: str) -> str:
    """An H.264/AAC MP4 in the bucket, matched to the episode (plays direct)."""
    key = f"library/bench/{name}.mp4"
    aws.client("s3").put_object(Bucket=get_aws_settings().bucket, Key=key, Body=os.urandom(SIZE))
    [row] = world.sql(
        "INSERT INTO library_items (storage_key, file_name, size_bytes, match_state, media_id, episode_id, container, "
        "video_codec, audio_codecs, duration_seconds) VALUES (%s, %s, %s, 'matched', %s, %s, 'mp4', 'h264', "
        "'{aac}', 2700) RETURNING id", key, f"{name}.mp4", SIZE, show_id, episode_id)
    world.sql("INSERT INTO library_streams (library_item_id, kind, storage_key, mime_type, container, size_bytes) "
              "VALUES (%s, 'original', %s, 'video/mp4', 'mp4', %s)", row["id"], key, SIZE)
    return str(row["id"])


@pytest.fixture
def prefetched(client, make_user, settings_env):
    """E01 played to 60%, the prefetch handled: E02 is the user's next up. Returns (world, E02 item id, key)."""
    world = make_world(client, make_user, settings_env)
    show_id, episodes = world.show("Bench Show", {1: 2}, runtime=45)
    _episode_item(world, show_id, episodes[(1, 1)], "Bench.Show.S01E01")
    item = _episode_item(world, show_id, episodes[(1, 2)], "Bench.Show.S01E02")
    status, _ = world.user("POST", "/api/v1/progress", {"mediaId": show_id, "episodeId": episodes[(1, 1)],
                                                        "durationSeconds": 2700.0, "positionSeconds": 1620.0})
    assert status == 200
    bodies = [m["Body"] for m in drain_queue(get_aws_settings().events_queue)]
    assert [json.loads(b)["type"] for b in bodies] == ["playback.prefetch"]
    event = client.events.generate_sqs_event(message_bodies=bodies, queue_name=get_aws_settings().events_queue)
    assert client.lambda_.invoke("worker_events", event).payload == {"batchItemFailures": []}
    assert world.sql("SELECT how FROM playback_next_up WHERE episode_id = %s", episodes[(1, 2)]) == [
        {"how": "library"}]
    return world, item, "library/bench/Bench.Show.S01E02.mp4"


def test_next_episode_ended_to_playing_when_prefetched(benchmark, report, prefetched):
    world, item, key = prefetched

    def play_next() -> None:
        status, stream = world.user("GET", f"/api/v1/library/{item}/stream")
        assert status == 200 and stream["mode"] == "direct" and stream["playable"], stream
        _first_byte(stream["url"])

    def bare_presigned_get() -> None:
        url = aws.client("s3").generate_presigned_url(
            "get_object", Params={"Bucket": get_aws_settings().bucket, "Key": key}, ExpiresIn=600)
        _first_byte(url)

    before = measure(bare_presigned_get, rounds=ROUNDS // 2)
    benchmark.pedantic(play_next, rounds=ROUNDS, iterations=1, warmup_rounds=2)
    subject = benchmark_stats(benchmark)
    after = measure(bare_presigned_get, rounds=ROUNDS // 2)  # the floor on both sides: moto's speed drifts
    reference = {k: (before[k] + after[k]) / 2 for k in ("median", "p95", "mean", "min")} | {"rounds": ROUNDS}
    report.ratio("next episode ended -> first byte (prefetched)", subject, reference,
                 subject_label="GET /library/{next}/stream + first byte", reference_label="bare presigned GET",
                 goal_s=GOAL_SECONDS, within_goal=subject["p95"] <= GOAL_SECONDS)


def test_heartbeat_past_the_prefetch_threshold_costs_one_set_nx(benchmark, report, client, make_user, settings_env):
    """The hot path's price of "next up": an episode heartbeat past prefetch_at (claimed already, so only
    the SET NX runs) against the same heartbeat below it, in the same run."""
    world = make_world(client, make_user, settings_env)
    show_id, episodes = world.show("Beat Show", {1: 2}, runtime=45)
    below = {"mediaId": show_id, "episodeId": episodes[(1, 1)], "durationSeconds": 2700.0, "positionSeconds": 900.0}
    past = {**below, "positionSeconds": 1800.0}

    def send(body: dict) -> None:
        status, answer = world.user("POST", "/api/v1/progress", body)
        assert status == 200, answer

    send(past)  # the one claim and SQS send
    assert len(drain_queue(get_aws_settings().events_queue)) == 1
    reference = measure(lambda: send(below), rounds=ROUNDS)
    benchmark.pedantic(lambda: send(past), rounds=ROUNDS, iterations=1, warmup_rounds=2)
    assert drain_queue(get_aws_settings().events_queue) == []  # claimed: no second message
    report.ratio("heartbeat past prefetch_at (SET NX only)", benchmark_stats(benchmark), reference,
                 subject_label="POST /progress at 67% of an episode", reference_label="the same below 50%")
