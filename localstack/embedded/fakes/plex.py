"""A fake Plex Media Server serving a ``media_library.Library``: the read-only API a library sync uses.

Where the shapes come from: Plex's published PMS API (developer.plex.tv/pms: MediaContainer, ``offset``/``size``/
``totalSize``, ``X-Plex-Container-Start``/``-Size``, X-Plex-* headers also accepted as query parameters) and
captured PMS responses (the watchstate project's ``tests/Fixtures/plex_data.json``: ``/library/sections``, ``/all``
with ``includeGuids=1`` and ``type=1|2|4``, the 401 page).
- Auth: ``X-Plex-Token`` header or query parameter, else 401 with Plex's HTML page. ``/identity`` needs none, as on
  a real server: ``{"MediaContainer": {"size": 0, "claimed": true, "machineIdentifier", "version"}}``.
- JSON only. A real server answers XML unless the request says ``Accept: application/json``; this fake answers
  406 (text) instead of XML, so a client that forgets the header fails loudly here as it would there.
- ``GET /`` (friendlyName, machineIdentifier, version), ``GET /library/sections`` (``Directory``: "1" Movies,
  "2" TV Shows, with ``agent``, ``scanner``, ``uuid``, ``Location``).
- ``GET /library/sections/{key}/all``: movies (section 1), or for section 2 shows (``type=2``, the default),
  seasons (``type=3``) or episodes (``type=4``); ``GET /library/metadata/{ratingKey}`` (one item),
  ``/children`` (a show's seasons, a season's episodes), ``/allLeaves`` (a show's or season's episodes). Lists are
  paged by ``X-Plex-Container-Start``/``-Size`` (query parameter or header; no size: everything), answer
  ``size``, ``totalSize``, ``offset`` and the ``X-Plex-Container-Start``/``-Total-Size`` headers, and list items in
  ratingKey order (the order they were added). An empty page has no ``Metadata`` key, as Plex leaves empty
  arrays out.
- Items: ``ratingKey`` (numeric string; ``rating_key(item_id)`` maps library ids to them), ``key``, ``guid``
  ("plex://movie/<24 hex>"), ``type``, ``title``, ``year``, ``summary``, ``originallyAvailableAt`` ("2010-07-15"),
  ``Genre: [{"tag"}]``; ``Guid: [{"id": "imdb://tt.."}, {"id": "tmdb://.."}, {"id": "tvdb://.."}]`` only with
  ``includeGuids=1``; movies ``tagline``, ``rating`` (critic / 10), ``audienceRating``; shows ``childCount``
  (seasons), ``leafCount`` (episodes); seasons ``index``, ``parentRatingKey``; episodes ``parentRatingKey``,
  ``grandparentRatingKey``, ``grandparentTitle``, ``parentIndex``, ``index``; ``addedAt`` and ``updatedAt``
  (epoch seconds; ``updatedAt`` moves on whenever the item's metadata changes, as Plex's does). Files:
  ``Media: [{"id", "duration", "container", "Part": [{"id", "key": "/library/parts/<id>/<ts>/file.mkv", "file",
  "size"}]}]``; an item without a file has no ``Media``. A broken item has no ``title`` and ``"year": "x"``.
- ``GET /library/parts/{id}/{ts}/file.{ext}``: the file's bytes (``media_library.VIDEO``; ``size`` says as much),
  with Range.

- Users (``fake.users``, ``media_users.Users``): a user's own token authorizes like the owner's (``fake.token``) and
  lists carry that user's view state: ``viewCount`` and ``lastViewedAt`` (epoch seconds) once played, ``viewOffset``
  (ms) for an unfinished play; the owner's token sees none. ``GET /accounts`` (``MediaContainer.Account``: ``id``,
  ``key``, ``name``): the owner (account 1) and every user for the owner's token, only its own for a user's.
- ``fake.video``: when set (a real file's bytes), parts serve it instead of ``media_library.VIDEO``.

Deep links are built from ``machine_identifier`` and a ratingKey. Tests: ``fake = FakePlex(library).start()``;
base URL ``fake.url``; ``fake.requests`` holds what it received; ``fake.stop()``.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from embedded.fakes import Recorded, Reply
from embedded.fakes.media_library import (
    MEDIA_TYPES,
    VIDEO,
    Derived,
    Episode,
    Library,
    MediaServer,
    Movie,
    Placed,
    Season,
    Show,
    count_param,
    hex_id,
    media_reply,
    served,
)
from embedded.fakes.media_users import FakeUser, Users, file_reply

VERSION = "1.41.3.9314-a0bfb8370"
MOVIES, SHOWS = "1", "2"  # the section keys
ADDED_AT = 1_700_000_000
PART_OFFSET = 500_000  # part ids differ from ratingKeys, so a client that mixes them up finds nothing
UNAUTHORIZED = b"<html><head><title>Unauthorized</title></head><body><h1>401 Unauthorized</h1></body></html>"
NOT_FOUND = b"<html><head><title>Not Found</title></head><body><h1>404 Not Found</h1></body></html>"
_PART = re.compile(r"/library/parts/(\d+)/(\d+)/file\.\w+")
_METADATA = re.compile(r"/library/metadata/(\d+)(/children|/allLeaves)?")
_SECTION_ALL = re.compile(r"/library/sections/(\w+)/all")


@dataclass
class _Snapshot:
    meta: dict[int, dict[str, Any]] = field(default_factory=dict)  # ratingKey -> the item, without Guid
    guids: dict[int, list[dict[str, str]]] = field(default_factory=dict)
    lists: dict[str, list[int]] = field(default_factory=lambda: {"1": [], "2": [], "3": [], "4": []})  # by type
    children: dict[int, list[int]] = field(default_factory=dict)
    leaves: dict[int, list[int]] = field(default_factory=dict)
    parts: dict[int, str] = field(default_factory=dict)  # part id -> file path


class FakePlex(MediaServer):
    name = "plex"

    def __init__(self, library: Library,
                 token: str = "fake-plex-token",  # noqa: S107 - the fake's own test credential
                 machine_identifier: str | None = None, friendly_name: str = "Fake Plex", host: str = "127.0.0.1",
                 port: int = 0):
        super().__init__(host, port)
        self.library, self.token, self.friendly_name = library, token, friendly_name
        self.machine_identifier = machine_identifier or hex_id("plex", friendly_name, length=40)
        self._keys: dict[str, int] = {}  # library item id -> ratingKey, kept across rebuilds
        self._updated: dict[int, tuple[str, int]] = {}  # ratingKey -> (its metadata's hash, updatedAt)
        self._snapshot = Derived(library, self._build)
        self.users = Users(self.machine_identifier)
        self.video: bytes | None = None  # a real file's bytes: what parts serve when set

    @property
    def url(self) -> str:
        return self.origin

    def rating_key(self, item_id: str) -> str:
        """The ratingKey this fake gives a library item (KeyError for one it has not served)."""
        self._snapshot.get()
        return str(self._keys[item_id])

    def handle(self, request: Recorded) -> Reply:
        if request.path == "/identity":
            return _json({"size": 0, "claimed": True, "machineIdentifier": self.machine_identifier,
                          "version": VERSION})
        token = request.headers.get("x-plex-token") or request.query.get("X-Plex-Token")
        if token != self.token and self.users.by_token(token) is None:
            return Reply(401, UNAUTHORIZED, {"Content-Type": "text/html"})
        part = _PART.fullmatch(request.path)
        if part:
            path = self._snapshot.get().parts.get(int(part.group(1)))
            if path and self.video is not None:
                return file_reply(self.video, MEDIA_TYPES.get(path.rsplit(".", 1)[-1].lower(), "video/mp4"),
                                  request.headers.get("range"))
            return media_reply(path, request.headers.get("range")) if path else _not_found()
        if "application/json" not in request.headers.get("accept", ""):
            return Reply(406, b"This fake Plex answers JSON only: send Accept: application/json",
                         {"Content-Type": "text/plain"})
        return self._route(request)

    def _route(self, request: Recorded) -> Reply:
        path = request.path.rstrip("/") or "/"
        if path == "/":
            return _json({"size": 0, "friendlyName": self.friendly_name, "machineIdentifier": self.machine_identifier,
                          "version": VERSION, "claimed": True, "myPlex": True, "platform": "Linux"})
        if path == "/accounts":
            return _json(self._accounts(self.users.by_token(request.headers.get("x-plex-token")
                                                             or request.query.get("X-Plex-Token"))))
        if path == "/library/sections":
            return _json({"size": 2, "allowSync": False, "title1": "Plex Library", "Directory": self._sections()})
        section = _SECTION_ALL.fullmatch(path)
        if section:
            return self._section(section.group(1), request)
        metadata = _METADATA.fullmatch(path)
        return self._metadata(int(metadata.group(1)), metadata.group(2), request) if metadata else _not_found()

    # ------------------------------------------------------------------ lists

    def _section(self, key: str, request: Recorded) -> Reply:
        if key not in (MOVIES, SHOWS):
            return _not_found()
        kind = request.query.get("type") or ("1" if key == MOVIES else "2")
        allowed = ("1",) if key == MOVIES else ("2", "3", "4")
        snapshot = self._snapshot.get()
        keys = snapshot.lists.get(kind, []) if kind in allowed else []
        title, view = ("Movies", "movie") if key == MOVIES else ("TV Shows", "show")
        extra = {"librarySectionID": int(key), "librarySectionTitle": title, "librarySectionUUID": self._uuid(key),
                 "title1": title, "title2": f"All {title}", "viewGroup": view}
        return self._page(snapshot, keys, request, extra)

    def _metadata(self, rating_key: int, tail: str | None, request: Recorded) -> Reply:
        snapshot = self._snapshot.get()
        item = snapshot.meta.get(rating_key)
        if item is None:
            return _not_found()
        if tail is None:
            return self._page(snapshot, [rating_key], request, {"librarySectionID": int(self._section_of(item))})
        keys = snapshot.children if tail == "/children" else snapshot.leaves
        if rating_key not in keys:
            return _not_found()
        extra = {"key": str(rating_key), "title2": item.get("title", ""), "librarySectionID": int(SHOWS),
                 "librarySectionUUID": self._uuid(SHOWS)}
        return self._page(snapshot, keys[rating_key], request, extra)

    def _page(self, snapshot: _Snapshot, keys: list[int], request: Recorded, extra: dict[str, Any]) -> Reply:
        try:
            start = count_param(_paging(request, "Start"), 0) or 0
            size = count_param(_paging(request, "Size"), None)
        except ValueError:
            return Reply(400, b"<html><head><title>Bad Request</title></head></html>", {"Content-Type": "text/html"})
        page = keys[start:None if size is None else start + size]
        with_guids = request.query.get("includeGuids") == "1"
        items = [_with_guids(snapshot.meta[key], snapshot.guids[key]) if with_guids else snapshot.meta[key]
                 for key in page]
        user = self.users.by_token(request.headers.get("x-plex-token") or request.query.get("X-Plex-Token"))
        items = [self._viewed(item, user) for item in items] if user is not None else items
        body = {"size": len(page), "totalSize": len(keys), "offset": start, "allowSync": True,
                "identifier": "com.plexapp.plugins.library", **extra}
        if items:
            body["Metadata"] = items
        return _json(body, {"X-Plex-Container-Start": str(start), "X-Plex-Container-Total-Size": str(len(keys))})

    # ------------------------------------------------------------------ shapes

    def _build(self) -> _Snapshot:
        snapshot = _Snapshot()
        for placed in self.library.walk():
            key = self._keys.setdefault(placed.item.item_id, len(self._keys) + 1)
            kind, snapshot.meta[key] = self._shape(key, placed)
            snapshot.guids[key] = _guids(placed.item)
            snapshot.meta[key]["updatedAt"] = self._updated_at(key, snapshot.meta[key], snapshot.guids[key])
            snapshot.lists[kind].append(key)
            self._relate(snapshot, key, placed)
            path = getattr(placed.item, "path", None)
            if path:
                snapshot.parts[key + PART_OFFSET] = path
        for keys in (*snapshot.lists.values(), *snapshot.children.values(), *snapshot.leaves.values()):
            keys.sort()  # an item added later has a higher ratingKey, wherever it sits in the library
        return snapshot

    def _updated_at(self, key: int, meta: dict[str, Any], guids: list[dict[str, str]]) -> int:
        """The item's ``updatedAt``: a second later than before whenever its metadata differs from the last build."""
        digest = hashlib.md5(json.dumps([meta, guids], sort_keys=True).encode(), usedforsecurity=False).hexdigest()
        before, at = self._updated.get(key, (digest, ADDED_AT + key))
        if before != digest:
            at += 1
        self._updated[key] = (digest, at)
        return at

    def _shape(self, key: int, placed: Placed) -> tuple[str, dict[str, Any]]:
        """The item's Plex type number ("1" movie .. "4" episode) and its metadata, without Guid."""
        item, show, season = placed.item, placed.show, placed.season
        if isinstance(item, Movie):
            return "1", self._movie(key, item)
        if isinstance(item, Show):
            return "2", self._show(key, item)
        if isinstance(item, Season) and show:
            return "3", self._season(key, item, show)
        if isinstance(item, Episode) and show and season:
            return "4", self._episode(key, item, show, season)
        raise TypeError(f"not a library item: {item!r}")

    def _relate(self, snapshot: _Snapshot, key: int, placed: Placed) -> None:
        """A season is a child of its show; an episode a child of its season and a leaf of both."""
        if isinstance(placed.item, Show | Season):
            snapshot.children[key], snapshot.leaves[key] = [], []
        parents = [self._keys[parent.item_id] for parent in (placed.show, placed.season) if parent]
        if parents:
            snapshot.children[parents[-1]].append(key)
        if isinstance(placed.item, Episode):
            for parent in parents:
                snapshot.leaves[parent].append(key)

    def _common(self, key: int, kind: str, item: Movie | Show | Season | Episode) -> dict[str, Any]:
        return {"ratingKey": str(key), "key": f"/library/metadata/{key}", "guid": f"plex://{kind}/{item.item_id[:24]}",
                "type": kind, "title": item.title, "addedAt": ADDED_AT + key, "updatedAt": ADDED_AT + key,
                "thumb": f"/library/metadata/{key}/thumb/{ADDED_AT + key}"}

    def _movie(self, key: int, movie: Movie) -> dict[str, Any]:
        meta = self._common(key, "movie", movie) | {
            "year": movie.year, "summary": movie.overview or "", "tagline": movie.tagline,
            "rating": movie.critic_rating and round(movie.critic_rating / 10, 1),
            "audienceRating": movie.community_rating, "originallyAvailableAt": _date(movie.premiere_date),
            "duration": 6_000_000, "Genre": [{"tag": genre} for genre in movie.genres],
            "Media": _media(key, movie.path, 6_000_000)}
        return _served(meta, movie.broken)

    def _show(self, key: int, show: Show) -> dict[str, Any]:
        meta = self._common(key, "show", show) | {
            "key": f"/library/metadata/{key}/children", "year": show.year, "summary": show.overview or "",
            "originallyAvailableAt": _date(show.premiere_date), "audienceRating": show.community_rating,
            "index": 1, "childCount": len(show.seasons), "leafCount": sum(len(s.episodes) for s in show.seasons),
            "viewedLeafCount": 0, "Genre": [{"tag": genre} for genre in show.genres]}
        return _served(meta, show.broken)

    def _season(self, key: int, season: Season, show: Show) -> dict[str, Any]:
        show_key = self._keys[show.item_id]
        meta = self._common(key, "season", season) | {
            "key": f"/library/metadata/{key}/children", "parentRatingKey": str(show_key),
            "parentKey": f"/library/metadata/{show_key}", "parentGuid": f"plex://show/{show.item_id[:24]}",
            "parentTitle": show.title, "parentYear": show.year, "index": season.number,
            "leafCount": len(season.episodes), "viewedLeafCount": 0}
        return _served(meta, season.broken)

    def _episode(self, key: int, episode: Episode, show: Show, season: Season) -> dict[str, Any]:
        show_key, season_key = self._keys[show.item_id], self._keys[season.item_id]
        meta = self._common(key, "episode", episode) | {
            "parentRatingKey": str(season_key), "parentKey": f"/library/metadata/{season_key}",
            "parentGuid": f"plex://season/{season.item_id[:24]}", "parentTitle": season.title,
            "parentIndex": episode.season, "grandparentRatingKey": str(show_key),
            "grandparentKey": f"/library/metadata/{show_key}", "grandparentGuid": f"plex://show/{show.item_id[:24]}",
            "grandparentTitle": show.title, "index": episode.number, "summary": episode.overview or "",
            "year": episode.air_date and episode.air_date.year, "originallyAvailableAt": _date(episode.air_date),
            "duration": 2_700_000, "Media": _media(key, episode.path, 2_700_000)}
        return _served(meta, episode.broken)

    def _sections(self) -> list[dict[str, Any]]:
        return [{"key": key, "type": kind, "title": title, "agent": agent, "scanner": scanner, "language": "en-US",
                 "uuid": self._uuid(key), "allowSync": True, "content": True, "directory": True, "filters": True,
                 "hidden": 0, "refreshing": False, "createdAt": ADDED_AT, "updatedAt": ADDED_AT,
                 "scannedAt": ADDED_AT, "Location": [{"id": int(key), "path": root}]}
                for key, kind, title, agent, scanner, root in (
                    (MOVIES, "movie", "Movies", "tv.plex.agents.movie", "Plex Movie", "/data/movies"),
                    (SHOWS, "show", "TV Shows", "tv.plex.agents.series", "Plex TV Series", "/data/tv"))]

    def _accounts(self, user: FakeUser | None) -> dict[str, Any]:
        users = [user] if user is not None else list(self.users.by_name.values())
        accounts = ([] if user is not None else [{"id": 1, "key": "/accounts/1", "name": "owner"}]) + [
            {"id": u.account_id, "key": f"/accounts/{u.account_id}", "name": u.name} for u in users]
        return {"size": len(accounts), "identifier": "com.plexapp.system.accounts", "Account": accounts}

    def _viewed(self, item: dict[str, Any], user: FakeUser) -> dict[str, Any]:
        """The item with the user's view state (Plex writes the keys only when there is something to say)."""
        item_id = next((i for i, key in self._keys.items() if str(key) == item.get("ratingKey")), None)
        state = user.views.get(item_id) if item_id else None
        if state is None:
            return item
        extra: dict[str, Any] = {}
        if state.play_count:
            extra["viewCount"] = state.play_count
        if state.last_played:
            extra["lastViewedAt"] = int(state.last_played.timestamp())
        if state.position_seconds:
            extra["viewOffset"] = int(state.position_seconds * 1000)
        return {**item, **extra}

    def _uuid(self, section: str) -> str:
        raw = hex_id(self.machine_identifier, "section", section)
        return f"{raw[:8]}-{raw[8:12]}-{raw[12:16]}-{raw[16:20]}-{raw[20:]}"

    def _section_of(self, item: dict[str, Any]) -> str:
        return MOVIES if item.get("type") == "movie" else SHOWS


def _media(key: int, path: str | None, duration: int) -> list[dict[str, Any]] | None:
    if not path:
        return None
    part_id, container = key + PART_OFFSET, path.rsplit(".", 1)[-1]
    part = {"id": part_id, "key": f"/library/parts/{part_id}/{ADDED_AT + key}/file.{container}", "duration": duration,
            "file": path, "size": len(VIDEO), "container": container}
    return [{"id": key, "duration": duration, "bitrate": 8000, "width": 1920, "height": 1080, "aspectRatio": 1.78,
             "audioChannels": 6, "audioCodec": "eac3", "videoCodec": "h264", "videoResolution": "1080",
             "container": container, "videoFrameRate": "24p", "Part": [part]}]


def _guids(item: Movie | Show | Season | Episode) -> list[dict[str, str]]:
    return [{"id": f"{scheme}://{value}"} for scheme in ("imdb", "tmdb", "tvdb")
            if (value := getattr(item, scheme, None))]


def _with_guids(meta: dict[str, Any], guids: list[dict[str, str]]) -> dict[str, Any]:
    return {**meta, "Guid": guids} if guids else meta


def _served(shape: dict[str, Any], broken: bool) -> dict[str, Any]:
    return served(shape, broken, title="title", year="year", bad_year="x")


def _date(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _paging(request: Recorded, which: str) -> str | None:
    name = f"X-Plex-Container-{which}"
    return request.query.get(name) or request.headers.get(name.lower())


def _json(container: dict[str, Any], headers: dict[str, str] | None = None) -> Reply:
    return Reply(200, {"MediaContainer": container}, {"X-Plex-Protocol": "1.0", **(headers or {})})


def _not_found() -> Reply:
    return Reply(404, NOT_FOUND, {"Content-Type": "text/html"})
