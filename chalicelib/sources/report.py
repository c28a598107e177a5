"""What a search did, per indexer asked: the query sent, how many releases came back, why they were rejected.

The Get dialog explains "nothing found" from it ("Asked Demo indexer for “Inception” (IMDb tt1375666):
3 releases, all rejected — 2 too small for your quality profile, 1 without seeders"). A release several
indexers returned is ranked once (the copy with most seeders); each indexer counts its own copy
with that verdict.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TypedDict

from chalicelib.sources import rejections, torznab
from chalicelib.sources.scoring_types import Candidate, Scored


class SentData(TypedDict):
    """The query one indexer was sent, as the API shows it (the ``SentQuery`` model, camelCase)."""

    function: str
    text: str | None
    imdbId: str | None
    tmdbId: int | None
    tvdbId: int | None
    season: int | None
    episode: int | None
    categories: list[int]


class RejectionData(TypedDict):
    code: str
    reason: str
    count: int


class SearchedData(TypedDict):
    """What one indexer asked gave (the ``IndexerSearch`` model); cached with the candidates."""

    indexer: str
    query: SentData
    found: int
    fitting: int
    rejected: int
    rejections: list[RejectionData]
    error: str | None


@dataclass
class Asked:
    """One indexer's part of a search, filled in as it answers (``params``: what was sent, no key)."""

    indexer: torznab.Indexer
    params: dict[str, str]
    found: int = 0
    candidates: list[Candidate] = field(default_factory=list)
    dropped: list[tuple[str, str]] = field(default_factory=list)  # (title, why) of items that cannot be used
    error: str | None = None

    @property
    def name(self) -> str:
        return self.indexer.name


def sent(params: dict[str, str]) -> SentData:
    """The query as the API shows it: the Torznab function, the text, ids, season/episode, categories."""
    imdb = params.get("imdbid")
    return {"function": params.get("t", "search"), "text": params.get("q"),
            "imdbId": f"tt{imdb}" if imdb and imdb.isdigit() else imdb,
            "tmdbId": _number(params.get("tmdbid")), "tvdbId": _number(params.get("tvdbid")),
            "season": _number(params.get("season")), "episode": _number(params.get("ep")),
            "categories": [int(c) for c in params.get("cat", "").split(",") if c.isdigit()]}


def summarize(asked: list[Asked], ranked: list[Scored]) -> list[SearchedData]:
    """Per indexer (by name): the query, releases found, fitting, rejected and the rejects by kind."""
    verdicts: dict[str | int, str | None] = {_key(s.candidate): s.rejected for s in ranked}
    return [_one(a, verdicts) for a in sorted(asked, key=lambda a: a.name.lower())]


def _one(asked: Asked, verdicts: dict[str | int, str | None]) -> SearchedData:
    kinds: Counter[rejections.Kind] = Counter()
    for candidate in asked.candidates:
        reason = verdicts.get(_key(candidate))
        if reason:
            kinds[rejections.kind(reason)] += 1
    if unusable := asked.found - len(asked.candidates):
        kinds[rejections.UNUSABLE] += unusable
    rejected = sum(kinds.values())
    return {"indexer": asked.name, "query": sent(asked.params), "found": asked.found,
            "fitting": asked.found - rejected, "rejected": rejected,
            "rejections": [{"code": kind.code, "reason": kind.words, "count": count}
                           for kind, count in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0].words))],
            "error": asked.error}


def _key(candidate: Candidate) -> str | int:
    return candidate.infohash or id(candidate)


def _number(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 12 else None
