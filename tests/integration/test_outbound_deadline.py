"""Every capped read of a remote's answer has a total deadline, not only a per-read timeout (issue 58): a server
that trickles a byte at a time within the read timeout no longer holds an API thread for as long as it likes."""

from __future__ import annotations

import socket
import threading
import time

import httpx
import pytest

from chalicelib.egress import clients
from chalicelib.mediaservers import remote
from chalicelib.mediaservers.errors import ServerFailed


@pytest.fixture
def trickle():
    """A server that answers 200 with a JSON body of a byte every 0.2 s (each read well within any timeout)."""
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve(conn: socket.socket) -> None:
        with conn:
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 10000\r\n\r\n{")
            while not stop.wait(0.2):
                try:
                    conn.sendall(b" ")
                except OSError:
                    return

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=serve, args=(conn,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/Items"
    stop.set()
    listener.close()


def test_a_trickling_answer_ends_at_the_deadline_as_a_timeout(trickle):
    started = time.monotonic()
    with (clients.client(allow_private=True, timeout=5) as http, http.stream("GET", trickle) as response,
          pytest.raises(httpx.TimeoutException)):
        clients.read_capped(response, 1_000_000, within=1.0)
    assert time.monotonic() - started < 3


def test_a_media_server_that_trickles_is_a_plain_failure_within_its_deadline(trickle, monkeypatch):
    monkeypatch.setattr(remote, "PAGE_WITHIN", 1.0)
    started = time.monotonic()
    with clients.client(allow_private=True, timeout=5) as http, pytest.raises(ServerFailed) as failed:
        remote.get_json(http, trickle, {})
    assert "could not be reached" in str(failed.value)
    assert time.monotonic() - started < 3
