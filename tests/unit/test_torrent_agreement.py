"""The API reads every .torrent exactly as the worker's libtorrent does: verdict, info hashes, names.

A property over a corpus built here (tests/torrent_support.py): files made by libtorrent's own
``create_torrent`` (v1, v2, hybrid, padding, symlinks, many files, odd names, large pieces),
hand-made broken ones and mutations of the valid ones. The control plane cannot import libtorrent;
this test runs where it is (the worker's environment) and holds the port to it file by file.
"""

from pathlib import Path

import pytest

from chalicelib.downloads import torrentmeta
from tests import torrent_support

UNLIMITED = torrentmeta.Limits(max_files=10**9, max_total_bytes=2**62)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> list[tuple[str, bytes, tuple | None]]:
    """(name, bytes, libtorrent's view) of every file."""
    made = torrent_support.corpus(Path(tmp_path_factory.mktemp("corpus")))
    return [(name, raw, torrent_support.libtorrent_view(raw)) for name, raw in made]


def api_view(raw: bytes) -> tuple | None:
    """The API's reading in libtorrent_view's shape; None when it refuses the file."""
    try:
        meta = torrentmeta.parse_torrent(raw, UNLIMITED)
    except torrentmeta.InvalidTorrent:
        return None
    v1 = meta.info_hash if meta.info_hash != meta.info_hash_v2 else None
    return v1, meta.info_hash_v2, meta.name, list(meta.files)


def names_only(found: tuple | None) -> tuple | None:
    return None if found is None else (*found[:3], [path for path, _ in found[3]])


def test_the_corpus_is_large_and_varied(corpus):
    names = [name for name, _, _ in corpus]
    assert len(corpus) >= 150 and len(set(names)) == len(names)
    views = [found for _, _, found in corpus if found is not None]
    assert len(views) >= 100 and len(corpus) - len(views) >= 100  # both verdicts, many times
    assert any(v1 and v2 for v1, v2, _, _ in views) and any(v2 and not v1 for v1, v2, _, _ in views)
    assert any(name.endswith("+reordered") for name in names)


def test_the_api_agrees_with_libtorrent_on_every_file(corpus):
    readings = [(name, names_only(found), api_view(raw)) for name, raw, found in corpus]
    disagreements = [reading for reading in readings if reading[1] != reading[2]]
    assert disagreements == [], f"{len(disagreements)} of {len(corpus)} files: {disagreements[:5]}"


def test_a_refusal_names_its_reason_in_words(corpus):
    for name, raw, found in corpus:
        if found is not None:
            continue
        with pytest.raises(torrentmeta.InvalidTorrent) as refused:
            torrentmeta.parse_torrent(raw, UNLIMITED)
        assert refused.value.status == 422 and refused.value.code == "invalid_torrent", name
        reason = refused.value.fields["source"]
        assert len(reason.split()) >= 2 and str(refused.value).endswith(reason), (name, reason)


def test_sizes_agree_and_padding_is_hidden(corpus):
    for name, raw, found in corpus:
        if found is None:
            continue
        meta = torrentmeta.parse_torrent(raw, UNLIMITED)
        sizes = [size for _, size in found[3]]
        assert (meta.file_count, meta.total_size) == (len(sizes), sum(sizes)), name
        assert not any("/.pad/" in path for path in meta.files), name
