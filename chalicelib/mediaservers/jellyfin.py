"""Jellyfin's API, read-only: who the server is, and every movie, show, season and episode it holds.

From Jellyfin's OpenAPI (10.9/10.10): ``GET /System/Info`` (``ServerName``, ``Version``, ``Id``) and
``GET /Items`` with ``Recursive=true``, ``IncludeItemTypes=Movie,Series,Season,Episode`` and ``Fields`` for
the optional fields, paged by ``StartIndex``/``Limit`` (``{"Items": [...], "TotalRecordCount": N}``). The key
goes in the ``Authorization: MediaBrowser ..., Token="<key>"`` header (not the URL: URLs get logged).
Episodes the server only knows of (``LocationType: Virtual``, "missing episodes") are not files it holds:
they are skipped. ``Etag`` (asked for in ``Fields``) changes whenever the server saves the item: an item whose
Etag is the one stored is not read again. A series' ``AirTime`` ("21:00", the server's wall clock) and
``AirDays`` are kept in its facts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any
from urllib.parse import quote

import httpx

from chalicelib.mediaservers.errors import ServerFailed
from chalicelib.mediaservers.items import (
    BadItem,
    Kind,
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
TYPES: dict[str, Kind] = {"Movie": "movie", "Series": "show", "Season": "season", "Episode": "episode"}
FIELDS = ("ProviderIds,Path,Genres,Overview,Taglines,CommunityRating,CriticRating,PremiereDate,EndDate,"
          "ProductionYear,MediaSources,Etag,AirTime")
AIR_TIME = re.compile(r"^([01]?[0-9]|2[0-3]):([0-5][0-9])$")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class Jellyfin:
    def __init__(self, http: httpx.Client, url: str, api_key: str) -> None:
        self.http, self.url = http, url.rstrip("/")
        self.headers = {"Accept": "application/json", "Authorization": (
            'MediaBrowser Client="seen", Device="seen", DeviceId="seen-sync", Version="1", '
            f'Token="{api_key}"')}

    def info(self) -> ServerInfo:
        data = get_json(self.http, f"{self.url}/System/Info", self.headers)
        if not isinstance(data.get("Id"), str):
            raise ServerFailed("The server's answer is not Jellyfin's /System/Info")
        return ServerInfo(remote_id=data["Id"], name=str(data.get("ServerName") or "Jellyfin")[:200],
                          version=str(data.get("Version") or "")[:50] or None)

    def items(self, known: Known | None = None) -> Iterator[ServerItem | Unchanged | BadItem]:
        """Every item, page by page; an unreadable one as ``BadItem`` (the sync counts it and goes on), one whose
        Etag ``known`` holds as ``Unchanged``."""
        known = known or Known()
        start = 0
        while True:
            page = get_json(self.http, f"{self.url}/Items", self.headers, params={
                "Recursive": "true", "IncludeItemTypes": ",".join(TYPES), "Fields": FIELDS,
                "StartIndex": start, "Limit": PAGE, "SortBy": "SortName", "SortOrder": "Ascending",
                "EnableImages": "false", "EnableUserData": "false"})
            found = page.get("Items")
            if not isinstance(found, list):
                raise ServerFailed("Jellyfin answered /Items without an item list")
            for raw in found:
                item = _read(raw, known)
                if item is not None:
                    yield item
            start += len(found)
            total = positive_int(page.get("TotalRecordCount")) or 0
            if not found or start >= total:
                return

    @staticmethod
    def opener(url: str, remote_id: str | None) -> Callable[[str], str]:
        """An item's page in Jellyfin's web app, by its id (made once per sync, called per item)."""
        head, tail = f"{url.rstrip('/')}/web/#/details?id=", f"&serverId={quote(remote_id)}" if remote_id else ""
        return lambda item_id: f"{head}{quoted(item_id)}{tail}"


def _read(raw: Any, known: Known) -> ServerItem | Unchanged | BadItem | None:
    """``Unchanged`` when the item's Etag (else its JSON's hash) is the stored one, else the item read whole."""
    fields = raw if isinstance(raw, Mapping) else {}
    etag = fields.get("Etag")
    marker = etag if isinstance(etag, str) and etag else content_marker(raw)
    if known.unchanged(fields.get("Id"), marker):
        return Unchanged(fields["Id"])
    try:
        item = parse(raw)
    except BadItem as exc:
        return exc
    if item is not None:
        item.tag = known.tag(marker)
    return item


def parse(raw: Any) -> ServerItem | None:
    """A Jellyfin item as a ``ServerItem``; None for what is not a held file (a virtual episode)."""
    if not isinstance(raw, Mapping):
        raise BadItem("an item that is not an object")
    kind = TYPES.get(str(raw.get("Type")))
    if kind is None:
        raise BadItem(f"an item of unknown type {str(raw.get('Type'))[:30]!r}")
    if raw.get("LocationType") == "Virtual":
        return None
    item_id = required_text(raw, "Id", kind)
    item = ServerItem(item_id=item_id, kind=kind, title=required_text(raw, "Name", kind),
                      year=year_of(raw.get("ProductionYear")), ids=_ids(raw.get("ProviderIds")),
                      facts=_facts(raw))
    if kind in ("season", "episode"):
        item.parent_id = required_text(raw, "SeriesId", kind)
    if kind == "season":
        item.season = number_of(raw.get("IndexNumber"), "a season")
    if kind == "episode":
        item.season = number_of(raw.get("ParentIndexNumber"), "an episode's season")
        item.episode = number_of(raw.get("IndexNumber"), "an episode")
    item.playable = kind in ("movie", "episode") and bool(raw.get("Path") or raw.get("MediaSources"))
    return item


def _ids(raw: Any) -> ProviderIds:
    if not isinstance(raw, Mapping) or not raw:
        return ProviderIds()
    imdb, tmdb, tvdb = raw.get("Imdb"), raw.get("Tmdb"), raw.get("Tvdb")  # Jellyfin's own spelling
    if len(raw) > (imdb is not None) + (tmdb is not None) + (tvdb is not None):  # other keys or spellings
        lowered = {str(k).lower(): v for k, v in raw.items()}
        imdb, tmdb, tvdb = lowered.get("imdb"), lowered.get("tmdb"), lowered.get("tvdb")
    return ProviderIds(imdb=imdb_id(imdb), tmdb=positive_int(tmdb), tvdb=positive_int(tvdb))


def _facts(raw: Mapping[str, Any]) -> dict[str, Any]:
    genres = raw.get("Genres")
    taglines = raw.get("Taglines")
    return clean_facts(
        genres=[str(g)[:60] for g in genres if isinstance(g, str)][:20] if isinstance(genres, list) else None,
        tagline=taglines[0] if isinstance(taglines, list) and taglines and isinstance(taglines[0], str) else None,
        overview=raw.get("Overview") if isinstance(raw.get("Overview"), str) else None,
        audienceRating=rating(raw.get("CommunityRating")), criticRating=rating(raw.get("CriticRating")),
        premiered=day(raw.get("PremiereDate")), ended=day(raw.get("EndDate")),
        status=raw.get("Status") if raw.get("Status") in ("Continuing", "Ended") else None,
        airTime=_air_time(raw.get("AirTime")), airDays=_air_days(raw.get("AirDays")))


def _air_time(value: Any) -> str | None:
    """A series' air time as "HH:MM" (Jellyfin keeps what its metadata provider said: "21:00", "9:00 PM")."""
    if not isinstance(value, str):
        return None
    text = value.strip().upper()
    meridiem = text[-2:] if text[-2:] in ("AM", "PM") else ""
    found = AIR_TIME.match(text.removesuffix(meridiem).strip())
    if found is None:
        return None
    hour = int(found.group(1))
    if meridiem:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if meridiem == "PM" else 0)
    return f"{hour:02d}:{found.group(2)}"


def _air_days(value: Any) -> list[str] | None:
    return [d for d in DAYS if d in value] if isinstance(value, list) else None
