"""Bencode read the way libtorrent reads it (``bdecode.cpp``), keeping where each value lies in the buffer.

A torrent's v1 info hash is the sha1 of the info dictionary's bytes *as given*; a decoder that
rebuilds Python values and encodes them again (``fastbencode``) changes those bytes whenever a file
is not canonical (keys out of order, leading zeros), and refuses some files libtorrent loads. This
one accepts what libtorrent accepts (trailing bytes after the first value, unsorted or duplicate
keys, leading zeros) with its limits (nesting depth, item count), refuses what it refuses, and
records each value's span so the info section can be hashed and kept byte for byte.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise

DEPTH_LIMIT = 100  # libtorrent's bdecode defaults
TOKEN_LIMIT = 3_000_000  # load_torrent_limits::max_decode_tokens (what torrent_info(bytes) uses)
INT64_MAX = 2**63 - 1
MAX_HEADER = 15  # a string's length has at most 16 digits (bdecode_token::max_header)


class BencodeError(ValueError):
    """Not bencoded data; the message says what libtorrent's decoder would have said."""


@dataclass(slots=True)
class Node:
    """One decoded value: ``kind`` is ``d``, ``l``, ``i`` or ``s``; ``buffer[start:end]`` is its encoding."""

    kind: str
    start: int
    end: int = 0
    text: bytes = b""  # a string's bytes, an integer's digits
    items: list[Node] = field(default_factory=list)  # a list's values
    pairs: list[tuple[Node, Node]] = field(default_factory=list)  # a dictionary's (key, value), as written

    def find(self, key: bytes) -> Node | None:
        """The value of the first ``key`` (libtorrent's ``dict_find``: duplicates after it are never seen)."""
        return next((value for k, value in self.pairs if k.text == key), None) if self.kind == "d" else None

    def find_kind(self, key: bytes, kind: str) -> Node | None:
        found = self.find(key)
        return found if found is not None and found.kind == kind else None

    def find_int(self, key: bytes, default: int) -> int:
        found = self.find_kind(key, "i")
        return found.int_value() if found is not None else default

    def int_value(self) -> int:
        """libtorrent's ``int_value``: a value that does not fit 64 bits reads as 0."""
        negative = self.text.startswith(b"-")
        value = int(self.text[1:] if negative else self.text)
        return 0 if value > INT64_MAX else -value if negative else value


def _error(message: str, position: int) -> BencodeError:
    return BencodeError(f"{message} at byte {position}")


DIGITS = frozenset(b"0123456789")


def _string(buffer: bytes, at: int) -> Node:
    colon = buffer.find(b":", at, at + MAX_HEADER + 2)
    if colon < 0:
        raise _error("expected a string length and a colon", at)
    digits = buffer[at:colon]
    if not digits.isdigit():
        raise _error("expected a digit", at)
    length = int(digits)
    if length > len(buffer) - colon - 1:
        raise _error("unexpected end of file", colon)
    return Node("s", at, colon + 1 + length, buffer[colon + 1:colon + 1 + length])


def _integer(buffer: bytes, at: int) -> Node:
    end = buffer.find(b"e", at + 1, at + 23)
    text = buffer[at + 1:end] if end >= 0 else b""
    digits = text[1:] if text.startswith(b"-") else text
    if end < 0 or not digits.isdigit() or len(digits) > 20:
        raise _error("expected an integer", at)
    return Node("i", at, end + 1, text)


def decode(buffer: bytes) -> Node:
    """The first bencoded value of ``buffer`` (bytes after it are ignored, as libtorrent does).

    One loop with its own stack: a 2 MB file may hold a million items."""
    size, at, tokens = len(buffer), 0, TOKEN_LIMIT
    stack: list[Node] = []  # the open containers
    parent: Node | None = None
    key: Node | None = None  # a dictionary's key waiting for its value
    while True:
        if at >= size:
            raise _error("unexpected end of file", at)
        if len(stack) >= DEPTH_LIMIT:
            raise _error("nesting deeper than 100", at)
        tokens -= 1
        if tokens < 0:
            raise _error("more than 3,000,000 items", at)
        char = buffer[at]
        if char == 0x65:  # e: the end of the open container
            if parent is None or key is not None:
                raise _error("unexpected end" if parent is None else "expected a value after a key", at)
            parent.end = at = at + 1
            stack.pop()
            if not stack:
                return parent
            parent = stack[-1]
            continue
        if parent is not None and parent.kind == "d" and key is None:
            if char not in DIGITS:
                raise _error("expected a string as dictionary key", at)
            key = _string(buffer, at)
            at = key.end
            continue
        if char == 0x64 or char == 0x6C:  # d, l
            node = Node("d" if char == 0x64 else "l", at)
            at += 1
        elif char == 0x69:  # i
            node = _integer(buffer, at)
            at = node.end
        elif char in DIGITS:
            node = _string(buffer, at)
            at = node.end
        else:
            raise _error("expected a value (list, dict, int or string)", at)
        if parent is not None:
            if key is None:
                parent.items.append(node)
            else:
                parent.pairs.append((key, node))
                key = None
        if node.kind == "d" or node.kind == "l":
            stack.append(node)
            parent = node
        elif parent is None:
            return node


def soft_error(buffer: bytes, node: Node) -> str | None:
    """What libtorrent's ``has_soft_error`` finds below ``node``: non-canonical encoding it only
    forgives in v1 metadata (BEP 52 torrents must be canonical)."""
    stack = [node]
    while stack:
        current = stack.pop()
        raw = buffer[current.start:current.end]
        if current.kind == "i" and raw[1:2] == b"0" and raw[2:3] != b"e":
            return "leading zero in integer"
        if current.kind == "s" and raw[:1] == b"0" and raw[1:2] != b":":
            return "leading zero in string length"
        keys = [buffer[key.start:key.end].partition(b":")[2] for key, _ in current.pairs]
        for first, second in pairwise(keys):
            if first == second:
                return "duplicate dictionary key"
            if first > second:
                return "unsorted dictionary key"
        stack.extend(key for key, _ in current.pairs)
        stack.extend(value for _, value in current.pairs)
        stack.extend(current.items)
    return None


@dataclass(frozen=True)
class Raw:
    """Bytes already bencoded, written as they are (an info dictionary must keep its exact bytes)."""

    encoded: bytes


def to_python(node: Node) -> object:
    """Plain values: dictionaries keep the first of duplicate keys, as libtorrent's lookups do."""
    if node.kind == "s":
        return node.text
    if node.kind == "i":
        return node.int_value()
    if node.kind == "l":
        return [to_python(item) for item in node.items]
    found: dict[bytes, object] = {}
    for key, value in node.pairs:
        found.setdefault(key.text, to_python(value))
    return found


def encode(value: object) -> bytes:
    """Canonical bencoding (sorted keys) of bytes, ints, lists, dicts and ``Raw``."""
    if isinstance(value, Raw):
        return value.encoded
    if isinstance(value, bytes):
        return b"%d:%s" % (len(value), value)
    if isinstance(value, bool) or not isinstance(value, int | list | dict):
        raise TypeError(f"cannot bencode {type(value).__name__}")
    if isinstance(value, int):
        return b"i%de" % value
    if isinstance(value, list):
        return b"l" + b"".join(encode(item) for item in value) + b"e"
    return b"d" + b"".join(encode(key) + encode(item) for key, item in sorted(value.items())) + b"e"
