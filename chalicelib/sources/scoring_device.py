"""The playing device in scoring: what it decodes, and what that makes of a release.

The browser says what it decodes (the SPA's player probes it); a pick made for it prefers what it plays
without a transcode. A video codec it cannot decode (HEVC on a phone, AV1 on an older desktop, 10-bit
H.264 anywhere) is *refused*: the release ranks below every release the device plays and says why, and
is taken only when nothing else exists. Audio it cannot decode costs a little (the server converts
only the audio while playing, which is cheap); so do HDR on an SDR screen and more lines than the
screen has. A device that decodes everything changes nothing: scores and order stay those without one.
Pure: no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:  # the release parser loads guessit; the request model of device caps must not
    from chalicelib.sources.release import Release

VIDEO = frozenset({"av1", "h264", "hevc", "vp8", "vp9"})  # the device-caps vocabulary (what the SPA probes)
AUDIO = frozenset({"aac", "ac3", "dts", "eac3", "flac", "mp3", "opus", "truehd", "vorbis"})
ALIASES = {"h265": "hevc", "x265": "hevc", "hvc1": "hevc", "hev1": "hevc", "avc": "h264", "avc1": "h264",
           "x264": "h264", "av01": "av1", "vp09": "vp9", "ec-3": "eac3", "ac-3": "ac3", "ddp": "eac3", "dd": "ac3",
           "mp4a": "aac", "dtsc": "dts"}
RELEASE_VIDEO = {"h264": "h264", "h265": "hevc", "av1": "av1", "vp9": "vp9", "vp8": "vp8"}  # Release.codec -> caps
RELEASE_AUDIO = {"aac": "aac", "dd": "ac3", "ddp": "eac3", "dts": "dts", "dts-hd": "dts", "dts-x": "dts",
                 "truehd": "truehd", "opus": "opus", "flac": "flac", "mp3": "mp3", "vorbis": "vorbis"}
LABEL = {"h264": "H.264", "h265": "HEVC", "av1": "AV1", "vp9": "VP9", "vp8": "VP8", "xvid": "XviD",
         "divx": "DivX", "mpeg2": "MPEG-2", "vc1": "VC-1", "realvideo": "RealVideo"}
AUDIO_LABEL = {"aac": "AAC", "dd": "Dolby Digital", "ddp": "Dolby Digital Plus", "dts": "DTS", "dts-hd": "DTS-HD",
               "dts-x": "DTS:X", "truehd": "TrueHD", "opus": "Opus", "flac": "FLAC", "mp3": "MP3", "vorbis": "Vorbis"}
AUDIO_FACTOR = 0.85  # quality kept when the audio must be converted while playing
HDR_FACTOR = 0.6  # ... when the screen shows HDR as washed-out SDR
TALLER_FACTOR = 0.7  # ... when the release has more lines than the screen
_TEN_BIT = re.compile(r"(?<![a-z0-9])(10[ ._-]?bits?|hi10p?)(?![a-z0-9])", re.I)


def canonical(name: str) -> str:
    """A codec name as the caps vocabulary spells it (lower case, aliases folded)."""
    name = name.strip().lower()
    return ALIASES.get(name, name)


@dataclass(frozen=True)
class Device:
    """What one playing device decodes. An empty ``video`` (nothing probed) judges no video codec."""

    video: frozenset[str]
    audio: frozenset[str]
    hdr: bool = False
    max_height: int | None = None


class Verdict(NamedTuple):
    refused: str | None  # the device cannot decode the video: ranked below every release it plays
    factor: float  # the share of the quality score kept
    reasons: tuple[str, ...]  # shown first among the release's reasons


PLAYS = Verdict(None, 1.0, ())


def judge(device: Device, r: Release, hdr_judged: bool) -> Verdict:
    """The device's verdict on a release; ``hdr_judged``: the profile already marked HDR down (not twice)."""
    refused = _video_refusal(device, r)
    factor, reasons = 1.0, [refused] if refused else []
    audio = (r.audio or "").split(" ")[0]
    if device.audio and audio in RELEASE_AUDIO and RELEASE_AUDIO[audio] not in device.audio:
        factor *= AUDIO_FACTOR
        reasons.append(f"your device can't play {AUDIO_LABEL.get(audio, audio)} audio (converted while playing)")
    if r.hdr and not device.hdr and not hdr_judged:
        factor *= HDR_FACTOR
        reasons.append(f"your device can't show {r.hdr.upper()} (colours look washed out)")
    if r.resolution and device.max_height and r.resolution > device.max_height:
        factor *= TALLER_FACTOR
        reasons.append(f"{r.resolution}p is more than your device's screen shows ({device.max_height} lines)")
    return Verdict(refused, factor, tuple(reasons)) if reasons else PLAYS


def _video_refusal(device: Device, r: Release) -> str | None:
    if not device.video or r.codec is None:
        return None  # nothing probed, or a codec not named (most likely H.264): not judged
    if RELEASE_VIDEO.get(r.codec) not in device.video:
        return f"your device can't play {LABEL.get(r.codec, r.codec)}"
    if r.codec == "h264" and _TEN_BIT.search(r.name):
        return "your device can't play 10-bit H.264"  # no browser decodes Hi10P
    return None


def verdict_key(r: Release) -> tuple[object, ...]:
    """What ``judge`` reads of a release beyond the scorer's quality key (resolution, source, codec, HDR)."""
    return ((r.audio or "").split(" ")[0], r.codec == "h264" and _TEN_BIT.search(r.name) is not None)
