"""The home profile's TLS edge (infra/home/Caddyfile), run with the real caddy binary.

The file is used as shipped; only its environment changes, as it does between
compose and systemd installs: the upstreams become small local stub servers
that record what reaches them (API, the worker's Range server, MinIO), and the
site address a local port. Checked: a forged X-Forwarded-For never reaches the
API as the client address, /stream/ and /seen-media/ relay bytes as they come
(206 + Content-Range intact, the client's Host kept for presigned URLs), signed
query strings stay out of the access log, and in ``tls internal`` mode HTTPS
with HSTS and Caddy's own CA.
"""

from __future__ import annotations

import ipaddress
import json
import os
import shutil
import ssl
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from cryptography import x509

from chalicelib.auth.clientaddr import resolve
from embedded import services
from embedded.services import ROOT

CADDYFILE = ROOT / "infra" / "home" / "Caddyfile"
CADDY = shutil.which("caddy")
MEDIA = bytes(range(256)) * 4  # 1024 bytes
FIRST = 100

pytestmark = pytest.mark.skipif(CADDY is None, reason="caddy is not installed (`make setup` installs it)")


class Stub(BaseHTTPRequestHandler):
    """Records each request; GETs with a Range header answer 206 in two parts, the second one
    only once the test has read the first (or after 8 s: a buffering proxy shows as a timeout)."""

    protocol_version = "HTTP/1.1"

    def __getattr__(self, name: str):
        if name.startswith("do_"):
            return self._answer
        raise AttributeError(name)

    def _answer(self) -> None:
        server = self.server
        server.seen.append({"method": self.command, "path": self.path, "peer": self.client_address[0],
                            "headers": {k.lower(): v for k, v in self.headers.items()}})
        if server.expect_host and self.headers.get("Host") != server.expect_host:
            return self._send(403, json.dumps({"error": "signature does not match"}).encode())
        if self.command == "GET" and self.headers.get("Range"):
            return self._ranged()
        self._send(200, json.dumps({"upstream": server.name, **server.seen[-1]}).encode())

    def _send(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _ranged(self) -> None:
        self.send_response(206)
        self.send_header("Content-Type", "video/mp4")
        self.send_header("Content-Range", f"bytes 0-{len(MEDIA) - 1}/{len(MEDIA) * 10}")
        self.send_header("Content-Length", str(len(MEDIA)))
        self.end_headers()
        self.wfile.write(MEDIA[:FIRST])
        self.wfile.flush()
        self.server.release.wait(8)
        self.wfile.write(MEDIA[FIRST:])

    def log_message(self, *args) -> None:
        pass


def _stub(name: str) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Stub)
    server.daemon_threads = True
    server.name, server.seen, server.expect_host, server.release = name, [], None, threading.Event()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _caddy_env(work: Path, stubs: dict[str, ThreadingHTTPServer], **site: str) -> dict[str, str]:
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(work),
            "XDG_DATA_HOME": str(work / "data"), "XDG_CONFIG_HOME": str(work / "config"),
            "SEEN_CADDY_ADMIN": "off",
            **{f"SEEN_{name.upper()}_UPSTREAM": f"127.0.0.1:{stub.server_address[1]}"
               for name, stub in stubs.items()},
            **site}


def _ports(count: int) -> list[int]:
    """Distinct free ports for Caddy to bind. Taken once the stubs listen: a port just handed out and closed
    can be handed out again, and a stub on Caddy's port would answer in its place."""
    ports: list[int] = []
    while len(ports) < count:
        if (port := services.free_port()) not in ports:
            ports.append(port)
    return ports


def _start(work: Path, env: dict[str, str], ready) -> subprocess.Popen:
    """Caddy with the shipped Caddyfile, once it says it serves and ``ready`` holds: an open port alone
    could be another listener's (Caddy exits when it cannot bind)."""
    log = (work / "caddy.log").open("wb")
    proc = subprocess.Popen([CADDY, "run", "--adapter", "caddyfile", "--config", str(CADDYFILE)], env=env,
                            stdout=log, stderr=subprocess.STDOUT, cwd=work)

    def serving() -> bool:
        return "serving initial configuration" in (work / "caddy.log").read_text() and ready()

    try:
        services.wait_until(serving, "caddy", 30, proc)
    except SystemExit:
        proc.kill()
        pytest.fail((work / "caddy.log").read_text()[-3000:])
    return proc


def _stop(proc: subprocess.Popen, stubs: dict[str, ThreadingHTTPServer]) -> None:
    proc.terminate()
    proc.wait(10)
    for stub in stubs.values():
        stub.release.set()
        stub.shutdown()
        stub.server_close()


@pytest.fixture(scope="module")
def edge(tmp_path_factory):
    """Caddy in plain-HTTP mode (``SEEN_SITE_ADDRESS=http://127.0.0.1:<port>``)."""
    work = tmp_path_factory.mktemp("caddy-http")
    stubs = {"api": _stub("api"), "worker": _stub("worker"), "minio": _stub("minio")}
    port, https_port = _ports(2)
    stubs["minio"].expect_host = f"127.0.0.1:{port}"
    env = _caddy_env(work, stubs, SEEN_SITE_ADDRESS=f"http://127.0.0.1:{port}",
                     SEEN_HTTP_PORT=str(port), SEEN_HTTPS_PORT=str(https_port))
    proc = _start(work, env, lambda: services.port_open("127.0.0.1", port))
    try:
        yield {"url": f"http://127.0.0.1:{port}", "stubs": stubs, "log": work / "caddy.log"}
    finally:
        _stop(proc, stubs)


def test_a_forged_x_forwarded_for_never_becomes_the_client_address(edge):
    api = edge["stubs"]["api"]
    response = httpx.get(f"{edge['url']}/api/v1/auth/login", headers={"X-Forwarded-For": "203.0.113.9"})
    assert response.status_code == 200 and response.json()["upstream"] == "api"
    seen = api.seen[-1]
    assert "203.0.113.9" not in seen["headers"].get("x-forwarded-for", "")
    assert seen["headers"]["x-forwarded-for"] == "127.0.0.1"
    assert seen["headers"]["x-forwarded-proto"] == "http"
    # What the API concludes, trusting Caddy's address only (SEEN_TRUSTED_PROXIES in compose/systemd).
    proxies = [ipaddress.ip_network("127.0.0.1/32")]
    assert resolve(seen["peer"], seen["headers"]["x-forwarded-for"], proxies) == "127.0.0.1"


def test_the_spa_and_every_api_method_go_to_the_server(edge):
    api = edge["stubs"]["api"]
    for method, path in [("GET", "/app/dashboard"), ("GET", "/"), ("DELETE", "/api/v1/downloads/7"),
                         ("PATCH", "/api/v1/me")]:
        response = httpx.request(method, f"{edge['url']}{path}")
        assert response.status_code == 200, (method, path)
        assert (api.seen[-1]["method"], api.seen[-1]["path"]) == (method, path)
    assert "server" not in response.headers
    assert "strict-transport-security" not in response.headers  # plain HTTP: HSTS would be ignored


@pytest.mark.parametrize(("prefix", "upstream"), [("/stream/12/0", "worker"), ("/seen-media/movies/a.mp4", "minio")])
def test_media_is_relayed_as_it_arrives_with_ranges_intact(edge, prefix, upstream):
    stub = edge["stubs"][upstream]
    stub.release.clear()
    url = f"{edge['url']}{prefix}?exp=1&sig=abc"
    with httpx.Client(timeout=httpx.Timeout(4.0)) as client, \
            client.stream("GET", url, headers={"Range": "bytes=0-"}) as response:
        assert response.status_code == 206
        assert response.headers["content-range"] == f"bytes 0-{len(MEDIA) - 1}/{len(MEDIA) * 10}"
        chunks = response.iter_raw()
        received = next(chunks)  # arrives while the stub still holds the rest back
        assert not stub.release.is_set()
        stub.release.set()
        received += b"".join(chunks)
    assert received == MEDIA
    assert stub.seen[-1]["headers"]["range"] == "bytes=0-"
    assert stub.seen[-1]["path"] == f"{prefix}?exp=1&sig=abc"
    assert response.headers["x-content-type-options"] == "nosniff"


def test_presigned_media_keeps_the_public_host_it_was_signed_for(edge):
    minio = edge["stubs"]["minio"]
    response = httpx.head(f"{edge['url']}/seen-media/movies/a.mp4?X-Amz-Signature=feed")
    assert response.status_code == 200
    assert minio.seen[-1]["headers"]["host"] == edge["url"].removeprefix("http://")


@pytest.mark.parametrize("path", ["/stream/12/0", "/seen-media/movies/a.mp4"])
@pytest.mark.parametrize("method", ["DELETE", "PUT", "POST", "PROPFIND"])
def test_media_paths_are_read_only_json_405(edge, method, path):
    before = {name: len(stub.seen) for name, stub in edge["stubs"].items()}
    response = httpx.request(method, f"{edge['url']}{path}")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD"
    assert response.json()["error"]["code"] == "method_not_allowed"
    assert {name: len(stub.seen) for name, stub in edge["stubs"].items()} == before


def test_signed_query_strings_and_credentials_stay_out_of_the_access_log(edge):
    secrets = {"sig": "stream-signature-4f1e", "X-Amz-Signature": "s3-signature-9c2d",
               "X-Amz-Credential": "AKIAHOMEUSER/20260101"}
    query = "&".join(f"{k}={v}" for k, v in secrets.items())
    edge["stubs"]["minio"].release.set()
    httpx.get(f"{edge['url']}/seen-media/movies/b.mp4?{query}")
    httpx.get(f"{edge['url']}/api/v1/me", headers={"Authorization": "Bearer jwt-token-77aa",
                                                   "Cookie": "seen_refresh=cookie-55bb"})
    deadline = time.monotonic() + 5
    while "/api/v1/me" not in edge["log"].read_text() and time.monotonic() < deadline:
        time.sleep(0.1)
    log = edge["log"].read_text()
    assert "/seen-media/movies/b.mp4" in log and "/api/v1/me" in log
    for value in [*secrets.values(), "jwt-token-77aa", "cookie-55bb"]:
        assert value not in log
    access = [json.loads(line) for line in log.splitlines() if '"http.log.access' in line]
    assert access and all(entry["request"]["remote_ip"] == "127.0.0.1" for entry in access)


def test_shipped_defaults_point_at_the_compose_services_with_a_local_admin_api(tmp_path):
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path)}
    adapted = subprocess.run([CADDY, "adapt", "--adapter", "caddyfile", "--config", str(CADDYFILE)], env=env,
                             capture_output=True, text=True, check=True).stdout
    config = json.loads(adapted)
    assert config["admin"]["listen"] == "localhost:2019"
    http = config["apps"]["http"]
    assert (http["http_port"], http["https_port"]) == (8080, 8443)  # non-root; compose publishes 80/443
    for dial in ('"dial":"api:8000"', '"dial":"worker:8090"', '"dial":"minio:9000"'):
        assert dial in adapted.replace(" ", "")
    assert all("trusted_proxies" not in server for server in http["servers"].values())


@pytest.fixture(scope="module")
def tls_edge(tmp_path_factory):
    """Caddy in ``tls internal`` mode (a LAN install): its own CA, HTTPS on a local port."""
    work = tmp_path_factory.mktemp("caddy-tls")
    stubs = {"api": _stub("api"), "worker": _stub("worker"), "minio": _stub("minio")}
    https_port, http_port = _ports(2)
    env = _caddy_env(work, stubs, SEEN_SITE_ADDRESS="127.0.0.1", SEEN_TLS="internal",
                     SEEN_HTTP_PORT=str(http_port), SEEN_HTTPS_PORT=str(https_port))
    url = f"https://127.0.0.1:{https_port}"
    root = work / "data" / "caddy" / "pki" / "authorities" / "local" / "root.crt"

    def serving() -> bool:
        try:
            return root.exists() and httpx.get(f"{url}/api/v1/health/live", verify=_trusting(root),
                                               timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    proc = _start(work, env, serving)
    try:
        yield {"url": url, "https_port": https_port, "http_port": http_port, "stubs": stubs, "root": root}
    finally:
        _stop(proc, stubs)


def _trusting(root: Path) -> ssl.SSLContext:
    """A client that trusts Caddy's local root only, as a household device does once it is installed."""
    return ssl.create_default_context(cafile=str(root))


def test_tls_internal_serves_https_with_hsts_from_caddys_own_ca(tls_edge):
    response = httpx.get(f"{tls_edge['url']}/api/v1/health/live", verify=_trusting(tls_edge["root"]),
                         headers={"X-Forwarded-For": "198.51.100.7"})
    assert response.status_code == 200 and response.json()["upstream"] == "api"
    assert response.headers["strict-transport-security"].startswith("max-age=")
    headers = tls_edge["stubs"]["api"].seen[-1]["headers"]
    assert headers["x-forwarded-proto"] == "https"
    assert headers["x-forwarded-for"] == "127.0.0.1"
    pem = ssl.get_server_certificate(("127.0.0.1", tls_edge["https_port"]))
    issuer = x509.load_pem_x509_certificate(pem.encode()).issuer.rfc4514_string()
    assert "Caddy Local Authority" in issuer
    with pytest.raises(httpx.ConnectError):  # not a public certificate: untrusted elsewhere
        httpx.get(f"{tls_edge['url']}/api/v1/health/live")


def test_plain_http_redirects_to_https(tls_edge):
    response = httpx.get(f"http://127.0.0.1:{tls_edge['http_port']}/app/dashboard?x=1")
    assert response.status_code in (301, 308)
    # To the standard port, not the one Caddy binds (8443 in the container, published as 443).
    assert response.headers["location"] == "https://127.0.0.1/app/dashboard?x=1"


def test_caddy_in_front_of_the_production_server_started_from_secret_files(app_db, aws, tmp_path):
    """The home shape end to end: Caddy (this file) → ``python -m server`` in the prod stage whose database,
    cache and signing secrets come only from files (``*_FILE``, as compose secrets and systemd credentials
    hand them over), trusting Caddy's address alone. A client forging X-Forwarded-For is recorded at its
    real address."""
    from cryptography.fernet import Fernet

    from tests.server_support import production_server

    secrets = {"DATABASE_URL": app_db, "REDIS_URL": os.environ["REDIS_URL"], "SEEN_JWT_SECRET": "j" * 48,
               "SEEN_STREAM_SECRET": "s" * 48, "SEEN_SETTINGS_KEY": Fernet.generate_key().decode()}
    env = {"SEEN_STAGE": "prod", "SEEN_TRUSTED_PROXIES": "127.0.0.1/32", "SEEN_COOKIE_SECURE": "true"}
    for name, value in secrets.items():
        (tmp_path / name).write_text(value + "\n")
        env |= {name: "", f"{name}_FILE": str(tmp_path / name)}  # the variable itself stays empty
    stubs = {"worker": _stub("worker"), "minio": _stub("minio")}
    with production_server(tmp_path / "server.log", env=env, workers=1) as server:
        port, https_port = _ports(2)
        caddy_env = {**_caddy_env(tmp_path, stubs, SEEN_SITE_ADDRESS=f"http://127.0.0.1:{port}",
                                  SEEN_HTTP_PORT=str(port), SEEN_HTTPS_PORT=str(https_port)),
                     "SEEN_API_UPSTREAM": f"127.0.0.1:{server.port}"}
        proc = _start(tmp_path, caddy_env, lambda: services.port_open("127.0.0.1", port))
        try:
            deadline = time.monotonic() + 30  # the first check also opens every client (cold start)
            while (ready := httpx.get(f"http://127.0.0.1:{port}/api/v1/health/ready", timeout=10)).status_code \
                    != 200 and time.monotonic() < deadline:
                time.sleep(1)
            registered = httpx.post(f"http://127.0.0.1:{port}/api/v1/auth/register",
                                    headers={"X-Forwarded-For": "6.6.6.6"}, timeout=30,
                                    json={"email": "owner@example.com", "password": "a long home password 1",
                                          "displayName": "Owner"})
        finally:
            _stop(proc, stubs)
    assert ready.status_code == 200, ready.text
    assert registered.status_code == 201, registered.text
    from chalicelib import db

    with db.connection() as conn:
        ips = [row["ip"] for row in conn.execute("SELECT host(ip) AS ip FROM sessions").fetchall()]
    assert ips == ["127.0.0.1"]
