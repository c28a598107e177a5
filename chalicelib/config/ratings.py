"""Ratings from elsewhere: the OMDb API (IMDb, Rotten Tomatoes, Metacritic scores)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ._env import _float, _int


@dataclass(frozen=True)
class RatingsSettings:
    """OMDb endpoint and the background pass's budget (the key is also an instance setting)."""

    omdb_base_url: str = "https://www.omdbapi.com/"
    # The environment's key, used when the admin stored none (like TMDB_API_KEY); unset + none stored = off.
    omdb_api_key: str | None = field(default=None, repr=False)
    daily_budget: int = 1000  # requests per UTC day (OMDb's free key allows 1,000)
    batch_size: int = 100  # requests per run of the hourly pass
    refresh_days: int = 7  # a title's ratings are fetched again after this
    failure_cooldown_hours: int = 24  # a title whose fetch failed waits this long
    request_timeout: float = 5.0
    rate_per_second: float = 5.0

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> RatingsSettings:
        base = env.get("OMDB_BASE_URL") or cls.omdb_base_url
        return cls(
            omdb_base_url=base if base.endswith("/") else base + "/",
            omdb_api_key=env.get("OMDB_API_KEY") or None,
            daily_budget=_int(env, "SEEN_OMDB_DAILY_BUDGET", cls.daily_budget),
            batch_size=_int(env, "SEEN_OMDB_BATCH_SIZE", cls.batch_size, 1),
            refresh_days=_int(env, "SEEN_OMDB_REFRESH_DAYS", cls.refresh_days, 1),
            failure_cooldown_hours=_int(env, "SEEN_OMDB_FAILURE_COOLDOWN_HOURS", cls.failure_cooldown_hours, 1),
            request_timeout=_float(env, "SEEN_OMDB_TIMEOUT", cls.request_timeout),
            rate_per_second=_float(env, "SEEN_OMDB_RATE_LIMIT", cls.rate_per_second),
        )
