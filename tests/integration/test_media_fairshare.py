"""Fair share of the worker's media loop (issue 33, item 6): remux/HLS preparations wait in line with a
per-user and a global cap, round robin across users, and the player is told its place in line.

What the worker was told is read from the real (moto server) media command queue; the worker's answers
go through the real events consumer.
"""

from __future__ import annotations

import json

import pytest
from playmodes_support import media_commands

from chalicelib.config import get_aws_settings
from chalicelib.messages import IndexedStream, LibraryFileIndexed, MediaPrepared


def deliver(client, *events) -> None:
    message = client.events.generate_sqs_event(message_bodies=[e.to_json() for e in events],
                                               queue_name=get_aws_settings().events_queue)
    for index, record in enumerate(message["Records"]):
        record["messageId"] = f"m{index}"
    assert client.lambda_.invoke("worker_events", message).payload == {"batchItemFailures": []}


@pytest.fixture
def library(client, auth_headers):
    """``library(n)``: n unprobed films indexed (each plays only as a full HLS transcode); their ids in order."""
    def make(n: int) -> list[str]:
        keys = [f"media/library/Film {i:02d} (1990).avi" for i in range(n)]
        for start in range(0, n, 10):
            deliver(client, *[LibraryFileIndexed(key=key, size=10, path=f"/srv/{key}", probe=None,
                                                 streams=[IndexedStream(kind="original", key=key,
                                                                        mime_type="video/x-msvideo")])
                              for key in keys[start:start + 10]])
        listing = json.loads(client.http.get("/api/v1/library?pageSize=100", headers=auth_headers()).body)["items"]
        by_key = {f"media/library/{item['fileName']}": item["id"] for item in listing}
        return [by_key[key] for key in keys]
    return make


@pytest.fixture
def caps(settings_env):
    """``caps(total, per_user)``: the worker's media concurrency and the per-user share of it."""
    def apply(total: int, per_user: int) -> None:
        settings_env(SEEN_TRANSCODE_CONCURRENCY=str(total), SEEN_TRANSCODE_PER_USER=str(per_user))
    return apply


def play(client, headers, item_id: str) -> dict:
    response = client.http.get(f"/api/v1/library/{item_id}/stream?mode=hls", headers=headers)
    assert response.status_code == 200, response.body
    answer = json.loads(response.body)
    assert answer["ready"] is False
    return answer.get("preparing")  # absent before the line existed


def sent() -> list[str]:
    return [command.item_id for command in media_commands()]


def prepared(client, item_id: str, status: str) -> MediaPrepared:
    """The worker's answer for an item's hls variant, as the real media loop words it."""
    from chalicelib import db

    with db.connection() as conn:
        row = conn.execute("SELECT source_key, output_prefix FROM library_variants "
                           "WHERE library_item_id = %s AND mode = 'hls'", (item_id,)).fetchone()
    extra = ({"error": "ffmpeg exited 1"} if status == "failed"
             else {"playlist_key": row["output_prefix"] + "index.m3u8"})
    return MediaPrepared(item_id=item_id, key=row["source_key"], mode="hls", status=status, **extra)


def test_one_users_twenty_transcodes_send_only_their_cap_and_wait_in_line(client, make_user, library, caps):
    caps(total=4, per_user=2)
    films = library(21)
    _, alice = make_user()
    _, bob = make_user()
    answers = [play(client, alice, film) for film in films[:20]]
    assert sent() == films[:2]  # the instance has room for 4: alice's share is 2
    assert answers[:2] == [{"state": "preparing", "position": None}] * 2
    assert answers[2:] == [{"state": "queued", "position": n} for n in range(1, 19)]
    assert play(client, bob, films[20]) == {"state": "preparing", "position": None}
    assert sent() == [films[20]]  # bob's first is not queued behind alice's 18
    assert play(client, alice, films[5]) == {"state": "queued", "position": 4}  # polling keeps the place
    assert sent() == []


def test_another_users_first_request_goes_before_the_waiting_ones(client, make_user, library, caps):
    caps(total=2, per_user=2)
    films = library(6)
    _, alice = make_user()
    _, bob = make_user()
    for film in films[:5]:
        play(client, alice, film)
    assert sent() == films[:2]  # the instance is full
    assert play(client, bob, films[5]) == {"state": "queued", "position": 1}  # ahead of alice's 3 waiting
    assert play(client, alice, films[2]) == {"state": "queued", "position": 2}

    done = prepared(client, films[0], "completed")
    deliver(client, done)  # a slot frees: bob's first goes, not alice's third
    assert sent() == [films[5]]
    assert play(client, alice, films[2]) == {"state": "queued", "position": 1}

    deliver(client, done)  # redelivered: nothing released twice
    deliver(client, prepared(client, films[0], "running"))  # late and stale: changes nothing either
    assert sent() == []

    deliver(client, prepared(client, films[1], "failed"))  # a failure frees its slot too
    assert sent() == [films[2]]
    assert play(client, alice, films[3]) == {"state": "queued", "position": 1}


def test_a_running_transcode_holds_its_slot_until_it_ends(client, make_user, library, caps):
    caps(total=1, per_user=1)
    films = library(2)
    _, alice = make_user()
    play(client, alice, films[0])
    play(client, alice, films[1])
    deliver(client, prepared(client, films[0], "running"))
    assert sent() == [films[0]]
    assert play(client, alice, films[1]) == {"state": "queued", "position": 1}
    deliver(client, prepared(client, films[0], "completed"))
    assert sent() == [films[1]]


def test_a_request_the_worker_never_answered_frees_its_slot_on_the_tick(client, make_user, library, caps):
    from chalicelib import db
    from chalicelib.library import preparations

    caps(total=1, per_user=1)
    films = library(2)
    _, alice = make_user()
    _, bob = make_user()
    play(client, alice, films[0])
    play(client, bob, films[1])
    assert sent() == [films[0]]
    assert preparations.release_waiting() == 0  # still within its answer window
    with db.connection() as conn:  # the worker never answered: its answer window passed
        conn.execute("UPDATE library_variants SET sent_at = sent_at - make_interval(secs => %s), "
                     "updated_at = updated_at - make_interval(secs => %s) WHERE library_item_id = %s",
                     (preparations.RETRY_AFTER + 1, preparations.RETRY_AFTER + 1, films[0]))
    assert preparations.release_waiting() == 1
    assert sent() == [films[1]]
    assert preparations.release_waiting() == 0


def test_a_variant_two_users_ask_for_is_made_once_and_counts_against_the_first(client, make_user, library,
                                                                                caps):
    caps(total=4, per_user=1)
    films = library(3)
    _, alice = make_user()
    _, bob = make_user()
    assert play(client, alice, films[0])["state"] == "preparing"
    assert play(client, bob, films[0])["state"] == "preparing"
    assert sent() == [films[0]]
    assert play(client, bob, films[1])["state"] == "preparing"  # bob's share is untouched by alice's
    assert play(client, alice, films[2]) == {"state": "queued", "position": 1}
    assert sent() == [films[1]]
