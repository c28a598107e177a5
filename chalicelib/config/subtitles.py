"""Subtitles fetched from OpenSubtitles (REST API) for languages a file lacks."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class SubtitleSettings:
    """Control plane: OpenSubtitles endpoint and limits (the API key is an instance setting, not env)."""

    opensubtitles_base_url: str = "https://api.opensubtitles.com/api/v1"

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> SubtitleSettings:
        return cls(
            opensubtitles_base_url=(env.get("OPENSUBTITLES_BASE_URL") or cls.opensubtitles_base_url).rstrip("/"),
        )
