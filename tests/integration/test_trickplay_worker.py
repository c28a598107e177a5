"""The worker's ``media.analyze`` on its own (real ffmpeg and fpcalc, moto SQS and S3, no database): sprite
sheets and a WebVTT track in the bucket, intro/credits per file, and a redelivered command answered again
from what is stored, without reading the files again."""

from __future__ import annotations

import shutil
import time

import pytest
from downloads_support import bucket_keys, drain_queue, worker_events
from playmodes_support import media_queue_url, media_worker, probe

from chalicelib import aws
from chalicelib.config import get_aws_settings
from chalicelib.messages import AnalyzeFile, MediaAnalyze, MediaAnalyzed
from tests.integration.segments_support import season
from worker.media import analyze, loop, trickplay

pytestmark = pytest.mark.skipif(shutil.which("fpcalc") is None, reason="fpcalc (libchromaprint-tools) missing")


@pytest.fixture(scope="module")
def episodes():
    return season(3)


def put(path, key):
    aws.client("s3", transfers=True).upload_file(str(path), get_aws_settings().bucket, key)


def send(command: MediaAnalyze) -> None:
    aws.client("sqs").send_message(QueueUrl=media_queue_url(), MessageBody=command.to_json())


def answers_for(file_ids: set[str], seconds: float = 180) -> dict[str, MediaAnalyzed]:
    found: dict[str, MediaAnalyzed] = {}
    deadline = time.monotonic() + seconds
    while set(found) != file_ids:
        assert time.monotonic() < deadline, f"answers for {sorted(found)} of {sorted(file_ids)}"
        found.update({e.file_id: e for e in worker_events() if isinstance(e, MediaAnalyzed)})
        time.sleep(0.2)
    return found


def stored_times(prefix: str) -> dict[str, object]:
    s3 = aws.client("s3")
    return {key: s3.head_object(Bucket=get_aws_settings().bucket, Key=key)["LastModified"]
            for key in bucket_keys(prefix)}


def sheet_of(sheet) -> trickplay.Sheet:
    return trickplay.Sheet(sheet.interval, sheet.cols, sheet.rows, sheet.count, sheet.width, sheet.height)


def files_of(episodes, **flags) -> list[AnalyzeFile]:
    files = []
    for n, episode in enumerate(episodes):
        key = f"media/library/Show/{episode.path.name}"
        put(episode.path, key)
        files.append(AnalyzeFile(file_id=f"file-{n}", key=key, output_prefix=f"{key}.variants/x/analysis/", **flags))
    return files


@pytest.mark.usefixtures("aws")
def test_sprites_and_a_thumbnails_track_are_stored_in_one_pass(tmp_path, episodes):
    [file] = files_of(episodes[:1], segments=False)
    send(MediaAnalyze(files=[file]))
    with media_worker(tmp_path):
        [answer] = answers_for({file.file_id}).values()
    sheet = answer.trickplay
    assert sheet is not None and answer.segments is None and answer.error is None
    assert (sheet.interval, sheet.cols, sheet.rows, sheet.count, sheet.width) == (10, 10, 10, 9, 240)
    assert sheet.height in (134, 135, 136)  # 320x180 scaled to 240 wide, even
    prefix = file.output_prefix + "trickplay/"
    assert sheet.prefix == prefix
    assert bucket_keys(prefix) == [prefix + n for n in ("sheet.json", "sprite_000.jpg", "thumbs.vtt")]
    sprite = tmp_path / "sprite.jpg"
    aws.client("s3", transfers=True).download_file(get_aws_settings().bucket, prefix + "sprite_000.jpg", str(sprite))
    assert probe(sprite)["height"] == 10 * sheet.height  # a full sheet of 10 x 10, the unused cells blank
    vtt = aws.client("s3").get_object(Bucket=get_aws_settings().bucket, Key=prefix + "thumbs.vtt")["Body"].read()
    cues = vtt.decode().split("\n\n")[1:]
    assert [c.strip() for c in cues[:8]] == trickplay.vtt(sheet_of(sheet)).split("\n\n")[1:9]
    assert cues[8].startswith("00:01:20.000 --> 00:01:")
    assert cues[8].strip().endswith(f"#xywh=1920,0,240,{sheet.height}")
    assert drain_queue(get_aws_settings().media_queue) == []  # answered, so deleted


@pytest.mark.usefixtures("aws")
def test_a_season_is_answered_per_file_and_a_redelivery_reads_nothing_again(tmp_path, episodes):
    files = files_of(episodes)
    send(MediaAnalyze(files=files))
    with media_worker(tmp_path):
        first = answers_for({f.file_id for f in files})
        before = stored_times("media/library/Show/")
        send(MediaAnalyze(files=files))
        again = answers_for({f.file_id for f in files}, 60)
    for file, episode in zip(files, episodes, strict=True):
        kinds = {s.kind: s for s in first[file.file_id].segments or ()}
        assert set(kinds) == {"intro", "credits"}, first[file.file_id]
        assert abs(kinds["intro"].start - episode.intro_start) <= 1
        assert first[file.file_id].compared == 3
        assert again[file.file_id].segments == first[file.file_id].segments
        assert again[file.file_id].trickplay == first[file.file_id].trickplay
    assert stored_times("media/library/Show/") == before  # nothing made or stored twice


@pytest.mark.usefixtures("aws")
def test_a_file_that_cannot_be_read_is_answered_with_its_error(tmp_path, episodes):
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(b"\x00" * 4096)
    put(broken, "media/library/Broken.mp4")
    file = AnalyzeFile(file_id="broken", key="media/library/Broken.mp4", output_prefix="media/library/Broken/a/")
    send(MediaAnalyze(files=[file]))
    with media_worker(tmp_path):
        [answer] = answers_for({"broken"}).values()
    assert answer.trickplay is None and answer.segments is None
    assert answer.error and answer.error.startswith("unreadable")


def warnings_of(ctx, monkeypatch) -> list[str | None]:
    """The actions of the worker's warnings from now on (its own logger, watched, not replaced)."""
    actions: list[str | None] = []
    warning = ctx.logger.warning

    def watched(message, *args, **kwargs):
        actions.append((kwargs.get("extra") or {}).get("action"))
        return warning(message, *args, **kwargs)

    monkeypatch.setattr(ctx.logger, "warning", watched)
    return actions


def block_scratch(tmp_path):
    """A file where the worker makes its scratch folders: every read of a file fails with an OSError."""
    blocked = tmp_path / "media-staging" / "media"
    blocked.parent.mkdir(parents=True, exist_ok=True)
    blocked.write_text("not a folder")
    return blocked


@pytest.mark.usefixtures("aws")
def test_a_fault_of_the_disk_is_tried_again_and_the_season_answered_once_it_clears(tmp_path, episodes, monkeypatch):
    monkeypatch.setattr(analyze, "RETRY_LATER", 1)
    files = files_of(episodes[:2])
    blocked = block_scratch(tmp_path)
    with media_worker(tmp_path) as ctx:
        actions = warnings_of(ctx, monkeypatch)
        send(MediaAnalyze(files=files))
        deadline = time.monotonic() + 60
        while actions.count("media_analyze_deferred") < 2:  # tried, and tried again a second on
            assert time.monotonic() < deadline, actions
            time.sleep(0.1)
        assert [e for e in worker_events() if isinstance(e, MediaAnalyzed)] == []  # not answered as failed
        blocked.unlink()
        answers = answers_for({f.file_id for f in files})
    for answer in answers.values():
        assert answer.error is None and {s.kind for s in answer.segments or ()} == {"intro", "credits"}, answer
        assert answer.trickplay is not None and answer.compared == 2
    assert "media_analyze_failed" not in actions
    assert drain_queue(get_aws_settings().media_queue) == []


@pytest.mark.usefixtures("aws")
def test_the_last_delivery_answers_a_lasting_fault_as_the_files_error(tmp_path, episodes, monkeypatch):
    monkeypatch.setattr(analyze, "RETRY_LATER", 1)
    monkeypatch.setattr(loop, "MAX_RECEIVE_COUNT", 2)  # the queue's redrive, as the worker reads it
    [file] = files_of(episodes[:1])
    block_scratch(tmp_path)
    with media_worker(tmp_path) as ctx:
        actions = warnings_of(ctx, monkeypatch)
        send(MediaAnalyze(files=[file]))
        [answer] = answers_for({file.file_id}).values()
    assert actions.count("media_analyze_deferred") == 1 and "media_analyze_failed" in actions
    assert answer.segments is None and answer.trickplay is None
    assert answer.error and "Errno" in answer.error, answer
    assert drain_queue(get_aws_settings().media_queue) == []  # answered: not left for the dead-letter queue

