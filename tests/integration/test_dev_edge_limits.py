"""Body limits at `make dev`'s edge and the server behind it (issue 58): an oversize body is the API's 413 envelope
every time, never the edge's 503 "restarting" while the server is up (1 in 4 was, at 4 MB on /watched).

The server answered such a body before reading it and closed; the kernel answered the unread bytes with a reset,
which destroyed the 413 before the edge, still sending, read it. Now the edge refuses by the route's own limit
(routes.json) before sending anything on, and the server reads what is left of a refused body before it closes.
The edge and gunicorn run as `make dev` runs them (real processes, real HTTP on loopback).
"""

from __future__ import annotations

import socket
from collections import Counter
from collections.abc import Iterator

import httpx
import pytest

from embedded import services
from tests.edge_support import edge
from tests.server_support import production_server

MIB = 1024 * 1024
TRIES = 20
JSON = {"Content-Type": "application/json"}


def _body(size: int) -> bytes:
    return b"{" + b" " * (size - 2) + b"}"


def _chunked(size: int) -> Iterator[bytes]:
    for _ in range(size // (256 * 1024)):
        yield b" " * (256 * 1024)


def _outcomes(base: str, path: str, size: int) -> Counter:
    seen: Counter = Counter()
    body = _body(size)
    for _ in range(TRIES):
        try:
            response = httpx.post(base + path, content=body, headers=JSON, timeout=30)
            seen[(response.status_code, response.json()["error"]["code"])] += 1
        except httpx.TransportError as exc:  # the connection reset under the client: the answer was lost
            seen[type(exc).__name__] += 1
    return seen


@pytest.fixture
def server(app_db, aws, redis_client, tmp_path):
    with production_server(tmp_path / "server.log", workers=1) as api:
        yield api


@pytest.fixture
def stack(server, tmp_path):
    with edge(server.port, 0, tmp_path / "edge.log") as (base, _):
        yield base


@pytest.mark.parametrize(("path", "size"), [("/api/v1/watched", 4 * MIB), ("/api/v1/auth/login", 16 * MIB)])
def test_an_oversize_body_is_a_413_envelope_every_time(stack, path, size):
    assert _outcomes(stack, path, size) == {(413, "payload_too_large"): TRIES}


def test_a_chunked_oversize_body_is_a_413_envelope_every_time(stack):
    seen = Counter()
    for _ in range(TRIES):
        response = httpx.post(stack + "/api/v1/watched", content=_chunked(4 * MIB), headers=JSON, timeout=30)
        seen[(response.status_code, response.json()["error"]["code"])] += 1
    assert seen == {(413, "payload_too_large"): TRIES}


def test_the_edge_applies_each_routes_own_limit(stack):
    # POST /downloads takes up to 3 MiB (a .torrent inline); /watched has the 1 MiB default.
    bigger = httpx.post(stack + "/api/v1/downloads", content=_body(2 * MIB), headers=JSON, timeout=30)
    refused = httpx.post(stack + "/api/v1/watched", content=_body(2 * MIB), headers=JSON, timeout=30)
    assert bigger.status_code == 401, bigger.text  # through to the API, which asks who is sending it
    assert refused.status_code == 413 and refused.json()["error"]["message"] == \
        "Request body is larger than 1048576 bytes"


def test_the_edge_refuses_an_oversize_body_without_the_server_and_says_restarting_only_when_it_is_down(tmp_path):
    closed = services.free_port()
    with edge(closed, 0, tmp_path / "edge.log") as (base, _):
        oversize = httpx.post(base + "/api/v1/watched", content=_body(4 * MIB), headers=JSON, timeout=30)
        small = httpx.post(base + "/api/v1/watched", content=_body(1024), headers=JSON, timeout=30)
        chunked = httpx.post(base + "/api/v1/watched", content=_chunked(4 * MIB), headers=JSON, timeout=30)
    assert (oversize.status_code, oversize.json()["error"]["code"]) == (413, "payload_too_large")
    for response in (small, chunked):  # the server is down: that is what the client must hear
        assert response.status_code == 503 and response.headers["retry-after"]
        assert "restarting" in response.json()["error"]["message"]


@pytest.mark.parametrize(("path", "status"), [("/api/v1/watched", 413), ("/api/v1/no-such-route", 404),
                                              ("/app/dashboard", 405)])
def test_the_server_reads_a_refused_body_before_it_closes(server, path, status):
    """Straight to gunicorn, as Caddy reaches it at home: the answer survives the close."""
    seen = Counter()
    for _ in range(TRIES):
        seen[_post_raw(server.port, path, _body(4 * MIB))] += 1
    assert seen == {status: TRIES}


def _post_raw(port: int, path: str, body: bytes) -> int | str:
    """POST over a plain socket, reading the answer while the body is still being sent (as a proxy does):
    the status line, or how the connection broke."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode())
        try:
            sock.sendall(body)
        except OSError as exc:
            return type(exc).__name__
        answer = b""
        try:
            while chunk := sock.recv(65536):
                answer += chunk
        except OSError as exc:
            return type(exc).__name__
    return int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/1.1 ") else "no answer"
