"""The front door: the built SPA, the API in-process, and (under `make dev`) the worker's /stream/.

At home Caddy terminates TLS in front of this (and sends /stream/ to the worker
itself); in AWS, CloudFront and API Gateway play its part. Static files get the SPA's security headers and a
fallback to the app shell for ``/app/*``; a method the SPA does not take is the
JSON 405 envelope; ``/api/`` goes to the Chalice app through ``ApiAdapter``.
``edge=True`` when nothing trusted stands in front (``make dev``): a client's own
X-Forwarded-For is dropped, so the connection's address is the client.

A relayed stream request may wait (up to the worker's 20 s) for pieces still
downloading, and a request thread cannot be given back while it waits. So the
relay has a few places of its own per process (``stream_relays``, well under the
threads): beyond them the answer is 503 with Retry-After at once, and the API
and the pages always keep threads of their own.
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import json
import mimetypes
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from server.wsgi import ApiAdapter, StartResponse, status_line

METHOD_NOT_ALLOWED = json.dumps({"error": {"code": "method_not_allowed", "message": "Method not allowed"}}).encode()
NOT_BUILT = b"The web app is not built: run `make build`"
WORKER_DOWN = b'{"error":{"code":"service_unavailable","message":"The worker is not running"}}'
RELAY_BUSY = json.dumps({"error": {"code": "stream_busy", "message": "Too many streams are relayed right now: "
                                                                     "try again shortly"}}).encode()
RELAY_RETRY_AFTER = "2"
RELAYED_REQUEST_HEADERS = ("HTTP_RANGE", "HTTP_IF_RANGE", "HTTP_USER_AGENT", "HTTP_ACCEPT")
HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailers",
              "transfer-encoding", "upgrade"}
FORWARDING_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED", "HTTP_X_REAL_IP")
STREAM_CHUNK = 256 * 1024
INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S)
# Not left to the host's mime.types: browsers check these two.
CONTENT_TYPES = {".webmanifest": "application/manifest+json", ".js": "text/javascript"}
# The installable app's files live at the root: the service worker's scope is the whole origin.
ROOT_HEADERS = {"/sw.js": [("Service-Worker-Allowed", "/")]}


def inline_script_hashes(index_html: bytes) -> list[str]:
    """CSP source expressions for the inline scripts of the app shell (the theme boot script)."""
    return [f"'sha256-{base64.b64encode(hashlib.sha256(body).digest()).decode()}'"
            for body in INLINE_SCRIPT.findall(index_html)]


def spa_security_headers(dist: Path | None, media_origin: str | None) -> dict[str, str]:
    """The SPA's security headers (the API sends its own stricter set)."""
    index = dist / "index.html" if dist else None
    hashes = inline_script_hashes(index.read_bytes()) if index and index.is_file() else []
    media = f" {media_origin.rstrip('/')}" if media_origin else ""
    policy = [
        "default-src 'self'",
        " ".join(["script-src 'self'", *hashes]),
        "style-src 'self' 'unsafe-inline'",  # style attributes set by the app shell and components
        f"img-src 'self' data: blob: https://image.tmdb.org https://images.igdb.com{media}",
        f"media-src 'self' blob:{media}",
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
    stream_port: int = 0
    edge: bool = False
    media_origin: str | None = None
    stream_relays: int = 2  # stream requests relayed at once by this process (each holds a request thread)

    def __post_init__(self) -> None:
        self.dist = self.dist.resolve() if self.dist else None
        self.security_headers = list(spa_security_headers(self.dist, self.media_origin).items())
        self.relays = threading.BoundedSemaphore(max(1, self.stream_relays))

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Any:
        path = environ.get("PATH_INFO") or "/"
        method = environ["REQUEST_METHOD"].upper()
        if path.startswith("/api/"):
            if self.edge:
                for name in FORWARDING_HEADERS:
                    environ.pop(name, None)
            return self.api(environ, start_response)
        if method not in ("GET", "HEAD"):
            return self._send(start_response, 405, METHOD_NOT_ALLOWED, "application/json", [("Allow", "GET, HEAD")])
        if path.startswith("/stream/") and self.stream_port:
            return self._relay(environ, start_response)
        return self._static(path, method, start_response)

    def _relay(self, environ: dict[str, Any], start_response: StartResponse) -> Any:
        if not self.relays.acquire(blocking=False):  # never queue behind waiting streams: answer now
            return self._send(start_response, 503, RELAY_BUSY, "application/json",
                              [("Retry-After", RELAY_RETRY_AFTER), ("Cache-Control", "no-store")])
        try:
            return relay(environ, start_response, self.stream_port, self.relays.release)
        except BaseException:
            self.relays.release()
            raise

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
        start_response(status_line(status), [("Content-Type", content_type), *self.security_headers,
                                             *(headers or []), ("Content-Length", str(len(body) if length is None
                                                                                       else length))])
        return [body]


def relay(environ: dict[str, Any], start_response: StartResponse, port: int,
          done: Callable[[], None] = lambda: None) -> Relayed | list[bytes]:
    """The worker's Range server: its status and headers as they are, the body chunk by chunk; ``done`` is
    called once when the relay ends (the body sent, or the player hung up)."""
    headers = {name[5:].replace("_", "-").title(): environ[name] for name in RELAYED_REQUEST_HEADERS
               if name in environ}
    target = environ.get("RAW_URI") or environ.get("PATH_INFO", "/")
    upstream = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        upstream.request(environ["REQUEST_METHOD"], target, headers=headers)
        response = upstream.getresponse()
    except OSError:
        upstream.close()
        done()
        start_response("503 Service Unavailable", [("Content-Type", "application/json"), ("Retry-After", "2"),
                                                   ("Content-Length", str(len(WORKER_DOWN)))])
        return [WORKER_DOWN]
    start_response(status_line(response.status),
                   [(k, v) for k, v in response.getheaders() if k.lower() not in HOP_BY_HOP])
    return Relayed(response, upstream, environ["REQUEST_METHOD"] == "HEAD", done)


class Relayed:
    """The relayed body. A class, not a generator: the server calls ``close()`` also when the body was never
    iterated (HEAD, an early hang-up), and a generator that never started would skip its ``finally``."""

    def __init__(self, response: http.client.HTTPResponse, upstream: http.client.HTTPConnection, head: bool,
                 done: Callable[[], None]):
        self.response, self.upstream, self.head, self.done = response, upstream, head, done
        self.closed = False

    def __iter__(self) -> Iterator[bytes]:
        while not self.head and (chunk := self.response.read1(STREAM_CHUNK)):
            yield chunk

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.upstream.close()  # also when the player hangs up mid-body (a seek)
            self.done()
