"""The home edge's body limits (infra/home/Caddyfile, issue 33 item 2), with the real caddy binary and the
stub upstreams of test_home_caddy: a presigned form POST to the bucket's root reaches MinIO with the Host it
was signed for, and the API gets no body larger than its largest route limit."""

from __future__ import annotations

import threading
from collections import Counter
from http.server import ThreadingHTTPServer

import httpx
import pytest

from chalicelib.config import LAMBDA_MAX_BODY_BYTES
from embedded import services
from tests.integration.test_home_caddy import CADDY, Stub, _caddy_env, _ports, _start, _stop
from tests.server_support import production_server

pytestmark = pytest.mark.skipif(CADDY is None, reason="caddy is not installed (`make setup` installs it)")


class ReadingStub(Stub):
    """test_home_caddy's recording stub, reading the whole body first (and counting it) as a server does."""

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.server.bodies.append(len(self.rfile.read(length)) if length else 0)
        super()._answer()


def _stub(name: str) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", 0), ReadingStub)
    server.daemon_threads = True
    server.name, server.seen, server.expect_host, server.release = name, [], None, threading.Event()
    server.bodies = []
    server.handle_error = lambda request, address: None  # Caddy cutting an over-cap body resets the connection
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="module")
def edge(tmp_path_factory):
    work = tmp_path_factory.mktemp("caddy-uploads")
    stubs = {"api": _stub("api"), "worker": _stub("worker"), "minio": _stub("minio")}
    port, https_port = _ports(2)
    stubs["minio"].expect_host = f"127.0.0.1:{port}"
    env = _caddy_env(work, stubs, SEEN_SITE_ADDRESS=f"http://127.0.0.1:{port}",
                     SEEN_HTTP_PORT=str(port), SEEN_HTTPS_PORT=str(https_port))
    proc = _start(work, env, lambda: services.port_open("127.0.0.1", port))
    try:
        yield {"url": f"http://127.0.0.1:{port}", "stubs": stubs}
    finally:
        _stop(proc, stubs)


def test_a_presigned_form_post_to_the_bucket_reaches_minio_with_its_host(edge):
    fields = {"key": "torrents/uploads/u/1.torrent", "policy": "e30=", "x-amz-signature": "feed"}
    response = httpx.post(f"{edge['url']}/seen-media", data=fields,
                          files={"file": ("a.torrent", b"d4:infoe" * 100_000)}, timeout=30)
    assert response.status_code == 200, response.text
    seen = edge["stubs"]["minio"].seen[-1]
    assert (seen["method"], seen["path"]) == ("POST", "/seen-media")
    assert seen["headers"]["host"] == edge["url"].removeprefix("http://")
    assert edge["stubs"]["minio"].bodies[-1] > 800_000


def test_the_api_gets_bodies_up_to_its_largest_route_limit_and_no_more(edge):
    api = edge["stubs"]["api"]
    allowed = httpx.post(f"{edge['url']}/api/v1/hooks/plex/x", content=b"x" * LAMBDA_MAX_BODY_BYTES, timeout=30)
    assert allowed.status_code == 200 and api.seen[-1]["path"] == "/api/v1/hooks/plex/x"
    assert api.bodies[-1] == LAMBDA_MAX_BODY_BYTES
    refused = httpx.post(f"{edge['url']}/api/v1/imports", content=b"x" * (7 * 1024 * 1024), timeout=30)
    # Caddy cuts the body at its cap: 413, or 502 from Caddy 2.6 (Debian 12) once the proxy had started.
    assert refused.status_code in (413, 502) and "upstream" not in refused.text


def test_a_body_over_its_routes_limit_is_the_apis_413_through_caddy_every_time(app_db, aws, redis_client, tmp_path):
    """Under Caddy's cap but over the route's own limit: the server answers before reading the body, and reads
    it after, so the 413 survives the close (Caddy said 502 when a reset destroyed it; issue 58)."""
    closed = f"127.0.0.1:{services.free_port()}"
    with production_server(tmp_path / "server.log", workers=1) as api:
        port, https_port = _ports(2)
        env = _caddy_env(tmp_path, {}, SEEN_API_UPSTREAM=f"127.0.0.1:{api.port}", SEEN_WORKER_UPSTREAM=closed,
                         SEEN_MINIO_UPSTREAM=closed, SEEN_SITE_ADDRESS=f"http://127.0.0.1:{port}",
                         SEEN_HTTP_PORT=str(port), SEEN_HTTPS_PORT=str(https_port))
        proc = _start(tmp_path, env, lambda: services.port_open("127.0.0.1", port))
        try:
            body = b"{" + b" " * (4 * 1024 * 1024 - 2) + b"}"
            statuses = Counter(httpx.post(f"http://127.0.0.1:{port}/api/v1/watched", content=body, timeout=30,
                                          headers={"Content-Type": "application/json"}).status_code
                               for _ in range(20))
        finally:
            _stop(proc, {})
    assert statuses == {413: 20}
