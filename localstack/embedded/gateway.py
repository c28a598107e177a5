"""The local front door on :8080: the built SPA plus ``/api/`` proxied to Chalice.

It plays the part CloudFront + API Gateway play in AWS: static files with a
SPA fallback for ``/app/*``, and API Gateway's "no such route" answer turned
into the JSON error envelope (infra configures the same gateway response).
"""

from __future__ import annotations

import argparse
import http.client
import json
import mimetypes
import signal
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailers",
              "transfer-encoding", "upgrade", "host"}
NOT_FOUND = json.dumps({"error": {"code": "not_found", "message": "No such API route"}}).encode()


class Gateway(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "seen-gateway"
    dist: Path
    api_port: int

    def log_message(self, format: str, *args) -> None:  # one access line per request, stdout
        print(json.dumps({"service": "seen-gateway", "method": self.command, "path": self.path.split("?")[0],
                          "status": args[1] if len(args) > 1 else None}), flush=True)

    def do_GET(self) -> None:
        self._route()

    def do_HEAD(self) -> None:
        self._route()

    def do_POST(self) -> None:
        self._route()

    def do_PUT(self) -> None:
        self._route()

    def do_PATCH(self) -> None:
        self._route()

    def do_DELETE(self) -> None:
        self._route()

    def do_OPTIONS(self) -> None:
        self._route()

    def _route(self) -> None:
        path = self.path.split("?")[0]
        if path.startswith("/api/"):
            self._proxy()
        elif self.command in ("GET", "HEAD"):
            self._static(path)
        else:
            self._send(405, b'{"error":{"code":"method_not_allowed","message":"Method not allowed"}}',
                       "application/json")

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
        if response.status == 403 and b"Missing Authentication Token" in payload:
            self._send(404, NOT_FOUND, "application/json")  # API Gateway's answer for an unknown route
            return
        self.send_response(response.status)
        for name, value in response.getheaders():
            if name.lower() not in HOP_BY_HOP and name.lower() != "content-length":
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

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
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def serve(port: int, api_port: int, dist: Path) -> ThreadingHTTPServer:
    handler = type("BoundGateway", (Gateway,), {"dist": dist.resolve(), "api_port": api_port})
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    return server


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--api-port", type=int, default=8000)
    parser.add_argument("--dist", type=Path, default=Path(__file__).resolve().parents[2] / "frontend" / "dist")
    args = parser.parse_args()
    server = serve(args.port, args.api_port, args.dist)
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
