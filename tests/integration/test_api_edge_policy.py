"""The edge's input policy on the real app, and the servers that front it.

Through chalice.test.Client: NUL and control characters, deep nesting and
oversized bodies on real routes are 4xx envelopes, never a 500. Over real HTTP:
`make dev`'s API server (embedded.chalice_local) and gateway answer unknown
routes with the 404 envelope and unsupported methods with the 405 envelope and
``Allow``, whatever the method and whether or not a Bearer token is sent.
"""

from __future__ import annotations

import http.client
import json
import os
import sys
import threading
import urllib.request

import pytest

from embedded import gateway, services
from embedded.services import ROOT

JSON = {"Content-Type": "application/json"}


def call(client, method, path, body=None, headers=None):
    raw = body if isinstance(body, str) or body is None else json.dumps(body)
    return client.http.request(method, path, body=raw, headers={**JSON, **(headers or {})})


def error_of(response) -> dict:
    return json.loads(response.body)["error"]


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/v1/auth/login", {"email": "owner@seen.test", "password": "pass\u0000word-long-enough"}, "password"),
        ("/api/v1/auth/login", {"email": "own\u0000er@seen.test", "password": "long-enough-password"}, "email"),
        ("/api/v1/auth/register", {"email": "new@seen.test", "password": "long-enough-password",
                                   "displayName": "Nul\u0000Person"}, "displayName"),
    ],
)
def test_nul_in_an_unauthenticated_body_is_a_400_naming_the_field(client, path, body, field):
    response = call(client, "POST", path, body)
    assert response.status_code == 400, response.body
    error = error_of(response)
    assert error["code"] == "validation_error" and field in error["fields"]


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/v1/downloads", {"source": "magnet:?xt=urn:btih:" + "a" * 40, "title": "Big\u0000Buck"}, "title"),
        ("/api/v1/downloads", {"source": "magnet:?xt=urn:btih:" + "a" * 40 + "&dn=x\u0000y"}, "source"),
        ("/api/v1/collections", {"name": "Fav\u001bourites"}, "name"),
    ],
)
def test_control_characters_in_signed_in_bodies_are_a_400_naming_the_field(client, auth_headers, path, body, field):
    response = call(client, "POST", path, body, auth_headers())
    assert response.status_code == 400, response.body
    assert field in error_of(response)["fields"]


def test_control_characters_in_query_and_path_parameters_are_a_400(client, auth_headers):
    headers = auth_headers()
    query = call(client, "GET", "/api/v1/downloads?cursor=a%00b", headers=headers)
    assert query.status_code == 400 and "cursor" in error_of(query)["fields"]
    path = call(client, "GET", "/api/v1/downloads/abc%00def", headers=headers)
    assert path.status_code == 400 and error_of(path)["code"] == "validation_error"


def test_a_hundred_thousand_nested_arrays_are_a_400_not_a_recursion_error(client):
    response = call(client, "POST", "/api/v1/auth/login", "[" * 100_000 + "]" * 100_000)
    assert response.status_code == 400
    assert error_of(response)["code"] == "too_deep"


@pytest.mark.parametrize("path", ["/api/v1/auth/login", "/api/v1/auth/refresh"])
def test_a_two_megabyte_body_is_a_413_before_parsing(client, path):
    response = call(client, "POST", path, '{"email": "' + "x" * (2 * 1024 * 1024) + '"}')
    assert response.status_code == 413
    assert error_of(response)["code"] == "payload_too_large"


# --- real HTTP: embedded.chalice_local (make dev's API server) and the gateway in front of it


def _request(port: int, method: str, path: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, headers=headers or {})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def _ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    """(api port, gateway port): the API as `make dev` runs it, and the gateway in front of it."""
    api_port = services.free_port()
    env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'localstack'}"}
    log = tmp_path_factory.mktemp("edge") / "api.log"
    started = services.Started()
    proc = services.spawn([sys.executable, "-m", "embedded.chalice_local", "--stage", "local",
                           "--port", str(api_port)], env=env, log=log)
    started.processes.append(proc)
    dist = tmp_path_factory.mktemp("dist")
    (dist / "index.html").write_text("<!doctype html><script>window.boot = 1</script><div id=root></div>")
    server = gateway.serve(services.free_port(), api_port, dist, "http://127.0.0.1:9000")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        services.wait_until(lambda: _ready(f"http://127.0.0.1:{api_port}/api/v1/health/live"), "the API", 60, proc)
        yield api_port, server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
        started.stop()


BEARER = {"Authorization": "Bearer not-a-real-token"}


@pytest.mark.parametrize("which", [0, 1], ids=["chalice_local", "gateway"])
@pytest.mark.parametrize("headers", [{}, BEARER], ids=["anonymous", "bearer"])
def test_unknown_api_route_is_a_404_envelope(servers, which, headers):
    status, _, body = _request(servers[which], "GET", "/api/v1/no-such-thing", headers)
    assert status == 404
    assert json.loads(body)["error"]["code"] == "not_found"


@pytest.mark.parametrize("which", [0, 1], ids=["chalice_local", "gateway"])
@pytest.mark.parametrize("method", ["TRACE", "PROPFIND", "DELETE", "CONNECT"])
def test_unsupported_method_on_an_api_route_is_a_405_envelope_with_allow(servers, which, method):
    status, headers, body = _request(servers[which], method, "/api/v1/health/live")
    assert status == 405, body
    assert json.loads(body)["error"]["code"] == "method_not_allowed"
    assert "GET" in headers["allow"] and "DELETE" not in headers["allow"]


@pytest.mark.parametrize("method", ["TRACE", "POST", "PROPFIND"])
def test_unsupported_method_on_the_spa_is_a_405_envelope_with_allow(servers, method):
    status, headers, body = _request(servers[1], method, "/app/dashboard")
    assert status == 405
    assert json.loads(body)["error"]["code"] == "method_not_allowed"
    assert headers["allow"] == "GET, HEAD"


def test_the_spa_carries_security_headers_that_allow_its_inline_boot_script(servers):
    status, headers, _ = _request(servers[1], "GET", "/app/dashboard")
    assert status == 200
    csp = headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert gateway.inline_script_hashes(b"<script>window.boot = 1</script>")[0] in csp
    assert "http://127.0.0.1:9000" in csp.split("media-src")[1].split(";")[0]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert headers["x-frame-options"] == "DENY"
