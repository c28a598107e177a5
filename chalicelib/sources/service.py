"""The source search: every enabled indexer at once, candidates ranked with the user's quality profile.

One slow, failing or garbage-answering indexer costs only its own results: each runs in its own
thread against one deadline (``SourceSettings.indexer_timeout``), and what it did wrong becomes an
entry of ``errors`` next to the others' candidates. ``searched`` says, per indexer asked, the query
sent, how many releases came back and why they were rejected (``report``). The same release seen on
several indexers is one candidate (the one with the most seeders). Answers are cached (``searchcache``)
and the searches that reach the indexers are rate-limited per user (cache hits are free).
"""

from __future__ import annotations

import dataclasses
import time
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_all
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from uuid import UUID

from chalicelib import db, errors, ratelimit
from chalicelib.config import SourceSettings, get_settings
from chalicelib.egress import clients
from chalicelib.library.errors import MediaNotFound
from chalicelib.logs import get_logger
from chalicelib.observability import timed
from chalicelib.settings import profile as quality
from chalicelib.sources import anime_numbers, continuity, indexers, queries, report, scoring, searchcache, torznab
from chalicelib.sources.candidates import Dropped, to_candidate
from chalicelib.sources.feed import Item
from chalicelib.sources.queries import EpisodeFactsRow, IndexerRow, MediaRow
from chalicelib.sources.resolve import resolve_source
from chalicelib.sources.scoring_device import Device
from chalicelib.sources.scoring_types import Candidate, Context, Scored, Target

if TYPE_CHECKING:
    import httpx

__all__ = ["SearchResult", "resolve_source", "search"]
RATE_BUCKET = "sources_search"


@dataclass(frozen=True)
class SearchResult:
    candidates: list[Scored]
    errors: list[dict[str, str]]  # [{"indexer": name, "message": ...}]
    searched: list[report.SearchedData] = field(default_factory=list)  # report.summarize: per indexer asked

    def as_json(self) -> dict[str, object]:
        return {"candidates": [s.as_json() for s in self.candidates], "errors": self.errors,
                "searched": self.searched}


@dataclass(frozen=True)
class _Request:
    query: torznab.Query
    target: Target
    profile: quality.QualityProfile
    indexers: list[IndexerRow]
    previous: continuity.Previous | None = None  # the group of the user's closest earlier episode


MAX_DROPPED = 20  # left-out releases named per indexer in a search's errors


@timed("search_latency_ms")
def search(user_id: UUID, media_id: int, season: int | None, episode: int | None, *,
           fresh: bool = False, device: Device | None = None) -> SearchResult:
    """Ranked candidates for a movie, a show's season or an episode, from cache unless ``fresh``.

    Ranked for the asker: the release group of their closest earlier episode of the show and, with
    ``device``, what the playing device decodes. The cache holds the answer ranked without either
    (users with the same profile share it), so neither costs an indexer search.

    Raises ``MediaNotFound`` (404) for an unknown media id or a game, ``ValidationFailed`` (422) for
    numbers that do not fit the media, ``RateLimited`` (429) past the user's search rate."""
    request = _prepare(user_id, media_id, season, episode)
    context = _context(request.previous, device)
    key = searchcache.key(media_id, season, episode, quality.profile_hash(request.profile), request.indexers)
    if not fresh and (hit := searchcache.load(key)) is not None:
        return _in_context(SearchResult(*hit), request, context)
    settings = get_settings().sources
    ratelimit.per_user(RATE_BUCKET, user_id, settings.rate)
    asked = gather([indexers.client_for(row) for row in request.indexers], request.query, settings)
    failures = [{"indexer": a.name, "message": a.error} for a in asked if a.error is not None]
    left_out = [{"indexer": a.name, "title": title, "message": why} for a in asked for title, why in a.dropped]
    ranked = scoring.rank(_unique([c for a in asked for c in a.candidates]), request.target, request.profile)
    searched = report.summarize(asked, ranked)
    searchcache.store(key, ranked, failures + left_out, searched,
                      settings.partial_cache_ttl if failures else settings.cache_ttl)
    get_logger().info("sources searched", extra={
        "action": "sources_searched", "media_id": media_id, "candidates": len(ranked),
        "failed_indexers": len(failures),
        "indexers": [{k: s[k] for k in ("indexer", "found", "fitting", "error")} for s in searched]})
    return _in_context(SearchResult(ranked, failures + left_out, searched), request, context)


def _context(previous: continuity.Previous | None, device: Device | None) -> Context | None:
    if previous is None:
        return Context(device=device) if device is not None else None
    return Context(previous.group, previous.season, previous.episode, device)


def _in_context(result: SearchResult, request: _Request, context: Context | None) -> SearchResult:
    if context is None:
        return result
    ranked = scoring.rank([s.candidate for s in result.candidates], context.apply(request.target), request.profile)
    return dataclasses.replace(result, candidates=ranked)


def _prepare(user_id: UUID, media_id: int, season: int | None, episode: int | None) -> _Request:
    with db.connection() as conn:
        media = queries.media_get(conn, media_id=media_id)
        if media is None or media["media_type"] not in ("movie", "show"):
            raise MediaNotFound("No movie or show with this id")
        _check_numbers(media["media_type"], season, episode)
        facts = queries.episode_facts(conn, media_id=media_id, season=season, episode=episode) \
            if season is not None else None
        profile = quality.for_user(conn, user_id)
        rows = queries.indexer_enabled(conn)
        target = anime_numbers.with_absolute(conn, media_id, _target(media, facts, season, episode))
        previous = continuity.previous_group(conn, user_id, media_id, season, episode) \
            if media["media_type"] == "show" else None
    return _Request(_query(media, season, episode), target, profile, rows, previous)


def _check_numbers(media_type: str, season: int | None, episode: int | None) -> None:
    if media_type == "movie" and (season is not None or episode is not None):
        raise errors.ValidationFailed("A movie has no seasons or episodes",
                                      fields={"season": "not for a movie", "episode": "not for a movie"})
    if episode is not None and season is None:
        raise errors.ValidationFailed("An episode needs its season", fields={"season": "required with episode"})


def _query(media: MediaRow, season: int | None, episode: int | None) -> torznab.Query:
    extra = media["extra"] or {}
    tvdb = media.get("tvdb_id") or extra.get("tvdb_id")
    return torznab.Query(media_type=media["media_type"], title=media["title"], year=media["year"],
                         season=season, episode=episode, tmdb_id=media["tmdb_id"], imdb_id=media["imdb_id"],
                         tvdb_id=tvdb if isinstance(tvdb, int) else None)


def _target(media: MediaRow, facts: EpisodeFactsRow | None, season: int | None, episode: int | None) -> Target:
    return Target(media_type=media["media_type"], title=media["title"], year=media["year"], season=season,
                  episode=episode, runtime_minutes=(facts and facts["runtime_minutes"]) or media["runtime_minutes"],
                  season_episodes=(facts and facts["season_episodes"]) or None,
                  absolute_episode=facts["absolute_number"] if facts else None)


def gather(clients: list[torznab.Indexer], query: torznab.Query, settings: SourceSettings) -> list[report.Asked]:
    """Ask every indexer at once; per indexer (by name) the query sent and its candidates or its error.

    The threads only talk to the indexers (the deadline measures them alone); each answer is normalised
    here as soon as it arrives, while the slower indexers are still being waited for."""
    asked = sorted((report.Asked(c, torznab.request_params(c, query)) for c in clients), key=lambda a: a.name.lower())
    if not asked:
        return []
    end = time.monotonic() + settings.indexer_timeout + 0.25
    pool = ThreadPoolExecutor(max_workers=min(8, len(asked)), thread_name_prefix="torznab")
    futures = {pool.submit(_ask, one, query, settings, end - 0.25): one for one in asked}
    pending = set(futures)
    while pending:
        done, pending = wait_all(pending, timeout=max(0.0, end - time.monotonic()), return_when=FIRST_COMPLETED)
        if not done:
            break
        for future in done:
            _collect(futures[future], future)
    pool.shutdown(wait=False, cancel_futures=True)  # a thread still stuck ends at its own read timeout
    for future in pending:
        futures[future].error = f"no answer within {settings.indexer_timeout:.1f} s"
    return asked


def _collect(asked: report.Asked, future: Future[list[Item]]) -> None:
    """One finished indexer: what it found and its candidates, or what went wrong."""
    try:
        items = future.result(timeout=0)
        asked.found = len(items)
        asked.candidates, asked.dropped = _candidates(asked.name, items)
    except torznab.IndexerFailed as exc:
        asked.error = str(exc)
    except Exception as exc:  # a bug must cost one indexer's results, not the search
        get_logger().exception("indexer search failed", extra={"action": "indexer_search_bug",
                                                               "indexer": asked.name})
        asked.error = f"internal error ({type(exc).__name__})"


def _ask(asked: report.Asked, query: torznab.Query, settings: SourceSettings, deadline: float) -> list[Item]:
    indexer = asked.indexer
    with clients.client(allow_private=True, timeout=settings.indexer_timeout) as http:
        if indexer.caps is None:
            indexer = _with_caps(http, indexer, settings, deadline)
            asked.params = torznab.request_params(indexer, query)  # the caps may choose a better query
        return torznab.search(http, indexer, query, settings, deadline)


def _candidates(indexer: str, items: list[Item]) -> tuple[list[Candidate], list[tuple[str, str]]]:
    """The items that can be downloaded, and the title and reason of the first ``MAX_DROPPED`` that cannot
    (the rest are counted in one entry): nothing an indexer sends is left out without a word."""
    kept: list[Candidate] = []
    dropped: list[tuple[str, str]] = []
    for item in items:
        try:
            kept.append(to_candidate(item, indexer))
        except Dropped as exc:
            dropped.append((" ".join(item.title.split())[:200] or "(no title)", str(exc)))
    if dropped:
        get_logger().info("indexer results dropped", extra={"action": "indexer_results_dropped",
                                                            "indexer": indexer, "dropped": len(dropped)})
    if len(dropped) > MAX_DROPPED:
        more = len(dropped) - MAX_DROPPED + 1
        dropped = [*dropped[:MAX_DROPPED - 1], (f"{more} more releases", "left out for the same kinds of reason")]
    return kept, dropped


def _with_caps(http: httpx.Client, indexer: torznab.Indexer, settings: SourceSettings,
               deadline: float) -> torznab.Indexer:
    """Read and store the caps of an indexer never tested; without them the plain search still works."""
    try:
        caps = torznab.fetch_caps(http, indexer, settings, deadline - time.monotonic())
        indexers.store_caps(indexer.id, caps)
    except (torznab.IndexerFailed, errors.DomainError):
        return indexer
    return dataclasses.replace(indexer, caps=caps)


def _unique(candidates: list[Candidate]) -> list[Candidate]:
    best: dict[str, Candidate] = {}
    rest: list[Candidate] = []
    for c in candidates:
        if c.infohash is None:
            rest.append(c)
            continue
        kept = best.get(c.infohash)
        if kept is None or (c.seeders or 0, kept.indexer) > (kept.seeders or 0, c.indexer):
            best[c.infohash] = c
    return list(best.values()) + rest
