"""Validate what a user submits as a torrent: ``.torrent`` metadata and magnet links.

The control plane never loads libtorrent (it is the worker's dependency and a
heavy native module for a Lambda), yet it must take exactly the ``.torrent``
files the worker's libtorrent takes, with the same info hashes and file names:
``bencode`` reads the bytes as libtorrent's decoder does and ``torrentfiles``
applies its rules (tests/unit/test_torrent_agreement.py holds both to
libtorrent itself). The info hashes are over the info dictionary's bytes as
given, never re-encoded: a file whose keys are out of order keeps its swarm.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from chalicelib import errors
from chalicelib.downloads import bencode, torrentfiles
from chalicelib.downloads.bencode import Node

BTIH_HEX = re.compile(r"^[0-9a-fA-F]{40}$")
BTIH_BASE32 = re.compile(r"^[A-Za-z2-7]{32}$")
# btmh is a multihash: 0x12 (sha2-256), 0x20 (32 bytes), then the digest.
BTMH = re.compile(r"^1220([0-9a-fA-F]{64})$")
MAX_NAME = 1000


class InvalidTorrent(errors.ValidationFailed):
    code = "invalid_torrent"


class UnsafeTorrent(errors.BadRequest):
    """Metadata libtorrent would load that exceeds this server's limits (files, total size)."""

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
    info_hash_v2: str | None = None  # sha256 hex of v2 and hybrid torrents
    files: tuple[str, ...] = ()  # each file's path as libtorrent writes it (its name first), padding left out


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
    return UnsafeTorrent(f"The .torrent file cannot be downloaded here: {reason}", fields={"source": reason})


@dataclass(frozen=True)
class Metadata:
    name: bytes
    v1: bytes | None  # sha1 of the info section (v1 and hybrid torrents)
    v2: bytes | None  # sha256 of the info section (v2 and hybrid torrents)
    piece_length: int
    files: list[torrentfiles.File]  # padding included, as libtorrent lays them out

    @property
    def content(self) -> list[torrentfiles.File]:
        """What the user gets: the files without padding."""
        return [file for file in self.files if not file.pad]


def _top(raw: bytes) -> Node:
    try:
        top = bencode.decode(raw)
    except bencode.BencodeError as exc:
        raise torrentfiles.TorrentError(f"not bencoded data ({exc})") from None
    if top.kind != "d":
        raise torrentfiles.TorrentError("not a bencoded dictionary")
    return top


def _version(raw: bytes, info: Node) -> int:
    version = info.find_int(b"meta version", -1)
    if version > 0 and (soft := bencode.soft_error(raw, info)):
        raise torrentfiles.TorrentError(f"v2 metadata must be bencoded canonically ({soft})")
    if version > 2:
        raise torrentfiles.TorrentError(f"unknown metadata version {version}")
    return version


def _piece_length(info: Node, version: int) -> int:
    piece_length = info.find_int(b"piece length", -1)
    if piece_length <= 0 or piece_length > torrentfiles.MAX_PIECE_LENGTH:
        raise torrentfiles.TorrentError("the piece length is missing or invalid")
    if version > 1 and (piece_length < torrentfiles.BLOCK or piece_length & (piece_length - 1)):
        raise torrentfiles.TorrentError("a v2 piece length must be a power of two of at least 16 KiB")
    return piece_length


def _files(info: Node, version: int, name: bytes, files: torrentfiles.Storage) -> bool:
    """Fill ``files`` from ``file tree`` and/or ``files``/``length``; False when there is no v1 list."""
    entries = info.find_kind(b"files", "l")
    tree = info.find_kind(b"file tree", "d")
    if version >= 2 and tree is None:
        raise torrentfiles.TorrentError("a v2 torrent has no file tree")
    if version < 2 and tree is not None:
        raise torrentfiles.TorrentError("a file tree without meta version 2")
    if tree is not None:
        torrentfiles.v2_files(tree, files, name, entries is not None)
    v1 = torrentfiles.Storage(files.piece_length) if version == 2 else files
    if entries is not None:
        torrentfiles.v1_files(entries, v1, name)
    elif version < 2 or info.find(b"length") is not None:
        torrentfiles.v1_file(info, v1, b"", top_level=True)
    else:
        return False
    if version == 2 and v1.files and files.files:
        if len(files.files) == len(v1.files) + 1:  # made before libtorrent padded the last file
            files.remove_tail_padding()
        if not torrentfiles.compatible(files, v1):
            raise torrentfiles.TorrentError("the v1 and v2 file lists of this hybrid torrent differ")
    return True


def _pieces(info: Node, files: torrentfiles.Storage, version: int) -> None:
    if files.total // files.piece_length >= torrentfiles.INT_MAX:
        raise torrentfiles.TorrentError("too many pieces")
    count = -(-files.total // files.piece_length)
    if count >= torrentfiles.INT_MAX // 20 or count > torrentfiles.MAX_PIECES:
        raise torrentfiles.TorrentError("too many pieces")
    pieces = info.find_kind(b"pieces", "s")
    if pieces is None and version < 2:
        raise torrentfiles.TorrentError("the piece hashes are missing")
    if pieces is not None and len(pieces.text) != 20 * count:
        raise torrentfiles.TorrentError("the number of piece hashes does not match the total length")


def read(raw: bytes) -> Metadata:
    """What libtorrent's ``torrent_info(raw)`` makes of ``raw``; ``TorrentError`` when it would refuse it."""
    top = _top(raw)
    info = top.find_kind(b"info", "d")
    if info is None:
        raise torrentfiles.TorrentError("the info dictionary is missing")
    section = raw[info.start:info.end]
    version = _version(raw, info)
    files = torrentfiles.Storage(_piece_length(info, version))
    v1 = hashlib.sha1(section).digest()  # noqa: S324 - BitTorrent v1 is sha1
    v2 = hashlib.sha256(section).digest() if version >= 2 else None
    name_node = info.find_kind(b"name.utf-8", "s") or info.find_kind(b"name", "s")
    if name_node is None:
        raise torrentfiles.TorrentError("the torrent has no name")
    if not _files(info, version, torrentfiles.append_element(b"", name_node.text) or v1.hex().encode(), files):
        v1 = None
    if not files.files:
        raise torrentfiles.TorrentError("the torrent lists no files")
    if not files.name:
        raise torrentfiles.TorrentError("the torrent has no name")
    _pieces(info, files, version)
    if files.total == 0:
        raise torrentfiles.TorrentError("the torrent holds no data")
    torrentfiles.rename_duplicates(files)
    if v2 is not None:
        torrentfiles.check_piece_layers(top.find_kind(b"piece layers", "d"), files)
    return Metadata(files.name, v1, v2, files.piece_length, files.files)


def _check_limits(content: list[torrentfiles.File], limits: Limits) -> None:
    if len(content) > limits.max_files:
        raise _unsafe(f"more than {limits.max_files} files")
    if sum(file.size for file in content) > limits.max_total_bytes:
        raise _unsafe(f"larger than {limits.max_total_bytes} bytes in total")


def _text(value: bytes) -> str:
    return value.decode("utf-8", "replace")


def parse_torrent(raw: bytes, limits: Limits | None = None) -> TorrentMeta:
    """Read ``.torrent`` bytes as libtorrent does: ``InvalidTorrent`` (naming the reason) when it would
    refuse them, ``UnsafeTorrent`` when they exceed this server's limits."""
    try:
        metadata = read(raw)
    except torrentfiles.TorrentError as exc:
        raise _invalid(str(exc)) from None
    content = metadata.content
    _check_limits(content, limits or Limits())
    primary = metadata.v1 or metadata.v2
    assert primary is not None  # read() leaves at least one of them
    return TorrentMeta(info_hash=primary.hex(), name=_text(metadata.name)[:MAX_NAME],
                       total_size=sum(file.size for file in content), file_count=len(content),
                       info_hash_v2=metadata.v2.hex() if metadata.v2 else None,
                       files=tuple(_text(file.path) for file in content))


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
