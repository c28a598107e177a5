"""Watching: next-episode prefetch and the storage janitor's quota."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ._env import ConfigError, _float, _int


@dataclass(frozen=True)
class PlaybackSettings:
    """Control plane: when "next up" is made ready, how long it stays protected, and the storage quota."""

    prefetch_at: float = 0.5  # fraction of an episode played after which the next one is made ready
    # A (user, episode) triggers its prefetch once in this window (the heartbeat's Redis SET NX lifetime).
    prefetch_once_seconds: int = 12 * 3600
    next_up_hours: int = 48  # a prefetched next episode is protected from the janitor this long
    playing_minutes: int = 30  # an item with a heartbeat this recent is "playing" (never evicted)
    # Library bytes (originals + made variants) above which the janitor evicts variants of watched
    # items, oldest watch first; 0 = no quota.
    storage_quota_bytes: int = 0
    # Variants of items watched to completion this long ago are evicted whatever the quota; 0 = never.
    storage_max_age_days: int = 0

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> PlaybackSettings:
        prefetch_at = _float(env, "SEEN_PREFETCH_AT", cls.prefetch_at)
        if not 0 < prefetch_at < 1:
            raise ConfigError(f"SEEN_PREFETCH_AT must be in (0, 1), got {prefetch_at:g}")
        return cls(prefetch_at=prefetch_at,
                   prefetch_once_seconds=_int(env, "SEEN_PREFETCH_ONCE_SECONDS", cls.prefetch_once_seconds, 60),
                   next_up_hours=_int(env, "SEEN_NEXT_UP_HOURS", cls.next_up_hours, 1),
                   playing_minutes=_int(env, "SEEN_PLAYING_MINUTES", cls.playing_minutes, 1),
                   storage_quota_bytes=_int(env, "SEEN_STORAGE_QUOTA_BYTES", cls.storage_quota_bytes),
                   storage_max_age_days=_int(env, "SEEN_STORAGE_MAX_AGE_DAYS", cls.storage_max_age_days))
