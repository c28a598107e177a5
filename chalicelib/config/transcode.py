"""Every file plays: remux and HLS fallbacks made by ffmpeg on the worker."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class TranscodeSettings:
    """Worker: the media loop that prepares remux/HLS variants (``media.prepare`` commands)."""

    ffmpeg: str = "ffmpeg"

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> TranscodeSettings:
        return cls(ffmpeg=env.get("SEEN_FFMPEG") or cls.ffmpeg)
