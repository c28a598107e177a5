"""The 14-file container/codec matrix for the browser test (issue 34), made by ffmpeg, cached under .data/e2e-media/.

Short (8 s) and tiny (320x180; the HEVC clip at 638x358, not a multiple of 16, and one at the odd 637x357) so
the whole set encodes in a few seconds; each recipe is a ``Clip`` (its cache key is a hash of the recipe, as for
the other e2e media). ``expected`` is the kind of stream the server should settle on from the file's probe, so
the test checks the chain and not only that something played:

original    H.264/AAC MP4, VP9/Opus WebM, AV1/Opus WebM
mp4_remux   H.264/FLAC MKV (the worker converts the FLAC to AAC: an MP4 cannot carry it as it is) and the
            two-audio-track MKV (the scanner's MP4 copy, the default track first)
hls_audio   H.264 with AC3, DTS or E-AC3 in MKV (video copied, audio to AAC)
hls         HEVC, 10-bit H.264, MPEG-2 in MPEG-TS, Xvid AVI, WMV, and the odd-sized 4:4:4 H.264 (transcoded to
            636x356 4:2:0: a browser decodes neither 4:4:4 nor, in 4:2:0, odd sides)

The last clip has two audio tracks (English, then German marked default) and an embedded English SubRip
track: its cues read "Codec test subtitles · line <n>", every two seconds. Each clip has a title of its own
("Codec Test Alpha" ...) that is not in the demo catalog, so no two are taken for versions of one film.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from media_fixtures import AAC, H264, Clip, clip_file

from embedded.demo_media import srt

SECONDS = 8
SIZE = "320x180"
SUBTITLE_LABEL = "Codec test subtitles"
MKV = ("-f", "matroska")


@dataclass(frozen=True)
class MatrixClip:
    id: str
    clip: Clip
    expected: str  # original | mp4_remux | hls_audio | hls: the kind of stream the server answers with
    then: Callable[[Path], Path] | None = None  # a second step made from the encoded clip (cached beside it)

    def path(self) -> Path:
        made = clip_file(self.clip, subdir="codec-matrix")
        return self.then(made) if self.then else made


def _clip(name: str, video: tuple[str, ...], audio: tuple[str, ...], size: str = SIZE,
          extra: tuple[str, ...] = (), subtitles: str = "") -> Clip:
    return Clip(name, SECONDS, video, audio, size=size, extra=extra, subtitles=subtitles)


def two_audio_tracks_and_subrip(base: Path) -> Path:
    """``base`` with its audio twice (English, then German marked default) and an English SubRip track.

    A second step rather than ``Clip(subtitles=...)``: that encode ends at the last cue's start
    (``-shortest`` counts the subtitle stream), which the scanner rightly flags as truncated."""
    target = base.with_name(NAME.format("Xi", "Two.Audio.Subs.mkv"))
    if target.exists():
        return target
    cues = base.with_suffix(f".{os.getpid()}.srt")
    partial = target.with_name(f"{target.name}.{os.getpid()}.part.mkv")
    cues.write_text(srt(SECONDS, SUBTITLE_LABEL), encoding="utf-8")
    try:
        subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", "-i", str(base), "-i", str(cues),
                        "-map", "0:v", "-map", "0:a", "-map", "0:a", "-map", "1:s", "-c", "copy", "-c:s", "srt",
                        "-metadata:s:a:0", "language=eng", "-metadata:s:a:1", "language=ger",
                        "-metadata:s:s:0", "language=eng", "-disposition:a:0", "0", "-disposition:a:1", "default",
                        "-f", "matroska", str(partial)], check=True, timeout=120)
        partial.rename(target)
    finally:
        partial.unlink(missing_ok=True)
        cues.unlink(missing_ok=True)
    return target

HEVC = ("-c:v", "libx265", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-x265-params", "log-level=error")
H264_10BIT = ("-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p10le")
H264_444 = ("-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv444p")  # 4:4:4 may have odd sides
VP9 = ("-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "300k")
AV1 = ("-c:v", "libaom-av1", "-cpu-used", "8", "-row-mt", "1", "-b:v", "300k", "-pix_fmt", "yuv420p")
OPUS = ("-c:a", "libopus", "-b:a", "64k")
NAME = "Codec Test {} (2020).{}"

MATRIX: tuple[MatrixClip, ...] = (
    MatrixClip("h264-aac-mp4", _clip(NAME.format("Alpha", "H264.AAC.mp4"), H264, AAC,
                                     extra=("-movflags", "+faststart")), "original"),
    MatrixClip("mkv-flac", _clip(NAME.format("Beta", "H264.FLAC.mkv"), H264, ("-c:a", "flac"), extra=MKV),
               "mp4_remux"),
    MatrixClip("mkv-ac3", _clip(NAME.format("Gamma", "H264.AC3.mkv"), H264, ("-c:a", "ac3", "-b:a", "192k"),
                                extra=MKV), "hls_audio"),
    MatrixClip("mkv-dts", _clip(NAME.format("Delta", "H264.DTS.mkv"), H264,
                                ("-c:a", "dca", "-strict", "-2", "-ac", "2"), extra=MKV), "hls_audio"),
    MatrixClip("mkv-eac3", _clip(NAME.format("Epsilon", "H264.EAC3.mkv"), H264, ("-c:a", "eac3", "-b:a", "192k"),
                                 extra=MKV), "hls_audio"),
    MatrixClip("hevc", _clip(NAME.format("Zeta", "HEVC.x265.638x358.mkv"), HEVC, AAC, size="638x358", extra=MKV),
               "hls"),
    MatrixClip("h264-10bit", _clip(NAME.format("Eta", "Hi10P.H264.mp4"), H264_10BIT, AAC), "hls"),
    MatrixClip("vp9-opus-webm", _clip(NAME.format("Theta", "VP9.Opus.webm"), VP9, OPUS), "original"),
    MatrixClip("av1", _clip(NAME.format("Iota", "AV1.Opus.webm"), AV1, OPUS), "original"),
    MatrixClip("mpeg2-ts", _clip(NAME.format("Kappa", "MPEG2.ts"), ("-c:v", "mpeg2video", "-b:v", "800k"),
                                 ("-c:a", "mp2"), extra=("-f", "mpegts")), "hls"),
    MatrixClip("xvid-avi", _clip(NAME.format("Lambda", "XviD.avi"), ("-c:v", "libxvid", "-q:v", "5"),
                                 ("-c:a", "libmp3lame"), extra=("-f", "avi")), "hls"),
    MatrixClip("wmv", _clip(NAME.format("Mu", "WMV.wmv"), ("-c:v", "wmv2", "-b:v", "600k"), ("-c:a", "wmav2"),
                            extra=("-f", "asf")), "hls"),
    MatrixClip("odd-size", Clip(NAME.format("Nu", "637x357.mkv"), SECONDS, H264_444, AAC, extra=MKV,
                                pattern="testsrc=rate=24:size=640x360,crop=637:357"), "hls"),
    MatrixClip("two-audio-subrip", _clip(NAME.format("Xi", "base.mkv"), H264, AAC, extra=MKV), "mp4_remux",
               then=two_audio_tracks_and_subrip),
)
