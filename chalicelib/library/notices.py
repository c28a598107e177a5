"""What the viewer is told while a file is made playable, in plain words (issue 34, "every file plays, or says why").

The stream answer carries one sentence (``notice``) while a variant is being
made: which part of the file is converted and roughly how long it takes, or
that the previous step failed and the next one is tried. When every step
failed, ``unplayable`` says why in words a viewer understands; the worker's
own error text (ffmpeg's stderr, a bucket error) stays in the log and the
variant's row, never on screen.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from chalicelib.library.playmodes import Codecs, converts_audio, video_ok
from chalicelib.library.rows import VariantRow

AUDIO_NAMES = {"flac": "FLAC", "truehd": "Dolby TrueHD", "mlp": "Dolby TrueHD", "ac3": "Dolby Digital",
               "eac3": "Dolby Digital Plus", "dts": "DTS", "mp2": "MPEG", "mp3": "MP3", "aac": "AAC",
               "wmav1": "Windows Media", "wmav2": "Windows Media", "wmapro": "Windows Media", "vorbis": "Vorbis",
               "opus": "Opus", "alac": "Apple Lossless", "amr_nb": "AMR", "amr_wb": "AMR"}
VIDEO_NAMES = {"hevc": "HEVC (H.265)", "mpeg4": "MPEG-4 (Xvid/DivX)", "msmpeg4v3": "DivX", "msmpeg4v2": "DivX",
               "wmv1": "Windows Media", "wmv2": "Windows Media", "wmv3": "Windows Media", "vc1": "VC-1",
               "mpeg2video": "MPEG-2", "mpeg1video": "MPEG-1", "h264": "H.264", "vp8": "VP8", "vp9": "VP9",
               "av1": "AV1", "theora": "Theora", "prores": "ProRes"}
FALLBACK = {"hls_audio": "Repackaging this file failed; converting its audio instead.",
            "hls": "Converting this file failed; trying a full conversion instead."}
# The worker's error text -> the reason a viewer is given (first match wins).
REASONS = (
    (re.compile(r"NoSuchKey|Not Found|\b404\b|No such file", re.I), "the stored file is missing"),
    (re.compile(r"longer than|timed? ?out", re.I), "converting it took too long"),
    (re.compile(r"Invalid data|moov atom|EBML|End of file|corrupt|truncat|could not find codec|"
                r"no (video|segments)", re.I), "the file looks damaged or incomplete"),
)


def _audio_name(codecs: Codecs) -> str | None:
    odd = [c for c in codecs.audio if c not in ("aac", "mp3", "opus")]
    names = {"PCM" if c.startswith("pcm_") else AUDIO_NAMES.get(c, c.upper()) for c in odd}
    return " and ".join(sorted(names)) if names else None


def _video_name(codecs: Codecs) -> str | None:
    if codecs.video is None:
        return None
    if codecs.video == "h264" and not video_ok(codecs):
        return "10-bit H.264" if "10" in (codecs.pixel_format or "") else "high-colour H.264"
    return VIDEO_NAMES.get(codecs.video, codecs.video.upper())


def preparing(mode: str, codecs: Codecs, has_mp4: bool, failed: Mapping[str, VariantRow]) -> str:
    """The sentence shown while the variant of ``mode`` is made (after a failed step: that it moved on)."""
    earlier = [m for m in failed if m != mode]
    if earlier and mode in FALLBACK:
        return FALLBACK[mode]
    audio = _audio_name(codecs)
    if mode == "remux":
        if converts_audio(mode, codecs, has_mp4) and audio:
            return f"This file's {audio} audio is being converted for your browser; it starts in about a minute."
        return "This file is being repackaged for your browser; it starts in about a minute."
    if mode == "hls_audio" and audio:
        return f"This file's {audio} audio is being converted for your browser; it starts in a few seconds."
    video = _video_name(codecs)
    if mode == "hls" and video and not video_ok(codecs):
        return f"This file's {video} video is being converted for your browser; it starts in a few seconds."
    return "This file is being converted for your browser; it starts in a few seconds."


def reason(failed: Mapping[str, VariantRow]) -> str:
    """Why converting failed, in a viewer's words, from the newest failure's error."""
    rows = sorted(failed.values(), key=lambda row: row["updated_at"], reverse=True)
    error = (rows[0].get("error") if rows else None) or ""
    return next((text for pattern, text in REASONS if pattern.search(error)),
                "the file uses a format the converter cannot read")


def unplayable(failed: Mapping[str, VariantRow]) -> str:
    """The 409's message when every way of playing the file failed."""
    return (f"This file can't be played in the browser: every way of converting it failed "
            f"({reason(failed)}). It will be tried again in an hour, or replace the file.")
