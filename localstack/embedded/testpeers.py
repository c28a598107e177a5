"""Local peers for downloads without the internet: a BitTorrent seeder + tracker, an HTTP file server.

Used by the download tests, the bench and by hand against ``make dev``::

    PYTHONPATH=localstack:. .venv/bin/python -m embedded.testpeers seed --size-mib 32
    PYTHONPATH=localstack:. .venv/bin/python -m embedded.testpeers serve --size-mib 32

Everything listens on 127.0.0.1 only. The seeder runs libtorrent with uTP,
DHT, LSD and UPnP off (loopback at full speed, nothing leaves the machine).
The tracker never hands a peer its own address: libtorrent bans an address
that turns out to be itself, and on loopback every peer shares 127.0.0.1.
The file server speaks Range/If-Range and can cut connections, fail with a
status or throttle, to exercise the HTTP engine's resume path.
"""

from __future__ import annotations

import argparse
import email.utils
import hashlib
import json
import os
import random
import signal
import socket
import struct
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote, urlsplit

import fastbencode

from embedded.services import free_port


def make_file(path: Path, size: int, seed: int = 0) -> str:
    """Write ``size`` pseudo-random bytes to ``path``; returns their sha256."""
    path.parent.mkdir(parents=True, exist_ok=True)
    rng, digest, left = random.Random(seed or size), hashlib.sha256(), size  # noqa: S311 - test data
    with open(path, "wb") as out:
        while left:
            chunk = rng.randbytes(min(left, 4 * 1024 * 1024))
            out.write(chunk)
            digest.update(chunk)
            left -= len(chunk)
    return digest.hexdigest()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as source:
        while chunk := source.read(4 * 1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


class _Quiet(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address) -> None:
        pass  # a peer hanging up mid-response is what these servers are for


# --- tracker -----------------------------------------------------------------


class Tracker:
    """A minimal HTTP tracker (BEP 3 + compact peers, BEP 23) on 127.0.0.1."""

    def __init__(self) -> None:
        self.swarms: dict[bytes, dict[tuple[str, int], float]] = {}
        self.announces = 0
        tracker = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:
                body = tracker.announce(self.path, self.client_address[0])
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = _Quiet(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/announce"
        self._thread = threading.Thread(target=self.server.serve_forever, name="tracker", daemon=True)
        self._thread.start()

    def announce(self, path: str, ip: str) -> bytes:
        parts = urlsplit(path)
        if parts.path != "/announce":
            return fastbencode.bencode({b"failure reason": b"unknown path"})
        query = parse_qs(parts.query, encoding="latin-1")
        try:
            info_hash = query["info_hash"][0].encode("latin-1")
            port = int(query["port"][0])
        except (KeyError, ValueError):
            return fastbencode.bencode({b"failure reason": b"bad announce"})
        self.announces += 1
        swarm = self.swarms.setdefault(info_hash, {})
        if query.get("event", [""])[0] == "stopped":
            swarm.pop((ip, port), None)
        else:
            swarm[(ip, port)] = time.monotonic()
        others = [peer for peer in swarm if peer != (ip, port)]  # never the requester itself
        compact = b"".join(socket.inet_aton(host) + struct.pack(">H", p) for host, p in others)
        return fastbencode.bencode({b"interval": 5, b"min interval": 1, b"complete": len(others),
                                    b"incomplete": 0, b"peers": compact})

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


# --- seeder ------------------------------------------------------------------


@dataclass
class Seeded:
    name: str
    torrent: bytes
    info_hash: str  # v1 hex
    magnet: str
    path: Path


def loopback_settings(port: int = 0) -> dict:
    import libtorrent as lt

    return {
        "listen_interfaces": f"127.0.0.1:{port}",
        "enable_dht": False, "enable_lsd": False, "enable_upnp": False, "enable_natpmp": False,
        # TCP only: uTP on loopback runs ~15 MB/s (TCP ~110), and a uTP peer does not learn that a killed
        # downloader is gone (no RST), so the restarted worker got nothing from it for over a minute. A worker
        # with uTP on tries it first and waits libtorrent's ~4 s uTP connect timeout per peer: the test stacks
        # run theirs with SEEN_TORRENT_UTP=false.
        "enable_outgoing_utp": False, "enable_incoming_utp": False,
        "allow_multiple_connections_per_ip": True,
        # Every torrent seeds: libtorrent's queue would pause all but 5 (active_seeds) and rotate them every 30
        # s, so a demo release listed after five others waited ~45 s (or for ever) for its first peer.
        "active_seeds": -1, "active_limit": -1, "active_downloads": -1,
        "alert_mask": lt.alert.category_t.error_notification,
    }


def make_torrent(path: Path, tracker: str | None = None, piece_size: int = 0, flags: int = 0,
                 web_seeds: tuple[str, ...] = ()) -> bytes:
    """A .torrent of ``path`` (a file or a directory); v1+v2 hybrid unless ``flags`` say otherwise."""
    import libtorrent as lt

    creator = lt.create_torrent(lt.list_files(str(path)), piece_size, flags)
    if tracker:
        creator.add_tracker(tracker)
    for url in web_seeds:  # BEP 19: a URL ending in / gets the torrent's name appended
        creator.add_url_seed(url)
    creator.set_creator("seen testpeers")
    lt.set_piece_hashes(creator, str(path.parent))
    return lt.bencode(creator.generate())


class Seeder:
    """A libtorrent session on 127.0.0.1 seeding files; ``upload_rate`` throttles it (bytes/s)."""

    def __init__(self, tracker: Tracker | None = None, upload_rate: int = 0):
        import libtorrent as lt

        self.lt = lt
        self.tracker = tracker
        self.session = lt.session(loopback_settings())
        self.port = self.session.listen_port()
        self.handles: list = []
        self.set_upload_rate(upload_rate)

    def set_upload_rate(self, rate: int) -> None:
        # Loopback peers are "local" and exempt from limits unless put in the global class.
        lt = self.lt
        peer_filter = lt.ip_filter()
        peer_filter.add_rule("0.0.0.0", "255.255.255.255", 1 << lt.session.global_peer_class_id)
        self.session.set_peer_class_filter(peer_filter)
        self.session.apply_settings({"upload_rate_limit": rate})

    def seed(self, path: Path, *, piece_size: int = 0, peer_in_magnet: bool = False, flags: int = 0,
             timeout: float = 120.0, torrent: bytes | None = None) -> Seeded:
        """Seed ``path``: returns its .torrent, info hash and a magnet pointing at the tracker. ``torrent``: seed
        these .torrent bytes, as they are, instead of making one."""
        lt = self.lt
        torrent = torrent or make_torrent(path, self.tracker.url if self.tracker else None, piece_size, flags)
        params = lt.add_torrent_params()
        params.ti = lt.torrent_info(torrent)
        params.save_path = str(path.parent)
        handle = self.session.add_torrent(params)
        self.handles.append(handle)
        deadline = time.monotonic() + timeout
        while not handle.status().is_seeding:
            if time.monotonic() > deadline:
                raise TimeoutError(f"seeder did not verify {path} in {timeout:.0f}s")
            time.sleep(0.05)
        info_hash = str(params.ti.info_hashes().v1)
        magnet = f"magnet:?xt=urn:btih:{info_hash}&dn={quote(path.name)}"
        if self.tracker:
            magnet += f"&tr={quote(self.tracker.url, safe='')}"
        if peer_in_magnet:
            magnet += f"&x.pe=127.0.0.1:{self.port}"
        return Seeded(path.name, torrent, info_hash, magnet, path)

    def close(self) -> None:
        for handle in self.handles:
            self.session.remove_torrent(handle)
        self.session.pause()
        self.handles.clear()


# The switches every aria2c here runs with: nothing beyond loopback (no DHT, LPD or peer exchange), no console.
ARIA2C_QUIET = ("--quiet=true", "--enable-dht=false", "--enable-dht6=false", "--bt-enable-lpd=false",
                "--enable-peer-exchange=false", "--interface=127.0.0.1")


class AriaSeeder:
    """``aria2c`` seeding one .torrent on 127.0.0.1: a real peer that is not libtorrent (its own choking,
    request pipelining and metadata exchange), found through the torrent's tracker like a peer on the internet.

    ``directory`` must already hold the complete data: aria2c checks it (``-V``), then announces and seeds."""

    def __init__(self, torrent: Path, directory: Path, tracker: Tracker, info_hash: str,
                 timeout: float = 60.0) -> None:
        self.port = free_port()
        self.proc = subprocess.Popen(
            ["aria2c", *ARIA2C_QUIET, "--seed-ratio=0.0", "--check-integrity=true",
             f"--listen-port={self.port}", f"--dir={directory}", str(torrent)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        swarm = tracker.swarms.setdefault(bytes.fromhex(info_hash), {})
        deadline = time.monotonic() + timeout
        while ("127.0.0.1", self.port) not in swarm:  # seeding once it announced itself
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.close()
                raise RuntimeError(f"aria2c did not start seeding {torrent.name} (exit {self.proc.returncode})")
            time.sleep(0.05)

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


# --- HTTP file server ----------------------------------------------------------


@dataclass
class Faults:
    """What the file server does wrong, for the next requests."""

    cut_after: int | None = None  # bytes of a body sent before the connection is dropped
    cuts: int = 0  # how many responses get cut
    status: int | None = None  # answer every GET with this status
    rate: int = 0  # bytes per second, 0 = unlimited
    ignore_range: bool = False
    redirects: dict[str, str] = field(default_factory=dict)  # path -> Location


@dataclass
class Request:
    path: str
    range: str | None
    if_range: str | None
    status: int
    host: str | None = None


@dataclass
class FileServer:
    """Serves ``root`` on 127.0.0.1 with Range, If-Range, ETag and injectable faults."""

    root: Path
    faults: Faults = field(default_factory=Faults)
    requests: list[Request] = field(default_factory=list)

    def __post_init__(self) -> None:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:
                pass

            def do_HEAD(self) -> None:
                server.respond(self, body=False)

            def do_GET(self) -> None:
                server.respond(self, body=True)

        self.server = _Quiet(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self.server.serve_forever, name="fileserver", daemon=True)
        self._thread.start()

    def url(self, name: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}/{quote(name)}"

    def _record(self, handler, status: int) -> None:
        with self._lock:
            self.requests.append(Request(handler.path, handler.headers.get("Range"),
                                         handler.headers.get("If-Range"), status, handler.headers.get("Host")))

    def _take_cut(self) -> int | None:
        with self._lock:
            if self.faults.cut_after is None or self.faults.cuts <= 0:
                return None
            self.faults.cuts -= 1
            return self.faults.cut_after

    def respond(self, handler, body: bool) -> None:
        location = self.faults.redirects.get(urlsplit(handler.path).path)
        if location is not None:
            self._record(handler, 302)
            handler.send_response(302)
            handler.send_header("Location", location)
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return
        path = (self.root / unquote(urlsplit(handler.path).path).lstrip("/")).resolve()
        if self.faults.status is not None:
            self._record(handler, self.faults.status)
            handler.send_response(self.faults.status)
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return
        if not path.is_file() or self.root.resolve() not in path.parents:
            self._record(handler, 404)
            handler.send_error(404)
            return
        stat = path.stat()
        etag = f'"{stat.st_size:x}-{int(stat.st_mtime_ns):x}"'
        start, end, status = self._range(handler, stat.st_size, etag)
        self._record(handler, status)
        if status == 416:
            handler.send_response(416)
            handler.send_header("Content-Range", f"bytes */{stat.st_size}")
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return
        handler.send_response(status)
        handler.send_header("Accept-Ranges", "bytes")
        handler.send_header("ETag", etag)
        handler.send_header("Last-Modified", email.utils.formatdate(stat.st_mtime, usegmt=True))
        handler.send_header("Content-Length", str(end - start))
        if status == 206:
            handler.send_header("Content-Range", f"bytes {start}-{end - 1}/{stat.st_size}")
        handler.end_headers()
        if body:
            self._send_body(handler, path, start, end)

    def _range(self, handler, size: int, etag: str) -> tuple[int, int, int]:
        header = handler.headers.get("Range")
        if not header or self.faults.ignore_range:
            return 0, size, 200
        if_range = handler.headers.get("If-Range")
        if if_range and if_range != etag:
            return 0, size, 200  # the file changed: the whole new file
        try:
            first, _, last = header.removeprefix("bytes=").partition("-")
            start = int(first)
            end = int(last) + 1 if last else size
        except ValueError:
            return 0, size, 200
        if start >= size:
            return 0, 0, 416
        return start, min(end, size), 206

    def _send_body(self, handler, path: Path, start: int, end: int) -> None:
        cut = self._take_cut()
        sent, chunk = 0, 256 * 1024
        with open(path, "rb") as source:
            source.seek(start)
            while sent < end - start:
                size = min(chunk, end - start - sent)
                if cut is not None:
                    size = min(size, cut - sent)
                    if size <= 0:
                        handler.wfile.flush()
                        handler.connection.shutdown(socket.SHUT_RDWR)  # drop it mid-body
                        handler.close_connection = True
                        return
                data = source.read(size)
                handler.wfile.write(data)
                sent += len(data)
                if self.faults.rate:
                    time.sleep(len(data) / self.faults.rate)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


# --- by hand against make dev ----------------------------------------------------


def _main() -> None:
    parser = argparse.ArgumentParser(prog="python -m embedded.testpeers")
    parser.add_argument("mode", choices=("seed", "serve"))
    parser.add_argument("--size-mib", type=int, default=32)
    parser.add_argument("--dir", type=Path, default=None)
    parser.add_argument("--rate-kib", type=int, default=0, help="throttle to this many KiB/s (watch progress)")
    args = parser.parse_args()
    root = args.dir or Path(tempfile.mkdtemp(prefix="seen-peers-"))
    target = root / f"sample-{args.size_mib}MiB.bin"
    digest = make_file(target, args.size_mib * 1024 * 1024)
    stop = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    if args.mode == "seed":
        tracker = Tracker()
        seeder = Seeder(tracker, upload_rate=args.rate_kib * 1024)
        seeded = seeder.seed(target)
        (root / f"{target.name}.torrent").write_bytes(seeded.torrent)
        print(json.dumps({"magnet": seeded.magnet, "torrent": str(root / f"{target.name}.torrent"),
                          "sha256": digest, "seeder_port": seeder.port, "tracker": tracker.url}), flush=True)
        stop.wait()
        seeder.close()
        tracker.close()
    else:
        server = FileServer(root, Faults(rate=args.rate_kib * 1024))
        print(json.dumps({"url": server.url(target.name), "sha256": digest, "size": target.stat().st_size}),
              flush=True)
        stop.wait()
        server.close()
    if args.dir is None:
        for path in sorted(root.rglob("*"), reverse=True):
            path.unlink() if path.is_file() else path.rmdir()
        os.rmdir(root)


if __name__ == "__main__":
    _main()
