"""A ``.torrent``'s metadata read by libtorrent's own rules (``torrent_info.cpp``, ``file_storage.cpp``).

The worker downloads with libtorrent, so the API must take exactly the files libtorrent takes and
show the files it will write: names are *sanitized*, not refused (separators dropped, ``.``/``..``
dropped, invalid UTF-8 and control characters replaced by ``_``, elements over 240 bytes cut keeping
their extension, empty elements written ``_``, duplicate paths renamed ``name.1.ext``), padding
files (BEP 47) are kept in the layout but hidden from the user. The control plane cannot load
libtorrent (a native module, not in the Lambda bundle); a test holds this port to libtorrent's
verdict, info hashes and file names over a corpus of real, broken and mutated files.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from chalicelib.downloads.bencode import Node

BLOCK = 16 * 1024  # libtorrent's default_block_size
INT_MAX = 2**31 - 1
MAX_FILE_SIZE = 2**48 - 1  # file_storage::max_file_size (and max_file_offset)
MAX_PIECES = 0x200000  # load_torrent_limits::max_pieces
MAX_PIECE_LENGTH = (1 << 29) - BLOCK  # file_storage::max_piece_size (measured)
MAX_FILENAME = 1 << 12
MAX_TREE_DEPTH = 100
PAD, HIDDEN, EXECUTABLE, SYMLINK = 1, 2, 4, 8
ATTRIBUTES = {ord("p"): PAD, ord("h"): HIDDEN, ord("x"): EXECUTABLE, ord("l"): SYMLINK}
# Measured on libtorrent 2.1 (every code point through a name): these are dropped, C0/C1 controls become "_".
DROPPED = {0x00, 0x2F, 0x5C, 0x061C, 0xFEFF, *range(0x200B, 0x2010), *range(0x202A, 0x202F),
           *range(0x2060, 0x2065), *range(0x2066, 0x206A)}


class TorrentError(Exception):
    """libtorrent would refuse the file; the message says why in words."""


@dataclass(slots=True)
class File:
    path: bytes  # as libtorrent's file_path(): the torrent's name, directories, the file's name
    size: int
    offset: int
    flags: int = 0
    mtime: int = 0
    symlink: bytes = b""
    root: bytes | None = None

    @property
    def pad(self) -> bool:
        return bool(self.flags & PAD)


@dataclass
class Storage:
    """libtorrent's ``file_storage`` while files are added: the checks of ``add_file_borrow``. A v2 file
    list pads every file to a piece boundary itself (BEP 52), the last one too."""

    piece_length: int
    name: bytes = b""
    files: list[File] = field(default_factory=list)
    total: int = 0
    v2: bool = False
    links: int = 0

    def add(self, path: bytes, size: int, flags: int, mtime: int = 0, symlink: bytes | None = None,
            root: bytes | None = None, leaf: bytes = b"") -> None:
        """``symlink`` is the link's target (``b""`` when it points nowhere), None for a file."""
        if len(leaf or path.rpartition(b"/")[2]) >= MAX_FILENAME:
            raise TorrentError("a file name is longer than 4095 bytes")
        if b"/" not in path:
            self.name = path
        elif not self.files:
            self.name = path.partition(b"/")[0]
        if symlink is not None:
            self.files.append(File(path, 0, self.total, flags | SYMLINK, mtime, symlink))
            self.links += 1
            return
        if size > MAX_FILE_SIZE or MAX_FILE_SIZE - self.total < size:
            raise TorrentError("a file is too large")
        if size > 0:
            if len(self.files) == self.links or self.total == 0:
                self.v2 = root is not None
            elif self.v2 != (root is not None):
                raise TorrentError("a file has no pieces root" if self.v2 else "v1 and v2 files are mixed")
        self.files.append(File(path, size, self.total, flags & ~SYMLINK, mtime, b"", root))
        self.total += size
        if self.v2 and self.total % self.piece_length:
            pad = self.piece_length - self.total % self.piece_length
            self.files.append(File(b"%s/.pad/%d" % (self.name, pad), pad, self.total, PAD))
            self.total += pad

    def remove_tail_padding(self) -> None:
        if self.files and self.files[-1].pad:
            self.total -= self.files.pop().size


def _codepoint(data: bytes, at: int) -> tuple[int, int]:
    """libtorrent's ``parse_utf8_codepoint``: (code point or -1, bytes used)."""
    lead = data[at]
    length = 1 if lead < 0x80 else 2 if lead >> 5 == 6 else 3 if lead >> 4 == 14 else 4 if lead >> 3 == 30 \
        else 5 if lead >> 2 == 62 else 0
    if length == 1:
        return lead, 1
    if length == 0:
        return -1, 1
    if length > 4:
        return -1, length
    if length > len(data) - at:
        return -1, len(data) - at
    point = lead & (0x1F, 0x0F, 0x07)[length - 2]
    for byte in data[at + 1:at + length]:
        if not 0x80 <= byte <= 0xBF:
            return -1, length
        point = (point << 6) + (byte & 0x3F)
    if point < (0x80, 0x800, 0x10000)[length - 2] or point > 0x10FFFF:
        return -1, length
    return point, length


def _extension_dot(element: bytes, at: int) -> int:
    for j in range(len(element) - 1, max(len(element) - 10, at), -1):
        if element[j] == ord("."):
            return j
    return -1


def append_element(path: bytes, element: bytes, force: bool = False) -> bytes:
    """libtorrent's ``sanitize_append_path_element``: ``path`` with ``element`` added. With ``force`` (a
    file's path, a v2 tree key) an element that would vanish (``.``, ``..``, only separators) is ``_``."""
    if element == b"." and not force:
        return path
    separator = b"/" if path else b""
    if not element:
        return path + separator + b"_"
    out, added, dots, found_extension, at = bytearray(), 0, 0, False, 0
    while at < len(element):
        point, length = _codepoint(element, at)
        if point in DROPPED:
            at += length
            continue
        if point < 32 or 0x7F <= point <= 0x9F or 0xD800 <= point <= 0xDFFF:  # invalid UTF-8 or a control
            out += b"_"
            added += 1
        else:
            out += element[at:at + length]
            dots += point == ord(".")
            added += length
            if added >= 240 and not found_extension:
                dot = _extension_dot(element, at)
                if dot == -1:
                    break
                found_extension, length = True, dot - at
        at += length
    if added == dots and added <= 2:
        return path + separator + b"_" if force else path
    return path + separator + bytes(out)


def _attributes(node: Node) -> int:
    attr = node.find_kind(b"attr", "s")
    flags = 0
    for char in attr.text if attr is not None else b"":
        flags |= ATTRIBUTES.get(char, 0)
    return flags


def _length(node: Node, flags: int) -> int:
    size = 0 if flags & SYMLINK else node.find_int(b"length", -1)
    if size < 0 or size // BLOCK >= INT_MAX // 2 or size > MAX_FILE_SIZE:
        raise TorrentError("a file length is missing or invalid")
    return size


def _joined(parts: Node, start: bytes = b"", force: bool = False) -> bytes:
    if any(part.kind != "s" for part in parts.items):
        raise TorrentError("a path element is not a string")
    path = start
    for part in parts.items:
        path = append_element(path, part.text, force)
    return path


def _symlink(node: Node, flags: int) -> bytes | None:
    """A link's target; None when ``node`` is no link, or (in a v1 list) names no target."""
    target = node.find_kind(b"symlink path", "l") if flags & SYMLINK else None
    return _joined(target) if target is not None else None


def _leaf(raw: bytes, path: bytes) -> bytes:
    """The name libtorrent keeps beside the path: the raw one when sanitizing left it as it was."""
    raw = raw.lstrip(b"/")
    return raw if len(raw) <= len(path) and path.endswith(raw) else b""


def v1_file(node: Node, files: Storage, root_dir: bytes, top_level: bool) -> None:
    """One file of ``files`` (or the single file of ``info``): ``extract_single_file``."""
    if node.kind != "d":
        raise TorrentError("a file entry is not a dictionary")
    flags = _attributes(node)
    size = _length(node, flags)
    mtime = node.find_int(b"mtime", 0)
    raw = b""
    if top_level:
        name = node.find_kind(b"name.utf-8", "s") or node.find_kind(b"name", "s")
        if name is None or not name.text:
            raise TorrentError("the torrent has no name")
        raw, path = name.text, append_element(root_dir, name.text)
        if not path:
            raise TorrentError("the torrent has no usable name")
    else:
        parts = node.find_kind(b"path.utf-8", "l") or node.find_kind(b"path", "l")
        if parts is not None and parts.items:
            path = _joined(parts, root_dir, force=True)
            raw = parts.items[-1].text
        elif flags & PAD:
            path = b".pad/%d" % size
        else:
            raise TorrentError("a file has no path")
    if b"_____padding_file_" in path:  # BitComet's padding
        flags |= PAD
    symlink = _symlink(node, flags)
    files.add(path, size, flags if symlink is not None else flags & ~SYMLINK, mtime, symlink,
              leaf=_leaf(raw, path))


def v1_files(entries: Node, files: Storage, name: bytes) -> None:
    for entry in entries.items:
        v1_file(entry, files, name, top_level=False)


def _v2_file(node: Node, files: Storage, path: bytes, leaf: bytes) -> None:
    """One leaf of a v2 file tree: ``extract_single_file2``."""
    if node.kind != "d":
        raise TorrentError("a file entry is not a dictionary")
    flags = _attributes(node)
    if flags & PAD:
        raise TorrentError("a v2 file tree lists a padding file")
    size = _length(node, flags)
    mtime = node.find_int(b"mtime", 0)
    symlink = _symlink(node, flags)
    root = None
    if not symlink and size > 0:
        found = node.find_kind(b"pieces root", "s")
        if found is None or len(found.text) != 32 or not any(found.text):
            raise TorrentError("a file has no valid pieces root")
        root = found.text
    if flags & SYMLINK and symlink is None:
        symlink = b""
    files.add(path, size, flags, mtime, symlink, root, leaf)


def v2_files(tree: Node, files: Storage, root_dir: bytes, has_files: bool, depth: int = 0) -> None:
    """A v2 ``file tree``, depth first in the order written: ``extract_files2``."""
    if tree.kind != "d" or depth > MAX_TREE_DEPTH:
        raise TorrentError("the file tree is malformed")
    for key, node in tree.pairs:
        if node.kind != "d" or not key.text:
            raise TorrentError("the file tree is malformed")
        raw = key.text.lstrip(b"/")
        is_leaf = len(node.pairs) == 1 and node.pairs[0][0].text == b""
        single = is_leaf and not has_files and len(tree.pairs) == 1
        path = append_element(b"" if single else root_dir, raw, force=True)
        if is_leaf:
            _v2_file(node.pairs[0][1], files, path, _leaf(raw, path))
        else:
            v2_files(node, files, path, True, depth + 1)


def compatible(v2: Storage, v1: Storage) -> bool:
    """``files_compatible``: a hybrid torrent's two lists lay out the same files at the same offsets
    under the same names; padding, empty files and links (libtorrent 2.1 checks none of them) aside."""
    if len(v2.files) != len(v1.files) or v2.total != v1.total:
        return False
    for left, right in zip(v2.files, v1.files, strict=True):
        relevant = [not f.pad and f.size > 0 for f in (left, right)]
        if relevant[0] != relevant[1]:
            return False
        if relevant[0] and (left.size, left.path, left.offset) != (right.size, right.path, right.offset):
            return False
    return True


def _split_extension(path: bytes) -> tuple[bytes, bytes]:
    leaf_at = path.rfind(b"/") + 1
    dot = path.rfind(b".", leaf_at)
    return (path[:dot], path[dot:]) if dot >= leaf_at else (path, b"")


def rename_duplicates(files: Storage) -> None:
    """``resolve_duplicate_filenames``: a path used twice (ignoring case), or by a directory, becomes
    ``name.1.ext``, ``name.2.ext``... (padding has no name of its own and never collides)."""
    named = [file for file in files.files if not file.pad]
    taken: set[bytes] = set()
    for file in named:
        parts = file.path.lower().split(b"/")
        taken.update(b"/".join(parts[:end]) for end in range(1, len(parts)))
    for file in named:
        if file.path.lower() in taken:
            base, extension = _split_extension(file.path)
            count = 1
            while (base + b".%d" % count + extension).lower() in taken:
                count += 1
            file.path = base + b".%d" % count + extension
        taken.add(file.path.lower())


def _zero_piece_root(piece_length: int) -> bytes:
    node = b"\0" * 32
    for _ in range((piece_length // BLOCK).bit_length() - 1):
        node = hashlib.sha256(node + node).digest()
    return node


def merkle_root(layer: bytes, piece_length: int) -> bytes:
    """The root over a piece layer, padded to a power of two with empty pieces (BEP 52)."""
    nodes = [layer[i:i + 32] for i in range(0, len(layer), 32)]
    pad = _zero_piece_root(piece_length)
    width = 1 << (len(nodes) - 1).bit_length()
    nodes += [pad] * (width - len(nodes))
    while len(nodes) > 1:
        nodes = [hashlib.sha256(nodes[i] + nodes[i + 1]).digest() for i in range(0, len(nodes), 2)]
    return nodes[0]


def check_piece_layers(layers: Node | None, files: Storage) -> None:
    """``parse_piece_layers``: layers may be left out (peers send them), but each one given must belong
    to a file longer than a piece, once, have one hash per piece and hash up to that file's root."""
    if layers is None:
        return
    roots: dict[bytes, File] = {}
    for file in files.files:
        if file.size > files.piece_length:
            roots.setdefault(file.root or b"\0" * 32, file)
    for key, value in layers.pairs:
        if len(key.text) != 32 or value.kind != "s" or len(value.text) % 32:
            raise TorrentError("a piece layer is malformed")
        file = roots.pop(key.text, None)
        if file is None:
            raise TorrentError("a piece layer belongs to no file of the torrent")
        if len(value.text) != 32 * -(-file.size // files.piece_length) \
                or merkle_root(value.text, files.piece_length) != file.root:
            raise TorrentError("a file's piece layer does not match its pieces root")
