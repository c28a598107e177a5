"""The Torznab client: capabilities, the best query each indexer supports, paging, size-capped answers.

Query choice, best first (what the indexer's caps say it accepts decides):
- a show: ``t=tvsearch`` with ``season``/``ep`` and the ids it takes (tvdbid, tmdbid, imdbid) -- an id
  finds the show under any spelling of its title; the title as ``q`` only when no id can be sent;
- a movie: ``t=movie`` with ``imdbid``/``tmdbid``, else ``q`` = title (and year);
- otherwise plain ``t=search`` with ``q`` = "Title S01E02" / "Title S01" / "Title Year".
Pages of ``limit`` results are read (``offset``) until a short page, ``max_results`` or the deadline.

Error messages name what went wrong and never the URL (it carries the API key).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit
from uuid import UUID

import httpx

from chalicelib import egress
from chalicelib.config import SourceSettings
from chalicelib.egress import clients
from chalicelib.sources.feed import CapsData, FeedError, Item, parse_caps, parse_page


class IndexerFailed(Exception):
    """The indexer could not be asked or its answer used; the message is safe to show."""


@dataclass(frozen=True)
class Indexer:
    id: UUID
    name: str
    url: str
    api_key: str | None = field(repr=False)
    categories: tuple[int, ...] = ()
    caps: CapsData | None = None


@dataclass(frozen=True)
class Query:
    media_type: str  # movie | show
    title: str
    year: int | None = None
    season: int | None = None
    episode: int | None = None
    tmdb_id: int | None = None
    imdb_id: str | None = None
    tvdb_id: int | None = None


def plan(query: Query, caps: CapsData | None) -> dict[str, str]:
    """The search parameters for one indexer (without apikey, paging and categories)."""
    if query.media_type == "show":
        mode = (caps or {}).get("tv_search") or {}
        if mode.get("available"):
            return _tv_params(query, set(mode.get("params") or ()))
    elif query.media_type == "movie":
        mode = (caps or {}).get("movie_search") or {}
        if mode.get("available"):
            return _movie_params(query, set(mode.get("params") or ()))
    return {"t": "search", "q": plain_text(query)}


def request_params(indexer: Indexer, query: Query) -> dict[str, str]:
    """What ``search`` sends this indexer (without the API key and paging): its plan and categories."""
    params = plan(query, indexer.caps)
    if indexer.categories:
        params["cat"] = ",".join(str(c) for c in indexer.categories)
    return params


def plain_text(query: Query) -> str:
    if query.media_type == "show" and query.season is not None:
        tag = f"S{query.season:02d}" + (f"E{query.episode:02d}" if query.episode is not None else "")
        return f"{query.title} {tag}"
    return f"{query.title} {query.year}" if query.year else query.title


def _ids(query: Query, params: set[str], names: tuple[str, ...]) -> dict[str, str]:
    values = {"tvdbid": query.tvdb_id, "tmdbid": query.tmdb_id, "imdbid": query.imdb_id}
    return {name: str(values[name]) for name in names if name in params and values[name]}


def _tv_params(query: Query, params: set[str]) -> dict[str, str]:
    ids = _ids(query, params, ("tvdbid", "tmdbid", "imdbid"))
    result = {"t": "tvsearch", **ids}
    if query.season is not None:
        if "season" not in params or (query.episode is not None and "ep" not in params):
            return {**result, "q": plain_text(query)}  # it cannot filter by season/episode: say it in the text
        result["season"] = str(query.season)
        if query.episode is not None:
            result["ep"] = str(query.episode)
    if not ids:
        result["q"] = query.title
    return result


def _movie_params(query: Query, params: set[str]) -> dict[str, str]:
    ids = _ids(query, params, ("imdbid", "tmdbid"))
    if "imdbid" in ids:  # one id is enough; imdb is what most trackers index
        return {"t": "movie", "imdbid": ids["imdbid"].removeprefix("tt")}
    if ids:
        return {"t": "movie", **ids}
    return {"t": "movie", "q": plain_text(query)}


def api_url(indexer: Indexer, params: dict[str, str]) -> str:
    """The indexer's URL with ``params`` and the API key added to whatever query it already has."""
    parts = urlsplit(indexer.url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in params and k != "apikey"]
    query += list(params.items())
    if indexer.api_key:
        query.append(("apikey", indexer.api_key))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def feed_url(indexer: Indexer) -> str:
    """The address relative links in the indexer's answers are read against: its URL, without the query (which
    carries the API key)."""
    parts = urlsplit(indexer.url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def _get(client: httpx.Client, indexer: Indexer, params: dict[str, str], settings: SourceSettings,
         timeout: float) -> bytes:
    try:
        with client.stream("GET", api_url(indexer, params), timeout=max(0.05, timeout)) as response:
            if response.status_code in (401, 403):
                raise IndexerFailed(f"the API key was refused (the indexer answered HTTP {response.status_code})")
            if response.status_code != 200:
                raise IndexerFailed(f"the indexer answered HTTP {response.status_code}")
            return clients.read_capped(response, settings.max_response_bytes)
    except clients.TooLarge as exc:
        raise IndexerFailed(str(exc)) from None
    except egress.UrlRefused as exc:
        raise IndexerFailed(f"the indexer's address is refused ({exc.code})") from None
    except httpx.TimeoutException:
        raise IndexerFailed(f"no answer within {timeout:.1f} s") from None
    except httpx.HTTPError as exc:
        raise IndexerFailed(f"cannot reach the indexer ({type(exc).__name__})") from None


def fetch_caps(client: httpx.Client, indexer: Indexer, settings: SourceSettings,
               timeout: float | None = None) -> CapsData:
    """What the indexer supports (``t=caps``)."""
    if timeout is not None and timeout <= 0:
        raise IndexerFailed(f"no answer within {settings.indexer_timeout:.1f} s")
    data = _get(client, indexer, {"t": "caps"}, settings, settings.indexer_timeout if timeout is None else timeout)
    try:
        return parse_caps(data)
    except FeedError as exc:
        raise IndexerFailed(str(exc)) from None


def search(client: httpx.Client, indexer: Indexer, query: Query, settings: SourceSettings,
           deadline: float) -> list[Item]:
    """Every item the indexer gives for ``query``, page by page, until a short page, the cap or ``deadline``
    (``time.monotonic()``); the first page failing fails the indexer, a later one ends the paging."""
    caps = indexer.caps or {}
    limit = min(settings.page_size, caps.get("limit_max") or settings.page_size)
    params = request_params(indexer, query)
    items: list[Item] = []
    while len(items) < settings.max_results:
        page_params = {**params, "limit": str(limit), "offset": str(len(items))}
        try:
            page, total = _page(client, indexer, page_params, settings, deadline)
        except IndexerFailed:
            if not items:
                raise
            break
        items.extend(page)
        last = len(page) < limit or (total is not None and len(items) >= total)
        if last or time.monotonic() >= deadline:
            break
    return items[: settings.max_results]


def _page(client: httpx.Client, indexer: Indexer, params: dict[str, str], settings: SourceSettings,
          deadline: float) -> tuple[list[Item], int | None]:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise IndexerFailed(f"no answer within {settings.indexer_timeout:.1f} s")
    try:
        return parse_page(_get(client, indexer, params, settings, remaining), feed_url(indexer))
    except FeedError as exc:
        raise IndexerFailed(str(exc)) from None
