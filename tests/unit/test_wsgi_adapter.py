"""The WSGI → API Gateway event adapter's pieces: routing as API Gateway does it, bodies, headers, threads."""

from __future__ import annotations

import base64
import io
import threading

from chalice import Chalice

from server.wsgi import Routes, from_result, read_body, request_path, thread_safe, to_event


def test_routes_prefer_literal_segments_and_keep_encoded_slashes_inside_a_parameter():
    routes = Routes(["/api/v1/movies/{movie_id}", "/api/v1/movies/popular", "/api/v1/{kind}/popular",
                     "/api/v1/movies/{movie_id}/similar", "/files/{path+}"])
    assert routes.match("/api/v1/movies/popular") == ("/api/v1/movies/popular", {})
    assert routes.match("/api/v1/shows/popular") == ("/api/v1/{kind}/popular", {"kind": "shows"})
    assert routes.match("/api/v1/movies/a%2Fb") == ("/api/v1/movies/{movie_id}", {"movie_id": "a/b"})
    assert routes.match("/api/v1/movies/12/similar") == ("/api/v1/movies/{movie_id}/similar", {"movie_id": "12"})
    assert routes.match("/files/a/b/c.mkv") == ("/files/{path+}", {"path": "a/b/c.mkv"})
    assert routes.match("/api/v1/movies/12/nope") is None
    assert routes.match("/api/v1/movies/") is None


def environ(path: str, body: bytes = b"", **extra: str) -> dict:
    return {"REQUEST_METHOD": "POST", "RAW_URI": path, "PATH_INFO": path.split("?")[0],
            "QUERY_STRING": path.partition("?")[2], "wsgi.input": io.BytesIO(body),
            "CONTENT_LENGTH": str(len(body)), "REMOTE_ADDR": "192.0.2.7", **extra}


def test_the_event_carries_what_api_gateway_sends():
    env = environ("/api/v1/movies/a%20b?genre=1&genre=2&q=", b'{"x": "\xc3\xa9"}', CONTENT_TYPE="application/json",
                  HTTP_X_CUSTOM="v")
    event = to_event(env, request_path(env), ("/api/v1/movies/{id}", {"id": "a b"}), read_body(env, 100), ())
    assert event["requestContext"]["resourcePath"] == "/api/v1/movies/{id}"
    assert event["requestContext"]["identity"]["sourceIp"] == "192.0.2.7"
    assert event["path"] == "/api/v1/movies/a b" and event["pathParameters"] == {"id": "a b"}
    assert event["multiValueQueryStringParameters"] == {"genre": ["1", "2"], "q": [""]}
    assert event["queryStringParameters"] == {"genre": "2", "q": ""}
    assert event["headers"]["Content-Type"] == "application/json" and event["headers"]["X-Custom"] == "v"
    assert event["body"] == '{"x": "é"}' and event["isBase64Encoded"] is False


def test_binary_and_non_utf8_bodies_travel_base64_and_a_body_past_the_limit_is_refused():
    raw = b"\xff\x00torrent"
    env = environ("/up", raw, CONTENT_TYPE="application/x-bittorrent")
    event = to_event(env, "/up", ("/up", {}), read_body(env, 100), ("application/x-bittorrent",))
    assert event["isBase64Encoded"] and base64.b64decode(event["body"]) == raw
    env = environ("/up", raw, CONTENT_TYPE="application/json")
    assert to_event(env, "/up", ("/up", {}), read_body(env, 100), ())["isBase64Encoded"]
    assert read_body(environ("/up", b"x" * 101), 100) is None
    chunked = {**environ("/up", b"x" * 101), "CONTENT_LENGTH": ""}
    assert read_body(chunked, 100) is None and read_body({**chunked, "wsgi.input": io.BytesIO(b"ok")}, 100) == b"ok"


def test_multi_value_headers_stay_separate_and_base64_bodies_are_decoded():
    status, headers, body = from_result({"statusCode": 200, "headers": {"Content-Type": "image/png"},
                                         "multiValueHeaders": {"Set-Cookie": ["a=1", "b=2"]},
                                         "body": base64.b64encode(b"\x89PNG").decode(), "isBase64Encoded": True})
    assert status == 200 and body == b"\x89PNG"
    assert [v for k, v in headers if k == "Set-Cookie"] == ["a=1", "b=2"]


def test_the_current_request_is_per_thread():
    app = thread_safe(Chalice(app_name="threads"))
    assert thread_safe(app) is app
    app.current_request = "main"
    seen = []
    worker = threading.Thread(target=lambda: (seen.append(app.current_request), setattr(app, "current_request", "w"),
                                              seen.append(app.current_request)))
    worker.start()
    worker.join()
    assert seen == [None, "w"] and app.current_request == "main"
