"""How a library file plays, in words, and which of a title's files Play starts (chalicelib.library.playnotes)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from chalicelib.library import playnotes


def row(container="mkv", video="h264", audio=("aac",), mime=None, pix=None, kinds=("original",), **more):
    return {"container": container, "video_codec": video, "audio_codecs": list(audio), "original_mime": mime,
            "probe": {"pixFmt": pix} if pix else None, "stream_kinds": list(kinds), "probe_error": None, **more}


@pytest.mark.parametrize(("file", "mode", "note"), [
    (row("mp4", mime="video/mp4"), "direct", "Plays directly in the browser"),
    (row("mkv"), "remux", "MKV file: repackaged when you press Play, a few seconds"),
    (row("mkv", kinds=("mp4_remux", "original")), "remux", "Plays from its browser-ready MP4 copy"),
    (row("mkv", audio=("flac",)), "remux", "FLAC audio: converted when you press Play, under a minute"),
    (row("mkv", audio=("dts",)), "hls_audio", "DTS audio: converted when you press Play, under a minute"),
    (row("mkv", audio=("aac", "eac3")), "hls_audio",
     "Dolby Digital Plus (E-AC3) audio: converted when you press Play, under a minute"),
    (row("mkv", "hevc", ("ac3",)), "hls", "HEVC video: converted when you press Play, about a minute"),
    (row("mkv", pix="yuv420p10le"), "hls", "10-bit H.264 video: converted when you press Play, about a minute"),
    (row("avi", "mpeg4", ("mp3",)), "hls",
     "MPEG-4 (Xvid/DivX) video: converted when you press Play, about a minute"),
    (row("mkv", "vp9", ("pcm_s16le",)), "hls", "PCM audio: converted when you press Play, about a minute"),
    (row(None, None, (), probe_error="Invalid data found when processing input"), "damaged",
     "Damaged file: ffprobe could not read it"),
    (row(None, None, ()), "unchecked", "Not checked yet: the player tries the file as it is"),
    (row("mp4", mime="video/mp4", probe_error="truncated"), "direct",
     "Plays directly in the browser; ffprobe found damage, it may stop early"),
])
def test_every_file_says_how_it_plays_in_words(file, mode, note):
    plays = playnotes.playability(file)
    assert (plays.mode, plays.note) == (mode, note)
    assert plays.playable is (mode != "damaged")


def test_play_order_is_direct_then_repackaged_then_converted_then_quality():
    made = datetime(2026, 11, 1, tzinfo=UTC)
    files = {
        "hevc-2160": row("mkv", "hevc", height=2160, size_bytes=9, id="a", created_at=made),
        "direct-480": row("mp4", mime="video/mp4", height=480, size_bytes=1, id="b", created_at=made),
        "remux-1080": row("mkv", height=1080, size_bytes=5, id="c", created_at=made),
        "remux-720": row("mkv", height=720, size_bytes=3, id="d", created_at=made),
        "damaged": row(None, None, (), probe_error="x", height=None, size_bytes=1, id="e", created_at=made),
    }
    ordered = sorted(files, key=lambda k: playnotes.rank_key(files[k], playnotes.playability(files[k]).mode))
    assert ordered == ["direct-480", "remux-1080", "remux-720", "hevc-2160", "damaged"]
