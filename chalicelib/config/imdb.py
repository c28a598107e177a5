"""IMDb non-commercial datasets import: where the files come from and how a run is paced."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from ._env import _float, _int


@dataclass(frozen=True)
class ImdbSettings:
    """Control plane: the datasets' base URL, the download directory, batch size and time budget."""

    datasets_url: str = "https://datasets.imdbws.com/"
    # Downloads are streamed to files here (hashed on the way), never held in memory.
    download_dir: str = ""  # default: <system temp dir>/seen-imdb
    request_timeout: float = 60.0
    batch_rows: int = 100_000  # raw lines per batch (one transaction each)
    # Seconds a scheduled run may spend when the Lambda context gives no deadline (the home scheduler).
    time_budget: float = 3300.0
    # Stop this many seconds before the deadline: the batch in flight must still commit.
    deadline_margin: float = 60.0

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> ImdbSettings:
        url = env.get("SEEN_IMDB_DATASETS_URL") or cls.datasets_url
        return cls(
            datasets_url=url if url.endswith("/") else url + "/",
            download_dir=env.get("SEEN_IMDB_DOWNLOAD_DIR") or os.path.join(tempfile.gettempdir(), "seen-imdb"),
            request_timeout=_float(env, "SEEN_IMDB_TIMEOUT", cls.request_timeout),
            batch_rows=_int(env, "SEEN_IMDB_BATCH_ROWS", cls.batch_rows, 1),
            time_budget=_float(env, "SEEN_IMDB_TIME_BUDGET", cls.time_budget),
            deadline_margin=_float(env, "SEEN_IMDB_DEADLINE_MARGIN", cls.deadline_margin),
        )


@lru_cache(maxsize=1)
def get_imdb_settings() -> ImdbSettings:
    """The process's IMDb import settings (read once; tests clear the cache)."""
    return ImdbSettings.from_env(os.environ)
