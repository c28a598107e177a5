"""The edge's input policy on the real app, and the servers that front it.

Through chalice.test.Client: NUL and control characters, deep nesting and
oversized bodies on real routes are 4xx envelopes, never a 500. Over real HTTP:
the production server (``python -m server``, what `make dev` and home run) answers
unknown routes with the 404 envelope and unsupported methods with the 405 envelope
and ``Allow``, whatever the method and whether or not a Bearer token is sent.
"""

from __future__ import annotations

import http.client
import json

import pytest

from server.front import inline_script_hashes
from tests.server_support import production_server

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


# --- real HTTP: the production server, serving the SPA and the API as under `make dev`


def _request(port: int, method: str, path: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, headers=headers or {})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def server_port(tmp_path_factory):
    dist = tmp_path_factory.mktemp("dist")
    (dist / "index.html").write_text("<!doctype html><script>window.boot = 1</script><div id=root></div>")
    log = tmp_path_factory.mktemp("edge") / "server.log"
    with production_server(log, "--dist", str(dist), "--edge", "--media-origin", "http://127.0.0.1:9000",
                           env={"SEEN_STAGE": "local"}) as running:
        yield running.port


BEARER = {"Authorization": "Bearer not-a-real-token"}


@pytest.mark.parametrize("headers", [{}, BEARER], ids=["anonymous", "bearer"])
def test_unknown_api_route_is_a_404_envelope(server_port, headers):
    status, _, body = _request(server_port, "GET", "/api/v1/no-such-thing", headers)
    assert status == 404
    assert json.loads(body)["error"]["code"] == "not_found"


@pytest.mark.parametrize("method", ["TRACE", "PROPFIND", "DELETE", "CONNECT"])
def test_unsupported_method_on_an_api_route_is_a_405_envelope_with_allow(server_port, method):
    status, headers, body = _request(server_port, method, "/api/v1/health/live")
    assert status == 405, body
    assert json.loads(body)["error"]["code"] == "method_not_allowed"
    assert "GET" in headers["allow"] and "DELETE" not in headers["allow"]


@pytest.mark.parametrize("method", ["TRACE", "POST", "PROPFIND"])
def test_unsupported_method_on_the_spa_is_a_405_envelope_with_allow(server_port, method):
    status, headers, body = _request(server_port, method, "/app/dashboard")
    assert status == 405
    assert json.loads(body)["error"]["code"] == "method_not_allowed"
    assert headers["allow"] == "GET, HEAD"


def test_the_spa_carries_security_headers_that_allow_its_inline_boot_script(server_port):
    status, headers, _ = _request(server_port, "GET", "/app/dashboard")
    assert status == 200
    csp = headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert inline_script_hashes(b"<script>window.boot = 1</script>")[0] in csp
    assert "http://127.0.0.1:9000" in csp.split("media-src")[1].split(";")[0]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert headers["x-frame-options"] == "DENY"
