"""Watching: next-episode prefetch and the storage janitor's quota."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ._env import ConfigError, _float


@dataclass(frozen=True)
class PlaybackSettings:
    """Control plane: when "next up" is made ready."""

    prefetch_at: float = 0.5  # fraction of an episode played after which the next one is made ready

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> PlaybackSettings:
        prefetch_at = _float(env, "SEEN_PREFETCH_AT", cls.prefetch_at)
        if not 0 < prefetch_at < 1:
            raise ConfigError(f"SEEN_PREFETCH_AT must be in (0, 1), got {prefetch_at:g}")
        return cls(prefetch_at=prefetch_at)
