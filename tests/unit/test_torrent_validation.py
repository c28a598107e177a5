"""Torrent metadata that would escape the job's directory, exceed the limits or not verify is refused (400)."""

import base64

import fastbencode
import libtorrent as lt
import pytest

from chalicelib.config import DownloadSettings
from chalicelib.downloads import sources, torrentmeta
from chalicelib.downloads.torrentmeta import Limits, UnsafeTorrent

PIECE = 16384


def v1(name=b"x.bin", length=5, extra=None):
    fields = {b"name": name, b"piece length": PIECE, b"length": length}
    fields.update(extra or {b"pieces": b"\x00" * 20 * max(1, -(-length // PIECE))})
    return fastbencode.bencode({b"info": fields})


def multi(*paths, sizes=None):
    sizes = sizes or [1] * len(paths)
    files = [{b"path": list(path), b"length": size} for path, size in zip(paths, sizes, strict=True)]
    fields = {b"name": b"dir", b"piece length": PIECE, b"files": files,
              b"pieces": b"\x00" * 20 * max(1, -(-sum(sizes) // PIECE))}
    return fastbencode.bencode({b"info": fields})


def refused(raw, limits=None) -> str:
    with pytest.raises(UnsafeTorrent) as caught:
        torrentmeta.parse_torrent(raw, limits)
    assert caught.value.status == 400 and caught.value.code == "unsafe_torrent"
    return caught.value.fields["source"]


@pytest.mark.parametrize("name, reason", [
    (b"..", "name is . or .."),
    (b".", "name is . or .."),
    (b"/etc", "name holds a path separator"),
    (b"a/b", "name holds a path separator"),
    (b"..\\..\\win.ini", "name holds a path separator"),
    (b"C:", "name is an absolute path"),
    (b"c:evil", "name is an absolute path"),
    (b"film\x00.mkv", "name holds a NUL or control character"),
    (b"bell\x07", "name holds a NUL or control character"),
    (b"del\x7f", "name holds a NUL or control character"),
    ("c1\u0085".encode(), "name holds a NUL or control character"),
    (b"x" * 256, "name is longer than 255 bytes"),
])
def test_unsafe_info_names_are_refused(name, reason):
    assert refused(v1(name)) == reason


def test_the_utf8_name_libtorrent_prefers_is_checked_too():
    assert refused(v1(extra={b"name.utf-8": b"..", b"pieces": b"\x00" * 20})) == "name is . or .."


@pytest.mark.parametrize("path, reason", [
    ([b"..", b"etc", b"passwd"], "a path component is . or .."),
    ([b"ok", b"."], "a path component is . or .."),
    ([b"/abs"], "a path component holds a path separator"),
    ([b"a\\b"], "a path component holds a path separator"),
    ([b"D:\\x"], "a path component holds a path separator"),
    ([b"D:"], "a path component is an absolute path"),
    ([b"nul\x00"], "a path component holds a NUL or control character"),
    ([b"line\nbreak"], "a path component holds a NUL or control character"),
])
def test_unsafe_file_paths_are_refused(path, reason):
    assert refused(multi([b"fine.mkv"], path, sizes=[1, 1])) == reason


def test_the_utf8_path_libtorrent_prefers_is_checked_too():
    files = [{b"path": [b"a"], b"path.utf-8": [b".."], b"length": 1}]
    raw = fastbencode.bencode({b"info": {b"name": b"d", b"piece length": PIECE, b"pieces": b"\x00" * 20,
                                         b"files": files}})
    assert refused(raw) == "a path component is . or .."


def test_empty_names_and_components_stay_refused_as_malformed():
    for raw in (v1(b""), multi([b"a", b""])):
        with pytest.raises(torrentmeta.InvalidTorrent):
            torrentmeta.parse_torrent(raw)


def test_file_count_and_total_length_are_limited():
    assert refused(multi([b"a"], [b"b"], [b"c"]), Limits(max_files=2)) == "more than 2 files"
    assert torrentmeta.parse_torrent(multi([b"a"], [b"b"]), Limits(max_files=2)).file_count == 2
    huge = 2**62
    assert refused(v1(length=huge, extra={b"pieces": b"\x00" * 20})) == f"larger than {2 * 1024**4} bytes in total"
    assert refused(v1(length=101), Limits(max_total_bytes=100)) == "larger than 100 bytes in total"
    assert refused(v1(length=0)) == "the torrent holds no data"


def test_limits_come_from_the_settings():
    raw = multi([b"a"], [b"b"], [b"c"])
    with pytest.raises(UnsafeTorrent):
        sources.parse("torrent", base64.b64encode(raw).decode(), DownloadSettings(max_files=2))
    settings = DownloadSettings.from_env({"SEEN_DOWNLOAD_MAX_FILES": "7", "SEEN_DOWNLOAD_MAX_TOTAL_BYTES": "99"})
    assert (settings.max_files, settings.max_total_bytes) == (7, 99)
    assert (DownloadSettings().max_files, DownloadSettings().max_total_bytes) == (10_000, 2 * 1024**4)


@pytest.mark.parametrize("length, hashes", [(PIECE * 2, 1), (PIECE * 2, 3), (PIECE + 1, 1), (1, 2)])
def test_v1_piece_count_must_match_the_total_length(length, hashes):
    assert refused(v1(length=length, extra={b"pieces": b"\x00" * 20 * hashes})) == (
        "the number of pieces does not match the total length")


def test_v1_pieces_cover_padding_files_too():
    files = [{b"path": [b"a"], b"length": PIECE - 10}, {b"path": [b".pad", b"10"], b"length": 10, b"attr": b"p"},
             {b"path": [b"b"], b"length": 1}]
    info = {b"name": b"d", b"piece length": PIECE, b"files": files, b"pieces": b"\x00" * 40}
    meta = torrentmeta.parse_torrent(fastbencode.bencode({b"info": info}))
    assert (meta.total_size, meta.file_count) == (PIECE - 9, 2)


def real_v2(tmp_path, size: int, flags=lt.create_torrent.v2_only) -> dict:
    (tmp_path / "v2").mkdir(exist_ok=True)
    (tmp_path / "v2" / "big.bin").write_bytes(b"z" * size)
    (tmp_path / "v2" / "small.bin").write_bytes(b"s" * 100)
    creator = lt.create_torrent(lt.list_files(str(tmp_path / "v2")), PIECE, flags)
    lt.set_piece_hashes(creator, str(tmp_path))
    return fastbencode.bdecode(lt.bencode(creator.generate()))


def test_v2_piece_layers_must_match_each_file(tmp_path):
    decoded = real_v2(tmp_path, PIECE * 3)
    assert torrentmeta.parse_torrent(fastbencode.bencode(decoded)).total_size == PIECE * 3 + 100
    [(root, layer)] = decoded[b"piece layers"].items()
    decoded[b"piece layers"] = {root: layer[:-32]}
    assert refused(fastbencode.bencode(decoded)) == "a file's piece layer is missing or does not match its length"
    del decoded[b"piece layers"]
    assert refused(fastbencode.bencode(decoded)) == "a file's piece layer is missing or does not match its length"


def test_v2_files_need_a_pieces_root(tmp_path):
    decoded = real_v2(tmp_path, PIECE * 3)
    del decoded[b"info"][b"file tree"][b"small.bin"][b""][b"pieces root"]
    assert refused(fastbencode.bencode(decoded)) == "a file has no pieces root"


def test_v2_and_hybrid_file_tree_names_are_checked(tmp_path):
    for flags in (lt.create_torrent.v2_only, 0):
        decoded = real_v2(tmp_path, 10, flags)
        tree = decoded[b"info"][b"file tree"]
        tree[b"..\x00"] = tree.pop(b"small.bin")
        assert refused(fastbencode.bencode(decoded)) == "a path component holds a NUL or control character"


def test_hybrid_torrents_check_their_v1_file_list_as_well(tmp_path):
    decoded = real_v2(tmp_path, PIECE * 2, 0)
    decoded[b"info"][b"files"][0][b"path"] = [b".."]
    assert refused(fastbencode.bencode(decoded)) == "a path component is . or .."
