"""The worker's media loop on its own (real ffmpeg, moto SQS and S3, no database): HLS uploaded while
ffmpeg runs, redelivery of a finished variant, SIGTERM mid-transcode, broken input, malformed commands."""

from __future__ import annotations

import time

import pytest
from downloads_support import bucket_keys, drain_queue, worker_events
from playmodes_support import make_clips, media_queue_url, media_worker, probe

from chalicelib import aws
from chalicelib.config import get_aws_settings
from chalicelib.messages import MediaPrepare, MediaPrepared
from worker.media import hls


@pytest.fixture(scope="module")
def clips(tmp_path_factory):
    return make_clips(tmp_path_factory.mktemp("media-worker-clips"))


def put_original(path, key):
    aws.client("s3", transfers=True).upload_file(str(path), get_aws_settings().bucket, key)


def send(command: MediaPrepare) -> None:
    aws.client("sqs").send_message(QueueUrl=media_queue_url(), MessageBody=command.to_json())


def prepare(key, mode, item_id="0b9f6f3c-7c1e-4f57-9d63-2f0c1b0c2d11"):
    return MediaPrepare(item_id=item_id, key=key, mode=mode, output_prefix=f"{key}.variants/{mode}/")


def events_until(status, seconds=120):
    found: list[MediaPrepared] = []
    deadline = time.monotonic() + seconds
    while not any(e.status == status for e in found):
        assert time.monotonic() < deadline, f"no {status} event; got {[e.status for e in found]}"
        found += [e for e in worker_events() if isinstance(e, MediaPrepared)]
        time.sleep(0.2)
    return found


@pytest.mark.usefixtures("aws")
def test_hls_segments_are_uploaded_and_reported_running_then_completed(tmp_path, clips):
    key = "media/library/Hevc Film (2001).mkv"
    put_original(clips["hevc_ac3"], key)
    send(prepare(key, "hls"))
    with media_worker(tmp_path):
        events = events_until("completed")
    # "running" comes first when a poll saw segments before ffmpeg ended (a 5 s clip may beat it)
    assert [e.status for e in events] in (["running", "completed"], ["completed"])
    assert {e.playlist_key for e in events} == {f"{key}.variants/hls/index.m3u8"}
    keys = bucket_keys(f"{key}.variants/hls/")
    segments = [k for k in keys if k.endswith(".ts")]
    assert len(segments) >= 2 and f"{key}.variants/hls/index.m3u8" in keys
    stored = aws_text(f"{key}.variants/hls/index.m3u8")
    assert "#EXT-X-ENDLIST" in stored and "#EXT-X-PLAYLIST-TYPE:EVENT" in stored
    assert sorted(hls.listed_segments(stored)) == sorted(k.rsplit("/", 1)[1] for k in segments)
    assert drain_queue(get_aws_settings().media_queue) == []  # the command was deleted once reported
    first = tmp_path / "seg.ts"
    aws.client("s3", transfers=True).download_file(get_aws_settings().bucket, segments[0], str(first))
    assert probe(first)["video"] == ["h264"]


def aws_text(key):
    return aws.client("s3").get_object(Bucket=get_aws_settings().bucket, Key=key)["Body"].read().decode()


@pytest.mark.usefixtures("aws")
def test_a_full_transcode_scales_tall_video_down_and_keeps_the_aspect(tmp_path, clips):
    key = "media/library/Tall.mkv"
    put_original(clips["hevc_ac3"], key)  # 320x240
    send(prepare(key, "hls"))
    with media_worker(tmp_path, SEEN_TRANSCODE_MAX_HEIGHT="144"):
        events_until("completed")
    segment = tmp_path / "seg.ts"
    first = next(k for k in bucket_keys(f"{key}.variants/") if k.endswith(".ts"))
    aws.client("s3", transfers=True).download_file(get_aws_settings().bucket, first, str(segment))
    found = probe(segment)
    assert (found["video"], found["height"]) == (["h264"], 144)


@pytest.mark.usefixtures("aws")
def test_a_redelivered_command_for_a_finished_variant_is_not_redone(tmp_path, clips):
    key = "media/library/Dts Film (2002).mkv"
    put_original(clips["h264_dts"], key)
    send(prepare(key, "hls_audio"))
    with media_worker(tmp_path):
        events_until("completed")
        before = {k: head(k) for k in bucket_keys(f"{key}.variants/")}
        send(prepare(key, "hls_audio"))
        again = events_until("completed", 30)
    assert [e.status for e in again] == ["completed"]  # no "running": ffmpeg did not run again
    assert {k: head(k) for k in bucket_keys(f"{key}.variants/")} == before


def head(key):
    return aws.client("s3").head_object(Bucket=get_aws_settings().bucket, Key=key)["LastModified"]


@pytest.mark.usefixtures("aws")
def test_stopping_mid_transcode_kills_ffmpeg_and_gives_the_command_back(tmp_path, clips):
    from library_support import ffmpeg

    long_clip = tmp_path / "long.mkv"
    ffmpeg("-f", "lavfi", "-i", "testsrc=duration=120:size=640x480:rate=30", "-f", "lavfi", "-i", "sine=duration=120",
           "-shortest", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "ac3", str(long_clip))
    key = "media/library/Long.mkv"
    put_original(long_clip, key)
    send(prepare(key, "hls"))
    with media_worker(tmp_path, SEEN_TRANSCODE_PRESET="medium", SEEN_HLS_SEGMENT_SECONDS="2") as ctx:
        events_until("running")
        started = time.monotonic()
        ctx.stopping.set()
    assert time.monotonic() - started < 15
    assert not any(e.status == "completed" for e in worker_events() if isinstance(e, MediaPrepared))
    [message] = drain_queue(get_aws_settings().media_queue)  # visible again at once, for the next start
    assert MediaPrepare.model_validate_json(message["Body"]).key == key
    assert not list((tmp_path / "media-staging" / "media").iterdir())  # scratch space cleaned


@pytest.mark.usefixtures("aws")
def test_a_file_ffmpeg_cannot_read_is_reported_failed_with_the_reason(tmp_path):
    key = "media/library/Broken.mkv"
    junk = tmp_path / "broken.mkv"
    junk.write_bytes(b"\x1a\x45\xdf\xa3" + b"not a video" * 1000)
    put_original(junk, key)
    send(prepare(key, "hls"))
    with media_worker(tmp_path):
        events = events_until("failed", 60)
    assert events[-1].error and events[-1].playlist_key is None
    assert drain_queue(get_aws_settings().media_queue) == []


@pytest.mark.usefixtures("aws")
def test_a_malformed_command_is_left_for_the_dead_letter_queue(tmp_path):
    aws.client("sqs").send_message(QueueUrl=media_queue_url(), MessageBody='{"type": "media.prepare"}')
    with media_worker(tmp_path):
        time.sleep(3)
    left = drain_queue(get_aws_settings().media_queue) + drain_queue(get_aws_settings().media_queue + "-dlq")
    assert len(left) == 1 and worker_events() == []


def test_transcode_settings_refuse_what_ffmpeg_would_fail_on_later():
    from chalicelib.config import ConfigError, TranscodeSettings

    assert TranscodeSettings.from_env({}).preset == "ultrafast"
    for env in ({"SEEN_TRANSCODE_PRESET": "placebo"}, {"SEEN_TRANSCODE_AUDIO_BITRATE": "160"},
                {"SEEN_TRANSCODE_MAX_HEIGHT": "100"}, {"SEEN_HLS_SEGMENT_SECONDS": "0"}):
        with pytest.raises(ConfigError):
            TranscodeSettings.from_env(env)
    tuned = TranscodeSettings.from_env({"SEEN_TRANSCODE_PRESET": "veryfast", "SEEN_TRANSCODE_MAX_HEIGHT": "720",
                                        "SEEN_TRANSCODE_AUDIO_BITRATE": "192k"})
    assert (tuned.preset, tuned.max_height, tuned.audio_bitrate) == ("veryfast", 720, "192k")


@pytest.mark.usefixtures("aws")
def test_the_loop_survives_an_unreachable_bucket_and_keeps_the_command(tmp_path):
    import threading

    import boto3
    from botocore.config import Config
    from library_support import worker_ctx

    from worker.media import loop

    send(prepare("media/library/Away.mkv", "hls"))
    ctx = worker_ctx(tmp_path / "staging", [], SEEN_COMMAND_WAIT="1")
    ctx.s3 = boto3.client("s3", endpoint_url="http://127.0.0.1:9", region_name="us-east-1",
                          config=Config(connect_timeout=1, retries={"max_attempts": 1}))  # nothing listens there
    thread = threading.Thread(target=loop.run, args=(ctx,))
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while hidden() != 1:
            assert time.monotonic() < deadline, "the command was not taken"
            time.sleep(0.2)
        time.sleep(2)
        assert thread.is_alive() and hidden() == 1  # held back for a later try, not lost, not deleted
    finally:
        ctx.stopping.set()
        thread.join(15)
    assert worker_events() == []


def hidden() -> int:
    attributes = aws.client("sqs").get_queue_attributes(
        QueueUrl=media_queue_url(), AttributeNames=["ApproximateNumberOfMessagesNotVisible"])["Attributes"]
    return int(attributes["ApproximateNumberOfMessagesNotVisible"])


def streams_of(path):
    import json
    import subprocess

    entries = "stream=codec_type,codec_name:stream_tags=language"
    done = subprocess.run(["ffprobe", "-v", "error", "-show_entries", entries, "-of", "json", str(path)],
                          capture_output=True, check=True, timeout=60)
    return [(s["codec_type"], s["codec_name"], (s.get("tags") or {}).get("language"))
            for s in json.loads(done.stdout)["streams"]]


@pytest.mark.usefixtures("aws")
@pytest.mark.parametrize("mode", ["remux", "hls_audio"])
def test_the_default_audio_track_is_the_one_played_and_flac_becomes_aac(tmp_path, mode):
    from library_support import ffmpeg

    two = tmp_path / "two.mkv"  # English AAC first, German FLAC second and marked default
    ffmpeg("-f", "lavfi", "-i", "testsrc=duration=3:size=320x180:rate=24", "-f", "lavfi", "-i", "sine=duration=3",
           "-f", "lavfi", "-i", "sine=duration=3:frequency=880", "-map", "0", "-map", "1", "-map", "2",
           "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a:0", "aac", "-c:a:1", "flac",
           "-metadata:s:a:0", "language=eng", "-metadata:s:a:1", "language=ger",
           "-disposition:a:0", "0", "-disposition:a:1", "default", str(two))
    key = f"media/library/Two Tracks {mode}.mkv"
    put_original(two, key)
    send(prepare(key, mode))
    with media_worker(tmp_path):
        events = events_until("completed")
        [done] = [e for e in events if e.status == "completed"]
    made = tmp_path / "made"
    if mode == "remux":
        # "running" before ffmpeg starts, so a long remux keeps its fair-share slot until it ends
        assert [(e.status, e.output_key) for e in events] == [("running", None), ("completed", done.output_key)]
        aws.client("s3", transfers=True).download_file(get_aws_settings().bucket, done.output_key, str(made))
        assert streams_of(made) == [("video", "h264", "und"), ("audio", "aac", "ger"), ("audio", "aac", "eng")]
    else:
        first = next(k for k in bucket_keys(f"{key}.variants/") if k.endswith(".ts"))
        aws.client("s3", transfers=True).download_file(get_aws_settings().bucket, first, str(made))
        assert [s[:2] for s in streams_of(made)] == [("video", "h264"), ("audio", "aac")]
        # the German track's 880 Hz tone, not the English 440 Hz one (the TS carries no language tag)
        assert dominant_hz(made) == pytest.approx(880, abs=30)


def dominant_hz(path) -> float:
    """The loudest frequency of the audio (zero crossings of the decoded mono samples)."""
    import array
    import itertools
    import subprocess

    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", str(path), "-map", "0:a:0", "-ac", "1", "-ar", "8000",
                          "-f", "s16le", "-"], capture_output=True, check=True, timeout=60).stdout
    samples = array.array("h", raw)
    crossings = sum(1 for a, b in itertools.pairwise(samples) if (a < 0) != (b < 0))
    return crossings / 2 / (len(samples) / 8000)


@pytest.mark.usefixtures("aws")
def test_a_frame_with_odd_sides_is_transcoded_to_even_ones(tmp_path):
    from library_support import ffmpeg

    odd = tmp_path / "odd.mkv"  # 4:4:4 H.264 may have odd sides; 4:2:0 H.264 (what browsers play) may not
    ffmpeg("-f", "lavfi", "-i", "testsrc=duration=3:size=640x360:rate=24", "-vf", "crop=637:357",
           "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv444p", str(odd))
    key = "media/library/Odd Sides.mkv"
    put_original(odd, key)
    send(prepare(key, "hls"))
    with media_worker(tmp_path):
        events = events_until("completed", 60)
    assert [e.status for e in events if e.status == "failed"] == []
    segment = tmp_path / "seg.ts"
    first = next(k for k in bucket_keys(f"{key}.variants/") if k.endswith(".ts"))
    aws.client("s3", transfers=True).download_file(get_aws_settings().bucket, first, str(segment))
    assert probe(segment)["height"] == 356
