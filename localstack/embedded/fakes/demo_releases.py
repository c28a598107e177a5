"""The demo indexer's releases: several per title of the bundled demo catalog, named as scene releases are.

Every released movie gets four (2160p x265 HDR, 1080p BluRay x264, 1080p BluRay DTS, 720p WEB-DL) and every
aired episode of a show two (1080p WEB-DL, 720p HDTV), plus a 1080p BluRay pack per season whose episodes
have all aired (a folder with one file per episode, named SxxEyy). Titles not out yet have none, as on a real
tracker. Sizes shown follow the runtime (a 1080p BluRay encode is ~80 MB a minute); seeders and groups vary
by name but never between runs. What the files hold is a short real clip of ``embedded.demo_media`` (the
quality tags say which: x265 -> HEVC, DTS -> DTS audio, WEB-DL movie -> embedded subtitles).

Nothing here is built ahead: ``DemoCatalog.releases(query)`` makes the releases of the titles a Torznab query
asks for (by imdbid, tmdbid, or the words of ``q``), which takes well under a millisecond.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

MB = 1_000_000
_TAG = re.compile(r"^(s\d{1,3}(e\d{1,4})?|(19|20)\d\d)$")
_MOVIE_GROUPS = ("SPARKS", "AMIABLE", "FGT", "TERMiNAL", "CtrlHD", "NTb", "FLUX", "HiFi", "DON", "EVO")
_SHOW_GROUPS = ("NTb", "KiNGS", "FLUX", "CAKES", "GGEZ", "ROVERS", "DEMAND", "KILLERS")


@dataclass(frozen=True)
class Payload:
    """One file of a release: its name inside the torrent and the demo clip (``demo_media.DEMO`` key) it holds."""

    name: str
    clip: str


@dataclass(frozen=True)
class DemoRelease:
    name: str
    size: int  # as shown in the feed
    seeders: int
    leechers: int
    category: int
    files: tuple[Payload, ...]
    folder: bool  # a multi-file torrent named like the release (a season pack)
    ids: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class Title:
    kind: str  # movie | show
    title: str
    year: int | None
    runtime: int
    tmdb: int | None
    imdb: str | None
    seasons: tuple[tuple[int, tuple[int, ...], bool], ...] = ()  # (season, aired episodes, all aired)

    @cached_property
    def scene(self) -> str:
        return scene_name(self.title)

    @cached_property
    def words(self) -> tuple[str, ...]:
        return tuple(words(self.title))


def scene_name(title: str) -> str:
    """``Léon: The Professional`` -> ``Leon.The.Professional`` (ASCII, no apostrophes, & -> and)."""
    text = re.sub(r"['’`]", "", title.replace("&", " and "))  # noqa: RUF001 - typographic apostrophes too
    # Punctuation and symbols separate words (WALL·E -> WALL.E); accents go (Léon -> Leon).
    text = "".join(" " if unicodedata.category(c)[0] in "PS" else c for c in text)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return ".".join(re.findall(r"[A-Za-z0-9]+", text))


def words(text: str) -> list[str]:
    return [w.lower() for w in scene_name(text).split(".") if w]


def _hash(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")


def _vary(name: str, value: float, spread: float = 0.08) -> int:
    """``value`` give or take ``spread``, the same every time for ``name``."""
    return int(value * (1 - spread + 2 * spread * (_hash(name) % 1000) / 1000))


def _group(groups: tuple[str, ...], *parts: Any) -> str:
    return groups[_hash("/".join(map(str, parts))) % len(groups)]


def _peers(name: str, most: int) -> tuple[int, int]:
    seeders = 3 + _hash(name) % most
    return seeders, _hash(name[::-1]) % max(2, seeders // 8)


# (quality tags, MB per minute, most seeders, clip, extension) of a movie's releases.
_MOVIE_KINDS = (
    ("2160p.UHD.BluRay.x265.10bit.HDR.DDP5.1", 170, 90, "movie_hevc_mkv", "mkv"),
    ("1080p.BluRay.x264", 80, 400, "movie_mp4", "mp4"),
    ("1080p.BluRay.DTS.x264", 95, 120, "movie_dts_mkv", "mkv"),
    ("720p.WEB-DL.AAC2.0.H.264", 33, 200, "movie_subs_mkv", "mkv"),
)


def movie_releases(title: Title) -> list[DemoRelease]:
    stem = f"{title.scene}.{title.year}" if title.year else title.scene
    ids = {"imdbid": title.imdb, "tmdbid": title.tmdb}
    releases = []
    for tags, per_minute, most, clip, ext in _MOVIE_KINDS:
        name = f"{stem}.{tags}-{_group(_MOVIE_GROUPS, title.title, tags)}"
        seeders, leechers = _peers(name, most)
        releases.append(DemoRelease(name, _vary(name, title.runtime * per_minute * MB), seeders, leechers, 2040,
                                    (Payload(f"{name}.{ext}", clip),), folder=False, ids=ids))
    return releases


def episode_clip(episode: int) -> str:
    from embedded.demo_media import EPISODE_CLIPS

    return f"episode_{(episode - 1) % EPISODE_CLIPS + 1}"


def episode_releases(title: Title, season: int, episode: int) -> list[DemoRelease]:
    ids = {"tmdbid": title.tmdb, "imdbid": title.imdb}
    tag = f"S{season:02d}E{episode:02d}"
    releases = []
    for tags, per_minute, most in (("1080p.WEB-DL.DDP5.1.H.264", 45, 150), ("720p.HDTV.x264", 23, 60)):
        name = f"{title.scene}.{tag}.{tags}-{_group(_SHOW_GROUPS, title.title, tags)}"
        seeders, leechers = _peers(name, most)
        releases.append(DemoRelease(name, _vary(name, title.runtime * per_minute * MB), seeders, leechers, 5040,
                                    (Payload(f"{name}.mp4", episode_clip(episode)),), folder=False, ids=ids))
    return releases


def season_pack(title: Title, season: int, episodes: tuple[int, ...]) -> DemoRelease:
    group = _group(_SHOW_GROUPS, title.title, season, "pack")
    name = f"{title.scene}.S{season:02d}.1080p.BluRay.x264-{group}"
    files = tuple(Payload(f"{title.scene}.S{season:02d}E{e:02d}.1080p.BluRay.x264-{group}.mp4", episode_clip(e))
                  for e in episodes)
    seeders, leechers = _peers(name, 120)
    return DemoRelease(name, _vary(name, len(episodes) * title.runtime * 55 * MB), seeders, leechers, 5040, files,
                       folder=True, ids={"tmdbid": title.tmdb, "imdbid": title.imdb})


def show_releases(title: Title, season: int | None = None, episode: int | None = None) -> list[DemoRelease]:
    """Single episodes first, then season packs (a pack answers an episode search too, as trackers do)."""
    singles, packs = [], []
    for number, aired, complete in title.seasons:
        if season is not None and number != season:
            continue
        for ep in aired:
            if episode is None or ep == episode:
                singles += episode_releases(title, number, ep)
        if complete and aired:
            packs.append(season_pack(title, number, aired))
    return singles + packs


class DemoCatalog:
    """The demo catalog's movies and shows, found by id or by the words of a title."""

    def __init__(self, titles: list[Title]):
        self.titles = titles
        self._by_id: dict[tuple[str, str], list[Title]] = {}
        self._by_words: dict[tuple[str, ...], list[Title]] = {}
        for title in titles:
            self._by_words.setdefault(title.words, []).append(title)
            for key, value in (("imdbid", title.imdb), ("tmdbid", title.tmdb)):
                if value:
                    self._by_id.setdefault((key, str(value).removeprefix("tt")), []).append(title)

    @classmethod
    def load(cls, today: date | None = None) -> DemoCatalog:
        """Released titles of ``chalicelib/catalog/demo_data`` (episodes aired by ``today``)."""
        from chalicelib.catalog import demo  # the catalog's own records: the same data and derived air dates

        today = today or date.today()
        titles = [Title("movie", r.title, r.release_date.year, r.runtime_minutes or 110, r.tmdb_id, r.imdb_id)
                  for r in demo.movie_records(today) if r.release_date and r.release_date <= today]
        for record in demo.show_records(today):
            seasons = []
            for season in record.seasons or ():
                episodes = season.episodes or []
                aired = tuple(e.episode_number for e in episodes if e.air_date and e.air_date <= today)
                seasons.append((season.season_number, aired, len(aired) == len(episodes)))
            if any(aired for _, aired, _ in seasons):
                year = record.release_date.year if record.release_date else None
                titles.append(Title("show", record.title, year, record.runtime_minutes or 45, record.tmdb_id,
                                    record.imdb_id, tuple(seasons)))
        return cls(titles)

    def find(self, query: dict[str, str], most: int = 5) -> list[Title]:
        """The titles a Torznab query is about: by id when it sends one, else by the words of ``q``."""
        function = query.get("t", "search")
        kind = {"movie": "movie", "tvsearch": "show"}.get(function)
        for param in ("imdbid", "tmdbid"):
            if query.get(param):
                found = self._by_id.get((param, query[param].removeprefix("tt")), [])
                return [t for t in found if kind in (None, t.kind)]
        asked = words(query.get("q", ""))
        for end in range(len(asked), 0, -1):  # "1917 2019", "Breaking Bad S01E02": the title, then tags
            found = [t for t in self._by_words.get(tuple(asked[:end]), []) if kind in (None, t.kind)]
            if found and all(_TAG.match(w) for w in asked[end:]):
                return found
        wanted = {w for w in asked if not _TAG.match(w)}
        return [t for t in self.titles if wanted and kind in (None, t.kind) and wanted <= set(t.words)][:most]

    def releases(self, query: dict[str, str]) -> list[DemoRelease]:
        """Every release of the titles ``query`` is about (the caller filters by season, episode and words)."""
        season, episode = _number(query.get("season")), _number(query.get("ep"))
        found: list[DemoRelease] = []
        for title in self.find(query):
            if title.kind == "movie":
                found += movie_releases(title)
            else:
                found += show_releases(title, season, episode)
        return found


def _number(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 6 else None
