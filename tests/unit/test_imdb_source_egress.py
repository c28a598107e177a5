"""The IMDb datasets download goes through the egress guard, redirects included (issue 33, item 7).

A local HTTP server stands in for the datasets site. It is on loopback, so it counts as the operator's own
mirror: redirects to other private addresses are allowed, to link-local (cloud metadata) never. A public
site (simulated by judging the configured URL as public) may not redirect onto the home network at all.
"""

from __future__ import annotations

import gzip
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from chalicelib.config.imdb import ImdbSettings
from chalicelib.imdb import source

BODY = gzip.compress(b"tconst\ttitleType\ntt0000001\tshort\n")


class Site(http.server.BaseHTTPRequestHandler):
    redirect_to: str | None = None
    hits: list[str] = []

    def do_GET(self) -> None:
        self.hits.append(self.path)
        if self.path.startswith("/moved/") and self.redirect_to:
            self.send_response(302)
            self.send_header("Location", self.redirect_to)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def site() -> Iterator[tuple[str, type[Site]]]:
    handler = type("Handler", (Site,), {"hits": [], "redirect_to": None})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", handler
    server.shutdown()


def settings(url: str, tmp_path: Path) -> ImdbSettings:
    return ImdbSettings(datasets_url=url, download_dir=str(tmp_path), request_timeout=5.0)


def test_a_mirror_on_loopback_downloads_and_follows_its_own_redirects(site, tmp_path):
    base, handler = site
    handler.redirect_to = f"{base}/title.basics.tsv.gz"
    fetched = source.download(settings(f"{base}/moved/", tmp_path), "title.basics")
    assert fetched.path.read_bytes() == BODY
    assert handler.hits == ["/moved/title.basics.tsv.gz", "/title.basics.tsv.gz"]


def test_a_redirect_to_cloud_metadata_is_refused_even_from_a_private_mirror(site, tmp_path):
    base, handler = site
    handler.redirect_to = "http://169.254.169.254/latest/meta-data/"
    with pytest.raises(source.SourceError, match="may not go"):
        source.download(settings(f"{base}/moved/", tmp_path), "title.basics")
    assert not list(tmp_path.iterdir())  # no partial file left behind


def test_a_site_judged_public_is_never_reached_on_a_private_address(site, tmp_path, monkeypatch):
    base, handler = site
    handler.redirect_to = f"{base}/title.basics.tsv.gz"
    monkeypatch.setattr(source, "_private_site", lambda url: False)  # as if the site were on the Internet
    with pytest.raises(source.SourceError, match="may not go"):
        source.download(settings(f"{base}/moved/", tmp_path), "title.basics")
    assert handler.hits == []  # refused before connecting, at the first hop as at every redirect
