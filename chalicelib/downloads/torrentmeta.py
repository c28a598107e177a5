"""Validate what a user submits as a torrent: ``.torrent`` metadata and magnet links.

The control plane never loads libtorrent (it is the worker's dependency and a
heavy native module for a Lambda): bencode is parsed with ``fastbencode`` and
the structure is checked against BEP 3 (v1) and BEP 52 (v2). Only the parts
the API needs are read: the info hash, a display name, the total size.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

import fastbencode

from chalicelib import errors

BTIH_HEX = re.compile(r"^[0-9a-fA-F]{40}$")
BTIH_BASE32 = re.compile(r"^[A-Za-z2-7]{32}$")
# btmh is a multihash: 0x12 (sha2-256), 0x20 (32 bytes), then the digest.
BTMH = re.compile(r"^1220([0-9a-fA-F]{64})$")
MAX_NAME = 1000


class InvalidTorrent(errors.ValidationFailed):
    code = "invalid_torrent"


class TorrentTooLarge(errors.PayloadTooLarge):
    code = "torrent_too_large"


class InvalidMagnet(errors.ValidationFailed):
    code = "invalid_magnet"


@dataclass(frozen=True)
class TorrentMeta:
    info_hash: str  # lower-case hex: sha1 (v1 and hybrid) or sha256 (v2 only)
    name: str
    total_size: int
    file_count: int


@dataclass(frozen=True)
class MagnetMeta:
    info_hash: str
    name: str | None


def decode_base64(value: str, max_bytes: int) -> bytes:
    """Decode a base64 (standard or URL-safe) ``.torrent``, refusing more than ``max_bytes``."""
    # 4 base64 characters carry 3 bytes: refuse before decoding a huge string.
    if len(value) > (max_bytes + 2) // 3 * 4 + 4:
        raise TorrentTooLarge(f"A .torrent file may be at most {max_bytes} bytes")
    compact = "".join(value.split())
    try:
        raw = base64.b64decode(compact.replace("-", "+").replace("_", "/"), validate=True)
    except (binascii.Error, ValueError):
        raise InvalidTorrent("The torrent is not valid base64", fields={"source": "not base64"}) from None
    if len(raw) > max_bytes:
        raise TorrentTooLarge(f"A .torrent file may be at most {max_bytes} bytes")
    return raw


def _invalid(reason: str) -> InvalidTorrent:
    return InvalidTorrent(f"Not a valid .torrent file: {reason}", fields={"source": reason})


def _text(value: object, what: str) -> str:
    if not isinstance(value, bytes) or not value:
        raise _invalid(f"{what} is missing")
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return value.decode("latin-1")


def _positive_int(value: object, what: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise _invalid(f"{what} is not a non-negative integer")
    return value


def _v1_files(info: dict) -> list[int]:
    if b"length" in info:
        return [_positive_int(info[b"length"], "length")]
    files = info.get(b"files")
    if not isinstance(files, list) or not files:
        raise _invalid("info has neither length nor files")
    sizes = []
    for entry in files:
        if not isinstance(entry, dict) or not isinstance(entry.get(b"path"), list) or not entry[b"path"]:
            raise _invalid("a file entry has no path")
        for part in entry[b"path"]:
            name = _text(part, "a path component")
            if name in (".", "..") or "/" in name or "\\" in name:
                raise _invalid("a file path escapes the torrent directory")
        size = _positive_int(entry.get(b"length"), "a file length")
        if b"p" not in (entry.get(b"attr") or b""):  # BEP 47 padding files are not content
            sizes.append(size)
    return sizes


def _v1_pieces(info: dict) -> None:
    pieces = info.get(b"pieces")
    if not isinstance(pieces, bytes) or not pieces or len(pieces) % 20:
        raise _invalid("pieces is not a list of sha1 hashes")


def _v2_files(tree: object, depth: int = 0) -> list[int]:
    if not isinstance(tree, dict) or not tree or depth > 64:
        raise _invalid("file tree is malformed")
    sizes = []
    for name, node in tree.items():
        if not isinstance(node, dict):
            raise _invalid("file tree is malformed")
        if name == b"":
            sizes.append(_positive_int(node.get(b"length"), "a file length"))
            continue
        if _text(name, "a path component") in (".", ".."):
            raise _invalid("a file path escapes the torrent directory")
        sizes.extend(_v2_files(node, depth + 1))
    return sizes


def parse_torrent(raw: bytes) -> TorrentMeta:
    """Parse bencoded ``.torrent`` bytes; raise ``InvalidTorrent`` unless they are torrent metadata."""
    try:
        decoded = fastbencode.bdecode(raw)
    except (ValueError, TypeError, IndexError, KeyError, RecursionError):
        raise _invalid("not bencoded data") from None
    if not isinstance(decoded, dict) or not isinstance(decoded.get(b"info"), dict):
        raise _invalid("no info dictionary")
    info = decoded[b"info"]
    name = _text(info.get(b"name"), "name")[:MAX_NAME]
    piece_length = _positive_int(info.get(b"piece length"), "piece length")
    if piece_length < 16 * 1024 or piece_length & (piece_length - 1):
        raise _invalid("piece length is not a power of two of at least 16 KiB")
    # The info hash is over the info dictionary's bencoding; torrents are written
    # canonically (sorted keys), so re-encoding gives back the same bytes.
    encoded_info = fastbencode.bencode(info)
    if info.get(b"meta version") == 2:
        sizes = _v2_files(info.get(b"file tree"))
        info_hash = hashlib.sha256(encoded_info).hexdigest()
        if b"pieces" in info:  # hybrid: the v1 hash is what magnets and trackers use
            _v1_pieces(info)
            info_hash = hashlib.sha1(encoded_info).hexdigest()  # noqa: S324 - BitTorrent v1 is sha1
    else:
        sizes = _v1_files(info)
        _v1_pieces(info)
        info_hash = hashlib.sha1(encoded_info).hexdigest()  # noqa: S324 - BitTorrent v1 is sha1
    return TorrentMeta(info_hash=info_hash, name=name, total_size=sum(sizes), file_count=len(sizes))


def _btih(value: str) -> str | None:
    if BTIH_HEX.match(value):
        return value.lower()
    if BTIH_BASE32.match(value):
        return base64.b32decode(value.upper()).hex()
    return None


def parse_magnet(uri: str) -> MagnetMeta:
    """Validate a magnet link; it must carry a btih (40 hex / 32 base32) or btmh (sha2-256) hash."""
    parts = urlsplit(uri)
    if parts.scheme.lower() != "magnet" or not parts.query:
        raise InvalidMagnet("Not a magnet link", fields={"source": "expected magnet:?xt=urn:btih:..."})
    params = parse_qsl(parts.query, keep_blank_values=True)
    info_hash = None
    for key, value in params:
        if key != "xt" and not key.startswith("xt."):
            continue
        lowered = value.lower()
        if lowered.startswith("urn:btih:"):
            info_hash = info_hash or _btih(value[9:])
        elif lowered.startswith("urn:btmh:"):
            match = BTMH.match(value[9:])
            info_hash = info_hash or (match.group(1).lower() if match else None)
    if info_hash is None:
        raise InvalidMagnet("The magnet link has no valid BitTorrent info hash",
                            fields={"source": "xt must be urn:btih:<40 hex or 32 base32> or urn:btmh:1220<64 hex>"})
    name = next((value for key, value in params if key == "dn" and value), None)
    return MagnetMeta(info_hash=info_hash, name=name[:MAX_NAME] if name else None)
