"""JSON nesting, checked before a decoder recurses into it: for request bodies and for every answer of a remote.

Python's ``json`` recurses once per level, so 100k opening brackets from a media server, a metadata API or
a tool's output end in a RecursionError (a 500, or a failed job) rather than the remote's "bad answer"; the
C decoders (orjson) refuse past their own, much higher, limit. ``loads`` refuses anything nested deeper than
``MAX_DEPTH`` first, with ``TooDeep`` — a ``json.JSONDecodeError``, so whoever already turns a malformed
answer into its domain's error (``except ValueError``) turns this one into it too.

The check is linear and runs in C: bytes methods only, no loop per byte in Python (on a 20k-item, 29 MB
Jellyfin page it costs about a fifth of ``json.loads``, tests/bench/test_jsondepth_bench.py; 100k levels are
refused in milliseconds). Standard library only, so the worker imports it without anything of the control plane.
"""

from __future__ import annotations

import json
from itertools import accumulate
from typing import Any

MAX_DEPTH = 64  # real answers and bodies nest under 12 levels
SMALL = 64 * 1024  # bytes up to which counting brackets first may spare the scan

_NOT_MARKS = bytes(b for b in range(256) if b not in b'[]{}"')
_SQUARE = bytes.maketrans(b"{}", b"[]")  # an object nests like an array
_STEP = [0] * 256
_STEP[ord("[")], _STEP[ord("]")] = 1, -1
_PASSES = 8  # rounds of taking out innermost pairs: real documents (under 12 levels) are left with little or nothing


class TooDeep(json.JSONDecodeError):
    """The document nests arrays and objects deeper than the limit."""

    def __init__(self, max_depth: int) -> None:
        super().__init__(f"JSON nested deeper than {max_depth} levels", "", 0)


def nests_deeper(raw: bytes | str, max_depth: int = MAX_DEPTH) -> bool:
    """True when arrays/objects nest deeper than ``max_depth``; brackets inside strings do not count.

    Escaped backslashes, then escaped quotes are blanked; what is left is reduced to quotes and brackets, and
    splitting it at quotes leaves the brackets outside strings in every other part. Exact for valid JSON; for
    broken JSON it judges the part a decoder reads before it stops.
    """
    data = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw
    if len(data) <= SMALL and data.count(b"[") + data.count(b"{") <= max_depth:
        return False
    if b"\\\\" in data:  # blanked, not removed: a replace of the same length is a copy
        data = data.replace(b"\\\\", b"__")
    if b'\\"' in data:
        data = data.replace(b'\\"', b"__")
    # Two quotes in a row have no bracket between them: dropping them leaves far fewer parts to split.
    marks = data.translate(_SQUARE, _NOT_MARKS).replace(b'""', b"")
    brackets = b"".join(marks.split(b'"')[0::2])
    if brackets.count(b"[") <= max_depth:
        return False
    return _deepest(brackets, max_depth) > max_depth


def _deepest(brackets: bytes, max_depth: int) -> int:
    """The deepest nesting of a string of ``[`` and ``]`` (an unclosed ``[`` counts), or a value past
    ``max_depth`` when it is deeper. Each round takes out every adjacent ``[]``, which lowers the deepest
    level by one or leaves it (an unclosed run at the end): a remainder at most ``max_depth - rounds`` deep
    decides it without a step per bracket in Python; only a depth near the limit needs the exact walk."""
    rest, rounds = brackets, 0
    while rounds < _PASSES and b"[]" in rest:
        rest, rounds = rest.replace(b"[]", b""), rounds + 1
    left = max(accumulate(map(_STEP.__getitem__, rest)), default=0)
    if left > max_depth or left + rounds <= max_depth:
        return left
    return max(accumulate(map(_STEP.__getitem__, brackets)))


def check(raw: bytes | str, max_depth: int = MAX_DEPTH) -> None:
    """``TooDeep`` when ``raw`` nests deeper than ``max_depth``."""
    if nests_deeper(raw, max_depth):
        raise TooDeep(max_depth)


def loads(raw: bytes | str, max_depth: int = MAX_DEPTH, **options: Any) -> Any:
    """``json.loads`` of a document from outside, refused with ``TooDeep`` past ``max_depth`` levels."""
    check(raw, max_depth)
    return json.loads(raw, **options)
