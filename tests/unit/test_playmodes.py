"""The play-mode chain on its own: which mode a file's codecs need, a failed step skipped for the next,
and the plain sentences a viewer is shown (never the worker's raw error)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.library import notices
from chalicelib.library.playmodes import Codecs, choose, converts_audio

MKV = {"mime_type": "video/x-matroska"}
MP4 = {"mime_type": "video/mp4"}


@pytest.mark.parametrize(("codecs", "original", "mode"), [
    (Codecs("mp4", "h264", ("aac",), "yuv420p"), MP4, "direct"),
    (Codecs("webm", "vp9", ("opus",), "yuv420p"), {"mime_type": "video/webm"}, "direct"),
    (Codecs("mkv", "h264", ("flac",), "yuv420p"), MKV, "remux"),
    (Codecs("mkv", "h264", ("aac", "flac"), None), MKV, "remux"),
    (Codecs("mkv", "h264", ("truehd",), "yuv420p"), MKV, "hls_audio"),
    (Codecs("mkv", "h264", ("pcm_s16le",), "yuv420p"), MKV, "hls_audio"),
    (Codecs("mkv", "h264", ("dts",), "yuv420p"), MKV, "hls_audio"),
    (Codecs("mkv", "vp9", ("truehd",), "yuv420p"), MKV, "hls"),
    (Codecs("mkv", "vp9", ("vorbis",), "yuv420p"), MKV, "remux"),  # VP9 copied, Vorbis to AAC: no transcode
    (Codecs("mkv", "hevc", ("aac",), "yuv420p"), MKV, "hls"),
    (Codecs("mp4", "h264", ("aac",), "yuv420p10le"), MP4, "hls"),  # 10-bit H.264: no browser decodes it
    (Codecs("mkv", "h264", ("aac",), "yuv444p"), MKV, "hls"),
    (Codecs("mp4", "av1", ("aac",), "yuv420p10le"), MP4, "direct"),
])
def test_each_file_starts_at_the_cheapest_mode_its_codecs_allow(codecs, original, mode):
    assert choose(codecs, original, False, None) == mode


def test_flac_truehd_and_pcm_never_go_to_a_plain_mp4_copy():
    assert converts_audio("remux", Codecs("mkv", "h264", ("flac",)), has_mp4=False)
    assert not converts_audio("remux", Codecs("mkv", "h264", ("aac", "opus")), has_mp4=False)
    for audio in ("truehd", "pcm_s24le"):
        assert choose(Codecs("mkv", "h264", (audio,)), MKV, False, None) == "hls_audio"


def test_a_failed_step_is_skipped_for_the_next_feasible_one():
    flac = Codecs("mkv", "h264", ("flac",), "yuv420p")
    assert choose(flac, MKV, False, None, {"remux"}) == "hls_audio"
    assert choose(flac, MKV, False, "remux", {"remux", "hls_audio"}) == "hls"
    assert choose(flac, MKV, False, None, {"remux", "hls_audio", "hls"}) is None
    hevc = Codecs("mkv", "hevc", ("ac3",))
    assert choose(hevc, MKV, False, None, {"hls"}) is None  # nothing else can play HEVC


def test_notices_say_which_part_is_converted_and_that_a_failed_step_moved_on():
    flac = Codecs("mkv", "h264", ("flac",), "yuv420p")
    assert notices.preparing("remux", flac, False, {}) == (
        "This file's FLAC audio is being converted for your browser; it starts in about a minute.")
    dts = Codecs("mkv", "h264", ("dts",), "yuv420p")
    assert "DTS audio is being converted" in notices.preparing("hls_audio", dts, False, {})
    assert "HEVC (H.265) video" in notices.preparing("hls", Codecs("mkv", "hevc", ("aac",)), False, {})
    assert "10-bit H.264 video" in notices.preparing("hls", Codecs("mp4", "h264", ("aac",), "yuv420p10le"), False, {})
    failed = {"remux": {"updated_at": datetime.now(UTC), "error": "x"}}
    assert notices.preparing("hls_audio", flac, False, failed) == (
        "Repackaging this file failed; converting its audio instead.")
    failed["hls_audio"] = {"updated_at": datetime.now(UTC), "error": "y"}
    assert notices.preparing("hls", flac, False, failed) == (
        "Converting this file failed; trying a full conversion instead.")


@pytest.mark.parametrize(("error", "reason"), [
    ("An error occurred (404) when calling the HeadObject operation: Not Found", "the stored file is missing"),
    ("ffmpeg took longer than 3600 s", "converting it took too long"),
    ("[matroska,webm @ 0x55d] EBML header parsing failed\nsource.mkv: Invalid data found when processing input",
     "the file looks damaged or incomplete"),
    ("Unknown encoder 'libfoo'", "the file uses a format the converter cannot read"),
])
def test_the_unplayable_message_gives_a_plain_reason_never_the_raw_error(error, reason):
    now = datetime.now(UTC)
    failed = {"remux": {"updated_at": now - timedelta(minutes=5), "error": "ffmpeg took longer than 1 s"},
              "hls": {"updated_at": now, "error": error}}
    message = notices.unplayable(failed)
    assert f"({reason})" in message and error not in message and "ffmpeg" not in message
