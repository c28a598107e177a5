"""Subtitles in sync through the API (issue 38 item 4): a clip with a sidecar track 2.5 s late is indexed by
the real scanner, ``POST .../subtitles/{track}/sync`` queues one ``media.subtitle_sync`` (202; a second one
while it runs: 409), the worker's media loop (in-process: real ffmpeg, moto SQS/S3) answers, and the item and
stream answers show the offset found and serve the shifted track. The manual offset is each user's own."""

from __future__ import annotations

import json
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx
import pysubs2
import pytest
from downloads_support import drain_queue
from library_support import age
from playmodes_support import index, media_worker, until

from chalicelib import aws
from chalicelib.config import get_aws_settings
from chalicelib.messages import SubtitleSync, SubtitleSynced, parse_command
from tests.integration.subsync_support import BURSTS, clip, srt

TOLERANCE = 0.2


@pytest.fixture
def app():
    from app import app as chalice_app

    return chalice_app


def indexed(app, client, headers, tmp_path, shift: float = 2.5) -> tuple[str, str]:
    """(item id, track id) of the clip, indexed with its sidecar ``.en.srt`` ``shift`` seconds late."""
    video = clip()
    root = tmp_path / "library"
    root.mkdir(exist_ok=True)
    sidecar = root / (video.stem + ".en.srt")
    sidecar.write_text(srt(shift))
    age(sidecar)
    index(app, tmp_path, [video])
    drain_queue(get_aws_settings().media_queue)  # indexing asks for scrub previews: not this test's business
    listing = json.loads(client.http.get("/api/v1/library?pageSize=100", headers=headers).body)["items"]
    item_id = next(i["id"] for i in listing if i["fileName"] == video.name)
    [track] = detail(client, headers, item_id)["subtitles"]
    return item_id, track["id"]


def detail(client, headers, item_id):
    response = client.http.get(f"/api/v1/library/{item_id}", headers=headers)
    assert response.status_code == 200, response.body
    return json.loads(response.body)


def stream_track(client, headers, item_id):
    response = client.http.get(f"/api/v1/library/{item_id}/stream", headers=headers)
    assert response.status_code == 200, response.body
    [track] = json.loads(response.body)["subtitles"]
    return track


def sync(client, headers, item_id, track_id):
    return client.http.post(f"/api/v1/library/{item_id}/subtitles/{track_id}/sync", headers=headers)


def offset(client, headers, item_id, track_id, seconds):
    return client.http.put(f"/api/v1/library/{item_id}/subtitles/{track_id}/offset", headers=headers,
                           body=json.dumps({"seconds": seconds}))


def sync_commands() -> list[SubtitleSync]:
    commands = [parse_command(m["Body"]) for m in drain_queue(get_aws_settings().media_queue)]
    return [c for c in commands if isinstance(c, SubtitleSync)]


def error_code(response) -> str:
    return json.loads(response.body)["error"]["code"]


def test_auto_sync_finds_the_offset_and_the_stream_serves_the_synced_track(client, app, auth_headers, tmp_path):
    headers = auth_headers()
    item_id, track_id = indexed(app, client, headers, tmp_path)
    before = stream_track(client, headers, item_id)
    assert before["id"] == track_id and before["sync"] is None and before["synced"] is False

    first = sync(client, headers, item_id, track_id)
    assert first.status_code == 202, first.body
    assert json.loads(first.body) == {"status": "queued"}
    again = sync(client, headers, item_id, track_id)
    assert again.status_code == 409 and error_code(again) == "subtitle_sync_running"
    [command] = sync_commands()  # the 409 sent nothing
    assert (command.item_id, command.subtitle_id) == (item_id, track_id)
    assert detail(client, headers, item_id)["subtitles"][0]["sync"]["status"] == "queued"

    aws.client("sqs").send_message(QueueUrl=aws.queue_url(get_aws_settings().media_queue),
                                   MessageBody=command.to_json())
    with media_worker(tmp_path):
        done = until(app, lambda: (s := detail(client, headers, item_id)["subtitles"][0]["sync"])
                     and s["status"] == "done" and s, 180, "the sync")
    assert abs(done["offsetSeconds"] + 2.5) <= TOLERANCE, done
    assert done["syncedAt"]

    track = stream_track(client, headers, item_id)
    assert track["synced"] is True and track["sync"]["status"] == "done"
    assert track["url"] != before["url"]
    text = httpx.get(track["url"], timeout=10).text  # the shifted track, presigned
    starts = [e.start / 1000 for e in pysubs2.SSAFile.from_string(text).events]
    assert max(abs(s - a) for s, (a, _) in zip(starts, BURSTS, strict=True)) <= TOLERANCE

    assert sync(client, headers, item_id, track_id).status_code == 202  # done: may be asked again
    assert len(sync_commands()) == 1


def test_a_late_or_foreign_answer_changes_nothing(client, app, auth_headers, tmp_path):
    from chalicelib import db
    from chalicelib.subtitles import sync as subtitle_sync

    headers = auth_headers()
    item_id, track_id = indexed(app, client, headers, tmp_path)
    assert sync(client, headers, item_id, track_id).status_code == 202
    [command] = sync_commands()
    fields = {"item_id": item_id, "subtitle_id": track_id, "key": command.key, "subtitle_key": command.subtitle_key}
    done = SubtitleSynced(**fields, status="done", offset_seconds=-2.5, output_key=command.output_prefix + "a.vtt")
    with db.transaction() as conn:
        assert not subtitle_sync.apply_synced(conn, SubtitleSynced(**{**fields, "key": "media/other.mp4"},
                                                                   status="failed", error="x"))
        assert not subtitle_sync.apply_synced(conn, SubtitleSynced(**fields, status="done", offset_seconds=1.0,
                                                                   output_key="elsewhere/a.vtt"))
        assert subtitle_sync.apply_synced(conn, done)
        late_running = SubtitleSynced(**fields, status="running", sent_at=done.sent_at)
        assert not subtitle_sync.apply_synced(conn, late_running)  # the outcome is not undone
    state = detail(client, headers, item_id)["subtitles"][0]["sync"]
    assert state["status"] == "done" and state["offsetSeconds"] == -2.5


def test_sync_and_offset_of_a_track_that_is_not_the_items_are_404(client, app, auth_headers, tmp_path):
    headers = auth_headers()
    item_id, track_id = indexed(app, client, headers, tmp_path)
    other_item = str(uuid.uuid4())
    for response in (sync(client, headers, other_item, track_id), sync(client, headers, item_id, str(uuid.uuid4())),
                     sync(client, headers, item_id, "not-a-uuid"), offset(client, headers, other_item, track_id, 1),
                     offset(client, headers, item_id, str(uuid.uuid4()), 1)):
        assert response.status_code == 404, response.body
        assert error_code(response) == "subtitle_not_found"
    assert sync_commands() == []
    assert client.http.post(f"/api/v1/library/{item_id}/subtitles/{track_id}/sync").status_code == 401


@pytest.mark.parametrize("seconds", [60.1, -61, 0.25, 1.05, -0.01, 1e308, -1e308, 1.7976931348623157e308])
def test_an_offset_off_the_range_or_the_steps_is_400(client, app, auth_headers, tmp_path, seconds):
    headers = auth_headers()
    item_id, track_id = indexed(app, client, headers, tmp_path)
    response = offset(client, headers, item_id, track_id, seconds)
    assert response.status_code == 400, response.body
    assert error_code(response) == "subtitle_offset_invalid"
    assert offset(client, headers, item_id, track_id, "soon").status_code == 422


def test_the_manual_offset_persists_per_user(client, app, auth_headers, tmp_path):
    mine, theirs = auth_headers(), auth_headers()
    item_id, track_id = indexed(app, client, mine, tmp_path)
    saved = offset(client, mine, item_id, track_id, -1.3)
    assert saved.status_code == 200, saved.body
    assert json.loads(saved.body) == {"subtitleId": track_id, "seconds": -1.3}
    assert offset(client, theirs, item_id, track_id, 60).status_code == 200
    assert stream_track(client, mine, item_id)["offsetSeconds"] == -1.3  # a reload reads it back
    assert stream_track(client, theirs, item_id)["offsetSeconds"] == 60
    assert offset(client, mine, item_id, track_id, 0.2).status_code == 200  # changed, not added
    assert stream_track(client, mine, item_id)["offsetSeconds"] == 0.2
    assert stream_track(client, auth_headers(), item_id)["offsetSeconds"] == 0  # nobody's offset by default


def test_a_user_has_at_most_three_syncs_in_the_workers_hands(client, app, auth_headers, make_user, tmp_path):
    from chalicelib import db

    user_id, headers = make_user()
    item_id, track_id = indexed(app, client, headers, tmp_path)
    with db.connection() as conn:  # three other tracks of this user's, still in the worker's hands
        for n in range(3):
            row = conn.execute("INSERT INTO library_subtitles (library_item_id, language, storage_key, source, format) "
                               "VALUES (%s, 'fr', %s, 'sidecar', 'srt') RETURNING id, updated_at",
                               (uuid.UUID(item_id), f"subtitles/extra-{n}.vtt")).fetchone()
            conn.execute("INSERT INTO library_subtitle_syncs (subtitle_id, library_item_id, requested_by, source_key, "
                         "subtitle_key, output_prefix, track_updated_at, status) VALUES (%s, %s, %s, 'k', 'k', 'p/', "
                         "%s, 'running')", (row["id"], uuid.UUID(item_id), user_id, row["updated_at"]))
    limited = sync(client, headers, item_id, track_id)
    assert limited.status_code == 429 and error_code(limited) == "subtitle_sync_limit"
    assert sync(client, auth_headers(), item_id, track_id).status_code == 202  # another user is not held up


def test_parallel_syncs_of_one_track_queue_one(client, app, auth_headers, tmp_path, monkeypatch, settings_env):
    """The send is slowed so that the other requests wait on the first one's lock of the track: each of them
    must then see the sync it queued (409), not the track as it was before. (The account's request slots are
    raised past the 6 at once: the track's lock is tested, not the slots refusing some first.)"""
    from chalicelib.subtitles import sync as subtitle_sync

    settings_env(SEEN_USER_IN_FLIGHT="8")
    headers = auth_headers()
    item_id, track_id = indexed(app, client, headers, tmp_path)
    send = subtitle_sync._send

    def slow_send(command):
        time.sleep(0.3)
        send(command)

    monkeypatch.setattr(subtitle_sync, "_send", slow_send)
    with ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(lambda _: sync(client, headers, item_id, track_id).status_code, range(6)))
    assert sorted(answers) == [202, 409, 409, 409, 409, 409]
    assert len(sync_commands()) == 1
