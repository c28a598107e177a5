"""Skip intro/credits and scrub previews end to end below the browser (issue 38): a generated season is
indexed by the real scanner, the API asks the worker's media loop (in-process: real ffmpeg and fpcalc, moto
SQS/S3) for one ``media.analyze``, the loop answers ``media.analyzed`` per file, and the stream answer carries
``segments`` and ``trickplay.vttUrl``, whose track names presigned sprites that fetch real JPEGs."""

from __future__ import annotations

import json
import re
import shutil
import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from downloads_support import drain_queue
from playmodes_support import index, media_worker, until

from chalicelib import aws
from chalicelib.config import get_aws_settings
from chalicelib.messages import AnalyzedSegment, MediaAnalyze, MediaAnalyzed, parse_command
from tests.integration.segments_support import season

pytestmark = pytest.mark.skipif(shutil.which("fpcalc") is None, reason="fpcalc (libchromaprint-tools) missing")
SPRITE_URL = re.compile(r"^(https?://\S+sprite_000\.jpg\?\S*X-Amz-Signature=\S+)#xywh=0,0,240,\d+$", re.M)


@pytest.fixture
def app():
    from app import app as chalice_app

    return chalice_app


@pytest.fixture(autouse=True)
def _polls_unlimited(monkeypatch):
    """These tests ask a season's streams again and again while the worker analyses it, as no player would
    (one account's stream polls are capped at 30 per 10 s: test_user_request_caps.py)."""
    from chalicelib import ratelimit

    monkeypatch.setattr(ratelimit, "STREAM_POLLS", ratelimit.RateLimit(10_000, 10))


@pytest.fixture(scope="module")
def episodes():
    return season(4)


def analyze_commands() -> list[MediaAnalyze]:
    commands = [parse_command(m["Body"]) for m in drain_queue(get_aws_settings().media_queue)]
    return [c for c in commands if isinstance(c, MediaAnalyze)]


def resend(command: MediaAnalyze) -> None:
    aws.client("sqs").send_message(QueueUrl=aws.queue_url(get_aws_settings().media_queue),
                                   MessageBody=command.to_json())


def stream(client, headers, item_id):
    response = client.http.get(f"/api/v1/library/{item_id}/stream", headers=headers)
    assert response.status_code == 200, response.body
    return json.loads(response.body)


def item_ids(client, headers) -> dict[str, str]:
    listing = json.loads(client.http.get("/api/v1/library?pageSize=100", headers=headers).body)["items"]
    return {i["fileName"]: i["id"] for i in listing}


def analysed(client, headers, ids):
    """A check for ``until``: every item's answer once it has intro, credits and scrub previews."""
    def check():
        answers = {name: stream(client, headers, item_id) for name, item_id in ids.items()}
        done = all(len(a["segments"]) == 2 and a["trickplay"] for a in answers.values())
        return answers if done else None
    return check


def text_of(response) -> str:
    return response.body.decode() if isinstance(response.body, bytes) else response.body


def test_a_season_gets_its_intro_credits_and_scrub_previews(client, app, auth_headers, tmp_path, episodes):
    headers = auth_headers()
    index(app, tmp_path, [e.path for e in episodes[:3]])
    [command] = analyze_commands()  # one command for the season's batch
    assert len(command.files) == 3 and all(f.segments and f.trickplay for f in command.files)
    ids = item_ids(client, headers)
    assert {f.file_id for f in command.files} == {ids[e.path.name] for e in episodes[:3]}
    assert stream(client, headers, ids[episodes[0].path.name])["segments"] == []  # nothing until the worker answers
    resend(command)
    with media_worker(tmp_path):
        answers = until(app, analysed(client, headers, {e.path.name: ids[e.path.name] for e in episodes[:3]}),
                        180, "the season's analysis")

    for episode in episodes[:3]:
        found = {s["kind"]: s for s in answers[episode.path.name]["segments"]}
        assert abs(found["intro"]["start"] - episode.intro_start) <= 1, found
        assert abs(found["intro"]["end"] - episode.intro_end) <= 1, found
        assert abs(found["credits"]["start"] - episode.credits_start) <= 1, found
        assert abs(found["credits"]["end"] - episode.credits_end) <= 1, found

    vtt_url = answers[episodes[0].path.name]["trickplay"]["vttUrl"]
    assert vtt_url.startswith(f"/api/v1/library/{ids[episodes[0].path.name]}/trickplay?")
    track = client.http.get(vtt_url)  # no Authorization header: the signed query is the credential
    assert track.status_code == 200 and track.headers["Content-Type"] == "text/vtt"
    text = text_of(track)
    assert text.startswith("WEBVTT") and text.count(" --> ") == 9  # one thumbnail every 10 s of 90 s
    [sprite_url] = SPRITE_URL.findall(text)[:1]
    sprite = httpx.get(sprite_url, timeout=10)
    assert sprite.status_code == 200 and sprite.content[:2] == b"\xff\xd8"  # a JPEG

    tampered = vtt_url.replace("sig=", "sig=0")
    assert client.http.get(tampered).status_code == 403
    other = vtt_url.replace(ids[episodes[0].path.name], ids[episodes[1].path.name])
    assert client.http.get(other).status_code == 403  # a signature names one item
    assert client.http.get(f"/api/v1/library/{ids[episodes[0].path.name]}/stream").status_code == 401


def test_done_files_are_not_asked_again_and_a_new_episode_redoes_the_season(
        client, app, auth_headers, tmp_path, episodes):
    from chalicelib.library import analysis

    headers = auth_headers()
    index(app, tmp_path, [e.path for e in episodes[:3]])
    [command] = analyze_commands()
    resend(command)
    ids = item_ids(client, headers)
    with media_worker(tmp_path):
        until(app, analysed(client, headers, {e.path.name: ids[e.path.name] for e in episodes[:3]}), 180,
              "the season's analysis")
    assert analysis.request_for(uuid.UUID(ids[e.path.name]) for e in episodes[:3]) == 0  # all done: nothing sent
    assert analyze_commands() == []

    index(app, tmp_path, [episodes[3].path])
    [again] = analyze_commands()
    ids = item_ids(client, headers)
    wanted = {f.file_id: (f.segments, f.trickplay) for f in again.files}
    newest = ids[episodes[3].path.name]
    # every file's intro is looked for again (the season grew); only the new file needs previews
    assert wanted == {**{ids[e.path.name]: (True, False) for e in episodes[:3]}, newest: (True, True)}


def test_a_late_or_foreign_answer_changes_nothing(client, app, auth_headers, tmp_path, episodes):
    from chalicelib import db
    from chalicelib.library import analysis

    headers = auth_headers()
    index(app, tmp_path, [e.path for e in episodes[:2]])
    [command] = analyze_commands()
    first = command.files[0]
    intro = AnalyzedSegment(kind="intro", start=5.0, end=25.0, source="fingerprint")
    now = datetime.now(UTC)
    answer = MediaAnalyzed(file_id=first.file_id, key=first.key, segments=[intro], compared=2, sent_at=now)
    older = MediaAnalyzed(file_id=first.file_id, key=first.key, segments=[], compared=2,
                          sent_at=now - timedelta(seconds=5))
    foreign = MediaAnalyzed(file_id=first.file_id, key="media/another/original.mp4", segments=[], compared=2,
                            sent_at=now + timedelta(seconds=5))
    with db.transaction() as conn:
        assert analysis.apply_analyzed(conn, answer) is True
        assert analysis.apply_analyzed(conn, answer) is True  # redelivered: the same rows
        assert analysis.apply_analyzed(conn, older) is False
        assert analysis.apply_analyzed(conn, foreign) is False
    assert stream(client, headers, first.file_id)["segments"] == [{"kind": "intro", "start": 5.0, "end": 25.0}]


def test_a_big_scan_is_asked_for_a_season_at_a_time_each_answer_asking_for_more(
        client, app, auth_headers, tmp_path, episodes, monkeypatch):
    from library_support import make_video

    from chalicelib.events import handle_record
    from chalicelib.library import analysis

    monkeypatch.setattr(analysis, "MAX_IN_FLIGHT", 1)
    film = make_video(tmp_path / "films" / "Some Film (2001).mkv")
    index(app, tmp_path, [episodes[0].path, episodes[1].path, film])
    [first] = analyze_commands()  # the rest waits: the worker has one in hand
    ids = item_ids(client, auth_headers())
    for file in first.files:
        answer = MediaAnalyzed(file_id=file.file_id, key=file.key, segments=[], compared=len(first.files))
        handle_record(answer.to_json())  # as the events consumer applies it: then the next is asked
    [second] = analyze_commands()
    asked = {f.file_id for f in first.files} | {f.file_id for f in second.files}
    assert asked == set(ids.values()) and not {f.file_id for f in first.files} & {f.file_id for f in second.files}
