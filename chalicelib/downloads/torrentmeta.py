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
import unicodedata
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

import fastbencode

from chalicelib import errors

BTIH_HEX = re.compile(r"^[0-9a-fA-F]{40}$")
BTIH_BASE32 = re.compile(r"^[A-Za-z2-7]{32}$")
# btmh is a multihash: 0x12 (sha2-256), 0x20 (32 bytes), then the digest.
BTMH = re.compile(r"^1220([0-9a-fA-F]{64})$")
MAX_NAME = 1000
MAX_COMPONENT_BYTES = 255  # the longest file name ext4, btrfs, XFS and NTFS accept
WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:")


class InvalidTorrent(errors.ValidationFailed):
    code = "invalid_torrent"


class UnsafeTorrent(errors.BadRequest):
    """Well-formed metadata that would escape the job's directory, exceed the limits or not verify."""

    code = "unsafe_torrent"


class TorrentTooLarge(errors.PayloadTooLarge):
    code = "torrent_too_large"


class InvalidMagnet(errors.ValidationFailed):
    code = "invalid_magnet"


@dataclass(frozen=True)
class Limits:
    """How big a torrent may be; from ``DownloadSettings`` (defaults suit a home server)."""

    max_files: int = 10_000
    max_total_bytes: int = 2 * 1024**4


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


def _unsafe(reason: str) -> UnsafeTorrent:
    return UnsafeTorrent(f"The .torrent file cannot be downloaded safely: {reason}", fields={"source": reason})


def _text(value: object, what: str) -> str:
    if not isinstance(value, bytes) or not value:
        raise _invalid(f"{what} is missing")
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return value.decode("latin-1")


def _component(value: object, what: str) -> str:
    """One file or directory name: it must stay inside the job's directory on every platform."""
    text = _text(value, what)
    if text in (".", ".."):
        raise _unsafe(f"{what} is . or ..")
    if "/" in text or "\\" in text:
        raise _unsafe(f"{what} holds a path separator")
    if any(unicodedata.category(char) == "Cc" for char in text):
        raise _unsafe(f"{what} holds a NUL or control character")
    if WINDOWS_DRIVE.match(text):
        raise _unsafe(f"{what} is an absolute path")
    if len(value) > MAX_COMPONENT_BYTES:  # type: ignore[arg-type] - _text checked it is bytes
        raise _unsafe(f"{what} is longer than {MAX_COMPONENT_BYTES} bytes")
    return text


def _name(info: dict) -> str:
    # libtorrent prefers the .utf-8 variant when present, so both must be safe.
    if b"name.utf-8" in info:
        _component(info[b"name.utf-8"], "name")
    return _component(info.get(b"name"), "name")


def _positive_int(value: object, what: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise _invalid(f"{what} is not a non-negative integer")
    return value


def _v1_path(entry: dict) -> None:
    paths = [entry.get(b"path")] + ([entry[b"path.utf-8"]] if b"path.utf-8" in entry else [])
    for path in paths:
        if not isinstance(path, list) or not path:
            raise _invalid("a file entry has no path")
        for part in path:
            _component(part, "a path component")


def _v1_files(info: dict) -> list[tuple[int, bool]]:
    """``(length, is_padding)`` of every file of a v1 (or hybrid) torrent."""
    if b"length" in info:
        return [(_positive_int(info[b"length"], "length"), False)]
    files = info.get(b"files")
    if not isinstance(files, list) or not files:
        raise _invalid("info has neither length nor files")
    entries = []
    for entry in files:
        if not isinstance(entry, dict):
            raise _invalid("a file entry has no path")
        _v1_path(entry)
        size = _positive_int(entry.get(b"length"), "a file length")
        entries.append((size, b"p" in (entry.get(b"attr") or b"")))  # BEP 47 padding is not content
    return entries


def _v1_pieces(info: dict, total: int, piece_length: int) -> None:
    pieces = info.get(b"pieces")
    if not isinstance(pieces, bytes) or not pieces or len(pieces) % 20:
        raise _invalid("pieces is not a list of sha1 hashes")
    if len(pieces) != 20 * -(-total // piece_length):
        raise _unsafe("the number of pieces does not match the total length")


def _v2_files(tree: object, depth: int = 0) -> list[tuple[int, bytes | None]]:
    """``(length, pieces root)`` of every file of a v2 file tree."""
    if not isinstance(tree, dict) or not tree or depth > 64:
        raise _invalid("file tree is malformed")
    files = []
    for name, node in tree.items():
        if not isinstance(node, dict):
            raise _invalid("file tree is malformed")
        if name == b"":
            root = node.get(b"pieces root")
            files.append((_positive_int(node.get(b"length"), "a file length"),
                          root if isinstance(root, bytes) else None))
            continue
        _component(name, "a path component")
        files.extend(_v2_files(node, depth + 1))
    return files


def _v2_layers(files: list[tuple[int, bytes | None]], layers: object, piece_length: int) -> None:
    """BEP 52: every non-empty file has a 32-byte root; files over one piece have their piece layer."""
    for length, root in files:
        if length == 0:
            continue
        if root is None or len(root) != 32:
            raise _unsafe("a file has no pieces root")
        if length <= piece_length:
            continue
        layer = layers.get(root) if isinstance(layers, dict) else None
        if not isinstance(layer, bytes) or len(layer) != 32 * -(-length // piece_length):
            raise _unsafe("a file's piece layer is missing or does not match its length")


def _check_size(count: int, total: int, limits: Limits) -> None:
    if count > limits.max_files:
        raise _unsafe(f"more than {limits.max_files} files")
    if total > limits.max_total_bytes:
        raise _unsafe(f"larger than {limits.max_total_bytes} bytes in total")
    if total == 0:
        raise _unsafe("the torrent holds no data")


def _decode(raw: bytes) -> dict:
    try:
        decoded = fastbencode.bdecode(raw)
    except (ValueError, TypeError, IndexError, KeyError, RecursionError):
        raise _invalid("not bencoded data") from None
    if not isinstance(decoded, dict) or not isinstance(decoded.get(b"info"), dict):
        raise _invalid("no info dictionary")
    return decoded


def _piece_length(info: dict) -> int:
    piece_length = _positive_int(info.get(b"piece length"), "piece length")
    if piece_length < 16 * 1024 or piece_length & (piece_length - 1):
        raise _invalid("piece length is not a power of two of at least 16 KiB")
    return piece_length


def _layout(decoded: dict, limits: Limits) -> tuple[int, int]:
    """Check files, limits and pieces of v1, v2 and hybrid torrents; ``(content bytes, file count)``."""
    info = decoded[b"info"]
    piece_length = _piece_length(info)
    v2 = info.get(b"meta version") == 2
    v1_files = _v1_files(info) if not v2 or b"pieces" in info else []
    v2_files = _v2_files(info.get(b"file tree")) if v2 else []
    count = max(len(v1_files), len(v2_files))
    _check_size(count, max(sum(s for s, _ in v1_files), sum(s for s, _ in v2_files)), limits)
    if v1_files:
        _v1_pieces(info, sum(s for s, _ in v1_files), piece_length)
    if v2:
        _v2_layers(v2_files, decoded.get(b"piece layers"), piece_length)
        return sum(s for s, _ in v2_files), len(v2_files)
    content = [s for s, pad in v1_files if not pad]
    return sum(content), len(content)


def parse_torrent(raw: bytes, limits: Limits | None = None) -> TorrentMeta:
    """Parse bencoded ``.torrent`` bytes: ``InvalidTorrent`` unless they are torrent metadata,
    ``UnsafeTorrent`` when paths, sizes or the piece layout could not be downloaded safely."""
    decoded = _decode(raw)
    info = decoded[b"info"]
    name = _name(info)[:MAX_NAME]
    total, count = _layout(decoded, limits or Limits())
    # The info hash is over the info dictionary's bencoding; torrents are written
    # canonically (sorted keys), so re-encoding gives back the same bytes.
    encoded_info = fastbencode.bencode(info)
    if info.get(b"meta version") == 2 and b"pieces" not in info:
        info_hash = hashlib.sha256(encoded_info).hexdigest()
    else:  # v1, or hybrid: the v1 hash is what magnets and trackers use
        info_hash = hashlib.sha1(encoded_info).hexdigest()  # noqa: S324 - BitTorrent v1 is sha1
    return TorrentMeta(info_hash=info_hash, name=name, total_size=total, file_count=count)


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
