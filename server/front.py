"""The front door: the built SPA and the API in-process.

At home Caddy terminates TLS in front of this and sends /stream/ to the worker
itself; under ``make dev`` its asyncio edge (``localstack/embedded/edge.py``) does
the same, so a stream waiting for pieces never holds one of this server's request
threads; in AWS, CloudFront and API Gateway play its part. Static files get the SPA's security headers and a
fallback to the app shell for ``/app/*``; a method the SPA does not take is the
JSON 405 envelope; ``/api/`` goes to the Chalice app through ``ApiAdapter``.
``edge=True`` when nothing trusted stands in front: a client's own
X-Forwarded-For is dropped, so the connection's address is the client.
``media_servers`` names the Jellyfin/Plex origins the player may load a server's own stream from
(``media-src``): read again every ``MEDIA_SERVERS_TTL`` seconds off the request path, so a server an admin
adds plays without a restart and no page waits on the database for it. Where CloudFront serves the SPA
(AWS), its response headers policy must list them instead.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import mimetypes
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from server import metrics
from server.wsgi import ApiAdapter, StartResponse, status_line

METHOD_NOT_ALLOWED = json.dumps({"error": {"code": "method_not_allowed", "message": "Method not allowed"}}).encode()
NOT_BUILT = b"The web app is not built: run `make build`"
FORWARDING_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED", "HTTP_X_REAL_IP")
MEDIA_SERVERS_TTL = 60.0  # seconds a list of media server origins is used before it is read again
INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S)
# Not left to the host's mime.types: browsers check these two.
CONTENT_TYPES = {".webmanifest": "application/manifest+json", ".js": "text/javascript"}
YOUTUBE_HOSTS = {"www.youtube.com", "youtube.com", "m.youtube.com"}
# The installable app's files live at the root: the service worker's scope is the whole origin.
ROOT_HEADERS = {"/sw.js": [("Service-Worker-Allowed", "/")]}


def inline_script_hashes(index_html: bytes) -> list[str]:
    """CSP source expressions for the inline scripts of the app shell (the theme boot script)."""
    return [f"'sha256-{base64.b64encode(hashlib.sha256(body).digest()).decode()}'"
            for body in INLINE_SCRIPT.findall(index_html)]


def _youtube_images() -> str:
    """Where channel and video thumbnails come from: YouTube's image hosts, and the origin this /seen/ reads
    YouTube from when it is not YouTube's own (a mirror, the tests' fake), whose feeds name its own images."""
    from chalicelib.config import get_settings  # lazy: the settings are read once, when the front starts

    hosts = ["https://i.ytimg.com", "https://yt3.ggpht.com"]
    parts = urlsplit(get_settings().channels.youtube_base_url)
    if parts.hostname not in YOUTUBE_HOSTS and parts.scheme in ("http", "https"):
        hosts.append(f"{parts.scheme}://{parts.netloc}")
    return " ".join(hosts)


def spa_security_headers(dist: Path | None, media_origin: str | None,
                         media_servers: Sequence[str] = ()) -> dict[str, str]:
    """The SPA's security headers (the API sends its own stricter set); ``media_servers``: more origins the
    player may load media from (the household's Jellyfin and Plex servers)."""
    index = dist / "index.html" if dist else None
    hashes = inline_script_hashes(index.read_bytes()) if index and index.is_file() else []
    media = f" {media_origin.rstrip('/')}" if media_origin else ""
    policy = [
        "default-src 'self'",
        " ".join(["script-src 'self'", *hashes]),
        "style-src 'self' 'unsafe-inline'",  # style attributes set by the app shell and components
        f"img-src 'self' data: blob: https://image.tmdb.org https://images.igdb.com {_youtube_images()}{media}",
        f"media-src 'self' blob:{media}{''.join(f' {origin}' for origin in media_servers)}",
        f"connect-src 'self'{media}",
        "font-src 'self' data:",
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
    return {"Content-Security-Policy": "; ".join(policy), "X-Content-Type-Options": "nosniff",
            "X-Frame-Options": "DENY", "Referrer-Policy": "strict-origin-when-cross-origin"}


@dataclass
class Front:
    api: ApiAdapter
    dist: Path | None = None
    edge: bool = False
    media_origin: str | None = None
    media_servers: Callable[[], list[str]] | None = None

    def __post_init__(self) -> None:
        self.dist = self.dist.resolve() if self.dist else None
        self.security_headers = list(spa_security_headers(self.dist, self.media_origin).items())
        self._servers: list[str] = []
        self._servers_read = float("-inf")
        self._refreshing = threading.Lock()

    def _security_headers(self) -> list[tuple[str, str]]:
        """The headers, with the media servers' origins. Read on the first page; once they are
        ``MEDIA_SERVERS_TTL`` old, read again on a thread of its own while pages go out with the last ones
        (a page never waits on the database; a failed read keeps the last ones: only a server's stream
        may be refused)."""
        read = self.media_servers
        if read is None or time.monotonic() < self._servers_read + MEDIA_SERVERS_TTL:
            return self.security_headers
        if self._servers_read == float("-inf"):
            with self._refreshing:  # the first pages wait for the first read: the list must be there at all
                if self._servers_read == float("-inf"):
                    self._read_servers(read)
        elif self._refreshing.acquire(blocking=False):  # one refresh at a time; the rest serve the last list
            try:
                threading.Thread(target=self._refresh, args=(read,), name="media-server-origins", daemon=True).start()
            except RuntimeError:  # no thread to be had now: the next page past the TTL tries again
                self._refreshing.release()
        return self.security_headers

    def _refresh(self, read: Callable[[], list[str]]) -> None:
        try:
            self._read_servers(read)
        finally:
            self._refreshing.release()

    def _read_servers(self, read: Callable[[], list[str]]) -> None:
        try:
            servers = read()
        except Exception:
            logging.getLogger(__name__).warning("media server origins not read", exc_info=True)
            return
        finally:
            self._servers_read = time.monotonic()  # after the read: the first pages wait for it, not past it
        if servers != self._servers:
            self._servers = servers
            self.security_headers = list(spa_security_headers(self.dist, self.media_origin, servers).items())

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Any:
        path = environ.get("PATH_INFO") or "/"
        method = environ["REQUEST_METHOD"].upper()
        if path == "/metrics":  # Prometheus: this host or the metrics token only (server.metrics)
            return metrics.serve(environ, start_response)
        if path.startswith("/api/"):
            if self.edge:
                for name in FORWARDING_HEADERS:
                    environ.pop(name, None)
            return self.api(environ, start_response)
        if method not in ("GET", "HEAD"):
            return self._send(start_response, 405, METHOD_NOT_ALLOWED, "application/json", [("Allow", "GET, HEAD")])
        return self._static(path, method, start_response)

    def _static(self, path: str, method: str, start_response: StartResponse) -> list[bytes]:
        if path in ("/", "/app", "/app/"):
            start_response("302 Found", [("Location", "/app/dashboard"), ("Content-Length", "0")])
            return []
        if self.dist is None:
            return self._send(start_response, 404, b"Not found", "text/plain")
        target = (self.dist / path.lstrip("/")).resolve()
        if not target.is_relative_to(self.dist) or not target.is_file():
            if not path.startswith("/app/"):
                return self._send(start_response, 404, b"Not found", "text/plain")
            target = self.dist / "index.html"  # SPA fallback: the client router takes it from here
        if not target.is_file():
            return self._send(start_response, 503, NOT_BUILT, "text/plain")
        immutable = path.startswith("/assets/")
        cache = [("Cache-Control", "public, max-age=31536000, immutable" if immutable else "no-cache"),
                 *ROOT_HEADERS.get(path, [])]
        content_type = (CONTENT_TYPES.get(target.suffix) or mimetypes.guess_type(target.name)[0]
                        or "application/octet-stream")
        body = target.read_bytes()
        return self._send(start_response, 200, body if method == "GET" else b"", content_type, cache,
                          length=len(body))

    def _send(self, start_response: StartResponse, status: int, body: bytes, content_type: str,
              headers: list[tuple[str, str]] | None = None, length: int | None = None) -> list[bytes]:
        start_response(status_line(status), [("Content-Type", content_type), *self._security_headers(),
                                             *(headers or []), ("Content-Length", str(len(body) if length is None
                                                                                       else length))])
        return [body]
