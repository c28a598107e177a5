"""The input policy every route gets before its own code runs.

Limits that protect the parser and the database from any request, whatever
the route's models say: a body size limit (413), a JSON nesting limit checked
on the raw bytes before ``json.loads`` can recurse (400), and no control
characters in any string a client sends — body values and keys, query
parameters, path parameters (400 naming the field). Postgres refuses NUL in
text, and no field of this API means anything with the others. Numbers are
finite: NaN, Infinity and overflowing floats (1e999) are refused (400).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import unquote

from chalicelib import errors, jsondepth

MAX_JSON_DEPTH = jsondepth.MAX_DEPTH

# C0 controls except tab, newline and carriage return; DEL and the C1 block.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# NUL and lone surrogates (JSON escapes such as "\\ud800" decode to them): Postgres text and jsonb refuse both.
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def storable(text: str) -> str:
    """``text`` without what Postgres cannot store: for text from files and servers, where one such character
    must not fail the import or sync it is part of (a request's fields are refused instead: 400)."""
    return UNSTORABLE.sub("", text)


def check_size(raw: bytes | None, limit: int) -> None:
    """413 when the body is larger than ``limit`` bytes."""
    if raw and len(raw) > limit:
        raise errors.PayloadTooLarge(f"Request body is larger than {limit} bytes")


def json_depth_exceeds(raw: bytes | str, max_depth: int = MAX_JSON_DEPTH) -> bool:
    """True when arrays/objects nest deeper than ``max_depth``, brackets inside strings ignored: one linear
    scan in C (``jsondepth``, the check every remote's answer gets too), before the recursive decoder."""
    return jsondepth.nests_deeper(raw, max_depth)


class _NonFinite:
    """Where the body had NaN, Infinity, -Infinity (Python's json reads them; JSON has no such numbers) or a
    number that overflows to infinity (1e999): found after parsing, so the error can name its field."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text[:40]


def _non_finite_path(value: Any, path: str) -> str | None:
    """The field path of the first non-finite number (depth is already bounded by ``load_json``)."""
    if isinstance(value, _NonFinite):
        return path or "body"
    children = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in children:
        found = _non_finite_path(item, f"{path}.{key}" if path else str(key))
        if found is not None:
            return found
    return None


def load_json(raw: bytes | str) -> Any:
    """Decode a JSON body under the nesting limit: 400 for anything that is not JSON, 422 naming the field
    for a NaN or an infinite number (no number anywhere may be one: handlers never see them)."""
    if json_depth_exceeds(raw):
        raise errors.BadRequest(f"Request body nests deeper than {MAX_JSON_DEPTH} levels", code="too_deep")
    non_finite: list[_NonFinite] = []

    def refuse(text: str) -> _NonFinite:
        non_finite.append(_NonFinite(text))
        return non_finite[-1]

    def number(text: str) -> float | _NonFinite:
        value = float(text)
        return value if math.isfinite(value) else refuse(text)

    try:
        value = json.loads(raw, parse_constant=refuse, parse_float=number)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise errors.BadRequest(f"Request body is not valid JSON: {exc}", code="invalid_json") from None
    except ValueError:  # an integer past Python's digit limit
        raise errors.BadRequest("Request body is not valid JSON: a number is too long",
                                code="invalid_json") from None
    if non_finite:
        field = _non_finite_path(value, "")
        raise errors.ValidationFailed(f"{non_finite[0].text} is not a number JSON can carry: numbers must be "
                                      "finite", fields={field or "body": "must be a finite number"})
    return value


def _strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    """(field path, string) for every key and string value; depth is already bounded by ``load_json``."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            child = f"{path}.{key}" if path else str(key)
            yield child, str(key)
            yield from _strings(item, child)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{path}.{index}" if path else str(index))


def _control_error(field: str) -> errors.BadRequest:
    return errors.BadRequest("Text must not contain control characters", code="validation_error",
                             fields={field: "control characters are not allowed"})


def reject_control_chars(value: Any, where: str = "") -> None:
    """400 ``validation_error`` naming the first field whose key or value holds a control character."""
    for path, text in _strings(value, where):
        if CONTROL_CHARS.search(text):
            raise _control_error(path or "body")


def check_query(params: Mapping[str, Any] | None) -> None:
    """Every query parameter name and value, repeated ones included."""
    if not params:
        return
    getlist = getattr(params, "getlist", None)  # chalice's MultiDict keeps repeated parameters
    for key in params:
        values = getlist(key) if getlist is not None else [params[key]]
        if any(CONTROL_CHARS.search(text) for text in (key, *values)):
            raise _control_error(key)


def check_path_params(params: Mapping[str, str]) -> None:
    """Path parameters, percent-decoded (servers differ on whether they decode them)."""
    for name, value in params.items():
        if CONTROL_CHARS.search(unquote(value)):
            raise _control_error(name)
