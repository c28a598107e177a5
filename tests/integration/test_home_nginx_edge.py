"""The home profile's nginx (infra/home/nginx.conf), run for real on a free port.

The conf is used as shipped, with only the addresses swapped: its upstreams
(``api:8000``, ``minio:9000``) become a tiny local HTTP server, ``listen 80``
a free port and the web root a temporary directory. Checked: ``nginx -t``,
JSON 405 envelopes with ``Allow`` for methods nobody serves, the SPA's
security headers, and that the CSP's script hash matches the built app shell.
"""

from __future__ import annotations

import http.client
import json
import shutil
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from embedded import gateway, services
from embedded.services import ROOT

CONF = ROOT / "infra" / "home" / "nginx.conf"


class Upstream(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def __getattr__(self, name: str):
        if name.startswith("do_"):
            return self._answer
        raise AttributeError(name)

    def _answer(self) -> None:
        body = json.dumps({"method": self.command, "path": self.path}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


def _site_conf(port: int, upstream: int, root: Path) -> str:
    conf = CONF.read_text()
    for shipped, local in [("listen 80;", f"listen 127.0.0.1:{port};"),
                           ("http://api:8000", f"http://127.0.0.1:{upstream}"),
                           ("http://minio:9000", f"http://127.0.0.1:{upstream}"),
                           ("root /usr/share/nginx/html;", f"root {root};")]:
        assert shipped in conf, shipped
        conf = conf.replace(shipped, local)
    return conf


@pytest.fixture(scope="module")
def nginx(tmp_path_factory):
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(binary).exists():
        pytest.fail("nginx is not installed: `make setup` installs it (Makefile SYSTEM_DEPS)")
    work = tmp_path_factory.mktemp("nginx")
    (work / "html").mkdir()
    (work / "html" / "index.html").write_text("<!doctype html><div id=root></div>")
    upstream = ThreadingHTTPServer(("127.0.0.1", 0), Upstream)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    port = services.free_port()
    (work / "site.conf").write_text(_site_conf(port, upstream.server_address[1], work / "html"))
    (work / "nginx.conf").write_text(
        f"daemon off; master_process off; pid {work}/nginx.pid; error_log {work}/error.log;\n"
        "events {}\nhttp {\n  include /etc/nginx/mime.types;\n  access_log off;\n"
        + "".join(f"  {name}_temp_path {work}/{name};\n" for name in ("client_body", "proxy", "fastcgi",
                                                                       "uwsgi", "scgi"))
        + f"  include {work}/site.conf;\n}}\n")
    check = subprocess.run([binary, "-t", "-p", str(work), "-c", str(work / "nginx.conf")],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    proc = subprocess.Popen([binary, "-p", str(work), "-c", str(work / "nginx.conf")])
    try:
        services.wait_until(lambda: services.port_open("127.0.0.1", port), "nginx", 15, proc)
        yield port
    finally:
        proc.terminate()
        proc.wait(10)
        upstream.shutdown()


def _request(port: int, method: str, path: str) -> tuple[int, dict, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request(method, path)
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("TRACE", "/app/dashboard", "GET, HEAD"),
        ("TRACE", "/api/v1/health/live", "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS"),
        ("PROPFIND", "/api/v1/health/live", "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS"),
        ("POST", "/app/dashboard", "GET, HEAD"),
        ("DELETE", "/seen-media/some/key.mp4", "GET, HEAD"),
        ("PROPFIND", "/", "GET, HEAD"),
    ],
)
def test_methods_nobody_serves_are_a_json_405_with_allow(nginx, method, path, allow):
    status, headers, body = _request(nginx, method, path)
    assert status == 405
    assert headers["content-type"] == "application/json"
    assert json.loads(body)["error"]["code"] == "method_not_allowed"
    assert headers["allow"] == allow


def test_api_methods_reach_the_api_which_answers_for_its_routes(nginx):
    status, headers, body = _request(nginx, "DELETE", "/api/v1/health/live")
    assert status == 200 and json.loads(body)["method"] == "DELETE"
    assert "content-security-policy" not in headers  # the API sends its own


def test_the_spa_shell_carries_the_security_headers(nginx):
    status, headers, _ = _request(nginx, "GET", "/app/dashboard")
    assert status == 200
    csp = headers["content-security-policy"]
    for directive in ("frame-ancestors 'none'", "object-src 'none'", "default-src 'self'",
                      "img-src 'self' data: blob: https://image.tmdb.org https://images.igdb.com"):
        assert directive in csp
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert headers["cache-control"] == "no-cache"


def test_the_csp_allows_exactly_the_inline_scripts_of_the_app_shell():
    conf = CONF.read_text()
    shells = [path for path in (ROOT / "frontend" / "index.html", ROOT / "frontend" / "dist" / "index.html")
              if path.exists()]
    assert shells
    for shell in shells:
        hashes = gateway.inline_script_hashes(shell.read_bytes())
        assert hashes, shell
        for source in hashes:
            assert source in conf, f"{shell}: update the script-src hash in {CONF}"
