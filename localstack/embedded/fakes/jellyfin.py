"""A fake Jellyfin server (10.10) serving a ``media_library.Library``: the read-only API a library sync uses.

Where the shapes come from:
- Auth: Jellyfin's "API Authorization" notes (N. van Velzen, Jellyfin team): ``Authorization: MediaBrowser
  Client="..", Device="..", DeviceId="..", Version="..", Token="<key>"`` (values URL-encoded, as the TypeScript SDK's
  ``getAuthorizationHeader`` writes them) or the ``ApiKey`` query parameter; deprecated but still accepted in 10.x:
  ``api_key``, ``X-Emby-Token``, ``X-MediaBrowser-Token`` and ``X-Emby-Authorization``. Jellyfin 12 dropped the
  deprecated ones (``legacy_auth=False`` does too). Without a valid token: 401 with an empty body.
- ``GET /System/Info/Public`` (no auth) and ``GET /System/Info``: the SDK's PublicSystemInfo and SystemInfo models.
- ``GET /Items`` (jellyfin/jellyfin ``ItemsController.GetItems``): ``Recursive``, ``IncludeItemTypes``, ``Fields``,
  ``StartIndex``, ``Limit``, ``ParentId``, ``Ids`` → ``{"Items", "TotalRecordCount", "StartIndex"}``. Jellyfin caps
  no ``Limit`` and neither does this fake; without one every match is answered. Not recursive and without a
  ParentId, the answer is the root's children: the two library folders (CollectionFolder), as on the real server.
  ``SortBy``/``SortOrder`` are ignored: the order is always by type (Movie, Series, Season, Episode), then id.
  Query names are case-insensitive, as ASP.NET binds them.
- Item shapes (BaseItemDto; ``DtoService.AttachBasicFields``): always ``Name``, ``ServerId``, ``Id``, ``Type``,
  ``IsFolder``, ``MediaType``, ``LocationType``, ``PremiereDate`` ("2010-07-15T00:00:00.0000000Z"),
  ``ProductionYear``, ``CommunityRating``, ``CriticRating``, ``RunTimeTicks``, ``IndexNumber``,
  ``ParentIndexNumber``, ``EndDate``; Series ``Status`` ("Continuing"/"Ended"); Season ``SeriesId``/``SeriesName``;
  Episode ``SeriesId``/``SeriesName``/``SeasonId``/``SeasonName``. Only when asked in ``Fields``: ``ProviderIds``
  (``{"Imdb", "Tmdb", "Tvdb"}``, strings), ``Path``, ``Genres`` (+ ``GenreItems``), ``Overview``, ``Taglines``,
  ``ParentId``, ``DateCreated``, ``SortName``, ``OriginalTitle``, ``Etag`` (``BaseItem.GetEtag``: an MD5 hex of
  what the item was last saved with, so it changes with any edit: here a hash of the item's JSON). Series also
  carry ``AirDays`` and ``AirTime`` ("21:00", what the metadata provider said). Nulls are left out (Jellyfin
  writes JSON with WhenWritingNull). Unknown ``Fields`` values are ignored.
- A broken item has no ``Name`` and ``"ProductionYear": "not-a-year"``.
- ``GET /Videos/{id}/stream`` (and ``/stream.{container}``): the file's bytes (``media_library.VIDEO``) with Range;
  404 for an item without a file. ``GET /Library/MediaFolders`` lists the two library folders.

- Users (``fake.users``, ``media_users.Users``): ``POST /Users/AuthenticateByName`` ``{"Username", "Pw"}`` (the
  client's ``Authorization: MediaBrowser Client=..`` header without a token) answers ``{"User": {"Id", "Name",
  "ServerId", ...}, "SessionInfo", "AccessToken", "ServerId"}`` or 401. A user's AccessToken authorizes like the API
  key. ``GET /Users/{userId}/Items`` (the user's own token or the API key) is ``/Items`` with each item's ``UserData``
  (UserItemDataDto: ``PlaybackPositionTicks``, ``PlayCount``, ``IsFavorite``, ``Played``, ``Key``, ``ItemId``,
  ``LastPlayedDate`` when played) and the filters ``IsPlayed=true|false`` and ``Filters=IsResumable``.
- ``fake.video``: when set (a real file's bytes), streams serve it instead of ``media_library.VIDEO``.

Tests: ``fake = FakeJellyfin(library).start()``; base URL ``fake.url``; ``fake.requests`` holds what it received;
``fake.stop()``.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import unquote

from embedded.fakes import Recorded, Reply
from embedded.fakes.media_library import (
    MEDIA_TYPES,
    Derived,
    Episode,
    Library,
    MediaServer,
    Movie,
    Season,
    Show,
    count_param,
    hex_id,
    media_reply,
    served,
)
from embedded.fakes.media_users import FakeUser, Users, file_reply

VERSION = "10.10.3"
KINDS = ("movie", "series", "season", "episode")  # the order items are listed in
OPTIONAL = {"ProviderIds": "providerids", "Path": "path", "Genres": "genres", "GenreItems": "genres",
            "Overview": "overview", "Taglines": "taglines", "ParentId": "parentid", "DateCreated": "datecreated",
            "SortName": "sortname", "OriginalTitle": "originaltitle",
            "Etag": "etag"}  # DTO key -> the Fields value that adds it
NOT_FOUND = {"type": "https://tools.ietf.org/html/rfc9110#section-15.5.5", "title": "Not Found", "status": 404}
_PAIR = re.compile(r'(\w+)="([^"]*)"')
_STREAM = re.compile(r"/videos/([0-9a-f-]{32,36})/stream(?:\.\w+)?")
_TICKS_PER_MINUTE = 600_000_000
_USER_ITEMS = re.compile(r"/users/([0-9a-f-]{32,36})/items")


@dataclass
class _Entry:
    kind: str  # one of KINDS
    item_id: str
    ancestors: tuple[str, ...]  # the library folder first, the direct parent last
    dto: dict[str, Any]


@dataclass
class _Snapshot:
    entries: list[_Entry]
    selections: dict[tuple, list[_Entry]] = field(default_factory=dict)  # one query's matches, for its pages


class FakeJellyfin(MediaServer):
    name = "jellyfin"

    def __init__(self, library: Library, api_key: str = "fake-jellyfin-key", server_id: str | None = None,
                 server_name: str = "Fake Jellyfin", host: str = "127.0.0.1", port: int = 0, *,
                 legacy_auth: bool = True):
        super().__init__(host, port)
        self.library, self.api_key, self.server_name = library, api_key, server_name
        self.server_id = server_id or hex_id("jellyfin", server_name)
        self.legacy_auth = legacy_auth
        self.movies_folder, self.shows_folder = hex_id(self.server_id, "movies"), hex_id(self.server_id, "tvshows")
        self._snapshot = Derived(library, self._build)
        self.users = Users(self.server_id)
        self.video: bytes | None = None  # a real file's bytes: what streams serve when set

    @property
    def url(self) -> str:
        return self.origin

    def handle(self, request: Recorded) -> Reply:
        path = request.path.rstrip("/").lower()
        if path == "/system/info/public":
            return Reply(200, self.public_info())
        if path == "/users/authenticatebyname" and request.method == "POST":
            return self._authenticate(request)
        token = self._token(request)
        user = self.users.by_token(token)
        if token != self.api_key and user is None:
            return Reply(401, b"")
        user_items = _USER_ITEMS.fullmatch(path)
        if user_items:
            return self._user_items(user_items.group(1), user, {k.lower(): v for k, v in request.query.items()})
        query = {k.lower(): v for k, v in request.query.items()}
        if path == "/system/info":
            return Reply(200, self.system_info())
        if path == "/items":
            return self._items(query)
        if path == "/library/mediafolders":
            folders = self._folders()
            return Reply(200, {"Items": folders, "TotalRecordCount": len(folders), "StartIndex": 0})
        stream = _STREAM.fullmatch(path)
        return self._stream(stream.group(1), request) if stream else Reply(404, b"")

    def public_info(self) -> dict[str, Any]:
        return {"LocalAddress": self.origin, "ServerName": self.server_name, "Version": VERSION,
                "ProductName": "Jellyfin Server", "OperatingSystem": "Linux", "Id": self.server_id,
                "StartupWizardCompleted": True}

    def system_info(self) -> dict[str, Any]:
        return {**self.public_info(), "OperatingSystemDisplayName": "Linux", "PackageName": "fake",
                "HasPendingRestart": False, "IsShuttingDown": False, "SupportsLibraryMonitor": True,
                "WebSocketPortNumber": self.port, "CompletedInstallations": [], "CanSelfRestart": False,
                "CanLaunchWebBrowser": False, "ProgramDataPath": "/config", "WebPath": "/jellyfin/jellyfin-web",
                "ItemsByNamePath": "/config/metadata", "CachePath": "/cache", "LogPath": "/config/log",
                "InternalMetadataPath": "/config/metadata", "TranscodingTempPath": "/cache/transcodes",
                "CastReceiverApplications": [], "HasUpdateAvailable": False, "EncoderLocation": "System",
                "SystemArchitecture": "X64"}

    # ------------------------------------------------------------------ auth

    def _token(self, request: Recorded) -> str | None:
        headers, query = request.headers, {k.lower(): v for k, v in request.query.items()}
        schemed = ("authorization", "x-emby-authorization") if self.legacy_auth else ("authorization",)
        for name in schemed:
            scheme, _, params = headers.get(name, "").partition(" ")
            token = dict(_PAIR.findall(params)).get("Token") if scheme.lower() in ("mediabrowser", "emby") else None
            if token:
                return unquote(token)
        plain = [query.get("apikey")]
        if self.legacy_auth:
            plain += [query.get("api_key"), headers.get("x-emby-token"), headers.get("x-mediabrowser-token")]
        return next((value for value in plain if value), None)

    # ------------------------------------------------------------------ items

    def _items(self, query: dict[str, str]) -> Reply:
        try:
            start = count_param(query.get("startindex"), 0) or 0
            limit = count_param(query.get("limit"), None)
        except ValueError:
            return Reply(400, {"title": "One or more validation errors occurred.", "status": 400})
        fields = _listed(query.get("fields"))
        excluded = {key for key, name in OPTIONAL.items() if name not in fields}
        chosen = self._select(query)
        page = chosen[start:None if limit is None else start + limit]
        items = [{k: v for k, v in entry.dto.items() if k not in excluded} for entry in page]
        return Reply(200, {"Items": items, "TotalRecordCount": len(chosen), "StartIndex": start})

    def _select(self, query: dict[str, str]) -> list[_Entry]:
        recursive = query.get("recursive", "").lower() == "true"
        parent = _guid(query.get("parentid", "")) or None
        ids = frozenset(_guid(i) for i in query.get("ids", "").split(",") if i.strip())
        types = frozenset(_listed(query.get("includeitemtypes")))
        if parent is None and not recursive and not ids:
            return [_Entry("folder", folder["Id"], (), folder) for folder in self._folders()]
        snapshot = self._snapshot.get()
        key = (recursive, parent, ids, types)
        if key not in snapshot.selections:
            snapshot.selections[key] = [
                entry for entry in snapshot.entries
                if (not types or entry.kind in types) and (not ids or entry.item_id in ids)
                and (parent is None or (parent in entry.ancestors if recursive else entry.ancestors[-1] == parent))]
        return snapshot.selections[key]

    def _stream(self, item_id: str, request: Recorded) -> Reply:
        placed = self.library.place(_guid(item_id))
        path = getattr(placed.item, "path", None) if placed else None
        if not path:
            return Reply(404, NOT_FOUND)
        if self.video is not None:
            return file_reply(self.video, MEDIA_TYPES.get(path.rsplit(".", 1)[-1].lower(), "video/mp4"),
                              request.headers.get("range"))
        return media_reply(path, request.headers.get("range"))

    # ------------------------------------------------------------------ users

    def _authenticate(self, request: Recorded) -> Reply:
        try:
            body = json.loads(request.body or "{}")
        except ValueError:
            return Reply(400, {"title": "One or more validation errors occurred.", "status": 400})
        user = self.users.sign_in(str(body.get("Username") or ""), str(body.get("Pw") or ""))
        if user is None:
            return Reply(401, b"Error processing request.")
        dto = {"Name": user.name, "ServerId": self.server_id, "Id": user.user_id, "HasPassword": bool(user.password),
               "HasConfiguredPassword": bool(user.password), "EnableAutoLogin": False,
               "Policy": {"IsAdministrator": False, "EnableMediaPlayback": True}}
        return Reply(200, {"User": dto, "SessionInfo": {"UserId": user.user_id, "UserName": user.name,
                                                        "ServerId": self.server_id, "Client": "seen"},
                           "AccessToken": user.token, "ServerId": self.server_id})

    def _user_items(self, user_id: str, caller: FakeUser | None, query: dict[str, str]) -> Reply:
        user = self.users.by_id(user_id)
        if user is None or (caller is not None and caller is not user):
            return Reply(404, NOT_FOUND) if user is None else Reply(403, b"")
        reply = self._items({k: v for k, v in query.items() if k not in ("startindex", "limit")})
        items = [{**item, "UserData": _user_data(user, item["Id"])} for item in reply.body["Items"]]
        if query.get("isplayed"):
            items = [i for i in items if i["UserData"]["Played"] == (query["isplayed"].lower() == "true")]
        if "isresumable" in _listed(query.get("filters")):
            items = [i for i in items if i["UserData"]["PlaybackPositionTicks"] > 0]
        try:
            start = count_param(query.get("startindex"), 0) or 0
            limit = count_param(query.get("limit"), None)
        except ValueError:
            return Reply(400, {"title": "One or more validation errors occurred.", "status": 400})
        page = items[start:None if limit is None else start + limit]
        return Reply(200, {"Items": page, "TotalRecordCount": len(items), "StartIndex": start})

    # ------------------------------------------------------------------ shapes

    def _build(self) -> _Snapshot:
        entries = []
        for placed in self.library.walk():
            item, show, season = placed.item, placed.show, placed.season
            if isinstance(item, Movie):
                entries.append(_Entry("movie", item.item_id, (self.movies_folder,), self._movie(item)))
            elif isinstance(item, Show):
                entries.append(_Entry("series", item.item_id, (self.shows_folder,), self._series(item)))
            elif isinstance(item, Season) and show:
                entries.append(_Entry("season", item.item_id, (self.shows_folder, show.item_id),
                                      self._season(item, show)))
            elif isinstance(item, Episode) and show and season:
                entries.append(_Entry("episode", item.item_id, (self.shows_folder, show.item_id, season.item_id),
                                      self._episode(item, show, season)))
        entries.sort(key=lambda entry: (KINDS.index(entry.kind), entry.item_id))
        return _Snapshot(entries)

    def _base(self, kind: str, item: Movie | Show | Season | Episode, parent_id: str) -> dict[str, Any]:
        dto = {"Name": item.title, "ServerId": self.server_id, "Id": item.item_id, "Type": kind,
               "ParentId": parent_id, "SortName": item.title.lower(), "OriginalTitle": item.title,
               "DateCreated": "2024-01-01T00:00:00.0000000Z", "ImageTags": {}, "BackdropImageTags": [],
               "ImageBlurHashes": {}, "LocationType": "FileSystem", "IsFolder": kind in ("Series", "Season"),
               "MediaType": "Unknown" if kind in ("Series", "Season") else "Video"}
        if isinstance(item, Movie | Episode):
            dto |= {"Path": item.path, "Container": item.path and item.path.rsplit(".", 1)[-1],
                    "VideoType": "VideoFile", "LocationType": "FileSystem" if item.path else "Virtual"}
        return dto

    def _movie(self, movie: Movie) -> dict[str, Any]:
        dto = self._base("Movie", movie, self.movies_folder) | {
            "ProductionYear": movie.year, "PremiereDate": _date(movie.premiere_date),
            "CommunityRating": movie.community_rating, "CriticRating": movie.critic_rating,
            "RunTimeTicks": 100 * _TICKS_PER_MINUTE, "Overview": movie.overview,
            "Taglines": [movie.tagline] if movie.tagline else [],
            "ProviderIds": _provider_ids(movie.imdb, movie.tmdb, movie.tvdb)} | self._genres(movie.genres)
        return _served(dto, movie.broken)

    def _series(self, show: Show) -> dict[str, Any]:
        dto = self._base("Series", show, self.shows_folder) | {
            "ProductionYear": show.year, "PremiereDate": _date(show.premiere_date), "EndDate": _date(show.end_date),
            "Status": show.status, "AirDays": list(show.air_days), "AirTime": show.air_time,
            "CommunityRating": show.community_rating,
            "Overview": show.overview, "Path": f"/data/tv/{show.title} ({show.year})",
            "ProviderIds": _provider_ids(show.imdb, show.tmdb, show.tvdb)} | self._genres(show.genres)
        return _served(dto, show.broken)

    def _season(self, season: Season, show: Show) -> dict[str, Any]:
        first = season.episodes[0].air_date if season.episodes else None
        dto = self._base("Season", season, show.item_id) | {
            "IndexNumber": season.number, "SeriesId": show.item_id, "SeriesName": show.title,
            "PremiereDate": _date(first), "ProductionYear": first.year if first else None, "ProviderIds": {},
            "Path": f"/data/tv/{show.title} ({show.year})/Season {season.number:02d}"}
        return _served(dto, season.broken)

    def _episode(self, episode: Episode, show: Show, season: Season) -> dict[str, Any]:
        dto = self._base("Episode", episode, season.item_id) | {
            "IndexNumber": episode.number, "ParentIndexNumber": episode.season, "SeriesId": show.item_id,
            "SeriesName": show.title, "SeasonId": season.item_id, "SeasonName": season.title,
            "PremiereDate": _date(episode.air_date), "ProductionYear": episode.air_date and episode.air_date.year,
            "RunTimeTicks": 45 * _TICKS_PER_MINUTE, "Overview": episode.overview,
            "ProviderIds": _provider_ids(episode.imdb, episode.tmdb, episode.tvdb)}
        return _served(dto, episode.broken)

    def _genres(self, genres: list[str]) -> dict[str, Any]:
        return {"Genres": list(genres),
                "GenreItems": [{"Name": genre, "Id": hex_id(self.server_id, "genre", genre)} for genre in genres]}

    def _folders(self) -> list[dict[str, Any]]:
        return [{"Name": name, "ServerId": self.server_id, "Id": folder_id, "Type": "CollectionFolder",
                 "CollectionType": kind, "IsFolder": True, "LocationType": "FileSystem", "MediaType": "Unknown",
                 "ImageTags": {}, "BackdropImageTags": [], "ImageBlurHashes": {}}
                for name, folder_id, kind in (("Movies", self.movies_folder, "movies"),
                                              ("Shows", self.shows_folder, "tvshows"))]


def _served(shape: dict[str, Any], broken: bool) -> dict[str, Any]:
    dto = served(shape, broken, title="Name", year="ProductionYear", bad_year="not-a-year")
    dto["Etag"] = hashlib.md5(json.dumps(dto, sort_keys=True).encode(), usedforsecurity=False).hexdigest()
    return dto


def _date(value: date | None) -> str | None:
    return f"{value.isoformat()}T00:00:00.0000000Z" if value else None


def _provider_ids(imdb: str | None, tmdb: int | None, tvdb: int | None) -> dict[str, str]:
    return {key: str(value) for key, value in (("Imdb", imdb), ("Tmdb", tmdb), ("Tvdb", tvdb)) if value}


def _listed(text: str | None) -> list[str]:
    return [part.strip().lower() for part in (text or "").split(",") if part.strip()]


def _user_data(user: FakeUser, item_id: str) -> dict[str, Any]:
    state = user.views.get(item_id)
    ticks = int(state.position_seconds * 10_000_000) if state else 0
    data: dict[str, Any] = {"PlaybackPositionTicks": ticks, "PlayCount": state.play_count if state else 0,
                            "IsFavorite": False, "Played": bool(state and state.play_count), "Key": item_id,
                            "ItemId": item_id}
    if state and state.last_played:
        data["LastPlayedDate"] = state.last_played.strftime("%Y-%m-%dT%H:%M:%S.%f0Z")
    return data


def _guid(text: str) -> str:
    """Jellyfin ids are GUIDs: clients may send them with dashes or in capitals; responses use 32 lower-case hex."""
    return text.strip().replace("-", "").lower()

