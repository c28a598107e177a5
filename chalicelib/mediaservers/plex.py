"""Plex Media Server's API, read-only: who the server is, and every movie, show, season and episode it holds.

From Plex's API docs: ``GET /`` (``MediaContainer.friendlyName``, ``machineIdentifier``, ``version``),
``GET /library/sections`` (the libraries: ``type`` movie or show), ``GET /library/sections/{key}/all?
includeGuids=1`` for a library's movies or shows, and ``GET /library/metadata/{ratingKey}/allLeaves?
includeGuids=1`` for a show's episodes; lists are paged by ``X-Plex-Container-Start``/``-Size`` and say
``totalSize``. The token goes in the ``X-Plex-Token`` header; ``Accept: application/json`` asks for JSON.
Provider ids are ``Guid`` entries (``imdb://tt0000001``, ``tmdb://27205``, ``tvdb://81189``). Seasons are
read from their episodes (``parentRatingKey``, ``parentIndex``): no request of their own. ``updatedAt`` (epoch
seconds) moves whenever Plex changes an item's metadata: an item whose ``updatedAt`` is the one stored is not read
again (a season: its title and number, which is all that is read of it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any
from urllib.parse import quote

import httpx

from chalicelib.inputpolicy import storable
from chalicelib.mediaservers.errors import ServerFailed
from chalicelib.mediaservers.items import (
    BadItem,
    Known,
    ProviderIds,
    ServerItem,
    Unchanged,
    clean_facts,
    content_marker,
    day,
    imdb_id,
    number_of,
    positive_int,
    quoted,
    rating,
    required_text,
    year_of,
)
from chalicelib.mediaservers.remote import ServerInfo, get_json

PAGE = 500
SECTION_TYPES = ("movie", "show")


class Plex:
    def __init__(self, http: httpx.Client, url: str, token: str) -> None:
        self.http, self.url = http, url.rstrip("/")
        self.headers = {"Accept": "application/json", "X-Plex-Token": token, "X-Plex-Product": "seen",
                        "X-Plex-Client-Identifier": "seen-sync"}

    def info(self) -> ServerInfo:
        root = get_json(self.http, f"{self.url}/", self.headers).get("MediaContainer")
        if not isinstance(root, Mapping) or not isinstance(root.get("machineIdentifier"), str):
            raise ServerFailed("The server's answer is not Plex's")
        return ServerInfo(remote_id=root["machineIdentifier"], name=str(root.get("friendlyName") or "Plex")[:200],
                          version=str(root.get("version") or "")[:50] or None)

    def items(self, known: Known | None = None) -> Iterator[ServerItem | Unchanged | BadItem]:
        """Every movie and show of every movie or show library, then each show's seasons and episodes; an item
        whose ``updatedAt`` ``known`` holds as ``Unchanged``."""
        known = known or Known()
        sections = get_json(self.http, f"{self.url}/library/sections", self.headers).get("MediaContainer") or {}
        for section in sections.get("Directory") or []:
            if isinstance(section, Mapping) and section.get("type") in SECTION_TYPES:
                yield from self._section(str(section.get("key")), known)

    def _section(self, key: str, known: Known) -> Iterator[ServerItem | Unchanged | BadItem]:
        for raw in self._pages(f"/library/sections/{quote(key)}/all"):
            item = _read(raw, None, known)
            yield item
            if not isinstance(item, BadItem) and raw.get("type") == "show":
                yield from self._episodes(item.item_id, known)

    def _episodes(self, show_id: str, known: Known) -> Iterator[ServerItem | Unchanged | BadItem]:
        seasons: set[str] = set()
        for raw in self._pages(f"/library/metadata/{quote(show_id)}/allLeaves"):
            episode = _read(raw, show_id, known)
            season_key = raw.get("parentRatingKey") if isinstance(raw, Mapping) else None
            if not isinstance(episode, BadItem) and str(season_key) not in seasons:
                season = _season(raw, show_id, known)
                if season is not None:
                    seasons.add(season.item_id)
                    yield season
            yield episode

    def _pages(self, path: str) -> Iterator[Any]:
        start = 0
        while True:
            headers = {**self.headers, "X-Plex-Container-Start": str(start), "X-Plex-Container-Size": str(PAGE)}
            container = get_json(self.http, self.url + path, headers, params={"includeGuids": "1"}).get(
                "MediaContainer")
            if not isinstance(container, Mapping):
                raise ServerFailed(f"Plex answered {path} without a MediaContainer")
            found = container.get("Metadata") or []
            yield from found
            start += len(found)
            total = positive_int(container.get("totalSize")) or positive_int(container.get("size")) or 0
            if not found or start >= total:
                return

    @staticmethod
    def opener(url: str, remote_id: str | None) -> Callable[[str], str]:
        """An item's page in the server's own web app (works on the LAN without plex.tv), by its rating key
        (made once per sync, called per item)."""
        head = (f"{url.rstrip('/')}/web/index.html#!/server/{quote(remote_id or '')}/details?key="
                f"{quote('/library/metadata/', safe='')}")
        return lambda item_id: head + quoted(item_id, safe="")


def _read(raw: Any, show_id: str | None, known: Known) -> ServerItem | Unchanged | BadItem:
    """``Unchanged`` when the item's ``updatedAt`` (else its JSON's hash) is the stored one, else read whole."""
    fields = raw if isinstance(raw, Mapping) else {}
    updated = fields.get("updatedAt")
    marker = str(updated) if isinstance(updated, int) and not isinstance(updated, bool) else content_marker(raw)
    if known.unchanged(fields.get("ratingKey"), marker):
        return Unchanged(fields["ratingKey"])
    try:
        item = parse(raw, show_id)
    except BadItem as exc:
        return exc
    item.tag = known.tag(marker)
    return item


def parse(raw: Any, show_id: str | None = None) -> ServerItem:
    """A Plex movie, show or episode (``show_id``: the show whose ``allLeaves`` listed it)."""
    if not isinstance(raw, Mapping):
        raise BadItem("an item that is not an object")
    kind = raw.get("type")
    if kind not in ("movie", "show", "episode"):
        raise BadItem(f"an item of unknown type {str(kind)[:30]!r}")
    item = ServerItem(item_id=required_text(raw, "ratingKey", kind), kind=kind, title=required_text(raw, "title", kind),
                      year=year_of(raw.get("year")), ids=_ids(raw.get("Guid"), raw.get("guid")), facts=_facts(raw))
    if kind == "episode":
        item.parent_id = show_id or required_text(raw, "grandparentRatingKey", kind)
        item.season = number_of(raw.get("parentIndex"), "an episode's season")
        item.episode = number_of(raw.get("index"), "an episode")
    item.playable = kind != "show" and _has_file(raw.get("Media"))
    return item


def _season(raw: Mapping[str, Any], show_id: str, known: Known) -> ServerItem | Unchanged | None:
    """The season an episode sits in, from the episode's ``parent*`` fields (None when they are unusable)."""
    season_key = raw.get("parentRatingKey")
    try:
        number = number_of(raw.get("parentIndex"), "a season")
    except BadItem:
        return None
    if not isinstance(season_key, str | int):
        return None
    named = storable(raw["parentTitle"]).strip()[:500] if isinstance(raw.get("parentTitle"), str) else ""
    title = named or f"Season {number}"
    marker, item_id = f"{number}:{title}", storable(str(season_key))
    if not item_id:
        return None
    if known.unchanged(item_id, marker):
        return Unchanged(item_id)
    return ServerItem(item_id=item_id, kind="season", title=title, parent_id=show_id, season=number,
                      tag=known.tag(marker))


# The legacy agents' names for the providers (``com.plexapp.agents.<agent>://<id>?lang=en``).
_AGENTS = {"imdb": "imdb", "themoviedb": "tmdb", "tmdb": "tmdb", "thetvdb": "tvdb", "tvdb": "tvdb"}


def _ids(guids: Any, legacy: Any = None) -> ProviderIds:
    """The ``Guid`` entries (``imdb://tt…``), then the legacy agent's ``guid`` for what they leave out: an
    item matched by a legacy agent (libraries made before 2020 still are) carries its id only there."""
    found: dict[str, str] = {}
    for guid in guids if isinstance(guids, list) else []:
        value = guid.get("id") if isinstance(guid, Mapping) else None
        if isinstance(value, str) and "://" in value:
            scheme, _, rest = value.partition("://")
            found.setdefault(scheme.lower(), rest)
    for provider, value in _legacy(legacy):
        found.setdefault(provider, value)
    return ProviderIds(imdb=imdb_id(found.get("imdb")), tmdb=positive_int(found.get("tmdb")),
                       tvdb=positive_int(found.get("tvdb")))


def _legacy(guid: Any) -> list[tuple[str, str]]:
    """A legacy agent guid's provider and id: ``com.plexapp.agents.themoviedb://278?lang=en`` is tmdb 278. An
    episode's (``…thetvdb://81189/1/2``) names its show's id and the numbers: not the episode's, so nothing;
    an NFO agent's id counts when it is an IMDb id."""
    if not isinstance(guid, str) or "://" not in guid or not guid.startswith("com.plexapp.agents."):
        return []
    scheme, _, rest = guid.partition("://")
    value = rest.split("?", 1)[0]
    if not value or "/" in value:
        return []
    agent = scheme.removeprefix("com.plexapp.agents.").lower()
    if agent in _AGENTS:
        return [(_AGENTS[agent], value)]
    return [("imdb", value)] if imdb_id(value) else []


def _has_file(media: Any) -> bool:
    parts = media[0].get("Part") if isinstance(media, list) and media and isinstance(media[0], Mapping) else None
    return isinstance(parts, list) and bool(parts) and isinstance(parts[0], Mapping) and bool(parts[0].get("key"))


def _facts(raw: Mapping[str, Any]) -> dict[str, Any]:
    genres = raw.get("Genre")
    return clean_facts(
        genres=[str(g.get("tag"))[:60] for g in genres if isinstance(g, Mapping) and g.get("tag")][:20]
        if isinstance(genres, list) else None,
        tagline=raw.get("tagline") if isinstance(raw.get("tagline"), str) else None,
        overview=raw.get("summary") if isinstance(raw.get("summary"), str) else None,
        audienceRating=rating(raw.get("audienceRating")), criticRating=rating(raw.get("rating")),
        premiered=day(raw.get("originallyAvailableAt")))
