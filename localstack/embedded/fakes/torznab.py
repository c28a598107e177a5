"""A fake Torznab indexer (what Prowlarr and Jackett expose) for tests, the bench and ``make dev``.

A real HTTP server speaking Torznab XML: ``t=caps``, ``search``, ``tvsearch`` and ``movie`` with
``q``/``season``/``ep``/``imdbid``/``tmdbid``/``tvdbid``/``cat`` filters, ``offset``/``limit`` paging,
``<error code= description=>`` for a wrong API key or an unknown function, and results with magnet
links or .torrent links served by itself (``/download/<n>.torrent``). ``seed()`` makes a release
whose torrent a real libtorrent peer on 127.0.0.1 seeds (``embedded.testpeers``), so a pick can be
downloaded for real. Failure modes for tests: ``mode = "hang" | "garbage" | "http500" | "bomb"`` and
``delay`` (seconds before every answer)::

    indexer = FakeIndexer([FakeRelease("Show.S01E02.1080p.WEB-DL.x264-GRP", tvdbid=81189)]).start()
    indexer.url, indexer.api_key  # register these as an indexer
    indexer.stop()

``python -m embedded.fakes.torznab`` runs `make dev`'s demo indexer (every demo title; prints its URL).
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote
from xml.sax.saxutils import quoteattr

from embedded.fakes import FakeServer, Recorded, Reply

XML = "application/rss+xml; charset=utf-8"
_EPISODE = re.compile(r"\bS(\d{1,3})(?:E(\d{1,4}))?\b", re.I)
_BOMB = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
         b'<rss><channel><item><title>&lol2;</title></item></channel></rss>')
DEFAULT_PARAMS = {"search": "q", "tv-search": "q,season,ep,imdbid,tvdbid,tmdbid", "movie-search": "q,imdbid,tmdbid"}


@dataclass
class FakeRelease:
    """One result. ``magnet`` / ``torrent``: how it is offered (a torrent is served by the fake);
    ``link``: a link to give instead (e.g. another host's); ids: what ``tvsearch``/``movie`` match."""

    name: str
    size: int = 1_400_000_000
    seeders: int = 40
    leechers: int = 4
    infohash: str | None = None
    magnet: str | None = None
    torrent: bytes | None = None
    link: str | None = None
    publish_infohash: bool = True
    category: int = 5000
    imdbid: str | None = None
    tmdbid: int | None = None
    tvdbid: int | None = None
    published: datetime = field(default_factory=lambda: datetime(2026, 1, 1, tzinfo=UTC))

    def __post_init__(self) -> None:
        if self.infohash is None:
            self.infohash = hashlib.sha1(self.name.encode()).hexdigest()  # noqa: S324 - a stable fake hash
        if self.magnet is None and self.torrent is None and self.link is None:
            self.magnet = f"magnet:?xt=urn:btih:{self.infohash}&dn={quote(self.name)}"


class FakeIndexer(FakeServer):
    name = "torznab"

    def __init__(self, releases: list[FakeRelease] | None = None, *, api_key: str | None = "fake-torznab-key",
                 params: dict[str, str] | None = None, limit_max: int = 100, host: str = "127.0.0.1"):
        super().__init__(host=host)
        self.releases = list(releases or [])
        self.api_key = api_key
        self.params = {**DEFAULT_PARAMS, **(params or {})}
        self.limit_max = limit_max
        self.mode = "ok"
        self.delay = 0.0
        self._released = threading.Event()
        self._peers: tuple[Any, Any] | None = None

    @property
    def url(self) -> str:
        return f"{self.origin}/api"

    def stop(self) -> None:
        self._released.set()  # hung handlers answer now
        super().stop()
        if self._peers:
            seeder, tracker = self._peers
            seeder.close()
            tracker.close()

    # -- releases seeded by a real peer

    def seed(self, path: Path, name: str | None = None, *, as_torrent: bool = False, size: int | None = None,
             **fields: Any) -> FakeRelease:
        """Seed ``path`` (a file or folder) with a libtorrent peer on 127.0.0.1 and offer it as a result
        (a magnet, or with ``as_torrent`` a .torrent link on this server); ``size`` overrides the size shown."""
        from embedded.testpeers import Seeder, Tracker

        if self._peers is None:
            tracker = Tracker()
            self._peers = (Seeder(tracker), tracker)
        seeded = self._peers[0].seed(path, peer_in_magnet=True)
        actual = sum(p.stat().st_size for p in ([path] if path.is_file() else path.rglob("*")) if p.is_file())
        release = FakeRelease(name or path.name, size=size or actual, infohash=seeded.info_hash,
                              magnet=None if as_torrent else seeded.magnet,
                              torrent=seeded.torrent if as_torrent else None, **fields)
        self.releases.append(release)
        return release

    # -- HTTP

    def handle(self, request: Recorded) -> Reply:
        if self.delay:
            self._released.wait(self.delay)
        if self.mode == "hang":
            self._released.wait(120)
            return Reply(504, b"")
        if request.path.startswith("/download/"):
            return self._download(request)
        if request.path != "/api":
            return Reply(404, b"not found")
        return self._api(request)

    def _api(self, request: Recorded) -> Reply:
        answers = {"garbage": Reply(200, b"\x00\xffthis is <not xml", {"Content-Type": XML}),
                   "http500": Reply(500, b"<html>Internal Server Error</html>"),
                   "bomb": Reply(200, _BOMB, {"Content-Type": XML})}
        if self.mode in answers:
            return answers[self.mode]
        if self.api_key is not None and request.query.get("apikey") != self.api_key:
            return _error(100, "Incorrect user credentials")
        function = request.query.get("t", "")
        if function == "caps":
            return Reply(200, self._caps(), {"Content-Type": XML})
        if function in ("search", "tvsearch", "movie"):
            return Reply(200, self._feed(request.query), {"Content-Type": XML})
        return _error(202, f"No such function ({function[:20]})")

    def _download(self, request: Recorded) -> Reply:
        match = re.fullmatch(r"/download/(\d+)\.torrent", request.path)
        index = int(match.group(1)) if match else -1
        wrong_key = self.api_key is not None and request.query.get("apikey") != self.api_key
        if wrong_key or not 0 <= index < len(self.releases):
            return Reply(404, b"not found")
        torrent = self.releases[index].torrent
        if torrent is None:
            return Reply(404, b"not found")
        return Reply(200, torrent, {"Content-Type": "application/x-bittorrent"})

    def _caps(self) -> bytes:
        modes = "".join(f'<{mode} available="yes" supportedParams="{params}"/>' for mode, params in self.params.items())
        return (f'<?xml version="1.0" encoding="UTF-8"?><caps><server title="seen fake indexer"/>'
                f'<limits max="{self.limit_max}" default="{min(50, self.limit_max)}"/>'
                f'<searching>{modes}</searching><categories>'
                '<category id="2000" name="Movies"><subcat id="2040" name="Movies/HD"/></category>'
                '<category id="5000" name="TV"><subcat id="5040" name="TV/HD"/></category>'
                '</categories></caps>').encode()

    def _feed(self, query: dict[str, str]) -> bytes:
        found = [(i, r) for i, r in enumerate(self.releases) if _matches(r, query)]
        offset = _int(query.get("offset"), 0)
        limit = min(_int(query.get("limit"), 50) or 50, self.limit_max)
        items = "".join(self._item(i, r) for i, r in found[offset:offset + limit])
        return ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
                'xmlns:torznab="http://torznab.com/schemas/2015/feed"><channel><title>fake</title>'
                f'<torznab:response offset="{offset}" total="{len(found)}"/>{items}</channel></rss>').encode()

    def _item(self, index: int, r: FakeRelease) -> str:
        key = f"?apikey={self.api_key}" if self.api_key is not None else ""
        link = r.link or (f"{self.origin}/download/{index}.torrent{key}" if r.torrent else r.magnet)
        attrs = {"seeders": r.seeders, "peers": r.seeders + r.leechers, "size": r.size, "category": r.category}
        if r.publish_infohash:
            attrs["infohash"] = r.infohash
        if r.magnet and not r.link:
            attrs["magneturl"] = r.magnet
        attr_xml = "".join(f"<torznab:attr name={quoteattr(k)} value={quoteattr(str(v))}/>" for k, v in attrs.items())
        return (f"<item><title>{_esc(r.name)}</title><guid>{_esc(r.infohash or str(index))}</guid>"
                f"<link>{_esc(link or '')}</link><size>{r.size}</size>"
                f"<pubDate>{format_datetime(r.published)}</pubDate>"
                f'<enclosure url={quoteattr(link or "")} length="{r.size}" type="application/x-bittorrent"/>'
                f"{attr_xml}</item>")

    def _handler_class(self) -> type:
        base = super()._handler_class()
        fake = self

        class Handler(base):  # type: ignore[misc, valid-type]
            def _serve(self) -> None:
                from urllib.parse import parse_qs, urlsplit

                parts = urlsplit(self.path)
                query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
                reply = fake._dispatch(Recorded(self.command, parts.path, query,
                                                            {k.lower(): v for k, v in self.headers.items()}, ""))
                body = reply.body if isinstance(reply.body, bytes) else str(reply.body).encode()
                try:
                    self.send_response(reply.status)
                    for name, value in {"Content-Type": "text/plain", **reply.headers}.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:  # the client gave up (a timeout): nothing to answer
                    pass

            do_GET = do_POST = _serve

        return Handler

    def __enter__(self) -> FakeIndexer:
        return self.start()  # type: ignore[return-value]


def _error(code: int, description: str) -> Reply:
    body = f'<?xml version="1.0" encoding="UTF-8"?><error code="{code}" description={quoteattr(description)}/>'
    return Reply(200, body.encode(), {"Content-Type": XML})


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _int(value: str | None, default: int) -> int:
    return int(value) if value and value.isdigit() and len(value) < 10 else default


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def _matches(r: FakeRelease, query: dict[str, str]) -> bool:
    """q words, season/episode, category; ids only when the release has some (one without any ids
    answers every id search: tests build results by name alone)."""
    ids = (("imdbid", r.imdbid), ("tmdbid", r.tmdbid), ("tvdbid", r.tvdbid))
    for param, value in ids if any(value for _, value in ids) else ():
        wanted = query.get(param)
        if wanted and (value is None or str(value).removeprefix("tt") != wanted.removeprefix("tt")):
            return False
    name = _words(r.name)
    if any(word not in name for word in _words(query.get("q", ""))):
        return False
    cats = {c for c in query.get("cat", "").split(",") if c.isdigit()}
    if cats and str(r.category) not in cats and str(r.category // 1000 * 1000) not in cats:
        return False
    return _episode_matches(r.name, query.get("season"), query.get("ep"))


def _episode_matches(name: str, season: str | None, episode: str | None) -> bool:
    if not season:
        return True
    found = _EPISODE.search(name)
    if not found or int(found.group(1)) != int(season):
        return False
    # A season pack answers an episode search too (as many trackers' text search does).
    return not episode or found.group(2) is None or int(found.group(2)) == int(episode)


def start_demo(root: Path) -> FakeIndexer:
    """``make dev``'s demo indexer: every demo-catalog title, with real clips (``embedded.fakes.demo_indexer``)."""
    from embedded.fakes.demo_indexer import start_demo as start  # it builds on this module

    return start(root)


def _main() -> None:
    import tempfile

    indexer = start_demo(Path(tempfile.mkdtemp(prefix="seen-torznab-")))
    print(f"fake Torznab indexer: url={indexer.url} apikey={indexer.api_key}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        indexer.stop()


if __name__ == "__main__":
    _main()
