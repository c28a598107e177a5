"""The edge's input policy on its own: nesting scan, control characters, size."""

import json
import time

import pytest
from chalice.app import MultiDict

from chalicelib import errors, inputpolicy


@pytest.mark.parametrize(
    ("raw", "deep"),
    [
        (b"[" * 65 + b"]" * 65, True),
        (b"[" * 64 + b"]" * 64, False),
        (b'{"a":' * 65 + b"1" + b"}" * 65, True),
        # Brackets inside strings (escaped quotes included) are text, not nesting.
        (json.dumps({"t": "[" * 500}).encode(), False),
        (json.dumps({"t": '\\"[' * 200}).encode(), False),
        (b"[" * 100_000, True),
    ],
)
def test_nesting_is_measured_on_the_bytes(raw, deep):
    assert inputpolicy.json_depth_exceeds(raw) is deep


def test_a_hundred_thousand_levels_are_refused_fast_without_recursion():
    started = time.perf_counter()
    with pytest.raises(errors.BadRequest) as caught:
        inputpolicy.load_json(b"[" * 100_000 + b"]" * 100_000)
    assert caught.value.code == "too_deep" and caught.value.status == 400
    assert time.perf_counter() - started < 1


def test_load_json_still_decodes_ordinary_bodies_and_refuses_garbage():
    assert inputpolicy.load_json(b'{"a": [1, {"b": "x"}]}') == {"a": [1, {"b": "x"}]}
    with pytest.raises(errors.BadRequest) as caught:
        inputpolicy.load_json(b"{nope")
    assert caught.value.code == "invalid_json"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"email": "a\u0000@b.c"}, "email"),
        ({"name": "x\u001by"}, "name"),
        ({"name": "del\u007f"}, "name"),
        ({"name": "c1\u0085"}, "name"),
        ({"items": [{"title": "ok"}, {"title": "bad\u0000"}]}, "items.1.title"),
        ({"tags": ["ok", "\u0001"]}, "tags.1"),
        ({"bad\u0000key": 1}, "bad\u0000key"),
    ],
)
def test_control_characters_anywhere_in_a_body_name_the_field(data, field):
    with pytest.raises(errors.BadRequest) as caught:
        inputpolicy.reject_control_chars(data)
    assert caught.value.status == 400 and caught.value.code == "validation_error"
    assert list(caught.value.fields) == [field]


def test_tab_newline_carriage_return_and_unicode_text_are_fine():
    inputpolicy.reject_control_chars({"overview": "line one\r\n\tline two", "title": "Amélie 映画 🎬", "n": 3})


def test_query_and_path_parameters_are_checked_by_name():
    with pytest.raises(errors.BadRequest) as caught:
        inputpolicy.check_query(MultiDict({"tags": ["ok", "b\u0000d"]}))
    assert caught.value.fields == {"tags": "control characters are not allowed"}
    inputpolicy.check_query(MultiDict({"q": ["dune part two"]}))
    inputpolicy.check_query(None)
    with pytest.raises(errors.BadRequest) as caught:
        inputpolicy.check_path_params({"job_id": "abc%00def"})
    assert list(caught.value.fields) == ["job_id"]
    inputpolicy.check_path_params({"job_id": "0b0c5f4e-94a3-4b7f-9a8e-6b0f0d8b1c11"})


def test_body_size_limit_is_413():
    inputpolicy.check_size(b"x" * 10, 10)
    inputpolicy.check_size(None, 10)
    with pytest.raises(errors.PayloadTooLarge):
        inputpolicy.check_size(b"x" * 11, 10)
