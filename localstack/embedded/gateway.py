"""The local front door on :8080: the built SPA plus ``/api/`` proxied to Chalice.

It plays the part CloudFront + API Gateway play in AWS: static files with a
SPA fallback for ``/app/*``, and API Gateway's "no such route" answer turned
into the JSON error envelope (infra configures the same gateway response).
``/stream/`` goes to the worker's Range server (what nginx does at home):
bodies are relayed in chunks as they come, Range and 206 pass through.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import http.client
import json
import mimetypes
import re
import signal
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailers",
              "transfer-encoding", "upgrade", "host"}
NOT_FOUND = json.dumps({"error": {"code": "not_found", "message": "No such API route"}}).encode()
METHOD_NOT_ALLOWED = json.dumps({"error": {"code": "method_not_allowed", "message": "Method not allowed"}}).encode()
NO_ROUTE_MARKERS = (b"Missing Authentication Token", b"Authorization header requires")
RELAYED_REQUEST_HEADERS = {"range", "if-range", "user-agent", "accept"}
STREAM_CHUNK = 256 * 1024
INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S)


class Gateway(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "seen-gateway"
    dist: Path
    api_port: int
    stream_port: int = 0
    security_headers: dict[str, str]

    def log_message(self, format: str, *args) -> None:  # one access line per request, stdout
        print(json.dumps({"service": "seen-gateway", "method": self.command, "path": self.path.split("?")[0],
                          "status": args[1] if len(args) > 1 else None}), flush=True)

    def __getattr__(self, name: str):
        # http.server answers an HTML 501 for any method without a do_<METHOD>; every method
        # (TRACE, CONNECT, PROPFIND, ...) goes through the one router instead.
        if name.startswith("do_"):
            return self._route
        raise AttributeError(name)

    def _route(self) -> None:
        path = self.path.split("?")[0]
        if path.startswith("/api/"):
            self._proxy()
        elif path.startswith("/stream/") and self.stream_port and self.command in ("GET", "HEAD"):
            self._relay()
        elif self.command in ("GET", "HEAD"):
            self._static(path)
        else:
            self._send(405, METHOD_NOT_ALLOWED, "application/json", {"Allow": "GET, HEAD"})

    def _proxy(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
        # The edge: the client's own X-Forwarded-For (any spelling) is dropped, the API trusts only ours.
        headers = {k: v for k, v in headers.items() if k.lower() != "x-forwarded-for"}
        headers["X-Forwarded-For"] = self.client_address[0]
        upstream = http.client.HTTPConnection("127.0.0.1", self.api_port, timeout=120)
        try:
            upstream.request(self.command, self.path, body=body, headers=headers)
            response = upstream.getresponse()
            payload = response.read()
        except OSError:
            self._send(503, b'{"error":{"code":"service_unavailable","message":"The API is not running"}}',
                       "application/json")
            return
        finally:
            upstream.close()
        if _is_no_route(response.status, response.getheader("x-amzn-ErrorType"), payload):
            self._send(404, NOT_FOUND, "application/json")
            return
        self.send_response(response.status)
        for name, value in response.getheaders():
            if name.lower() not in HOP_BY_HOP and name.lower() != "content-length":
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    def _relay(self) -> None:
        """The worker's stream server: headers as they are, the body chunk by chunk (never all in memory)."""
        headers = {k: v for k, v in self.headers.items() if k.lower() in RELAYED_REQUEST_HEADERS}
        upstream = http.client.HTTPConnection("127.0.0.1", self.stream_port, timeout=60)
        try:
            upstream.request(self.command, self.path, headers=headers)
            response = upstream.getresponse()
        except OSError:
            upstream.close()
            self._send(503, b'{"error":{"code":"service_unavailable","message":"The worker is not running"}}',
                       "application/json", {"Retry-After": "2"})
            return
        try:
            self.send_response(response.status)
            for name, value in response.getheaders():
                if name.lower() not in HOP_BY_HOP:
                    self.send_header(name, value)
            self.end_headers()
            while self.command != "HEAD" and (chunk := response.read(STREAM_CHUNK)):
                self.wfile.write(chunk)
        except OSError:
            self.close_connection = True  # the player hung up (a seek) or the worker went away mid-body
        finally:
            upstream.close()

    def _static(self, path: str) -> None:
        if path in ("/", "/app", "/app/"):
            self.send_response(302)
            self.send_header("Location", "/app/dashboard")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        target = (self.dist / path.lstrip("/")).resolve()
        if not target.is_relative_to(self.dist) or not target.is_file():
            if not path.startswith("/app/"):
                self._send(404, b"Not found", "text/plain")
                return
            target = self.dist / "index.html"  # SPA fallback: the client router takes it from here
        if not target.is_file():
            self._send(503, b"The web app is not built: run `make build`", "text/plain")
            return
        immutable = "/assets/" in path
        data = target.read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", mimetypes.guess_type(target.name)[0] or "application/octet-stream")
        self.send_header("Cache-Control", "public, max-age=31536000, immutable" if immutable else "no-cache")
        self._send_security_headers()
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _send(self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self._send_security_headers()
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _send_security_headers(self) -> None:
        for name, value in self.security_headers.items():
            self.send_header(name, value)


def _is_no_route(status: int, error_type: str | None, payload: bytes) -> bool:
    """API Gateway's (and `chalice local`'s) 403 for a path no route matches: "Missing Authentication
    Token", or a complaint about the SigV4 signature when the request carries an Authorization header."""
    if status != 403:
        return False
    return error_type == "UnauthorizedException" or any(marker in payload for marker in NO_ROUTE_MARKERS)


def inline_script_hashes(index_html: bytes) -> list[str]:
    """CSP source expressions for the inline scripts of the app shell (the theme boot script)."""
    return [f"'sha256-{base64.b64encode(hashlib.sha256(body).digest()).decode()}'"
            for body in INLINE_SCRIPT.findall(index_html)]


def spa_security_headers(dist: Path, media_origin: str | None) -> dict[str, str]:
    """The SPA's security headers; nginx (infra/home/nginx.conf) sends the same policy at home."""
    index = dist / "index.html"
    hashes = inline_script_hashes(index.read_bytes()) if index.is_file() else []
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


def serve(port: int, api_port: int, dist: Path, media_origin: str | None = None,
          stream_port: int = 0) -> ThreadingHTTPServer:
    handler = type("BoundGateway", (Gateway,), {"dist": dist.resolve(), "api_port": api_port,
                                                "stream_port": stream_port,
                                                "security_headers": spa_security_headers(dist, media_origin)})
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    return server


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--api-port", type=int, default=8000)
    parser.add_argument("--dist", type=Path, default=Path(__file__).resolve().parents[2] / "frontend" / "dist")
    parser.add_argument("--media-origin", help="origin of presigned media URLs (the S3 endpoint the browser reaches)")
    parser.add_argument("--stream-port", type=int, default=0, help="the worker's stream server (0: no /stream/)")
    args = parser.parse_args()
    server = serve(args.port, args.api_port, args.dist, args.media_origin, args.stream_port)
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
