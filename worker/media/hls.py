"""ffmpeg to HLS, uploaded while it runs: the player starts on the first segments.

ffmpeg writes MPEG-TS segments and an EVENT playlist into a scratch folder;
it rewrites the playlist (through a temporary file) each time a segment is
closed, so every segment the playlist lists is complete. The watcher uploads
the segments the playlist lists that are not stored yet, then the playlist as
it was read, so the stored playlist never names a segment the bucket lacks.
``hls_audio`` copies the video and makes the audio AAC stereo; ``hls``
transcodes the video to H.264 (libx264) as well, scaled down to
``max_height`` when taller (and to even sides: a 637x357 file is made
636x356), with a key frame at every segment boundary so segments are even.
The audio is the file's default track (the first when none is marked), as a
player would pick.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from chalicelib.config import TranscodeSettings
from worker.priority import lower_priority
from worker.scanner.remux import audio_maps

PLAYLIST = "index.m3u8"
SEGMENT_PATTERN = "seg_%05d.ts"
POLL_SECONDS = 0.25


class TranscodeFailed(Exception):
    """ffmpeg could not make the variant (the message says why)."""


class Stopped(Exception):
    """The worker is stopping: ffmpeg was killed, the job is to be given back."""


def command(source: Path, out: Path, mode: str, settings: TranscodeSettings,
            summary: dict[str, Any] | None = None) -> list[str]:
    """The ffmpeg command line of an ``hls_audio`` or ``hls`` variant (``summary``: the source's probe)."""
    seconds = settings.segment_seconds
    if mode == "hls_audio":
        video = ["-c:v", "copy"]
    else:
        # Both sides even (-2 for the width, rounded down for the height): 4:2:0 H.264 refuses odd ones.
        height = f"trunc(min({settings.max_height},ih)/2)*2"
        video = ["-vf", f"scale=-2:'{height}'", "-c:v", "libx264", "-preset", settings.preset,
                 "-pix_fmt", "yuv420p", "-profile:v", "high", "-force_key_frames", f"expr:gte(t,n_forced*{seconds})"]
    return [settings.ffmpeg, "-nostdin", "-v", "error", "-y", "-i", str(source), "-map", "0:v:0",
            *audio_maps(summary, every=False), *video,
            "-c:a", "aac", "-ac", "2", "-b:a", settings.audio_bitrate, "-sn", "-dn",
            "-f", "hls", "-hls_time", str(seconds), "-hls_playlist_type", "event", "-hls_segment_type", "mpegts",
            "-hls_segment_filename", str(out / SEGMENT_PATTERN), str(out / PLAYLIST)]


def listed_segments(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


class Uploader:
    """Stores what ffmpeg has finished: new segments, then the playlist naming them."""

    def __init__(self, out: Path, put: Callable[[Path, str], None]):
        self.out, self.put = out, put
        self.stored: set[str] = set()
        self.playlist = ""

    def sync(self) -> int:
        """Upload the newly listed segments and the playlist when it changed; returns segments stored."""
        path = self.out / PLAYLIST
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return 0
        for name in listed_segments(text):
            if name not in self.stored:
                self.put(self.out / name, name)
                self.stored.add(name)
        if text != self.playlist:
            self.put(path, PLAYLIST)
            self.playlist = text
        return len(self.stored)


def _stderr(process: subprocess.Popen) -> str:
    data = process.stderr.read() if process.stderr else b""
    return data.decode(errors="replace").strip()[-500:]


def run(source: Path, out: Path, mode: str, settings: TranscodeSettings, uploader: Uploader,
        on_tick: Callable[[int], None], should_stop: Callable[[], bool],
        summary: dict[str, Any] | None = None) -> int:
    """Run ffmpeg, uploading as it goes; ``on_tick`` gets the stored segment count. Returns the count."""
    out.mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen(command(source, out, mode, settings, summary), stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    lower_priority(process.pid, settings.nice)
    deadline = time.monotonic() + settings.timeout
    try:
        while process.poll() is None:
            if should_stop() or time.monotonic() > deadline:
                process.kill()
                process.wait()
                if should_stop():
                    raise Stopped()
                raise TranscodeFailed(f"ffmpeg took longer than {settings.timeout} s")
            on_tick(uploader.sync())
            time.sleep(POLL_SECONDS)
        if process.returncode != 0:
            raise TranscodeFailed(_stderr(process) or f"ffmpeg exited {process.returncode}")
        count = uploader.sync()
        if count == 0 or "#EXT-X-ENDLIST" not in uploader.playlist:
            raise TranscodeFailed("ffmpeg made no segments")
        return count
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        if process.stderr:
            process.stderr.close()
