"""Shared fixtures of the source search tests (and of the picks/e2e tests that need indexers).

Test modules use them through thin fixtures of their own (as with ``catalog_support``)::

    @pytest.fixture
    def fake_indexer():
        yield from sources_support.fake_indexers()

- ``use_sources(settings_env)``: a settings key (indexer API keys are encrypted), a short indexer timeout.
- ``fake_indexers()`` yields ``make(releases=None, **kwargs) -> FakeIndexer``: a started fake Torznab
  indexer (``embedded.fakes.torznab``), all stopped afterwards; ``.seed(path)`` adds a release a real
  libtorrent peer seeds.
- ``register_indexer(client, headers, fake, name=None, **fields) -> dict``: POST /api/v1/admin/indexers
  with the fake's URL and key as an admin; returns the created indexer (asserts 201).
- ``episode_releases(title, season, episode, count)``: ``count`` varied release names of one episode.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

from cryptography.fernet import Fernet

from embedded.fakes.torznab import FakeIndexer, FakeRelease

__all__ = ["FakeIndexer", "FakeRelease", "episode_releases", "fake_indexers", "register_indexer", "use_sources"]

SETTINGS_KEY = Fernet.generate_key().decode()
# Long enough for a fake's answer while a parallel run loads the machine (1.5 s timed out there); a test of
# a hanging indexer sets HANG_TIMEOUT, so that it waits no longer than it must.
INDEXER_TIMEOUT = "10"
HANG_TIMEOUT = "1.5"


def use_sources(settings_env: Any, **more: str) -> None:
    """The settings the source search needs in tests (``settings_env`` is the suite's fixture)."""
    settings_env(**{"SEEN_SETTINGS_KEY": SETTINGS_KEY, "SEEN_SOURCES_INDEXER_TIMEOUT": INDEXER_TIMEOUT, **more})


def fake_indexers() -> Iterator[Any]:
    started: list[FakeIndexer] = []

    def make(releases: list[FakeRelease] | None = None, **kwargs: Any) -> FakeIndexer:
        indexer = FakeIndexer(releases, **kwargs).start()
        started.append(indexer)
        return indexer

    yield make
    for indexer in started:
        indexer.stop()


def register_indexer(client: Any, headers: dict[str, str], fake: FakeIndexer, name: str | None = None,
                     **fields: Any) -> dict[str, Any]:
    body = {"name": name or f"Fake {uuid.uuid4().hex[:6]}", "url": fake.url, "apiKey": fake.api_key, **fields}
    response = client.http.post("/api/v1/admin/indexers", headers=headers, body=json.dumps(body))
    assert response.status_code == 201, response.body
    return json.loads(response.body)


QUALITIES = ("2160p.WEB-DL.DDP5.1.H.265", "1080p.WEB-DL.DDP5.1.H.264", "1080p.WEBRip.x264", "720p.HDTV.x264",
             "1080p.BluRay.x264", "480p.WEB.h264", "1080p.AMZN.WEB-DL.DDP5.1.H.264", "720p.WEB-DL.AAC2.0.H.264")
GROUPS = ("NTb", "FLUX", "GRP", "KiNGS", "CAKES", "EDITH", "TEPES", "SuccessfulCrab")


def episode_releases(title: str, season: int, episode: int, count: int, *, seed: int = 0) -> list[FakeRelease]:
    """``count`` releases of one episode (different qualities, groups, swarms and sizes); deterministic."""
    dotted = title.replace(" ", ".")
    releases = []
    for n in range(count):
        quality, group = QUALITIES[(n + seed) % len(QUALITIES)], GROUPS[(n * 3 + seed) % len(GROUPS)]
        name = f"{dotted}.S{season:02d}E{episode:02d}.{quality}-{group}" + (f".v{n}" if n >= 8 else "")
        releases.append(FakeRelease(name, size=300_000_000 + (n * 37_000_000) % 3_000_000_000,
                                    seeders=(n * 13 + seed) % 400, leechers=(n * 7) % 50,
                                    infohash=f"{seed:04x}{n:036x}", category=5040))
    return releases
