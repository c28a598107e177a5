"""The nesting check every remote's JSON answer (and every request body) goes through: its edges, against a
plain reference walk over random documents, and a hundred thousand levels refused fast without recursion."""

from __future__ import annotations

import json
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib import jsondepth


def _depth(value) -> int:
    """The reference: how deep a decoded value nests (a scalar is 0, ``[]`` is 1)."""
    if isinstance(value, dict):
        return 1 + max(map(_depth, value.values()), default=0)
    if isinstance(value, list):
        return 1 + max(map(_depth, value), default=0)
    return 0


@pytest.mark.parametrize(("raw", "deep"), [
    (b"[" * 64 + b"]" * 64, False),  # exactly at the limit passes
    (b"[" * 65 + b"]" * 65, True),
    (b'{"a":' * 64 + b"1" + b"}" * 64, False),
    (b'{"a":' * 65 + b"1" + b"}" * 65, True),
    (b'[{"a":' * 32 + b"[]" + b"}]" * 32, True),  # 65 levels, mixed
    (b'[{"a":' * 32 + b"1" + b"}]" * 32, False),
    (b"[" * 100_000, True),  # never closed: a decoder would still recurse into it
    (b"[" * 1000 + b"]" * 1000 + b"[" * 10 + b"]" * 10, True),
    (b"[]" * 100_000, False),  # many, but side by side
])
def test_nesting_is_counted_by_levels(raw, deep):
    assert jsondepth.nests_deeper(raw) is deep


@pytest.mark.parametrize("raw", [
    json.dumps({"t": "[" * 500}).encode(),
    json.dumps({"t": "{[" * 500, "u": ["]" * 80]}).encode(),
    json.dumps({"t": '\\"[' * 200}).encode(),  # escaped quotes do not end the string
    json.dumps(["\\" * 7 + '"' + "[" * 100]).encode(),  # odd backslashes then a quote: still inside
    json.dumps(["\\\\", "[" * 100, "\\"]).encode(),  # a string ending in an escaped backslash ends there
    json.dumps({"t": "[" * 70_000}),  # str in, not only bytes
])
def test_brackets_inside_strings_do_not_count(raw):
    assert jsondepth.nests_deeper(raw) is False
    assert jsondepth.loads(raw) == json.loads(raw)


def test_an_escaped_backslash_before_a_quote_closes_the_string():
    # "a\\" ends the string: the brackets after it are real nesting.
    raw = b'["a\\\\",' + b"[" * 70 + b"]" * 70 + b"]"
    assert _depth(json.loads(raw)) == 71 and jsondepth.nests_deeper(raw) is True


def test_a_hundred_thousand_levels_are_refused_fast_as_a_decode_error():
    started = time.perf_counter()
    with pytest.raises(jsondepth.TooDeep) as caught:
        jsondepth.loads(b"[" * 100_000 + b"]" * 100_000)
    assert time.perf_counter() - started < 1
    assert isinstance(caught.value, json.JSONDecodeError)  # what every caller already turns into its own error
    assert "deeper than 64 levels" in str(caught.value)


def test_loads_passes_options_and_refuses_garbage_as_before():
    assert jsondepth.loads('{"a": 1.5}', parse_float=str) == {"a": "1.5"}
    with pytest.raises(json.JSONDecodeError):
        jsondepth.loads(b"{nope")


_TEXT = st.text(alphabet=st.sampled_from('ab[]{}"\\ \n\u00e9'), max_size=12)
_JSON = st.recursive(st.none() | st.booleans() | st.integers() | _TEXT,
                     lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TEXT, inner, max_size=3),
                     max_leaves=80)


@settings(max_examples=400, deadline=None)
@given(value=_JSON, limit=st.integers(min_value=0, max_value=12), ascii_only=st.booleans())
def test_the_scan_agrees_with_a_walk_of_the_decoded_value(value, limit, ascii_only):
    raw = json.dumps(value, ensure_ascii=ascii_only).encode()
    assert jsondepth.nests_deeper(raw, limit) is (_depth(value) > limit)


@settings(max_examples=200, deadline=None)
@given(depth=st.integers(min_value=50, max_value=80), noise=st.lists(_TEXT, max_size=4))
def test_deep_documents_near_the_limit_are_judged_exactly(depth, noise):
    value: object = noise
    for level in range(depth - 1):
        value = {"k": value, "s": "]" * level} if level % 2 else [value, "}"]
    raw = json.dumps(value).encode()
    assert jsondepth.nests_deeper(raw) is (_depth(value) > jsondepth.MAX_DEPTH)
