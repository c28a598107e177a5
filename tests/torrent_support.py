"""A corpus of ``.torrent`` files to hold the API's reading of them to libtorrent's, and libtorrent's view.

Built deterministically in a directory: files made by libtorrent's own ``create_torrent`` (v1, v2,
hybrid, padding, symlinks, many files, odd names, large pieces), hand-made broken ones and
mutations of the valid ones (keys out of order, extra keys, truncations, edited names and paths).
"""

from __future__ import annotations

import hashlib
import os
import warnings
from collections.abc import Callable
from pathlib import Path

import fastbencode
import libtorrent as lt

from chalicelib.downloads import bencode

PIECE = 16384
FLAGS = {"v1": lt.create_torrent.v1_only, "v2": lt.create_torrent.v2_only, "hybrid": 0}


def content(seed: str, size: int) -> bytes:
    """Deterministic bytes of ``size`` (the same seed gives the same file)."""
    block = hashlib.sha256(seed.encode()).digest()
    return (block * (size // 32 + 1))[:size]


def make(path: Path, flags: int = 0, piece_size: int = 0, tracker: str | None = None) -> bytes:
    """libtorrent's own .torrent of ``path`` (a file or directory)."""
    entries = lt.list_files(str(path), lambda _: True, flags & lt.create_torrent.symlinks)
    creator = lt.create_torrent(entries, piece_size, flags)
    if tracker:
        creator.add_tracker(tracker)
    lt.set_piece_hashes(creator, str(path.parent))
    return lt.bencode(creator.generate())


def write_tree(root: Path, files: dict[str, int]) -> Path:
    for relative, size in files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content(relative, size))
    return root


LAYOUTS: dict[str, dict[str, int]] = {
    "one-small": {"a.mkv": 1000},
    "one-multi-piece": {"film.mkv": PIECE * 3 + 17},
    "nested": {"Show/Season 1/e01.mkv": PIECE + 5, "Show/Season 1/e02.mkv": 700, "Show/extra.nfo": 33,
               "Show/Season 2/e01.mkv": PIECE * 2},
    "with-empty": {"d/a.bin": 100, "d/empty.txt": 0, "d/z.bin": PIECE + 1},
    "odd-names": {"Ünïcödé dir/スペース name.mkv": 300, "Ünïcödé dir/.hidden": 20,
                  "Ünïcödé dir/trailing space .txt": 40, "Ünïcödé dir/" + "l" * 200 + ".mkv": 90},
    "many": {f"many/{i:03d}.bin": 1 + (i * 977) % 3000 for i in range(60)},
}


def generated(root: Path) -> list[tuple[str, bytes]]:
    """Every layout as v1, v2 and hybrid, plus large pieces, canonical padding and symlinks."""
    found = []
    for layout, files in LAYOUTS.items():
        tree = write_tree(root / layout, files)
        target = tree / next(iter(files)) if len(files) == 1 else tree / next(iter(files)).split("/")[0]
        for kind, flags in FLAGS.items():
            found.append((f"{layout}-{kind}", make(target, flags)))
    big = write_tree(root / "big", {"big/a.bin": 5000, "big/b.bin": 70000})
    for size in (4 * 1024 * 1024, 16 * 1024 * 1024, 64 * 1024 * 1024):
        found.append((f"large-piece-{size}", make(big / "big", 0, size)))
        found.append((f"large-piece-v1-{size}", make(big / "big", lt.create_torrent.v1_only, size)))
    found.append(("v1-canonical-padding", make(big / "big", lt.create_torrent.v1_only
                                               | lt.create_torrent.canonical_files)))
    found.append(("v1-optimize-alignment", make(big / "big", lt.create_torrent.v1_only
                                                | lt.create_torrent.optimize_alignment)))
    links = write_tree(root / "links", {"links/data.bin": PIECE + 3, "links/sub/x.txt": 10})
    os.symlink("data.bin", links / "links" / "alias.bin")
    os.symlink("sub", links / "links" / "subdir")
    for kind, flags in FLAGS.items():
        found.append((f"symlinks-{kind}", make(links / "links", flags | lt.create_torrent.symlinks)))
    return found


def info(torrent: dict) -> dict:
    return torrent[b"info"]


def _bad_v1(info_fields: dict, top: dict | None = None) -> bytes:
    return fastbencode.bencode({**(top or {}), b"info": info_fields})


def _single(**overrides: object) -> dict:
    fields: dict = {b"name": b"x.bin", b"piece length": PIECE, b"length": 5, b"pieces": b"\x01" * 20}
    for key, value in overrides.items():
        if value is None:
            fields.pop(key.replace("_", " ").encode(), None)
        else:
            fields[key.replace("_", " ").encode()] = value
    return fields


def _multi(paths: list, sizes: list[int] | None = None, **extra: object) -> dict:
    sizes = sizes or [1] * len(paths)
    files = [{b"length": size, b"path": path} for path, size in zip(paths, sizes, strict=True)]
    fields = {b"name": b"dir", b"piece length": PIECE, b"files": files,
              b"pieces": b"\x01" * 20 * max(1, -(-sum(sizes) // PIECE))}
    fields.update({key.encode(): value for key, value in extra.items()})
    return fields


def handmade() -> list[tuple[str, bytes]]:
    """Broken on purpose, or odd in the ways real files are: bencode, keys, types, lengths, names."""
    pad = {b"attr": b"p", b"length": PIECE - 7, b"path": [b".pad", str(PIECE - 7).encode()]}
    items: list[tuple[str, bytes]] = [
        ("empty", b""), ("not-bencode", b"hello world"), ("just-int", b"i5e"), ("list-top", b"le"),
        ("truncated-dict", b"d4:info"), ("bad-int", b"d4:infod6:lengthi5xee"), ("dict-int-key", b"di5ei6ee"),
        ("missing-value", b"d4:infoe"), ("no-info", fastbencode.bencode({b"announce": b"http://t/a"})),
        ("info-not-dict", fastbencode.bencode({b"info": b"x"})),
        ("trailing-bytes", _bad_v1(_single()) + b"garbage"),
        ("leading-zero-int", _bad_v1(_single()).replace(b"lengthi5e", b"lengthi005e")),
        ("leading-zero-strlen", _bad_v1(_single()).replace(b"4:name5:x.bin", b"4:name05:x.bin")),
        ("string-length-16-digits", _bad_v1(_single()).replace(b"4:name5:x.bin", b"4:name0000000000000005:x.bin")),
        ("string-length-17-digits", _bad_v1(_single()).replace(b"4:name5:x.bin", b"4:name00000000000000005:x.bin")),
        ("too-deep", _bad_v1(_single(deep=b"")).replace(b"4:deep0:", b"4:deep" + b"l" * 120 + b"e" * 120)),
        ("missing-name", _bad_v1(_single(name=None))),
        ("name-int", _bad_v1(_single(name=5))),
        ("empty-name-single", _bad_v1(_single(name=b""))),
        ("empty-name-multi", _bad_v1(_multi([[b"a"]], name=b""))),
        ("name-dot", _bad_v1(_single(name=b"."))),
        ("name-dotdot", _bad_v1(_single(name=b".."))),
        ("name-slash", _bad_v1(_single(name=b"/"))),
        ("name-abs", _bad_v1(_single(name=b"/etc/passwd"))),
        ("name-separators", _bad_v1(_single(name=b"a/b\\c.mkv"))),
        ("name-control", _bad_v1(_single(name=b"bell\x07tab\tnul\x00.mkv"))),
        ("name-bidi", _bad_v1(_single(name="evil\u202egnp.exe".encode()))),
        ("name-bad-utf8", _bad_v1(_single(name=b"caf\xe9 \xff\xfe.mkv"))),
        ("name-overlong-utf8", _bad_v1(_single(name=b"x\xc0\xaf.mkv"))),
        ("name-300-ext", _bad_v1(_single(name=b"n" * 300 + b".mkv"))),
        ("name-300-noext", _bad_v1(_single(name=b"n" * 300))),
        ("name-300-longext", _bad_v1(_single(name=b"n" * 300 + b".verylongextension"))),
        ("name-300-multibyte", _bad_v1(_single(name="é".encode() * 150 + b".mkv"))),
        ("name-utf8-preferred", _bad_v1(_single(**{"name.utf-8": "名前.mkv".encode()}))),
        ("name-utf8-not-string", _bad_v1(_single(**{"name.utf-8": 3}))),
        ("name-4096", _bad_v1(_single(name=b"q" * 5000))),
        ("piece-length-zero", _bad_v1(_single(piece_length=0))),
        ("piece-length-negative", _bad_v1(_single(piece_length=-16384))),
        ("piece-length-odd-v1", _bad_v1(_single(piece_length=1000))),
        ("piece-length-huge", _bad_v1(_single(piece_length=2**30 + 1))),
        ("piece-length-string", _bad_v1(_single(piece_length=b"16384"))),
        ("length-negative", _bad_v1(_single(length=-1))),
        ("length-zero", _bad_v1(_single(length=0, pieces=b""))),
        ("length-string", _bad_v1(_single(length=b"5"))),
        ("length-2**49", _bad_v1(_single(length=2**49))),
        ("length-overflow", _bad_v1(_single()).replace(b"lengthi5e", b"lengthi99999999999999999999e")),
        ("pieces-missing", _bad_v1(_single(pieces=None))),
        ("pieces-short", _bad_v1(_single(pieces=b"\x01" * 19))),
        ("pieces-extra", _bad_v1(_single(pieces=b"\x01" * 40))),
        ("pieces-int", _bad_v1(_single(pieces=7))),
        ("files-empty", _bad_v1(_multi([], pieces=b""))),
        ("files-not-list", _bad_v1(_single(files=b"x"))),
        ("files-entry-int", _bad_v1({**_multi([[b"a"]]), b"files": [5]})),
        ("path-empty-list", _bad_v1(_multi([[]]))),
        ("path-empty-element", _bad_v1(_multi([[b""]]))),
        ("path-empty-middle", _bad_v1(_multi([[b"a", b"", b"b"]]))),
        ("path-dots", _bad_v1(_multi([[b"..", b"..", b"etc", b"passwd"], [b".", b"x"]], [1, 2]))),
        ("path-all-dropped", _bad_v1(_multi([[b"..", b"."]]))),
        ("path-int-element", _bad_v1(_multi([[b"a", 5]]))),
        ("path-separator", _bad_v1(_multi([[b"a/b", b"c\\d"], [b"/abs"]], [3, 4]))),
        ("path-windows-drive", _bad_v1(_multi([[b"C:", b"x"], [b"D:\\y"]], [1, 1]))),
        ("path-utf8-preferred", _bad_v1({**_multi([[b"a"]]), b"files": [
            {b"length": 1, b"path": [b"a"], b"path.utf-8": ["ü.mkv".encode()]}]})),
        ("duplicate-paths", _bad_v1(_multi([[b"a.mkv"], [b"A.MKV"], [b"a.mkv"]], [1, 2, 3]))),
        ("file-over-directory", _bad_v1(_multi([[b"x", b"y"], [b"x"]], [1, 2]))),
        ("v1-pad-files", _bad_v1(_multi([[b"a"], pad[b"path"], [b"b"]], [7, PIECE - 7, 10])
                                  | {b"files": [{b"length": 7, b"path": [b"a"]}, pad,
                                                {b"length": 10, b"path": [b"b"]}]})),
        ("v1-pad-no-path", _bad_v1({**_multi([[b"a"], [b"b"]], [7, 10]), b"files": [
            {b"length": 7, b"path": [b"a"]}, {b"attr": b"p", b"length": PIECE - 7},
            {b"length": 10, b"path": [b"b"]}], b"pieces": b"\x01" * 40})),
        ("bitcomet-padding", _bad_v1({**_multi([[b"a"], [b"_____padding_file_0"], [b"b"]], [7, PIECE - 7, 10])})),
        ("only-symlink", _bad_v1({**_multi([[b"l"]], [0]), b"files": [
            {b"attr": b"l", b"length": 0, b"path": [b"l"], b"symlink path": [b"x"]}], b"pieces": b""})),
        ("symlink-and-file", _bad_v1({**_multi([[b"l"], [b"f"]], [0, 9]), b"files": [
            {b"attr": b"l", b"length": 0, b"path": [b"l"], b"symlink path": [b"f"]},
            {b"length": 9, b"path": [b"f"]}]})),
        ("symlink-no-target", _bad_v1({**_multi([[b"l"], [b"f"]], [4, 9]), b"files": [
            {b"attr": b"l", b"length": 4, b"path": [b"l"]}, {b"length": 9, b"path": [b"f"]}]})),
        ("symlink-escapes", _bad_v1({**_multi([[b"l"], [b"f"]], [0, 9]), b"files": [
            {b"attr": b"l", b"length": 0, b"path": [b"l"], b"symlink path": [b"..", b"..", b"etc"]},
            {b"length": 9, b"path": [b"f"]}]})),
        ("meta-version-3", _bad_v1(_single(meta_version=3))),
        ("meta-version-1", _bad_v1(_single(meta_version=1))),
        ("v1-with-file-tree", _bad_v1(_single(file_tree={b"x": {b"": {b"length": 5}}}))),
        ("v2-no-file-tree", _bad_v1(_single(meta_version=2))),
        ("magnet-uri-only", fastbencode.bencode({b"magnet-uri": b"magnet:?xt=urn:btih:" + b"a" * 40})),
        ("too-many-files-ok", _bad_v1(_multi([[b"f%d" % i] for i in range(300)]))),
    ]
    return items


def _reorder(raw: bytes) -> bytes | None:
    """The same torrent with the info dictionary's keys written in reverse order (a v1 hash changes)."""
    top = bencode.decode(raw)
    found = top.find_kind(b"info", "d")
    if found is None or len(found.pairs) < 2:
        return None
    pairs = [raw[k.start:v.end] for k, v in found.pairs][::-1]
    return raw[:found.start] + b"d" + b"".join(pairs) + b"e" + raw[found.end:]


def _edit_info(raw: bytes, change: Callable[[dict], None]) -> bytes:
    decoded = fastbencode.bdecode(raw)
    change(decoded[b"info"])
    return fastbencode.bencode(decoded)


def _rename_first(name: bytes) -> Callable[[dict], None]:
    def change(fields: dict) -> None:
        if b"files" in fields:
            fields[b"files"][0][b"path"] = [name, *fields[b"files"][0][b"path"][1:]]
        if b"file tree" in fields:
            tree = fields[b"file tree"]
            first = next(iter(tree))
            tree[name] = tree.pop(first)
        if b"files" not in fields and b"file tree" not in fields:
            fields[b"name"] = name
    return change


def _zero_root(fields: dict) -> None:
    node = fields.get(b"file tree") or {}
    while b"" not in node and node:
        node = next(iter(node.values()))
    if b"" in node and b"pieces root" in node[b""]:
        node[b""][b"pieces root"] = b"\0" * 32


def _bad_root(fields: dict) -> None:
    node = fields.get(b"file tree") or {}
    while b"" not in node and node:
        node = next(iter(node.values()))
    if b"" in node and b"pieces root" in node[b""]:
        node[b""][b"pieces root"] = node[b""][b"pieces root"][:31]


def _pad_in_tree(fields: dict) -> None:
    node = fields.get(b"file tree") or {}
    while b"" not in node and node:
        node = next(iter(node.values()))
    if b"" in node:
        node[b""][b"attr"] = b"p"


def _piece_layers(raw: bytes, change: Callable[[dict], dict]) -> bytes:
    decoded = fastbencode.bdecode(raw)
    decoded[b"piece layers"] = change(decoded.get(b"piece layers", {}))
    return fastbencode.bencode(decoded)


def _first_leaf(fields: dict) -> dict | None:
    node = fields.get(b"file tree") or {}
    while node and b"" not in node:
        node = next(iter(node.values()))
    return node.get(b"") if node else None


def _set_leaf(key: bytes, value: object) -> Callable[[dict], None]:
    def change(fields: dict) -> None:
        leaf = _first_leaf(fields)
        if leaf is not None:
            leaf[key] = value
    return change


def _first_v1(key: bytes, value: object) -> Callable[[dict], None]:
    def change(fields: dict) -> None:
        if fields.get(b"files"):
            fields[b"files"][0][key] = value
    return change


def _tree_key(name: bytes) -> Callable[[dict], None]:
    def change(fields: dict) -> None:
        tree = fields.get(b"file tree")
        if tree:
            tree[name] = tree.pop(next(iter(tree)))
    return change


def _leaf_int(fields: dict) -> None:
    tree = fields.get(b"file tree")
    if tree:
        tree[b"zz-odd"] = {b"": 5}


MUTATIONS: dict[str, Callable[[bytes], bytes | None]] = {
    "reordered": _reorder,
    "extra-key": lambda raw: _edit_info(raw, lambda f: f.__setitem__(b"zz-extra", b"yes")),
    "extra-top-key": lambda raw: fastbencode.bencode({**fastbencode.bdecode(raw), b"comment": b"hi"}),
    "truncated": lambda raw: raw[:len(raw) * 2 // 3],
    "cut-last-byte": lambda raw: raw[:-1],
    "name-dotdot": lambda raw: _edit_info(raw, _rename_first(b"..")),
    "name-slash": lambda raw: _edit_info(raw, _rename_first(b"a/../b.mkv")),
    "name-long": lambda raw: _edit_info(raw, _rename_first(b"L" * 280 + b".mkv")),
    "name-empty": lambda raw: _edit_info(raw, _rename_first(b"")),
    "zero-root": lambda raw: _edit_info(raw, _zero_root),
    "short-root": lambda raw: _edit_info(raw, _bad_root),
    "pad-in-tree": lambda raw: _edit_info(raw, _pad_in_tree),
    "layers-dropped": lambda raw: _piece_layers(raw, lambda layers: {}),
    "layers-flipped": lambda raw: _piece_layers(raw, lambda layers: {
        root: bytes([layer[0] ^ 1]) + layer[1:] for root, layer in layers.items()}),
    "layer-short-key": lambda raw: _piece_layers(raw, lambda layers: {**layers, b"k" * 31: b"\1" * 32}),
    "layer-odd-value": lambda raw: _piece_layers(raw, lambda layers: {
        root: layer + b"x" for root, layer in layers.items()}),
    "layer-unknown-root": lambda raw: _piece_layers(raw, lambda layers: {**layers, b"u" * 32: b"\1" * 64}),
    "leaf-not-dict": lambda raw: _edit_info(raw, _leaf_int),
    "tree-key-slash": lambda raw: _edit_info(raw, _tree_key(b"/")),
    "tree-key-dot": lambda raw: _edit_info(raw, _tree_key(b".")),
    "v2-symlink-no-target": lambda raw: _edit_info(raw, _set_leaf(b"attr", b"l")),
    "v2-executable": lambda raw: _edit_info(raw, _set_leaf(b"attr", b"x")),
    "v2-mtime": lambda raw: _edit_info(raw, _set_leaf(b"mtime", 1234)),
    "v1-symlink-no-target": lambda raw: _edit_info(raw, _first_v1(b"attr", b"l")),
    "v1-executable": lambda raw: _edit_info(raw, _first_v1(b"attr", b"x")),
    "v1-renamed": lambda raw: _edit_info(raw, _first_v1(b"path", [b"other-name.bin"])),
    "v1-longer": lambda raw: _edit_info(raw, lambda f: _first_v1(b"length", f[b"files"][0][b"length"] + 1)(f)
                                        if f.get(b"files") else None),
    "meta-version-string": lambda raw: _edit_info(raw, lambda f: f.__setitem__(b"meta version", b"2")),
    "piece-length-1000": lambda raw: _edit_info(raw, lambda f: f.__setitem__(b"piece length", 1000)),
    "private": lambda raw: _edit_info(raw, lambda f: f.__setitem__(b"private", 1)),
}


def mutated(valid: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    found = []
    for name, raw in valid:
        for mutation, change in MUTATIONS.items():
            changed = change(raw)
            if changed is not None and changed != raw:
                found.append((f"{name}+{mutation}", changed))
    return found


def corpus(root: Path) -> list[tuple[str, bytes]]:
    made = generated(root)
    return made + handmade() + mutated(made)


def libtorrent_view(raw: bytes) -> tuple | None:
    """What libtorrent makes of ``raw``: (v1 hex, v2 hex, name, [(path, size) of the user's files]); None if refused."""
    try:
        loaded = lt.torrent_info(raw)
    except RuntimeError:
        return None
    if not loaded.is_valid():
        return None
    hashes = loaded.info_hashes()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        files = loaded.files()
    paths = [(files.file_path(i), files.file_size(i)) for i in range(files.num_files())
             if not files.file_flags(i) & lt.file_storage.flag_pad_file]
    return (hashes.v1.to_bytes().hex() if hashes.has_v1() else None,
            hashes.v2.to_bytes().hex() if hashes.has_v2() else None, loaded.name(), paths)
