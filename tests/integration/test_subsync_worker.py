"""The worker's ``media.subtitle_sync`` (real ffmpeg, moto SQS and S3, no database): a track 2.5 s late is
found 2.5 s late, the shifted track lines up with the speech, and a redelivered command is answered from
the bucket without decoding the file again."""

from __future__ import annotations

import subprocess
import time

import pysubs2
import pytest
from downloads_support import bucket_keys, drain_queue, worker_events
from playmodes_support import media_queue_url, media_worker

from chalicelib import aws
from chalicelib.config import get_aws_settings
from chalicelib.messages import SubtitleSync, SubtitleSynced
from tests.integration.subsync_support import BURSTS, clip, srt
from worker.media import subsync
from worker.media.tools import Tools

TOLERANCE = 0.2  # seconds: the "within 0.2 s"


def vtt(shift: float) -> str:
    return pysubs2.SSAFile.from_string(srt(shift)).to_string("vtt")


def cue_starts(text: str) -> list[float]:
    return [e.start / 1000 for e in pysubs2.SSAFile.from_string(text).events]


@pytest.mark.parametrize("shift", [2.5, -2.5, 0.0])
def test_a_shifted_track_is_found_and_lined_up_with_the_speech(tmp_path, shift):
    result = subsync.align(clip(), vtt(shift), tmp_path, Tools())
    assert abs(result.offset + shift) <= TOLERANCE, result.offset
    assert result.matched > 0.8, result.matched  # nearly all the cues' time is speech once shifted
    starts = cue_starts(result.text)
    assert len(starts) == len(BURSTS)
    assert max(abs(s - a) for s, (a, _) in zip(starts, BURSTS, strict=True)) <= TOLERANCE


def test_a_track_with_no_speech_under_any_shift_is_refused(tmp_path):
    lonely = "WEBVTT\n\n00:00:00.000 --> 00:00:00.500\nHello\n"  # one short cue, far less than the speech
    silent = tmp_path / "silent.mp4"
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i",
                    "anullsrc=r=44100:cl=mono", "-t", "20", "-c:a", "aac", str(silent)], check=True, timeout=60)
    with pytest.raises(subsync.NotAligned, match="no speech"):
        subsync.align(silent, lonely, tmp_path, Tools())


def put(body: bytes | str, key: str) -> None:
    aws.client("s3").put_object(Bucket=get_aws_settings().bucket, Key=key,
                                Body=body.encode() if isinstance(body, str) else body)


def answers(count: int, seconds: float = 120) -> list[SubtitleSynced]:
    found: list[SubtitleSynced] = []
    deadline = time.monotonic() + seconds
    while sum(a.status != "running" for a in found) < count:
        assert time.monotonic() < deadline, f"answers so far: {found}"
        found += [e for e in worker_events() if isinstance(e, SubtitleSynced)]
        time.sleep(0.2)
    return found


@pytest.mark.usefixtures("aws")
def test_the_media_loop_stores_the_synced_track_and_answers_a_redelivery_from_the_bucket(tmp_path):
    aws.client("s3", transfers=True).upload_file(str(clip()), get_aws_settings().bucket, "media/library/Clip.mp4")
    put(vtt(2.5), "subtitles/Clip.en.vtt")
    command = SubtitleSync(item_id="item-1", subtitle_id="track-1", key="media/library/Clip.mp4",
                           subtitle_key="subtitles/Clip.en.vtt",
                           output_prefix="media/library/Clip.mp4.variants/x/subsync/")
    sqs = aws.client("sqs")
    sqs.send_message(QueueUrl=media_queue_url(), MessageBody=command.to_json())
    with media_worker(tmp_path):
        first = answers(1)
        stored = {k: aws.client("s3").head_object(Bucket=get_aws_settings().bucket, Key=k)["LastModified"]
                  for k in bucket_keys(command.output_prefix)}
        sqs.send_message(QueueUrl=media_queue_url(), MessageBody=command.to_json())  # redelivered
        again = answers(1, 60)
    assert [a.status for a in first] == ["running", "done"]
    done = first[-1]
    assert abs(done.offset_seconds + 2.5) <= TOLERANCE, done
    assert done.output_key and done.output_key.startswith(command.output_prefix + "track-1-")
    assert sorted(stored) == [done.output_key.removesuffix(".vtt") + ".json", done.output_key]
    text = aws.client("s3").get_object(Bucket=get_aws_settings().bucket, Key=done.output_key)["Body"].read().decode()
    assert abs(cue_starts(text)[0] - BURSTS[0][0]) <= TOLERANCE
    assert [a.status for a in again] == ["done"]  # no "running": nothing was decoded again
    assert (again[0].offset_seconds, again[0].output_key) == (done.offset_seconds, done.output_key)
    assert {k: aws.client("s3").head_object(Bucket=get_aws_settings().bucket, Key=k)["LastModified"]
            for k in bucket_keys(command.output_prefix)} == stored
    assert drain_queue(get_aws_settings().media_queue) == []  # answered, so deleted


@pytest.mark.usefixtures("aws")
def test_a_track_missing_from_the_bucket_is_answered_failed(tmp_path):
    command = SubtitleSync(item_id="item-1", subtitle_id="track-2", key="media/library/None.mp4",
                           subtitle_key="subtitles/None.vtt",
                           output_prefix="media/library/None.mp4.variants/x/subsync/")
    aws.client("sqs").send_message(QueueUrl=media_queue_url(), MessageBody=command.to_json())
    with media_worker(tmp_path):
        [failed] = answers(1, 60)
    assert failed.status == "failed" and "not in the bucket" in (failed.error or "")
