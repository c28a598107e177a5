"""Download engines by source type (see ``base.Engine`` for the interface)."""

from __future__ import annotations

from typing import Any

from chalicelib.config import EngineSettings
from worker.engines.base import Engine


def build_engines(settings: EngineSettings, logger: Any) -> dict[str, Engine]:
    """One engine of each kind, shared by every job of that kind."""
    from worker.engines.http import HttpEngine  # lazy: httpx, only when a worker starts its engines
    from worker.engines.torrent import TorrentEngine  # lazy: libtorrent, ditto (worker.engines.base users skip it)
    from worker.engines.video import VideoEngine  # lazy: yt-dlp, ditto

    engines: dict[str, Engine] = {}
    for engine in (TorrentEngine(settings, logger), HttpEngine(settings, logger), VideoEngine(settings, logger)):
        for kind in engine.kinds:
            engines[kind] = engine
    return engines
