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
TOKEN_LIMIT = 2_000_000
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


class _Decoder:
    def __init__(self, buffer: bytes):
        self.buffer = buffer
        self.tokens = TOKEN_LIMIT

    def decode(self) -> Node:
        if not self.buffer:
            raise _error("unexpected end of file", 0)
        return self._value(0, 0)

    def _token(self, at: int, depth: int) -> int:
        if at >= len(self.buffer):
            raise _error("unexpected end of file", at)
        if depth >= DEPTH_LIMIT:
            raise _error("nesting deeper than 100", at)
        self.tokens -= 1
        if self.tokens < 0:
            raise _error("more than 2,000,000 items", at)
        return self.buffer[at]

    def _value(self, at: int, depth: int) -> Node:
        char = self._token(at, depth)
        if char == ord("d") or char == ord("l"):
            return self._container(at, depth)
        if char == ord("i"):
            return self._integer(at)
        if 0x30 <= char <= 0x39:
            return self._string(at)
        raise _error("expected a value (list, dict, int or string)", at)

    def _container(self, at: int, depth: int) -> Node:
        node = Node("d" if self.buffer[at] == ord("d") else "l", at)
        at += 1
        while True:
            char = self._token(at, depth + 1)
            if char == ord("e"):
                node.end = at + 1
                return node
            if node.kind == "l":
                item = self._value(at, depth + 1)
                node.items.append(item)
                at = item.end
                continue
            if not 0x30 <= char <= 0x39:
                raise _error("expected a string as dictionary key", at)
            key = self._string(at)
            if self._token(key.end, depth + 1) == ord("e"):
                raise _error("expected a value after a dictionary key", key.end)
            self.tokens += 1  # the value's own _token counts it
            value = self._value(key.end, depth + 1)
            node.pairs.append((key, value))
            at = value.end

    def _integer(self, at: int) -> Node:
        end, digits = at + 1, 0
        if end < len(self.buffer) and self.buffer[end] == ord("-"):
            end += 1
        while True:
            if end >= len(self.buffer):
                raise _error("unexpected end of file", end)
            if not 0x30 <= self.buffer[end] <= 0x39:
                raise _error("expected a digit", end)
            end, digits = end + 1, digits + 1
            if end >= len(self.buffer):
                raise _error("unexpected end of file", end)
            if self.buffer[end] == ord("e"):
                break
        if digits > 20:
            raise _error("integer overflow", end)
        return Node("i", at, end + 1, text=self.buffer[at + 1:end])

    def _string(self, at: int) -> Node:
        buffer, size = self.buffer, len(self.buffer)
        colon = at + 1
        if colon >= size:
            raise _error("unexpected end of file", colon)
        while colon < size and buffer[colon] != ord(":"):
            if not 0x30 <= buffer[colon] <= 0x39:
                raise _error("expected a digit", colon)
            colon += 1
        if colon == size:
            raise _error("expected a colon", colon)
        length = int(buffer[at:colon])
        if length > INT64_MAX:
            raise _error("integer overflow", at)
        if length > size - colon - 1:
            raise _error("unexpected end of file", colon)
        if colon - at - 1 > MAX_HEADER:
            raise _error("string length written with too many digits", at)
        return Node("s", at, colon + 1 + length, text=buffer[colon + 1:colon + 1 + length])


def decode(buffer: bytes) -> Node:
    """The first bencoded value of ``buffer`` (bytes after it are ignored, as libtorrent does)."""
    return _Decoder(buffer).decode()


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
