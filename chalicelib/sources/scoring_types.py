"""What scoring reads and writes: a candidate, the target it is scored against, and its score.

Shared by ``scoring`` and the modules it is split into (``scoring_size``, ``scoring_packs``), and by
the search that builds candidates and caches scores; kept apart so none of them imports another in a circle.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from chalicelib.sources.release import Release
from chalicelib.sources.scoring_device import Device


@dataclass(frozen=True)
class Candidate:
    name: str
    infohash: str | None
    size: int | None
    seeders: int | None
    leechers: int | None
    indexer: str
    published_at: datetime | None
    magnet: str | None
    link: str | None
    release: Release
    file_index: int | None = None  # for a pack: which file holds the episode, when known


@dataclass(frozen=True)
class Target:
    """What is wanted. ``season_episodes``: episodes in the season (to size a pack per episode);
    ``absolute_episode``: the episode's absolute number when known (anime releases use it);
    ``previous_group``: the release group of the user's closest earlier episode, which is
    ``previous_season``/``previous_episode`` when known; ``device``: what the playing device decodes."""

    media_type: str  # 'movie' | 'show'
    title: str
    year: int | None
    season: int | None
    episode: int | None
    runtime_minutes: int | None
    previous_group: str | None = None
    season_episodes: int | None = None
    absolute_episode: int | None = None
    previous_season: int | None = None
    previous_episode: int | None = None
    device: Device | None = None


@dataclass(frozen=True)
class Context:
    """What the asker brings beyond the title and the profile: the group of their closest earlier episode
    and the device that will play it. The search ranks with it; its answer cache does not depend on it."""

    previous_group: str | None = None
    previous_season: int | None = None
    previous_episode: int | None = None
    device: Device | None = None

    def apply(self, target: Target) -> Target:
        return replace(target, previous_group=self.previous_group, previous_season=self.previous_season,
                       previous_episode=self.previous_episode, device=self.device)


class Scored:
    """One candidate's score: the parts and total computed eagerly, the reasons' text when first read.

    ``rank`` builds 10,000 of these per call and the API shows a few hundred (monitoring reads the top one),
    so the reasons are kept as what makes them (``explain``) and written out once, on first read of
    ``reasons`` or ``as_json()``. A reject's text is always eager (rejects are few). Treat it as immutable.
    """

    __slots__ = ("_reasons", "candidate", "consistency", "health", "quality", "rejected", "size", "total")

    def __init__(self, candidate: Candidate, total: float, health: float, quality: float, size: float,
                 consistency: float, rejected: str | None, reasons: Sequence[str] = ()) -> None:
        self.candidate, self.total, self.health, self.quality = candidate, total, health, quality
        self.size, self.consistency, self.rejected, self._reasons = size, consistency, rejected, tuple(reasons)

    @property
    def reasons(self) -> tuple[str, ...]:
        if self._reasons is None:
            self._reasons = self._explain()
        return self._reasons

    def _explain(self) -> tuple[str, ...]:
        return ()

    def _fields(self) -> tuple[Any, ...]:
        return (self.candidate, self.total, self.health, self.quality, self.size, self.consistency, self.rejected,
                self.reasons)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Scored) and self._fields() == other._fields()

    def __hash__(self) -> int:  # equal and hashable by value, like the frozen dataclass it replaced
        return hash(self._fields())

    def __repr__(self) -> str:
        return (f"Scored(name={self.candidate.name!r}, total={self.total}, health={self.health}, "
                f"quality={self.quality}, size={self.size}, consistency={self.consistency}, "
                f"rejected={self.rejected!r})")

    def to_cache(self) -> dict[str, object]:
        """Plain JSON data (the publish date in ISO 8601); ``from_cache`` reverses it."""
        c = self.candidate
        candidate = {f: getattr(c, f) for f in _CANDIDATE_FIELDS}
        candidate["published_at"] = c.published_at.isoformat() if c.published_at else None
        return {"candidate": {**candidate, "release": c.release.to_cache()},
                "total": self.total, "health": self.health, "quality": self.quality, "size": self.size,
                "consistency": self.consistency, "rejected": self.rejected, "reasons": list(self.reasons)}

    @classmethod
    def from_cache(cls, data: Mapping[str, Any]) -> Scored:
        """Raises TypeError/KeyError/ValueError on a payload of another shape (the caller's miss)."""
        candidate = dict(data["candidate"])
        published = candidate.get("published_at")
        candidate["published_at"] = datetime.fromisoformat(published) if published else None
        candidate["release"] = Release.from_cache(candidate["release"])
        return cls(Candidate(**candidate), float(data["total"]), float(data["health"]), float(data["quality"]),
                   float(data["size"]), float(data["consistency"]), data["rejected"],
                   tuple(str(r) for r in data["reasons"]))

    def as_json(self) -> dict[str, object]:
        """The API's candidate. No magnet or .torrent link: a Torznab link carries the indexer's API key."""
        c = self.candidate
        return {"name": c.name, "infohash": c.infohash, "size": c.size, "seeders": c.seeders,
                "leechers": c.leechers, "indexer": c.indexer,
                "publishedAt": c.published_at.isoformat() if c.published_at else None,
                "fileIndex": c.file_index, "parsed": c.release.as_json(),
                "score": {"total": self.total, "health": self.health, "quality": self.quality, "size": self.size,
                          "consistency": self.consistency},
                "rejected": self.rejected, "reasons": list(self.reasons)}


_CANDIDATE_FIELDS = ("name", "infohash", "size", "seeders", "leechers", "indexer", "published_at", "magnet", "link",
                     "file_index")
