"""A subtitle download link is whatever the OpenSubtitles API answers: it goes through the egress guard
(issue 33, item 7), so an answer pointing at cloud metadata in any IPv6 spelling is refused, even when the
API itself may be on a private address (a mirror, this test's fake on loopback)."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from chalicelib.config import SubtitleSettings
from chalicelib.subtitles import opensubtitles


class FakeApi:
    """``POST /download`` answers ``link``; every request is recorded."""

    def __init__(self) -> None:
        self.link = ""
        self.paths: list[str] = []
        api = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self, body: bytes) -> None:
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                api.paths.append(self.path)
                self._answer(json.dumps({"link": api.link}).encode())

            def do_GET(self) -> None:
                api.paths.append(self.path)
                self._answer(b"1\n00:00:01,000 --> 00:00:02,000\nHello\n")

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/api/v1"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def api():
    running = FakeApi()
    yield running
    running.server.shutdown()


def _client(api: FakeApi) -> opensubtitles.Client:
    settings = SubtitleSettings(opensubtitles_base_url=api.url, allow_private=True, request_timeout=3)
    return opensubtitles.Client(api_key="k", settings=settings, http=opensubtitles.client(settings),
                                deadline=time.monotonic() + 10)


@pytest.mark.parametrize("host", ["169.254.169.254", "[::ffff:169.254.169.254]", "[::a9fe:a9fe]",
                                  "[64:ff9b::a9fe:a9fe]", "[2002:a9fe:a9fe::1]", "[::ffff:0:a9fe:a9fe]", "0.0.0.0"])
def test_a_download_link_at_the_metadata_address_is_refused(api, host):
    api.link = f"http://{host}:{api.server.server_address[1]}/latest/meta-data/sub.srt"
    with pytest.raises(opensubtitles.OpenSubtitlesFailed) as caught:
        _client(api).download(1)
    assert "refused (private_address)" in str(caught.value)
    assert api.paths == ["/api/v1/download"]


def test_a_download_link_on_an_allowed_address_is_fetched(api):
    api.link = f"http://127.0.0.1:{api.server.server_address[1]}/files/sub.srt"
    assert b"Hello" in _client(api).download(1)
    assert api.paths == ["/api/v1/download", "/files/sub.srt"]
