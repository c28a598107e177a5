"""The production server (``python -m server``: gunicorn + the WSGI adapter) under real HTTP.

Several users at once on threaded workers each get their own answers (Chalice keeps the
current request on the app object: the adapter makes it thread-local); both refresh
cookies survive the trip through the proxy event; oversized bodies, chunked or not, are
413 envelopes; a worker killed mid-flight is replaced while the others keep serving;
SIGTERM lets a response in flight finish; access lines are JSON without query strings.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.integration.auth_support import PASSWORD
from tests.server_support import production_server

USERS = 6


def register(base: str, email: str) -> str:
    response = httpx.post(base + "/api/v1/auth/register", json={"email": email, "password": PASSWORD}, timeout=30)
    assert response.status_code == 201, response.text
    return response.json()["accessToken"]


@pytest.fixture
def server(app_db, aws, redis_client, tmp_path):
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "index.html").write_text("<!doctype html><div id=root></div>")
    with production_server(tmp_path / "server.log", "--dist", str(dist), "--edge", workers=2) as running:
        yield running


def worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


def until_workers(master: int, count: int, without: int | None = None) -> list[int]:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        pids = worker_pids(master)
        if len(pids) == count and without not in pids:
            return pids
        time.sleep(0.1)
    return worker_pids(master)


def test_concurrent_users_on_threaded_workers_each_see_only_their_own_account(server):
    tokens = {f"user{i}@seen.test": register(server.base_url, f"user{i}@seen.test") for i in range(USERS)}

    def round_trip(email: str) -> list[str]:
        headers = {"Authorization": f"Bearer {tokens[email]}"}
        seen = []
        with httpx.Client(base_url=server.base_url, headers=headers, timeout=30) as http:
            for n in range(15):
                renamed = http.patch("/api/v1/auth/me", json={"displayName": f"{email}-{n}"})
                me = http.get("/api/v1/auth/me")
                seen += [renamed.json()["email"], me.json()["email"], me.json()["displayName"].rsplit("-", 1)[0]]
        return seen

    with ThreadPoolExecutor(USERS) as pool:
        answers = dict(zip(tokens, pool.map(round_trip, tokens), strict=True))
    for email, seen in answers.items():
        assert set(seen) == {email}


def test_both_session_cookies_survive_and_oversized_bodies_are_413_envelopes(server):
    register(server.base_url, "owner@seen.test")
    login = httpx.post(server.base_url + "/api/v1/auth/login", timeout=30,
                       json={"email": "owner@seen.test", "password": PASSWORD})
    assert login.status_code == 200
    assert sorted(c.split("=", 1)[0] for c in login.headers.get_list("set-cookie")) == ["seen_csrf", "seen_refresh"]
    big = b'{"email": "' + b"x" * (2 * 1024 * 1024) + b'"}'
    plain = httpx.post(server.base_url + "/api/v1/auth/login", content=big, timeout=30,
                       headers={"Content-Type": "application/json"})
    chunked = httpx.post(server.base_url + "/api/v1/auth/login", content=iter([big[:1000], big[1000:]]), timeout=30,
                         headers={"Content-Type": "application/json"})
    for response in (plain, chunked):
        assert response.status_code == 413
        assert response.json()["error"]["code"] == "payload_too_large"


def test_a_request_gunicorn_refuses_itself_is_answered_with_a_json_envelope(server):
    """A malformed header never reaches the app: gunicorn answers it, and its answer is JSON like the API's
    (the fuzz test sent "content-length;" and got gunicorn's HTML page)."""
    host, port = server.base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as conn:
        conn.sendall(b"POST /api/v1/admin/indexers/x/test HTTP/1.1\r\nHost: seen\r\ncontent-length;\r\n\r\n")
        raw = b""
        while chunk := conn.recv(65536):
            raw += chunk
    head, _, body = raw.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400"), raw
    assert b"content-type: application/json" in head.lower(), raw
    assert json.loads(body)["error"]["code"] == "bad_request"


def test_a_killed_worker_is_replaced_and_the_others_keep_serving(server):
    victims = until_workers(server.proc.pid, 2)
    assert len(victims) == 2
    os.kill(victims[0], signal.SIGKILL)
    with httpx.Client(base_url=server.base_url, timeout=30) as http:
        statuses = [http.get("/api/v1/health/live").status_code for _ in range(30)]
    assert statuses == [200] * 30
    now = until_workers(server.proc.pid, 2, without=victims[0])
    assert len(now) == 2 and victims[0] not in now and victims[1] in now


FILM = 48 * 1024 * 1024  # far more than the sockets' buffers hold: the response stays in flight until read


def test_sigterm_lets_a_response_in_flight_finish_and_the_access_log_keeps_signatures_out(app_db, aws, tmp_path):
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text("<!doctype html><div id=root></div>")
    film = bytes(range(256)) * (FILM // 256)
    (dist / "assets" / "film.bin").write_bytes(film)
    log = tmp_path / "server.log"
    with production_server(log, "--dist", str(dist), workers=1) as running:
        with httpx.stream("GET", running.base_url + "/assets/film.bin?exp=1&sig=SECRET-SIGNATURE",
                          timeout=30) as response:
            chunks = response.iter_bytes()
            received = next(chunks)
            running.proc.send_signal(signal.SIGTERM)  # the master: stop accepting, finish what is in flight
            time.sleep(1)  # the worker shuts down while most of the body is still unsent
            received += b"".join(chunks)
        assert running.proc.wait(30) == 0
    assert received == film
    text = log.read_text()
    assert "SECRET-SIGNATURE" not in text
    access = [json.loads(line) for line in text.splitlines() if '"http_access"' in line]
    assert {"method": "GET", "path": "/assets/film.bin", "status": 200} in [
        {k: line[k] for k in ("method", "path", "status")} for line in access]


def test_the_installable_app_files_are_served_at_the_root_with_the_headers_browsers_check(server, tmp_path):
    dist = tmp_path / "dist"
    (dist / "manifest.webmanifest").write_text('{"name": "/seen/"}')
    (dist / "sw.js").write_text("self.addEventListener('fetch', () => {});")
    (dist / "assets").mkdir()
    (dist / "assets" / "index-abc123.js").write_text("export {};")
    with httpx.Client(base_url=server.base_url, timeout=30) as http:
        manifest = http.get("/manifest.webmanifest")
        worker = http.get("/sw.js")
        asset = http.get("/assets/index-abc123.js")
        shell = http.get("/app/settings")
    assert manifest.status_code == 200
    assert manifest.headers["content-type"] == "application/manifest+json"
    assert manifest.json() == {"name": "/seen/"}
    assert worker.status_code == 200
    assert worker.headers["content-type"] == "text/javascript"
    assert worker.headers["cache-control"] == "no-cache"  # a new build's worker is fetched on the next visit
    assert worker.headers["service-worker-allowed"] == "/"
    assert asset.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert "service-worker-allowed" not in asset.headers
    assert shell.status_code == 200 and "<div id=root>" in shell.text


def test_a_home_directory_nothing_can_be_written_in_starts_without_a_warning(app_db, aws, tmp_path):
    # The API container's root (and so its $HOME) is read-only: gunicorn's control socket, on by default in
    # ~/.gunicorn, warned "[Errno 30] Read-only file system" on every start. A file for $HOME stands in for
    # that here (the tests run as root, whom a read-only mode would not stop): nothing can be made under it.
    home = tmp_path / "home"
    home.write_text("")
    log = tmp_path / "server.log"
    env = {"HOME": str(home), "XDG_RUNTIME_DIR": ""}
    with production_server(log, workers=1, env=env) as running:
        assert httpx.get(running.base_url + "/api/v1/health/live", timeout=10).status_code == 200
    text = log.read_text()
    assert not [line for line in text.splitlines() if "[ERROR]" in line or "[WARNING]" in line], text
    assert ".gunicorn" not in text and home.read_text() == ""
