"""The HTTP edge on a small app of its own: validation, envelopes, limits."""

import json

import pytest
from chalice import Chalice
from chalice.test import Client
from pydantic import Field

from chalicelib import api, errors
from chalicelib.models import ApiModel, RequestModel


class EchoIn(RequestModel):
    title: str = Field(min_length=1, max_length=20)
    year: int = Field(ge=1870, le=2100)


class EchoOut(ApiModel):
    title: str
    release_year: int


class Listing(RequestModel):
    page: int = Field(default=1, ge=1)
    tags: list[str] = []


class ItemGone(errors.NotFound):
    code = "item_gone"


@pytest.fixture(scope="module")
def edge_client():
    app = Chalice(app_name="edge-test")
    app.register_middleware(api.http_middleware, "http")

    @api.endpoint(app, "/echo", "POST", summary="echo", body=EchoIn, response=EchoOut, status=201)
    def echo(body: EchoIn) -> EchoOut:
        return EchoOut(title=body.title, release_year=body.year)

    @api.endpoint(app, "/items/{item_id}", summary="item", query=Listing)
    def item(item_id: str, query: Listing) -> dict:
        if item_id == "gone":
            raise ItemGone("That item is gone", fields={"itemId": "deleted"})
        if item_id == "busy":
            raise errors.RateLimited("Slow down", retry_after=7)
        if item_id == "boom":
            raise RuntimeError("a bug")
        return {"id": item_id, "page": query.page, "tags": query.tags}

    @api.endpoint(app, "/ping", "POST", summary="no body model")
    def ping() -> dict:
        return {"ok": True}

    with Client(app) as client:
        yield client


def post(client, body, headers=None):
    raw = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return client.http.post("/echo", body=raw, headers={"Content-Type": "application/json", **(headers or {})})


def error_of(response):
    return json.loads(response.body)["error"]


def test_valid_body_is_validated_and_serialised_in_camel_case(edge_client):
    response = post(edge_client, {"title": "Dune", "year": 2021})
    assert response.status_code == 201
    assert json.loads(response.body) == {"title": "Dune", "releaseYear": 2021}


@pytest.mark.parametrize(
    ("body", "status", "code", "field"),
    [
        ("{not json", 400, "invalid_json", None),
        ("", 400, "missing_body", None),
        ("[1, 2]", 422, "validation_error", "body"),
        ({"title": "Dune", "year": "soon"}, 422, "validation_error", "year"),
        ({"title": "Dune"}, 422, "validation_error", "year"),
        ({"title": "Dune", "year": 2021, "admin": True}, 422, "validation_error", "admin"),
        ({"title": "x" * 21, "year": 2021}, 422, "validation_error", "title"),
    ],
)
def test_bad_bodies_get_an_envelope_naming_the_problem(edge_client, body, status, code, field):
    response = post(edge_client, body)
    assert response.status_code == status
    error = error_of(response)
    assert error["code"] == code
    assert error["message"]
    if field:
        assert field in error["fields"]


def test_oversized_body_is_413(edge_client, monkeypatch):
    from chalicelib import config

    monkeypatch.setenv("SEEN_MAX_BODY_BYTES", "64")
    config.get_settings.cache_clear()
    try:
        response = post(edge_client, {"title": "Dune", "year": 2021, "pad": "x" * 100})
    finally:
        monkeypatch.delenv("SEEN_MAX_BODY_BYTES")
        config.get_settings.cache_clear()
    assert response.status_code == 413
    assert error_of(response)["code"] == "payload_too_large"


def test_query_parameters_are_typed_and_lists_repeat(edge_client):
    response = edge_client.http.get("/items/a1?page=3&tags=x&tags=y")
    assert json.loads(response.body) == {"id": "a1", "page": 3, "tags": ["x", "y"]}
    bad = edge_client.http.get("/items/a1?page=zero")
    assert bad.status_code == 422 and "page" in error_of(bad)["fields"]
    unknown = edge_client.http.get("/items/a1?sort=up")
    assert unknown.status_code == 422 and "sort" in error_of(unknown)["fields"]


def test_domain_errors_map_to_their_status_and_code(edge_client):
    gone = edge_client.http.get("/items/gone")
    assert gone.status_code == 404
    assert error_of(gone) == {"code": "item_gone", "message": "That item is gone", "fields": {"itemId": "deleted"}}
    busy = edge_client.http.get("/items/busy")
    assert busy.status_code == 429 and busy.headers["Retry-After"] == "7"


def test_wrong_method_and_media_type_get_the_envelope(edge_client):
    wrong_method = edge_client.http.delete("/echo")
    assert wrong_method.status_code == 405
    assert error_of(wrong_method)["code"] == "method_not_allowed"
    wrong_type = edge_client.http.post("/echo", body="title=Dune", headers={"Content-Type": "text/plain"})
    assert wrong_type.status_code == 415
    assert error_of(wrong_type)["code"] == "unsupported_media_type"


def test_a_bug_is_a_500_envelope_without_internals(edge_client):
    response = edge_client.http.get("/items/boom")
    assert response.status_code == 500
    error = error_of(response)
    assert error["code"] == "internal_error"
    assert "a bug" not in response.body.decode()


def test_every_response_carries_security_headers_and_a_request_id(edge_client):
    response = edge_client.http.get("/items/a1")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Cache-Control"] == "no-store"
    assert len(response.headers["X-Request-Id"]) == 32


def test_one_access_line_per_request_with_method_path_status_and_duration(edge_client, caplog):
    from chalicelib.logs import get_logger

    with caplog.at_level("INFO", logger="seen-api"):
        edge_client.http.get("/items/a1?page=2")
    formatter = get_logger().registered_formatter
    lines = [json.loads(formatter.format(record)) for record in caplog.records]
    access = [line for line in lines if line.get("action") == "http_request"]
    assert len(access) == 1
    line = access[0]
    assert (line["method"], line["path"], line["status"]) == ("GET", "/items/a1", 200)
    assert line["route"] == "/items/{item_id}"
    assert line["duration_ms"] >= 0 and len(line["request_id"]) == 32
    assert line["service"] == "seen-api" and line["level"] == "INFO"


def test_control_characters_in_body_query_or_path_are_a_400_naming_the_field(edge_client):
    in_body = post(edge_client, {"title": "Du\u0000ne", "year": 2021})
    assert in_body.status_code == 400
    assert error_of(in_body)["code"] == "validation_error" and "title" in error_of(in_body)["fields"]
    in_query = edge_client.http.get("/items/a1?tags=x%00y")
    assert in_query.status_code == 400 and "tags" in error_of(in_query)["fields"]
    in_path = edge_client.http.get("/items/a%1Bb")
    assert in_path.status_code == 400 and "item_id" in error_of(in_path)["fields"]


def test_deep_nesting_is_a_400_before_the_decoder_recurses(edge_client):
    response = post(edge_client, "[" * 100_000 + "]" * 100_000)
    assert response.status_code == 400
    assert error_of(response)["code"] == "too_deep"


def test_body_limit_applies_to_routes_that_take_no_body_model(edge_client):
    response = edge_client.http.post("/ping", body="x" * (2 * 1024 * 1024), headers={"Content-Type": "text/plain"})
    assert response.status_code == 413
    assert error_of(response)["code"] == "payload_too_large"
