"""The media library a fake Jellyfin or Plex serves, and the pieces both fakes share.

A ``Library`` holds movies and shows; a show holds seasons, a season episodes. Each item carries the provider ids
a real server would have matched (IMDb, TMDB, TVDB), so a client's sync can be checked against them. ``generate``
builds a large deterministic library (20,000 items in well under a second). Tests change it through its methods
(``add``, ``remove``, ``rename``, ``set_broken``), or edit an item's fields and call ``changed()``: the fakes build
each item's JSON once and build it again only when ``version`` moves.

A ``broken`` item is served with a malformed shape (no title, a year that is not a number: see each fake), so a
careful client rejects that one item, counts it as failed, and syncs the rest.

Shared by the fakes: ``MediaServer`` (their base: answers sent without Nagle's delay), ``Derived`` (a value rebuilt
when the library changes), ``hex_id`` (stable ids), ``served`` (nulls left out, broken items broken),
``count_param`` (paging numbers) and ``media_reply`` (a few bytes of "video" with HTTP Range, RFC 9110 §14).
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Generic, TypeVar

from embedded.fakes import FakeServer, Reply

T = TypeVar("T")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
GENRES = ("Drama", "Comedy", "Action", "Science Fiction", "Thriller", "Documentary", "Animation", "Romance")
# What the fakes stream for every playable file: an MP4 "ftyp" box, then filler. Enough to test Range, not to play.
VIDEO = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isommp41" + bytes(range(256)) * 16
MEDIA_TYPES = {"mkv": "video/x-matroska", "mp4": "video/mp4", "avi": "video/x-msvideo", "webm": "video/webm"}


@dataclass
class Episode:
    item_id: str
    season: int
    number: int
    title: str
    air_date: date | None = None
    imdb: str | None = None
    tvdb: int | None = None
    tmdb: int | None = None
    path: str | None = None  # None: no file (a missing episode), nothing to stream
    overview: str | None = None
    broken: bool = False


@dataclass
class Season:
    item_id: str
    number: int
    episodes: list[Episode] = field(default_factory=list)
    title: str = ""  # "Season N" unless given
    broken: bool = False

    def __post_init__(self) -> None:
        self.title = self.title or f"Season {self.number}"


@dataclass
class _Titled:
    """What a movie and a show both have: a title, a year and the provider ids a server matched."""

    item_id: str
    title: str
    year: int
    imdb: str | None = None
    tmdb: int | None = None
    tvdb: int | None = None


@dataclass
class Movie(_Titled):
    genres: list[str] = field(default_factory=list)
    overview: str | None = None
    tagline: str | None = None
    community_rating: float | None = None  # 0-10, as Jellyfin's CommunityRating and Plex's audienceRating
    critic_rating: float | None = None  # 0-100, as Jellyfin's CriticRating (Plex's rating is this / 10)
    premiere_date: date | None = None
    path: str | None = None  # None: no file, nothing to stream
    broken: bool = False


@dataclass
class Show(_Titled):
    status: str = "Continuing"  # or "Ended", as Jellyfin's SeriesStatus
    genres: list[str] = field(default_factory=list)
    overview: str | None = None
    premiere_date: date | None = None
    end_date: date | None = None
    seasons: list[Season] = field(default_factory=list)
    community_rating: float | None = None
    air_time: str | None = None  # "21:00", the network's wall clock, as Jellyfin's AirTime
    air_days: list[str] = field(default_factory=list)  # "Monday".., as Jellyfin's AirDays
    broken: bool = False


Item = Movie | Show | Season | Episode


@dataclass
class Placed:
    """An item and the show and season it sits in (None for a movie, and for a show itself)."""

    item: Item
    show: Show | None = None
    season: Season | None = None


@dataclass
class Library:
    movies: dict[str, Movie] = field(default_factory=dict)
    shows: dict[str, Show] = field(default_factory=dict)
    version: int = 0  # moved by every change; the fakes rebuild what they serve when it does
    _places: tuple[int, dict[str, Placed]] | None = field(default=None, repr=False, compare=False)

    def changed(self) -> None:
        """Call after editing an item's fields directly, so the fakes serve the edit."""
        self.version += 1

    def add(self, item: Movie | Show) -> None:
        if isinstance(item, Movie):
            self.movies[item.item_id] = item
        else:
            self.shows[item.item_id] = item
        self.changed()

    def find(self, item_id: str) -> Item | None:
        placed = self.place(item_id)
        return placed.item if placed else None

    def place(self, item_id: str) -> Placed | None:
        # Indexed once per version, not per call: a fake looks an item up on every stream request.
        if self._places is None or self._places[0] != self.version:
            self._places = (self.version, {placed.item.item_id: placed for placed in self.walk()})
        return self._places[1].get(item_id)

    def remove(self, item_id: str) -> None:
        """Remove a movie, a show, a season or an episode (KeyError when there is none)."""
        placed = self.place(item_id)
        if placed is None:
            raise KeyError(item_id)
        if isinstance(placed.item, Movie):
            del self.movies[item_id]
        elif isinstance(placed.item, Show):
            del self.shows[item_id]
        elif isinstance(placed.item, Season) and placed.show:
            placed.show.seasons.remove(placed.item)
        elif isinstance(placed.item, Episode) and placed.season:
            placed.season.episodes.remove(placed.item)
        self.changed()

    def rename(self, item_id: str, title: str) -> None:
        self._get(item_id).title = title
        self.changed()

    def set_broken(self, item_id: str, broken: bool = True) -> None:
        self._get(item_id).broken = broken
        self.changed()

    def walk(self) -> Iterator[Placed]:
        """Every item in library order: the movies, then each show followed by its seasons and episodes."""
        for movie in self.movies.values():
            yield Placed(movie)
        for show in self.shows.values():
            yield Placed(show)
            for season in show.seasons:
                yield Placed(season, show)
                for episode in season.episodes:
                    yield Placed(episode, show, season)

    def counts(self) -> dict[str, int]:
        seasons = [season for show in self.shows.values() for season in show.seasons]
        return {"movies": len(self.movies), "shows": len(self.shows), "seasons": len(seasons),
                "episodes": sum(len(season.episodes) for season in seasons)}

    def item_count(self) -> int:
        return sum(self.counts().values())

    def _get(self, item_id: str) -> Item:
        item = self.find(item_id)
        if item is None:
            raise KeyError(item_id)
        return item


def hex_id(*parts: object, length: int = 32) -> str:
    """A stable hex id from ``parts``: the same library gets the same ids on every run."""
    digest = hashlib.blake2b(":".join(map(str, parts)).encode(), digest_size=(length + 1) // 2).hexdigest()
    return digest[:length]


def generate(movies: int, shows: int, seasons: int = 2, episodes: int = 5, seed: int = 0) -> Library:
    """A deterministic library: ``movies`` movies and ``shows`` shows of ``seasons`` x ``episodes``.

    Provider ids are unique and stable: movie k (from 1) has TMDB 900000+k and IMDb tt9000000+k; show k has TMDB
    800000+k, TVDB 700000+k and IMDb tt8000000+k; episodes have TVDB 5000000+n, n counting across the library.
    ``seed`` changes only the item ids, so two libraries can share provider ids but not items."""
    library = Library()
    for k in range(1, movies + 1):
        movie = _movie(k, seed)
        library.movies[movie.item_id] = movie
    running = 0
    for k in range(1, shows + 1):
        show = _show(k, seed)
        for number in range(1, seasons + 1):
            season = Season(hex_id(seed, "season", k, number), number)
            for episode_number in range(1, episodes + 1):
                running += 1
                season.episodes.append(_episode(show, season, episode_number, running, seed))
            show.seasons.append(season)
        if show.status == "Ended" and show.seasons and show.seasons[-1].episodes:
            show.end_date = show.seasons[-1].episodes[-1].air_date
        library.shows[show.item_id] = show
    return library


def _movie(k: int, seed: int) -> Movie:
    title, year = f"Generated Movie {k:04d}", 1990 + k % 30
    return Movie(hex_id(seed, "movie", k), title, year, imdb=f"tt{9000000 + k:07d}", tmdb=900000 + k,
                 genres=[GENRES[k % len(GENRES)], GENRES[(k * 3 + 1) % len(GENRES)]],
                 overview=f"The plot of {title}.", tagline=f"{title}: the tagline.",
                 community_rating=round(5.0 + k % 50 / 10, 1), critic_rating=float(40 + k % 60),
                 premiere_date=date(year, 1 + k % 12, 1 + k % 28),
                 path=f"/data/movies/{title} ({year})/{title} ({year}).mkv")


def _show(k: int, seed: int) -> Show:
    title, year = f"Generated Show {k:03d}", 2000 + k % 20
    return Show(hex_id(seed, "show", k), title, year, imdb=f"tt{8000000 + k:07d}", tmdb=800000 + k,
                tvdb=700000 + k, status="Ended" if k % 3 == 0 else "Continuing",
                genres=[GENRES[(k + 2) % len(GENRES)]], overview=f"The premise of {title}.",
                premiere_date=date(year, 1 + k % 12, 1 + k % 28), community_rating=round(6.0 + k % 40 / 10, 1),
                air_time=f"{19 + k % 4}:{30 * (k % 2):02d}" if k % 3 else None,
                air_days=[DAYS[k % 7]] if k % 3 else [])


def _episode(show: Show, season: Season, number: int, running: int, seed: int) -> Episode:
    first = show.premiere_date or date(show.year, 1, 1)
    code = f"S{season.number:02d}E{number:02d}"
    return Episode(hex_id(seed, "episode", show.item_id, season.number, number), season.number, number,
                   f"Episode {number}", air_date=first + timedelta(days=365 * (season.number - 1) + 7 * (number - 1)),
                   tvdb=5000000 + running, overview=f"{show.title} {code}.",
                   path=f"/data/tv/{show.title} ({show.year})/Season {season.number:02d}/"
                        f"{show.title} ({show.year}) - {code}.mkv")


class MediaServer(FakeServer):
    """What both fakes are: a FakeServer whose answers leave at once. http.server writes the headers and the body
    separately; without TCP_NODELAY a keep-alive client waits out Nagle and delayed ACK (~45 ms) on every answer:
    400 Plex allLeaves requests took 18 s instead of 0.4 s."""

    def _handler_class(self) -> type:
        class Handler(super()._handler_class()):  # type: ignore[misc]
            disable_nagle_algorithm = True

        return Handler


class Derived(Generic[T]):
    """A value built from the library (each item's JSON, say), rebuilt only when ``library.version`` moves."""

    def __init__(self, library: Library, build: Callable[[], T]):
        self.library, self._build = library, build
        self._lock = threading.Lock()
        self._version: int | None = None
        self._value: T | None = None

    def get(self) -> T:
        with self._lock:
            if self._version != self.library.version or self._value is None:
                self._version = self.library.version
                self._value = self._build()
            return self._value


def served(shape: dict[str, Any], broken: bool, title: str, year: str, bad_year: str) -> dict[str, Any]:
    """An item as the server writes it: absent values left out (neither server writes nulls); a broken item without
    its ``title`` key and with ``bad_year`` as its ``year``, for a careful client to reject."""
    shape = {key: value for key, value in shape.items() if value is not None}
    if broken:
        shape.pop(title, None)
        shape[year] = bad_year
    return shape


def count_param(text: str | None, default: int | None) -> int | None:
    """A paging number from a query parameter or header: ``default`` when absent; ValueError when not a count."""
    if text is None or text == "":
        return default
    value = int(text)
    if value < 0:
        raise ValueError(text)
    return value


_RANGE = re.compile(r"bytes=(\d*)-(\d*)")


def media_reply(path: str, range_header: str | None) -> Reply:
    """``VIDEO`` as the file at ``path``, honouring one ``Range: bytes=a-b | a- | -n`` (206, or 416 past the end);
    anything else in Range is ignored and the whole file sent, as RFC 9110 allows."""
    total = len(VIDEO)
    headers = {"Content-Type": MEDIA_TYPES.get(path.rsplit(".", 1)[-1].lower(), "application/octet-stream"),
               "Accept-Ranges": "bytes"}
    match = _RANGE.fullmatch((range_header or "").strip())
    if not match or match.groups() == ("", ""):
        return Reply(200, VIDEO, headers)
    first, last = match.groups()
    start, end = (int(first), min(int(last or total - 1), total - 1)) if first else (max(total - int(last), 0),
                                                                                    total - 1)
    if start >= total or start > end:
        return Reply(416, b"", {**headers, "Content-Range": f"bytes */{total}"})
    return Reply(206, VIDEO[start:end + 1], {**headers, "Content-Range": f"bytes {start}-{end}/{total}"})
