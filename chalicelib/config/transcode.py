"""Every file plays: remux and HLS fallbacks made by ffmpeg on the worker."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from ._env import ConfigError, _int

PRESETS = ("ultrafast", "superfast", "veryfast", "faster", "fast", "medium")


@dataclass(frozen=True)
class TranscodeSettings:
    """Worker: the media loop that prepares remux/HLS variants (``media.prepare`` commands)."""

    ffmpeg: str = "ffmpeg"
    # libx264 preset of a full transcode: it runs while you watch, so speed over size. On a 2-core VM a
    # 1080p24 HEVC source transcodes at ~0.9x real time with ultrafast and ~0.35x with veryfast.
    preset: str = "ultrafast"
    max_height: int = 1080  # a full transcode scales taller video down to this (a 4K source cannot keep up)
    segment_seconds: int = 4  # HLS segment length
    audio_bitrate: str = "160k"  # AAC stereo
    timeout: int = 6 * 3600  # seconds one variant may take before ffmpeg is stopped
    # Fair share (issue 33): how many preparations the worker's media loop runs at once (it runs this many
    # jobs; the control plane sends no more media.prepare than that), and how many of them one user's
    # requests may hold, so a household member's first film is not queued behind another's twenty.
    concurrency: int = 2
    per_user: int = 2
    # ffmpeg's CPU priority (Unix nice, 0-19). A transcode takes every core it gets; at 10 the API, the stream
    # server and the scanner still get the CPU at once when they need it (on a 2-core box the API's p99 under
    # 20 queued transcodes depended on it), and ffmpeg has the rest.
    nice: int = 10

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> TranscodeSettings:
        preset = env.get("SEEN_TRANSCODE_PRESET") or cls.preset
        if preset not in PRESETS:
            raise ConfigError(f"SEEN_TRANSCODE_PRESET must be one of {', '.join(PRESETS)}")
        bitrate = env.get("SEEN_TRANSCODE_AUDIO_BITRATE") or cls.audio_bitrate
        if not re.fullmatch(r"[1-9][0-9]{1,3}k", bitrate):
            raise ConfigError("SEEN_TRANSCODE_AUDIO_BITRATE must look like 160k")
        return cls(ffmpeg=env.get("SEEN_FFMPEG") or cls.ffmpeg, preset=preset,
                   max_height=_int(env, "SEEN_TRANSCODE_MAX_HEIGHT", cls.max_height, 144),
                   segment_seconds=_int(env, "SEEN_HLS_SEGMENT_SECONDS", cls.segment_seconds, 1),
                   audio_bitrate=bitrate,
                   timeout=_int(env, "SEEN_TRANSCODE_TIMEOUT", cls.timeout, 10),
                   concurrency=_int(env, "SEEN_TRANSCODE_CONCURRENCY", cls.concurrency, 1),
                   per_user=_int(env, "SEEN_TRANSCODE_PER_USER", cls.per_user, 1),
                   nice=min(19, _int(env, "SEEN_TRANSCODE_NICE", cls.nice, 0)))
