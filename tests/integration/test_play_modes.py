"""Every file plays (issue 20): the stream endpoint picks direct, remux or HLS from the real probe of
real clips, asks the worker's media loop (in-process, real ffmpeg, moto SQS/S3) for a variant it lacks,
and serves the HLS playlist with presigned segment URLs that fetch real MPEG-TS bytes."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs

import httpx
import pytest
from playmodes_support import SECONDS, index, make_clips, media_commands, media_worker, probe, until

from chalicelib.config import get_aws_settings
from chalicelib.messages import MediaPrepared

SEGMENT = re.compile(r"^https?://.+seg_\d{5}\.ts\?.*X-Amz-Signature=", re.M)


@pytest.fixture(scope="module")
def clips(tmp_path_factory):
    return make_clips(tmp_path_factory.mktemp("play-mode-clips"))


@pytest.fixture
def app():
    from app import app as chalice_app

    return chalice_app


@pytest.fixture
def items(client, app, auth_headers, tmp_path, clips):
    """The clips indexed; file name -> item id."""
    index(app, tmp_path, list(clips.values()))
    listing = json.loads(client.http.get("/api/v1/library?pageSize=100", headers=auth_headers()).body)["items"]
    by_name = {i["fileName"]: i["id"] for i in listing}
    return {name: by_name[path.name] for name, path in clips.items()}


def stream(client, headers, item_id, mode=None):
    query = f"?mode={mode}" if mode else ""
    response = client.http.get(f"/api/v1/library/{item_id}/stream{query}", headers=headers)
    assert response.status_code == 200, response.body
    return json.loads(response.body)


def ready(client, headers, item_id, mode=None):
    return lambda: (s := stream(client, headers, item_id, mode))["ready"] and s


def playlist(client, url):
    response = client.http.get(url)  # no Authorization header: the signed query is the credential
    assert response.status_code == 200, response.body
    assert response.headers["Content-Type"] == "application/vnd.apple.mpegurl"
    assert response.headers["Cache-Control"] == "no-store"
    return response.body.decode() if isinstance(response.body, bytes) else response.body


def ended(client, url):
    """A check for ``until``: the playlist once the worker finished it."""
    def check():
        text = playlist(client, url)
        return text if "#EXT-X-ENDLIST" in text else None
    return check


def fetch_segments(text, target):
    urls = SEGMENT.findall(text)
    assert urls, text
    with target.open("wb") as out:
        for url in urls:
            got = httpx.get(url, timeout=10)
            assert got.status_code == 200 and got.content[:1] == b"G"  # MPEG-TS sync byte
            out.write(got.content)
    return target


def test_each_file_gets_the_cheapest_mode_its_codecs_allow(client, auth_headers, items):
    headers = auth_headers()
    direct = stream(client, headers, items["h264_aac_mp4"])
    assert (direct["mode"], direct["kind"], direct["ready"], direct["playable"]) == ("direct", "original", True, True)
    assert direct["codecs"] == {"container": "mp4", "video": "h264", "audio": ["aac"]}
    assert httpx.get(direct["url"], headers={"Range": "bytes=0-99"}, timeout=10).status_code == 206
    remux = stream(client, headers, items["h264_aac_mkv"])
    assert (remux["mode"], remux["kind"], remux["ready"], remux["mimeType"]) == ("remux", "mp4_remux", True,
                                                                                 "video/mp4")
    full = stream(client, headers, items["hevc_ac3"])
    assert (full["mode"], full["kind"], full["ready"], full["url"]) == ("hls", "hls", False, None)
    assert full["codecs"] == {"container": "mkv", "video": "hevc", "audio": ["ac3"]}
    audio = stream(client, headers, items["h264_dts"])
    assert (audio["mode"], audio["kind"], audio["ready"]) == ("hls", "hls_audio", False)
    assert full["resume"] is None and "next" in full and "subtitles" in full
    sent = media_commands()
    assert sorted((c.item_id, c.mode) for c in sent) == sorted([(items["hevc_ac3"], "hls"),
                                                                 (items["h264_dts"], "hls_audio")])
    assert all(c.output_prefix.startswith(c.key) for c in sent)


def test_pressing_play_twice_sends_one_prepare_command(client, auth_headers, items):
    headers = auth_headers()
    for _ in range(3):
        assert stream(client, headers, items["hevc_ac3"])["ready"] is False
    assert [c.mode for c in media_commands()] == ["hls"]


def test_hevc_ac3_plays_through_a_full_transcode(client, app, auth_headers, items, tmp_path):
    headers = auth_headers()
    assert stream(client, headers, items["hevc_ac3"])["ready"] is False
    with media_worker(tmp_path):
        answer = until(app, ready(client, headers, items["hevc_ac3"]), 120, "the hls variant to start")
        assert answer["url"].startswith(f"/api/v1/library/{items['hevc_ac3']}/hls/hls.m3u8?")
        assert answer["mimeType"] == "application/vnd.apple.mpegurl"
        text = until(app, ended(client, answer["url"]), 120,
                     "the transcode to end")
    assert "#EXT-X-PLAYLIST-TYPE:VOD" in text
    found = probe(fetch_segments(text, tmp_path / "all.ts"))
    assert (found["video"], found["audio"]) == (["h264"], ["aac"])
    assert abs(found["duration"] - SECONDS) < 1.0, found


def test_h264_dts_gets_aac_audio_and_its_video_copied(client, app, auth_headers, items, tmp_path):
    headers = auth_headers()
    assert stream(client, headers, items["h264_dts"])["kind"] == "hls_audio"
    with media_worker(tmp_path):
        answer = until(app, ready(client, headers, items["h264_dts"]), 120, "the hls_audio variant to start")
        text = until(app, ended(client, answer["url"]), 120,
                     "the audio transcode to end")
    first = SEGMENT.findall(text)[0]
    segment = tmp_path / "first.ts"
    segment.write_bytes(httpx.get(first, timeout=10).content)
    assert probe(segment)["video"] == ["h264"] and probe(segment)["audio"] == ["aac"]
    found = probe(fetch_segments(text, tmp_path / "all.ts"))
    assert abs(found["duration"] - SECONDS) < 1.0, found


def test_asking_for_hls_on_a_direct_file_makes_an_hls_variant(client, app, auth_headers, items, tmp_path):
    headers = auth_headers()
    asked = stream(client, headers, items["h264_aac_mp4"], "hls")
    assert (asked["mode"], asked["kind"], asked["ready"]) == ("hls", "hls", False)
    [command] = media_commands()
    assert (command.mode, command.item_id) == ("hls", items["h264_aac_mp4"])
    assert stream(client, headers, items["h264_aac_mp4"])["mode"] == "direct"  # the default stays direct
    assert stream(client, headers, items["hevc_ac3"], "remux")["kind"] == "hls"  # hevc cannot be remuxed


def test_a_remux_the_scanner_did_not_make_is_made_on_request(client, app, auth_headers, tmp_path, clips):
    index(app, tmp_path, [clips["h264_aac_mkv"]], LIBRARY_REMUX="false")
    headers = auth_headers()
    [item] = json.loads(client.http.get("/api/v1/library", headers=headers).body)["items"]
    first = stream(client, headers, item["id"])
    assert (first["mode"], first["kind"], first["ready"]) == ("remux", "mp4_remux", False)
    with media_worker(tmp_path):
        answer = until(app, ready(client, headers, item["id"]), 120, "the remux")
    target = tmp_path / "remuxed.mp4"
    target.write_bytes(httpx.get(answer["url"], timeout=10).content)
    found = probe(target)
    assert (found["video"], found["audio"]) == (["h264"], ["aac"])


def test_a_tampered_or_expired_playlist_url_is_refused(client, app, auth_headers, items, tmp_path):
    headers = auth_headers()
    stream(client, headers, items["h264_dts"])
    with media_worker(tmp_path):
        answer = until(app, ready(client, headers, items["h264_dts"]), 120, "the hls_audio variant to start")
    path, query = answer["url"].split("?")
    params = {k: v[0] for k, v in parse_qs(query).items()}
    bad_sig = client.http.get(f"{path}?exp={params['exp']}&sig={'0' * 64}")
    assert bad_sig.status_code == 403 and json.loads(bad_sig.body)["error"]["code"] == "playlist_signature_invalid"
    other_variant = client.http.get(f"{path.replace('hls_audio.m3u8', 'hls.m3u8')}?{query}")
    assert other_variant.status_code == 403
    expired = client.http.get(f"{path}?exp=1000&sig={params['sig']}")
    assert expired.status_code == 403
    assert client.http.get(f"{path}?exp={params['exp']}").status_code == 422
    assert client.http.get(path.replace("hls_audio.m3u8", "nope.m3u8") + f"?{query}").status_code == 404


def test_stale_and_late_media_events_never_move_a_variant_back(client, app, auth_headers, items):
    from datetime import UTC, datetime, timedelta

    from chalicelib.config import get_aws_settings as aws_settings

    headers = auth_headers()
    stream(client, headers, items["hevc_ac3"])
    [command] = media_commands()
    now = datetime.now(UTC)
    common = {"item_id": command.item_id, "key": command.key, "mode": "hls",
              "playlist_key": command.output_prefix + "index.m3u8"}
    events = [MediaPrepared(status="failed", error="old news", sent_at=now - timedelta(seconds=5), **common),
              MediaPrepared(status="completed", sent_at=now, **common),
              MediaPrepared(status="running", sent_at=now + timedelta(seconds=1), **common),
              MediaPrepared(status="failed", error="older", sent_at=now - timedelta(seconds=1), **common),
              MediaPrepared(status="completed", item_id="not-a-uuid", key="k", mode="hls")]
    event = client.events.generate_sqs_event(message_bodies=[e.to_json() for e in events],
                                             queue_name=aws_settings().events_queue)
    assert client.lambda_.invoke("worker_events", event).payload == {"batchItemFailures": []}
    answer = stream(client, headers, items["hevc_ac3"])
    assert answer["ready"] is True and media_commands() == []


def failed_error(client, headers, item_id):
    """A check for ``until``: the stream's 409 body once every mode has failed."""
    def check():
        response = client.http.get(f"/api/v1/library/{item_id}/stream", headers=headers)
        return response.status_code == 409 and json.loads(response.body)
    return check


def test_a_failed_step_moves_on_by_itself_and_only_when_all_failed_is_it_a_409(client, app, auth_headers, items,
                                                                                tmp_path):
    from chalicelib import aws

    headers = auth_headers()
    first = stream(client, headers, items["h264_dts"])
    assert (first["kind"], first["ready"]) == ("hls_audio", False)
    assert first["notice"] == ("This file's DTS audio is being converted for your browser; "
                               "it starts in a few seconds.")
    [command] = media_commands()
    aws.client("s3").delete_object(Bucket=get_aws_settings().bucket, Key=command.key)  # the original is gone
    aws.client("sqs").send_message(QueueUrl=aws.queue_url(get_aws_settings().media_queue),
                                   MessageBody=command.to_json())
    with media_worker(tmp_path):
        # the player keeps polling as it did: the failed hls_audio gives way to a full transcode, asked for
        # without the player doing anything (and it fails too: the original is gone)
        def next_step():
            answer = stream(client, headers, items["h264_dts"])
            return answer["kind"] == "hls" and answer
        moved = until(app, next_step, 60, "the fallback to a full transcode")
        assert moved["ready"] is False and moved["notice"] == (
            "Converting this file failed; trying a full conversion instead.")
        error = until(app, failed_error(client, headers, items["h264_dts"]), 60, "every step to fail")
    assert error["error"]["code"] == "media_unplayable"
    message = error["error"]["message"]
    assert "(the stored file is missing)" in message and "404" not in message and "HeadObject" not in message
    assert media_commands() == []  # a failed chain is not asked again on every poll
    assert client.http.get(f"/api/v1/library/{items['h264_dts']}/stream?mode=hls",
                           headers=headers).status_code == 409


def test_a_remux_the_worker_reports_failed_falls_to_the_audio_transcode(client, app, auth_headers, items):
    headers = auth_headers()
    first = stream(client, headers, items["h264_flac"])
    assert (first["mode"], first["kind"], first["ready"]) == ("remux", "mp4_remux", False)
    [command] = media_commands()
    failed = MediaPrepared(item_id=command.item_id, key=command.key, mode="remux", status="failed",
                           error="Could not write header for output file #0 (incorrect codec parameters ?)")
    event = client.events.generate_sqs_event(message_bodies=[failed.to_json()],
                                             queue_name=get_aws_settings().events_queue)
    assert client.lambda_.invoke("worker_events", event).payload == {"batchItemFailures": []}
    answer = stream(client, headers, items["h264_flac"], "remux")  # the player keeps asking for what it settled on
    assert (answer["mode"], answer["kind"], answer["ready"]) == ("hls", "hls_audio", False)
    assert answer["notice"] == "Repackaging this file failed; converting its audio instead."
    assert [(c.item_id, c.mode) for c in media_commands()] == [(items["h264_flac"], "hls_audio")]


def test_h264_flac_is_remuxed_with_its_audio_converted_to_aac(client, app, auth_headers, items, tmp_path):
    headers = auth_headers()
    first = stream(client, headers, items["h264_flac"])
    assert first["notice"] == ("This file's FLAC audio is being converted for your browser; "
                               "it starts in about a minute.")
    with media_worker(tmp_path):
        answer = until(app, ready(client, headers, items["h264_flac"]), 120, "the remux")
    assert (answer["mode"], answer["kind"], answer["mimeType"], answer["notice"]) == (
        "remux", "mp4_remux", "video/mp4", None)
    target = tmp_path / "flac.mp4"
    target.write_bytes(httpx.get(answer["url"], timeout=10).content)
    found = probe(target)
    assert (found["video"], found["audio"]) == (["h264"], ["aac"])
    assert abs(found["duration"] - SECONDS) < 1.0, found


def test_bad_mode_and_unknown_items_are_4xx(client, auth_headers, items):
    headers = auth_headers()
    bad = client.http.get(f"/api/v1/library/{items['hevc_ac3']}/stream?mode=vhs", headers=headers)
    assert bad.status_code == 422
    assert client.http.get("/api/v1/library/not-a-uuid/hls/hls.m3u8?exp=1&sig=x").status_code == 404


def test_a_replaced_original_gets_a_variant_of_its_own(client, app, auth_headers, tmp_path, clips):
    from library_support import age, ffmpeg, scanner

    from worker.scanner.loop import ScanRequest

    index(app, tmp_path, [clips["h264_dts"]])
    headers = auth_headers()
    [item] = json.loads(client.http.get("/api/v1/library", headers=headers).body)["items"]
    sha = json.loads(client.http.get(f"/api/v1/library/{item['id']}", headers=headers).body)["sha256"]
    assert stream(client, headers, item["id"])["kind"] == "hls_audio"
    [before] = media_commands()
    replaced = tmp_path / "library" / clips["h264_dts"].name
    ffmpeg("-i", str(clips["h264_dts"]), "-map", "0", "-c", "copy", "-metadata", "title=Director's Cut",
           "-f", "matroska", str(replaced))  # same path and codecs, other bytes: a new original
    age(replaced)
    assert scanner(tmp_path / "rescan-staging", [tmp_path / "library"]).scan(ScanRequest(force=True)).indexed == 1
    until(app, lambda: json.loads(client.http.get(f"/api/v1/library/{item['id']}", headers=headers).body)[
        "sha256"] != sha, 30, "the new original")
    assert stream(client, headers, item["id"])["ready"] is False
    [after] = media_commands()
    assert (after.key, after.mode) == (before.key, "hls_audio") and after.output_prefix != before.output_prefix


def test_a_playlist_still_growing_is_served_as_an_event_playlist():
    from chalicelib.library import hls

    growing = "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-PLAYLIST-TYPE:EVENT\n#EXTINF:4.0,\nseg_00000.ts\n"
    out = hls.rewrite(growing, "media/x.mkv.variants/ab/hls/", lambda key, mime: f"https://s3/{key}?type={mime}")
    assert "#EXT-X-PLAYLIST-TYPE:EVENT" in out and "#EXT-X-ENDLIST" not in out
    assert "https://s3/media/x.mkv.variants/ab/hls/seg_00000.ts?type=video/mp2t" in out.splitlines()
    done = hls.rewrite(growing + "#EXT-X-ENDLIST\n", "p/", lambda key, mime: key)
    assert "#EXT-X-PLAYLIST-TYPE:VOD" in done and "p/seg_00000.ts" in done.splitlines()


def test_a_file_without_a_probe_is_offered_as_it_is_until_the_player_asks_for_more(client, auth_headers):
    from chalicelib.messages import IndexedStream, LibraryFileIndexed

    key = "media/library/Unprobed (1999).avi"
    indexed = LibraryFileIndexed(key=key, size=10, path="/srv/Unprobed (1999).avi", probe=None,
                                 probe_error="ffprobe timed out",
                                 streams=[IndexedStream(kind="original", key=key, mime_type="video/x-msvideo")])
    event = client.events.generate_sqs_event(message_bodies=[indexed.to_json()],
                                             queue_name=get_aws_settings().events_queue)
    assert client.lambda_.invoke("worker_events", event).payload == {"batchItemFailures": []}
    headers = auth_headers()
    [item] = json.loads(client.http.get("/api/v1/library", headers=headers).body)["items"]
    plain = stream(client, headers, item["id"])
    assert (plain["mode"], plain["playable"], plain["codecs"]["video"]) == ("direct", False, None)
    assert media_commands() == []
    assert stream(client, headers, item["id"], "remux")["kind"] == "hls"  # unknown codecs: only a transcode


def test_an_embedded_subrip_track_is_listed_as_webvtt_with_its_language(client, app, auth_headers, tmp_path, clips):
    from library_support import SRT, make_video_with_subtitles

    srt = tmp_path / "cues.srt"
    srt.write_text(SRT, encoding="utf-8")
    subbed = make_video_with_subtitles(tmp_path / "Subbed Film (2006).mkv", clips["h264_aac_mkv"], srt)
    index(app, tmp_path, [subbed])
    headers = auth_headers()
    [item] = json.loads(client.http.get("/api/v1/library", headers=headers).body)["items"]
    [track] = stream(client, headers, item["id"])["subtitles"]
    assert (track["source"], track["language"], track["label"]) == ("embedded", "de", "German (embedded)")
    got = httpx.get(track["url"], timeout=10)
    assert got.status_code == 200 and got.text.startswith("WEBVTT")
    assert "Wake up, Neo." in got.text and "00:01.000 --> 00:02.000\nThe Matrix has <i>you</i>." in got.text
