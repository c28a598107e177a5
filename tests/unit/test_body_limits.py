"""Body limits per route (issue 33, item 2) and finite numbers in JSON bodies (item 3), on a small app of
its own served through the WSGI adapter as gunicorn serves the real one."""

import base64
import io
import json

import pytest
from chalice import Chalice
from pydantic import Field

from chalicelib import api
from chalicelib.config import LAMBDA_MAX_BODY_BYTES
from chalicelib.models import ApiModel, RequestModel
from server.wsgi import ApiAdapter

DEFAULT = 1024 * 1024
BIG = 5 * 1024 * 1024


class Reading(RequestModel):
    value: float
    note: str = Field(default="", max_length=8 * 1024 * 1024)


class Echo(ApiModel):
    value: float
    size: int


class ExplodingInput(io.BytesIO):
    """A request body that must not be read (a 413 is answered from the declared length alone)."""

    def read(self, *args):
        raise AssertionError("the body was read")


@pytest.fixture(scope="module")
def adapter():
    app = Chalice(app_name="body-limits-test")
    app.register_middleware(api.http_middleware, "http")

    def echo(body: Reading) -> Echo:
        return Echo(value=body.value, size=len(body.note))

    api.endpoint(app, "/limits/big", "POST", summary="big", body=Reading, response=Echo, max_body_bytes=BIG)(echo)
    api.endpoint(app, "/limits/small", "POST", summary="default limit", body=Reading, response=Echo)(echo)
    return ApiAdapter(app, DEFAULT)


def call(adapter, path: str, body: bytes, stream=None) -> tuple[int, dict]:
    environ = {"REQUEST_METHOD": "POST", "RAW_URI": path, "PATH_INFO": path, "QUERY_STRING": "",
               "CONTENT_TYPE": "application/json", "CONTENT_LENGTH": str(len(body)),
               "wsgi.input": stream or io.BytesIO(body), "REMOTE_ADDR": "192.0.2.1", "SERVER_PROTOCOL": "HTTP/1.1"}
    seen = {}
    payload = b"".join(adapter(environ, lambda status, headers: seen.update(status=int(status.split()[0]))))
    return seen["status"], json.loads(payload)


def csv_as_json(size: int) -> bytes:
    """An ``size``-byte CSV export, base64 in a JSON body (what the SPA sends for a file)."""
    rows = b"".join(b"tt%07d,Some Film Title,2021-01-01,8\n" % i for i in range(size // 36 + 1))[:size]
    return json.dumps({"value": 1.0, "note": base64.b64encode(rows).decode()}).encode()


def test_an_819_kb_csv_as_base64_json_reaches_a_route_that_allows_more(adapter):
    body = csv_as_json(819 * 1024)
    assert DEFAULT < len(body) < BIG  # 1.09 MB on the wire: more than the default, less than the route's
    status, answer = call(adapter, "/limits/big", body)
    assert status == 200, answer
    assert answer["size"] == len(json.loads(body)["note"])


def test_the_same_body_is_a_413_envelope_on_a_route_with_the_default_limit_and_is_never_read(adapter):
    body = csv_as_json(819 * 1024)
    status, answer = call(adapter, "/limits/small", body, stream=ExplodingInput(body))
    assert status == 413
    assert answer["error"]["code"] == "payload_too_large" and str(DEFAULT) in answer["error"]["message"]


def test_a_body_past_the_routes_own_limit_is_a_413_before_it_is_read(adapter):
    body = b"x" * (BIG + 1)
    status, answer = call(adapter, "/limits/big", body, stream=ExplodingInput(body))
    assert status == 413 and answer["error"]["code"] == "payload_too_large"


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e999", "-1e400"])
def test_nan_and_infinity_in_a_json_body_are_a_422_naming_the_field(adapter, number):
    status, answer = call(adapter, "/limits/small", f'{{"note": "ok", "value": [1, {number}]}}'.encode())
    assert status == 422, answer
    assert answer["error"]["code"] == "validation_error"
    assert answer["error"]["fields"] == {"value.1": "must be a finite number"}


def test_finite_numbers_and_the_words_as_strings_still_pass(adapter):
    status, answer = call(adapter, "/limits/small", b'{"value": 1.5e300, "note": "NaN Infinity"}')
    assert (status, answer) == (200, {"value": 1.5e300, "size": 12})


def test_an_integer_past_pythons_digit_limit_is_a_400_not_a_500(adapter):
    status, answer = call(adapter, "/limits/small", b'{"value": ' + b"9" * 5000 + b"}")
    assert status == 400 and answer["error"]["code"] == "invalid_json"


@pytest.mark.parametrize(("limit", "content_types"), [
    (LAMBDA_MAX_BODY_BYTES + 1, ()),  # JSON travels as it is
    (LAMBDA_MAX_BODY_BYTES // 4 * 3 + 3, ("multipart/form-data",)),  # base64 in the event: 4 bytes per 3
    (64 * 1024 * 1024, ()),
    (0, ()),
])
def test_a_route_may_not_declare_more_than_a_lambda_event_carries(limit, content_types):
    app = Chalice(app_name="too-big")
    before = len(api.ENDPOINTS)
    with pytest.raises(ValueError, match="/too-big: max_body_bytes"):
        api.endpoint(app, "/too-big", "POST", summary="x", max_body_bytes=limit, content_types=content_types)
    assert len(api.ENDPOINTS) == before and ("/too-big", "POST") not in api.BODY_LIMITS


def test_the_largest_allowed_limits_register():
    app = Chalice(app_name="just-fits")
    api.endpoint(app, "/just-fits/json", "POST", summary="x", max_body_bytes=LAMBDA_MAX_BODY_BYTES)(lambda: None)
    binary = LAMBDA_MAX_BODY_BYTES // 4 * 3
    api.endpoint(app, "/just-fits/form", "POST", summary="x", max_body_bytes=binary,
                 content_types=("multipart/form-data",))(lambda: None)
    assert api.BODY_LIMITS[("/just-fits/json", "POST")] == LAMBDA_MAX_BODY_BYTES
    assert api.BODY_LIMITS[("/just-fits/form", "POST")] == binary


def test_the_default_limit_may_not_exceed_what_lambda_accepts_either():
    from chalicelib.config import ConfigError, Settings

    largest = Settings.from_env({"SEEN_MAX_BODY_BYTES": str(LAMBDA_MAX_BODY_BYTES)})
    assert largest.max_body_bytes == LAMBDA_MAX_BODY_BYTES
    with pytest.raises(ConfigError, match="SEEN_MAX_BODY_BYTES must be <= "):
        Settings.from_env({"SEEN_MAX_BODY_BYTES": str(64 * 1024 * 1024)})
