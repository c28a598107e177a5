"""A user's own account on a media server: sign in, read that user's played state, find an item's stream.

Jellyfin (its OpenAPI, 10.9/10.10): ``POST /Users/AuthenticateByName`` ``{"Username", "Pw"}`` with the
``Authorization: MediaBrowser Client=.., Device=.., DeviceId=.., Version=..`` header and no token answers
``{"User": {"Id", "Name"}, "AccessToken", "ServerId"}`` (401 for a wrong name or password). The user's items:
``GET /Users/{userId}/Items?Recursive=true&IncludeItemTypes=Movie,Episode&IsPlayed=true`` (and
``Filters=IsResumable`` for resume points), paged like ``/Items``, each with ``UserData`` (``Played``,
``PlayCount``, ``LastPlayedDate``, ``PlaybackPositionTicks``) and ``RunTimeTicks``; 10 million ticks a second.
The stream: ``/Videos/{id}/stream?static=true`` (the file as it is, no transcode) with ``api_key``.

Plex (developer.plex.tv/pms): the user's own ``X-Plex-Token`` answers the library with that user's view
state: ``viewCount``, ``lastViewedAt`` (epoch seconds), ``viewOffset`` and ``duration`` (ms) on
``/library/sections/{key}/all`` (``type=1`` movies, ``type=4`` a show library's episodes). Who the token
is: ``GET /accounts`` (``MediaContainer.Account``: ``id``, ``name``); a shared user's token sees its own
account, the owner's sees every one and is account 1. The stream: the file's part ``key`` with the token.
Every connection goes through the egress guard like the admin's sync (``clients.connect``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urlencode

import httpx

from chalicelib import jsondepth
from chalicelib.egress import UrlRefused
from chalicelib.egress.clients import TooLarge, read_capped
from chalicelib.mediaservers.errors import ServerFailed
from chalicelib.mediaservers.remote import MAX_PAGE_BYTES

PAGE = 500
TICKS = 10_000_000  # Jellyfin ticks per second
JELLYFIN_CLIENT = 'MediaBrowser Client="seen", Device="seen", DeviceId="seen-account", Version="1"'
MIME = {"mp4": "video/mp4", "m4v": "video/mp4", "mkv": "video/x-matroska", "webm": "video/webm",
        "avi": "video/x-msvideo", "mov": "video/quicktime", "ts": "video/mp2t"}


class AccountRefused(ServerFailed):
    """The server refused the user's name, password or token (the link's 422, not the server's 502)."""


@dataclass(frozen=True)
class RemoteAccount:
    user_id: str
    name: str
    token: str


@dataclass(frozen=True)
class PlayedState:
    """One movie or episode as the user left it on the server."""

    item_id: str
    watched: bool
    last_played: datetime | None
    position: float | None = None  # seconds into an unfinished play
    duration: float | None = None


@dataclass(frozen=True)
class Stream:
    url: str
    container: str | None

    @property
    def mime(self) -> str:
        return MIME.get((self.container or "").lower(), "video/mp4")


def _json(http: httpx.Client, method: str, url: str, headers: Mapping[str, str], *,
          params: Mapping[str, Any] | None = None, body: Any = None) -> dict[str, Any]:
    try:
        with http.stream(method, url, headers=dict(headers), params=dict(params or {}),
                         json=body if body is not None else None) as response:
            if response.status_code in (401, 403):
                raise AccountRefused("The server refused this account")
            if response.status_code != 200:
                raise ServerFailed(f"The server answered HTTP {response.status_code}")
            data = jsondepth.loads(read_capped(response, MAX_PAGE_BYTES))
    except UrlRefused as exc:
        raise ServerFailed(f"The address is not allowed: {exc}") from None
    except TooLarge:
        raise ServerFailed("The server's answer is too large") from None
    except httpx.HTTPError as exc:
        raise ServerFailed(f"The server could not be reached ({type(exc).__name__})") from None
    except jsondepth.TooDeep as exc:
        raise ServerFailed(f"The server's answer is {exc.msg}") from None
    except ValueError:
        raise ServerFailed("The server's answer is not JSON") from None
    if not isinstance(data, dict):
        raise ServerFailed("The server's answer is not a JSON object")
    return data


def _text(value: Any) -> str | None:
    return str(value) if isinstance(value, str | int) and not isinstance(value, bool) and str(value) else None


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) and value > 0 else None


class JellyfinAccount:
    def __init__(self, http: httpx.Client, url: str) -> None:
        self.http, self.url = http, url.rstrip("/")

    def sign_in(self, username: str, password: str) -> RemoteAccount:
        data = _json(self.http, "POST", f"{self.url}/Users/AuthenticateByName",
                     {"Accept": "application/json", "Authorization": JELLYFIN_CLIENT},
                     body={"Username": username, "Pw": password})
        user = data.get("User")
        user = user if isinstance(user, Mapping) else {}
        user_id, token = _text(user.get("Id")), _text(data.get("AccessToken"))
        if not user_id or not token:
            raise ServerFailed("The server's answer is not Jellyfin's AuthenticateByName")
        return RemoteAccount(user_id=user_id, name=str(user.get("Name") or username)[:200], token=token)

    def _headers(self, token: str) -> dict[str, str]:
        return {"Accept": "application/json", "Authorization": f'{JELLYFIN_CLIENT}, Token="{token}"'}

    def played(self, user_id: str, token: str) -> Iterator[PlayedState]:
        """Played movies and episodes, then unfinished ones (an item may come in both: played once, now
        being watched again)."""
        for extra in ({"IsPlayed": "true"}, {"Filters": "IsResumable"}):
            for raw in self._pages(user_id, token, extra):
                state = _jellyfin_state(raw)
                if state is not None:
                    yield state

    def _pages(self, user_id: str, token: str, extra: dict[str, str]) -> Iterator[Any]:
        start = 0
        while True:
            page = _json(self.http, "GET", f"{self.url}/Users/{quote(user_id)}/Items", self._headers(token), params={
                "Recursive": "true", "IncludeItemTypes": "Movie,Episode", "Fields": "ProviderIds",
                "EnableUserData": "true", "EnableImages": "false", "StartIndex": start, "Limit": PAGE, **extra})
            found = page.get("Items")
            if not isinstance(found, list):
                raise ServerFailed("Jellyfin answered /Users/{id}/Items without an item list")
            yield from found
            start += len(found)
            total = page.get("TotalRecordCount")
            if not found or not isinstance(total, int) or start >= total:
                return

    def stream(self, user_id: str, token: str, item_id: str) -> Stream:
        page = _json(self.http, "GET", f"{self.url}/Users/{quote(user_id)}/Items", self._headers(token),
                     params={"Ids": item_id, "Fields": "Path,MediaSources", "EnableUserData": "false"})
        found = page.get("Items")
        raw = found[0] if isinstance(found, list) and found and isinstance(found[0], Mapping) else None
        if raw is None:
            raise ServerFailed("The server does not let this account play the item")
        container = _text(raw.get("Container")) or (_text(raw.get("Path")) or "").rpartition(".")[2] or None
        query = urlencode({"static": "true", "api_key": token})
        return Stream(url=f"{self.url}/Videos/{quote(item_id)}/stream?{query}", container=container)


def _jellyfin_state(raw: Any) -> PlayedState | None:
    if not isinstance(raw, Mapping) or not isinstance(raw.get("UserData"), Mapping) or not _text(raw.get("Id")):
        return None
    data = raw["UserData"]
    position = (_number(data.get("PlaybackPositionTicks")) or 0) / TICKS or None
    duration = (_number(raw.get("RunTimeTicks")) or 0) / TICKS or None
    return PlayedState(item_id=str(raw["Id"]), watched=data.get("Played") is True,
                       last_played=_iso(data.get("LastPlayedDate")), position=position, duration=duration)


def _iso(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    text = value.strip().replace("Z", "+00:00")
    head, dot, rest = text.partition(".")
    if dot:  # .NET writes 7 fractional digits; Python reads at most 6
        digits = "".join(ch for ch in rest if ch.isdigit())
        text = f"{head}.{digits[:6]}{rest[len(digits):]}"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


class PlexAccount:
    def __init__(self, http: httpx.Client, url: str, token: str) -> None:
        self.http, self.url = http, url.rstrip("/")
        self.headers = {"Accept": "application/json", "X-Plex-Token": token, "X-Plex-Product": "seen",
                        "X-Plex-Client-Identifier": "seen-account"}
        self.token = token

    def who(self) -> RemoteAccount:
        root = _json(self.http, "GET", f"{self.url}/accounts", self.headers).get("MediaContainer")
        accounts = [a for a in (root.get("Account") or []) if isinstance(a, Mapping)] if isinstance(
            root, Mapping) else []
        mine = accounts[0] if len(accounts) == 1 else next((a for a in accounts if str(a.get("id")) == "1"), None)
        if mine is None or not _text(mine.get("id")):
            raise ServerFailed("The server's answer is not Plex's /accounts")
        return RemoteAccount(user_id=str(mine["id"]), name=str(mine.get("name") or "Plex user")[:200],
                             token=self.token)

    def played(self) -> Iterator[PlayedState]:
        sections = _json(self.http, "GET", f"{self.url}/library/sections", self.headers).get("MediaContainer") or {}
        for section in sections.get("Directory") or []:
            if isinstance(section, Mapping) and section.get("type") in ("movie", "show"):
                kind = "1" if section["type"] == "movie" else "4"
                for raw in self._pages(f"/library/sections/{quote(str(section.get('key')))}/all", kind):
                    state = _plex_state(raw)
                    if state is not None:
                        yield state

    def _pages(self, path: str, kind: str) -> Iterator[Any]:
        start = 0
        while True:
            headers = {**self.headers, "X-Plex-Container-Start": str(start), "X-Plex-Container-Size": str(PAGE)}
            container = _json(self.http, "GET", self.url + path, headers, params={"type": kind}).get(
                "MediaContainer")
            if not isinstance(container, Mapping):
                raise ServerFailed(f"Plex answered {path} without a MediaContainer")
            found = container.get("Metadata") or []
            yield from found
            start += len(found)
            total = container.get("totalSize") or container.get("size") or 0
            if not found or not isinstance(total, int) or start >= total:
                return

    def stream(self, item_id: str) -> Stream:
        container = _json(self.http, "GET", f"{self.url}/library/metadata/{quote(item_id)}", self.headers).get(
            "MediaContainer")
        items = container.get("Metadata") if isinstance(container, Mapping) else None
        media = items[0].get("Media") if isinstance(items, list) and items and isinstance(items[0], Mapping) else None
        part = media[0].get("Part") if isinstance(media, list) and media and isinstance(media[0], Mapping) else None
        first = part[0] if isinstance(part, list) and part and isinstance(part[0], Mapping) else {}
        key = _text(first.get("key"))
        if not key or not key.startswith("/"):
            raise ServerFailed("The server does not let this account play the item")
        kind = _text(first.get("container")) or _text(media[0].get("container")) if media else None
        return Stream(url=f"{self.url}{key}?{urlencode({'X-Plex-Token': self.token})}", container=kind)


def _plex_state(raw: Any) -> PlayedState | None:
    if not isinstance(raw, Mapping) or not _text(raw.get("ratingKey")):
        return None
    views, offset = _number(raw.get("viewCount")), _number(raw.get("viewOffset"))
    if not views and not offset:
        return None
    seen = _number(raw.get("lastViewedAt"))
    duration = _number(raw.get("duration"))
    return PlayedState(item_id=str(raw["ratingKey"]), watched=bool(views),
                       last_played=datetime.fromtimestamp(seen, UTC) if seen else None,
                       position=offset / 1000 if offset else None, duration=duration / 1000 if duration else None)
