"""How a library file will play in the browser, in words, and which of a title's files plays best.

The mode is the one the stream endpoint would pick first (``playmodes.choose``
with nothing asked), so the card says what Play will do: play the file as it
is, repackage it (seconds), convert its audio, or convert it all. A file the
prober could not read says so; one not probed yet is tried as it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from chalicelib.library import playmodes
from chalicelib.library.models import VersionPlayMode
from chalicelib.library.rows import VersionRow

CODEC_NAMES = {
    "h264": "H.264", "hevc": "HEVC", "h265": "HEVC", "av1": "AV1", "vp8": "VP8", "vp9": "VP9",
    "mpeg2video": "MPEG-2", "mpeg4": "MPEG-4 (Xvid/DivX)", "msmpeg4v3": "DivX 3", "wmv3": "WMV", "vc1": "VC-1",
    "aac": "AAC", "mp3": "MP3", "opus": "Opus", "vorbis": "Vorbis", "flac": "FLAC", "ac3": "Dolby Digital (AC3)",
    "eac3": "Dolby Digital Plus (E-AC3)", "truehd": "Dolby TrueHD", "dts": "DTS", "wmav2": "WMA", "mp2": "MP2",
}
CONTAINER_MIME = {"mp4": "video/mp4", "m4v": "video/mp4", "mov": "video/quicktime", "webm": "video/webm",
                  "ogg": "video/ogg", "mkv": "video/x-matroska", "matroska": "video/x-matroska",
                  "avi": "video/x-msvideo", "ts": "video/mp2t", "mpegts": "video/mp2t", "wmv": "video/x-ms-wmv"}
# Play order: what starts at once first, then what waits least; a file never probed is a guess, a damaged one last.
RANK = {"direct": 0, "remux": 1, "hls_audio": 2, "hls": 3, "unchecked": 4, "damaged": 5}


@dataclass(frozen=True)
class Playability:
    mode: VersionPlayMode
    playable: bool
    note: str


def codec_name(codec: str) -> str:
    if codec.startswith("pcm_"):
        return "PCM"
    return CODEC_NAMES.get(codec, codec.upper())


def _names(codecs: list[str] | tuple[str, ...]) -> str:
    return " and ".join(dict.fromkeys(codec_name(c) for c in codecs))


def _video_name(codecs: playmodes.Codecs) -> str:
    """The video as a viewer would name it: "HEVC", or "10-bit H.264" when only the pixel format is the trouble."""
    name = codec_name(codecs.video or "")
    if codecs.video in playmodes.BROWSER_VIDEO and codecs.pixel_format:
        return f"10-bit {name}" if "10" in codecs.pixel_format else f"{name} ({codecs.pixel_format})"
    return name


def _audio_names(codecs: playmodes.Codecs) -> str:
    odd = [a for a in codecs.audio if a not in playmodes.MP4_COPY_AUDIO] or list(codecs.audio)
    return _names(odd)


def _converted_note(codecs: playmodes.Codecs) -> str:
    if not playmodes.video_ok(codecs):
        return f"{_video_name(codecs)} video: converted when you press Play, about a minute"
    return f"{_audio_names(codecs)} audio: converted when you press Play, about a minute"


def playability(row: Mapping[str, Any]) -> Playability:
    """What Play does with this file (a library row with container, codecs, probe error and stream kinds)."""
    codecs = playmodes.codecs_of(row)
    if codecs.video is None:
        if row.get("probe_error"):
            return Playability("damaged", False, "Damaged file: ffprobe could not read it")
        return Playability("unchecked", True, "Not checked yet: the player tries the file as it is")
    plays = _readable(row, codecs)
    if row.get("probe_error"):  # read, but the prober found damage (a truncated file, say)
        return Playability(plays.mode, True, f"{plays.note}; ffprobe found damage, it may stop early")
    return plays


def _readable(row: Mapping[str, Any], codecs: playmodes.Codecs) -> Playability:
    has_mp4 = "mp4_remux" in (row.get("stream_kinds") or ())
    mime = row.get("original_mime") or CONTAINER_MIME.get((codecs.container or "").lower(), "")
    mode = playmodes.choose(codecs, {"mime_type": mime}, has_mp4, None) or "hls"
    if mode == "direct":
        return Playability(mode, True, "Plays directly in the browser")
    if mode == "remux" and has_mp4:
        return Playability(mode, True, "Plays from its browser-ready MP4 copy")
    if mode == "remux" and playmodes.converts_audio(mode, codecs, has_mp4):
        return Playability(mode, True, f"{_audio_names(codecs)} audio: converted when you press Play, "
                                       "under a minute")
    if mode == "remux":
        container = (codecs.container or "this").upper()
        return Playability(mode, True, f"{container} file: repackaged when you press Play, a few seconds")
    if mode == "hls_audio":
        return Playability(mode, True, f"{_audio_names(codecs)} audio: converted when you press Play, "
                                       "under a minute")
    return Playability(mode, True, _converted_note(codecs))


def rank_key(row: VersionRow, mode: str) -> tuple[Any, ...]:
    """Sort key of a title's files, best first: the play mode, then the frame height, then the size."""
    return (RANK.get(mode, len(RANK)), -(row.get("height") or 0), -(row.get("size_bytes") or 0),
            -row["created_at"].timestamp(), str(row["id"]))
