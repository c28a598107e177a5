"""What users may submit: .torrent metadata, magnet links, and URLs behind the SSRF guard."""

import base64
import hashlib

import fastbencode
import libtorrent as lt
import pytest

from chalicelib import egress, errors
from chalicelib.config import DownloadSettings
from chalicelib.downloads import sources, torrentmeta
from chalicelib.downloads.torrentmeta import InvalidMagnet, InvalidTorrent, TorrentTooLarge


@pytest.fixture
def payload(tmp_path):
    root = tmp_path / "show"
    root.mkdir()
    (root / "e01.mkv").write_bytes(b"a" * 70_000)
    (root / "e02.mkv").write_bytes(b"b" * 30_000)
    return root


@pytest.mark.parametrize("flags", [0, lt.create_torrent.v1_only, lt.create_torrent.v2_only],
                         ids=["hybrid", "v1", "v2"])
def test_real_torrents_parse_with_libtorrents_info_hash(payload, flags):
    creator = lt.create_torrent(lt.list_files(str(payload)), 0, flags)
    lt.set_piece_hashes(creator, str(payload.parent))
    raw = lt.bencode(creator.generate())
    meta = torrentmeta.parse_torrent(raw)
    hashes = lt.torrent_info(raw).info_hashes()
    assert meta.info_hash == (str(hashes.v1) if hashes.has_v1() else str(hashes.v2))
    assert (meta.name, meta.total_size, meta.file_count) == ("show", 100_000, 2)


def v1(info_overrides=None, **top):
    info = {b"name": b"x.bin", b"piece length": 16384, b"pieces": b"\x00" * 20, b"length": 5}
    info.update(info_overrides or {})
    return fastbencode.bencode({b"info": info, **top})


@pytest.mark.parametrize("raw, reason", [
    (b"<html>not a torrent</html>", "not bencoded data (expected a value (list, dict, int or string) at byte 0)"),
    (b"", "not bencoded data (unexpected end of file at byte 0)"),
    (b"d3:fooi1ee", "the info dictionary is missing"),
    (b"li1ei2ee", "not a bencoded dictionary"),
    (v1({b"pieces": b"\x00" * 7}), "the number of piece hashes does not match the total length"),
    (v1({b"piece length": 0}), "the piece length is missing or invalid"),
    (v1({b"name": b""}), "the torrent has no name"),
    (v1({b"length": -1}), "a file length is missing or invalid"),
])  # every verdict against libtorrent's own: tests/unit/test_torrent_agreement.py
def test_bytes_that_are_not_torrent_metadata_are_refused(raw, reason):
    with pytest.raises(InvalidTorrent) as caught:
        torrentmeta.parse_torrent(raw)
    assert caught.value.status == 422 and caught.value.fields == {"source": reason}


def test_base64_torrent_limits():
    raw = v1()
    assert torrentmeta.decode_base64(base64.b64encode(raw).decode(), 1024) == raw
    assert torrentmeta.decode_base64(base64.urlsafe_b64encode(raw).decode(), 1024) == raw
    with pytest.raises(TorrentTooLarge) as caught:
        torrentmeta.decode_base64(base64.b64encode(b"x" * 2049).decode(), 2048)
    assert caught.value.status == 413
    with pytest.raises(InvalidTorrent):
        torrentmeta.decode_base64("not base64 at all!!", 1024)


def test_magnets_need_a_valid_btih_or_btmh():
    hex_hash = "AB" * 20
    assert torrentmeta.parse_magnet(f"magnet:?xt=urn:btih:{hex_hash}&dn=My%20Film").info_hash == hex_hash.lower()
    b32 = base64.b32encode(bytes(range(20))).decode()
    assert torrentmeta.parse_magnet(f"magnet:?xt=urn:btih:{b32}").info_hash == bytes(range(20)).hex()
    v2 = hashlib.sha256(b"x").hexdigest()
    assert torrentmeta.parse_magnet(f"magnet:?xt=urn:btmh:1220{v2}").info_hash == v2
    assert torrentmeta.parse_magnet(f"magnet:?xt=urn:btih:{hex_hash}&dn=My%20Film").name == "My Film"
    for bad in ("magnet:?xt=urn:btih:1234", "magnet:?dn=x", "http://example.com/a.torrent", "magnet:",
                f"magnet:?xt=urn:sha1:{hex_hash}", f"magnet:?xt=urn:btmh:1111{v2}", "magnet:?xt=urn:btih:" + "g" * 40):
        with pytest.raises(InvalidMagnet):
            torrentmeta.parse_magnet(bad)


@pytest.mark.parametrize("url, code", [
    ("file:///etc/passwd", "unsupported_scheme"),
    ("ftp://example.com/file.iso", "unsupported_scheme"),
    ("gopher://example.com/", "unsupported_scheme"),
    ("http:///nohost", "invalid_url"),
    ("http://example.com:99999/x", "invalid_url"),
    ("http://127.0.0.1/x", "private_address"),
    ("http://localhost:8080/x", "private_address"),
    ("http://10.1.2.3/x", "private_address"),
    ("http://192.168.1.10/x", "private_address"),
    ("http://172.16.0.1/x", "private_address"),
    ("http://169.254.169.254/latest/meta-data/", "private_address"),
    ("http://100.64.0.1/x", "private_address"),
    ("http://[::1]/x", "private_address"),
    ("http://[fe80::1]/x", "private_address"),
    ("http://[::ffff:127.0.0.1]/x", "private_address"),
    ("http://0.0.0.0/x", "private_address"),
    ("http://224.0.0.1/x", "private_address"),
])
def test_ssrf_guard_refuses_other_schemes_and_private_addresses(url, code):
    with pytest.raises(egress.UrlRefused) as caught:
        egress.check_url(url, allow_private=False)
    assert caught.value.code == code


def test_ssrf_guard_allows_public_addresses_and_private_ones_when_configured():
    assert egress.check_url("https://8.8.8.8/file.iso", allow_private=False)
    assert egress.check_url("http://127.0.0.1:8000/x", allow_private=True)
    with pytest.raises(egress.UrlRefused):
        egress.check_url("file:///etc/passwd", allow_private=True)


def test_sources_map_guard_refusals_to_a_422_with_the_reason():
    with pytest.raises(errors.ValidationFailed) as caught:
        sources.parse("http", "http://127.0.0.1/x", DownloadSettings())
    assert caught.value.code == "url_not_allowed" and caught.value.fields == {"source": "private_address"}
    http = sources.parse("direct", "http://127.0.0.1/a/My%20Film.mkv", DownloadSettings(allow_private=True))
    assert (http.title, http.info_hash, http.torrent_key) == ("My Film.mkv", None, None)
    torrent = sources.parse("torrent", base64.b64encode(v1()).decode(), DownloadSettings())
    assert torrent.torrent_key == f"torrents/{hashlib.sha256(v1()).hexdigest()}.torrent"
    assert torrent.source is None and torrent.title == "x.bin"
