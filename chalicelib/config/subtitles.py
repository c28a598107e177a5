"""Subtitles fetched from OpenSubtitles (REST API) for languages a file lacks."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ._env import _bool, _float, _int


@dataclass(frozen=True)
class SubtitleSettings:
    """Control plane: OpenSubtitles endpoint and limits (the API key is an instance setting, not env)."""

    opensubtitles_base_url: str = "https://api.opensubtitles.com/api/v1"
    # The environment's key, used when the admin stored none (like TMDB_API_KEY); unset + none stored = off.
    opensubtitles_api_key: str | None = field(default=None, repr=False)
    # The API and its download links may be on a private address (a self-hosted mirror, the tests' fake).
    allow_private: bool = False
    request_timeout: float = 4.0  # per HTTP request
    stream_budget: float = 3.0  # seconds GET /library/{id}/stream may spend fetching missing languages
    prefetch_budget: float = 15.0  # seconds a next-episode prefetch may spend
    cooldown_hours: int = 24  # a language searched for an item is not searched again before this
    max_subtitle_bytes: int = 5 * 1024 * 1024

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> SubtitleSettings:
        return cls(
            opensubtitles_base_url=(env.get("OPENSUBTITLES_BASE_URL") or cls.opensubtitles_base_url).rstrip("/"),
            opensubtitles_api_key=env.get("OPENSUBTITLES_API_KEY") or None,
            allow_private=_bool(env, "OPENSUBTITLES_ALLOW_PRIVATE", cls.allow_private),
            request_timeout=_float(env, "OPENSUBTITLES_TIMEOUT", cls.request_timeout),
            stream_budget=_float(env, "SEEN_SUBTITLES_STREAM_BUDGET", cls.stream_budget),
            prefetch_budget=_float(env, "SEEN_SUBTITLES_PREFETCH_BUDGET", cls.prefetch_budget),
            cooldown_hours=_int(env, "SEEN_SUBTITLES_COOLDOWN_HOURS", cls.cooldown_hours),
            max_subtitle_bytes=_int(env, "OPENSUBTITLES_MAX_BYTES", cls.max_subtitle_bytes, 1024),
        )
