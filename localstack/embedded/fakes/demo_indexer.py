"""``make dev``'s demo indexer: a Torznab feed of every demo-catalog title whose releases really download and play.

``DemoIndexer`` answers ``search``/``movie``/``tvsearch`` (by ``q``, ``imdbid``, ``tmdbid``, ``season``/``ep``)
with the releases of ``demo_releases`` and seeds each release it shows from a libtorrent peer on 127.0.0.1.
Nothing is hashed ahead: a release is made when a feed first lists it. Its files are hard links to the
cached clips of ``embedded.demo_media`` under ``root/<infohash>/``, named like the release (so the library
scanner matches them), and its torrent is built here from piece hashes computed once per clip (v1, 256 KiB
pieces) and added to the peer in seed mode (no re-check). At most ``MAX_SEEDED`` releases are seeded; the
least recently listed one is dropped (and made again if it is listed again).

Half the releases are offered as magnets (with the peer's address), half as .torrent links on this server.
The peer uploads at ``upload_rate`` (768 KiB/s by default), so a download lasts long enough to see it, and
to press Play while it runs.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import fastbencode

from embedded import demo_media
from embedded.fakes import Recorded, Reply
from embedded.fakes.demo_releases import DemoCatalog, DemoRelease, words
from embedded.fakes.torznab import FakeIndexer, FakeRelease, _int, _matches

PIECE = 256 * 1024
MAX_SEEDED = 256
UPLOAD_RATE = 768 * 1024
CLIP_WAIT = 8.0  # seconds a search waits for the first run's clips (the client gives an indexer 10 s)


@dataclass
class Offer:
    infohash: str
    torrent: bytes
    magnet: str
    folder: Path
    handle: object


def _pieces(paths: tuple[Path, ...]) -> bytes:
    """SHA-1 of each PIECE of the files read one after the other (BitTorrent v1)."""
    out, buffer = bytearray(), bytearray()
    for path in paths:
        with open(path, "rb") as source:
            while chunk := source.read(PIECE - len(buffer)):
                buffer += chunk
                if len(buffer) == PIECE:
                    out += hashlib.sha1(buffer).digest()  # noqa: S324 - BitTorrent v1 piece hashes are SHA-1
                    buffer.clear()
    if buffer:
        out += hashlib.sha1(buffer).digest()  # noqa: S324
    return bytes(out)


def _link(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        return
    try:
        os.link(source, target)
    except OSError:  # another file system: a copy
        shutil.copyfile(source, target)


class DemoSwarm:
    """Seeds demo releases on demand from one libtorrent peer (and its tracker) on 127.0.0.1."""

    def __init__(self, root: Path, media: Path, upload_rate: int = UPLOAD_RATE):
        from embedded.testpeers import Seeder, Tracker

        self.root, self.media = root, media
        self.tracker = Tracker()
        self.seeder = Seeder(self.tracker, upload_rate=upload_rate)
        self.offers: OrderedDict[str, Offer] = OrderedDict()  # by release name, least recently listed first
        self.listed: dict[str, DemoRelease] = {}  # every release ever seeded, by info hash (a few hundred bytes each)
        self._pieces: dict[tuple[Path, ...], bytes] = {}
        self._lock = threading.Lock()

    def offer(self, release: DemoRelease, wait: float = 0.0) -> Offer:
        """The release, seeded (made now if it is not); ClipNotReady while its clips are still being made."""
        with self._lock:
            offer = self.offers.get(release.name)
            if offer is not None:
                self.offers.move_to_end(release.name)
                return offer
        clips = tuple(demo_media.demo_clip(f.clip, self.media, timeout=wait) for f in release.files)
        with self._lock:
            if release.name not in self.offers:
                self.offers[release.name] = self._seed(release, clips)
                self.listed[self.offers[release.name].infohash] = release
                while len(self.offers) > MAX_SEEDED:
                    self._drop(self.offers.popitem(last=False)[1])
            return self.offers[release.name]

    def by_infohash(self, infohash: str) -> Offer | None:
        with self._lock:
            return next((o for o in self.offers.values() if o.infohash == infohash), None)

    def again(self, infohash: str) -> Offer | None:
        """A release listed before (its .torrent link may be in a cached search), seeded again if it was
        dropped; None for an info hash never listed."""
        release = self.listed.get(infohash)
        return self.offer(release) if release is not None else None

    def _seed(self, release: DemoRelease, clips: tuple[Path, ...]) -> Offer:
        lt = self.seeder.lt
        pieces = self._pieces.get(clips)
        if pieces is None:
            pieces = self._pieces[clips] = _pieces(clips)
        if release.folder:
            info = {b"name": release.name.encode(), b"piece length": PIECE, b"pieces": pieces,
                    b"files": [{b"length": c.stat().st_size, b"path": [f.name.encode()]}
                               for f, c in zip(release.files, clips, strict=True)]}
        else:
            info = {b"name": release.files[0].name.encode(), b"length": clips[0].stat().st_size,
                    b"piece length": PIECE, b"pieces": pieces}
        infohash = hashlib.sha1(fastbencode.bencode(info)).hexdigest()  # noqa: S324 - the v1 info hash
        folder = self.root / infohash
        base = folder / release.name if release.folder else folder
        for payload, clip in zip(release.files, clips, strict=True):
            _link(clip, base / payload.name)
        torrent = fastbencode.bencode({b"announce": self.tracker.url.encode(), b"created by": b"seen demo indexer",
                                       b"info": info})
        params = lt.add_torrent_params()
        params.ti = lt.torrent_info(torrent)
        params.save_path = str(folder)
        params.flags |= lt.torrent_flags.seed_mode  # the files are the clips: no need to read them back
        handle = self.seeder.session.add_torrent(params)
        magnet = (f"magnet:?xt=urn:btih:{infohash}&dn={quote(release.name)}"
                  f"&tr={quote(self.tracker.url, safe='')}&x.pe=127.0.0.1:{self.seeder.port}")
        return Offer(infohash, torrent, magnet, folder, handle)

    def _drop(self, offer: Offer) -> None:
        self.seeder.session.remove_torrent(offer.handle)
        shutil.rmtree(offer.folder, ignore_errors=True)

    def close(self) -> None:
        self.seeder.close()
        self.tracker.close()


class DemoIndexer(FakeIndexer):
    """A Torznab indexer (no API key) over every demo-catalog title; releases seeded when first listed."""

    def __init__(self, root: Path, *, media: Path = demo_media.DEMO_CACHE, upload_rate: int = UPLOAD_RATE,
                 catalog: DemoCatalog | None = None):
        super().__init__(api_key=None)
        self.catalog = catalog or DemoCatalog.load()
        self.swarm = DemoSwarm(root, media, upload_rate)

    def stop(self) -> None:
        super().stop()
        self.swarm.close()
        shutil.rmtree(self.swarm.root, ignore_errors=True)

    def _feed(self, query: dict[str, str]) -> bytes:
        # The titles are found by id already (a tvdbid, which the demo catalog lacks, must not rule them out);
        # trackers' text search forgives punctuation: "Schindler's List" finds Schindlers.List.
        matching = {k: v for k, v in query.items() if k not in ("imdbid", "tmdbid", "tvdbid")}
        matching["q"] = " ".join(words(query.get("q", "")))
        found = [r for r in self.catalog.releases(query) if _matches(_as_fake(r), matching)]
        offset = _int(query.get("offset"), 0)
        limit = min(_int(query.get("limit"), 50) or 50, self.limit_max)
        items, budget = [], CLIP_WAIT
        for release in found[offset:offset + limit]:
            try:
                items.append(self._item(0, self._offered(release, budget)))
            except demo_media.ClipNotReady:  # the first run's clips are still being made: list what is ready
                budget = 0.0
        return ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
                'xmlns:torznab="http://torznab.com/schemas/2015/feed"><channel><title>seen demo indexer</title>'
                f'<torznab:response offset="{offset}" total="{len(found)}"/>{"".join(items)}</channel></rss>').encode()

    def _offered(self, release: DemoRelease, wait: float) -> FakeRelease:
        offer = self.swarm.offer(release, wait)
        as_torrent = int(offer.infohash[-1], 16) % 2 == 1
        return FakeRelease(release.name, size=release.size, seeders=release.seeders, leechers=release.leechers,
                           infohash=offer.infohash, category=release.category,
                           magnet=None if as_torrent else offer.magnet,
                           link=f"{self.origin}/download/{offer.infohash}.torrent" if as_torrent else None,
                           **{k: v for k, v in release.ids.items() if v})

    def _download(self, request: Recorded) -> Reply:
        match = re.fullmatch(r"/download/([0-9a-f]{40})\.torrent", request.path)
        offer = self.swarm.again(match.group(1)) if match else None
        if offer is None:
            return Reply(404, b"not found")
        return Reply(200, offer.torrent, {"Content-Type": "application/x-bittorrent"})


def _as_fake(release: DemoRelease) -> FakeRelease:
    return FakeRelease(release.name, category=release.category, infohash="0" * 40,
                       **{k: v for k, v in release.ids.items() if v})


def start_demo(root: Path, *, media: Path = demo_media.DEMO_CACHE, upload_rate: int = UPLOAD_RATE) -> DemoIndexer:
    """The demo indexer, started, with the demo clips being made in the background (made once, then cached).
    Its links live in ``root/<pid>/`` (several stacks may run at once); those of stopped processes go now."""
    demo_media.start_background(media)
    root.mkdir(parents=True, exist_ok=True)
    for old in root.iterdir():
        if not (old.name.isdigit() and _alive(int(old.name))):
            shutil.rmtree(old, ignore_errors=True)
    own = root / str(os.getpid())
    own.mkdir(exist_ok=True)
    return DemoIndexer(own, media=media, upload_rate=upload_rate).start()  # type: ignore[return-value]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
