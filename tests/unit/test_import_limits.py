"""The caps every import reader goes through: JSON depth, zip inflation, CSV line length and columns."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from chalicelib.imports import letterboxd, limits, source, trakt
from chalicelib.imports.rows import MalformedFile

ROOT = Path(__file__).resolve().parents[2]
DEEP = 100_000

# A fresh interpreter whose address space is capped: the parse must fail cleanly far below the cap.
PARSE_UNDER_A_MEMORY_CEILING = """
import io, resource, sys
resource.setrlimit(resource.RLIMIT_AS, (768 * 2**20, 768 * 2**20))
from chalicelib.imports import ryot, seen, trakt
from chalicelib.imports.rows import MalformedFile
deep = b"[" * {deep} + b"]" * {deep}
files = {{"seen": b'{{"format": "seen-tracking-export", "media": [], "history": [' + deep + b']}}',
         "trakt": b'[' + deep + b']', "ryot": b'{{"metadata": [' + deep + b']}}'}}
readers = {{"seen": seen.read, "trakt": trakt.read, "ryot": ryot.read}}
for fmt, content in files.items():
    try:
        list(readers[fmt](io.BytesIO(content), fmt + ".json"))
        print(fmt, "read")
    except MalformedFile as exc:
        print(fmt, exc)
"""


def test_a_json_nested_100k_levels_deep_is_refused_in_bounded_memory():
    # ijson alone took 22 GB on this ~200 KB file (memory grows with the square of the depth).
    result = subprocess.run([sys.executable, "-c", PARSE_UNDER_A_MEMORY_CEILING.format(deep=DEEP)], cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.splitlines()
    assert len(lines) == 3, result.stdout
    for line in lines:
        assert f"nested deeper than {limits.MAX_DEPTH} levels" in line, line


class Trickle(io.RawIOBase):
    """A stream handing out at most ``step`` bytes per read, so chunk borders fall everywhere."""

    def __init__(self, data: bytes, step: int) -> None:
        self._data, self._step, self._at = data, step, 0

    def read(self, size: int = -1) -> bytes:
        size = self._step if size < 0 else min(size, self._step)
        chunk = self._data[self._at:self._at + size]
        self._at += len(chunk)
        return chunk


def _scan(data: bytes, step: int) -> None:
    stream = source.DepthLimited(Trickle(data, step), "test.json")
    while stream.read(65536):
        pass


@pytest.mark.parametrize("step", [1, 2, 3, 5, 7, 64, 65536])
def test_brackets_inside_strings_do_not_count_wherever_the_chunks_break(step):
    brackets = "[" * (limits.MAX_DEPTH * 2)
    doc = json.dumps([{"title": f'a "quoted" {brackets} \\ {brackets}\\', "n": [[1]]}] * 3).encode()
    assert doc.count(b"\\\\") and doc.count(b'\\"')  # escaped backslashes and quotes are in the test
    _scan(doc, step)  # not refused: only 4 levels are structure
    assert next(source.json_items(io.BytesIO(doc), "t.json"))["n"] == [[1]]


@pytest.mark.parametrize("step", [1, 7, 65536])
def test_one_level_past_the_limit_is_refused_and_the_limit_itself_is_read(step):
    at_limit = b'{"a": ' * (limits.MAX_DEPTH - 1) + b'["x"]' + b"}" * (limits.MAX_DEPTH - 1)
    _scan(at_limit, step)
    past = b'["\\"", ' + at_limit + b"]"
    with pytest.raises(MalformedFile, match=f"nested deeper than {limits.MAX_DEPTH} levels"):
        _scan(past, step)


@pytest.mark.parametrize("step", [1, 3, 64])  # strings crossing chunk borders, as real ones past 64 KB do
def test_a_string_longer_than_the_limit_is_refused_wherever_the_chunks_break(monkeypatch, step):
    monkeypatch.setattr(limits, "MAX_STRING_BYTES", 100)
    fits = json.dumps([{"title": "x" * 80 + '\\"' * 5, "n": "y" * 100}]).encode()
    _scan(fits, step)
    too_long = json.dumps([{"title": "short", "notes": "[" + "\\" * 30 + '"' * 25}]).encode()  # escapes count
    with pytest.raises(MalformedFile, match="text value longer than 0 KB \\(the limit\\)"):
        _scan(too_long, step)


def test_a_real_size_string_past_the_limit_is_refused():
    content = b'[{"watched_at": "2020-01-01", "type": "movie", "movie": {"title": "' + b"a" * (
        limits.MAX_STRING_BYTES + 1) + b'"}}]'
    with pytest.raises(MalformedFile, match="text value longer than"):
        list(trakt.read(io.BytesIO(content), "watched-history.json"))


def _random_document(rng, depth: int = 0) -> tuple[object, int]:
    """A random JSON value with strings full of brackets, quotes and backslashes; (value, its nesting)."""
    if depth > 8 or rng.random() < 0.3:
        return "".join(rng.choice('[]{}"\\ab') for _ in range(rng.randrange(6))), 0
    children = [_random_document(rng, depth + 1) for _ in range(rng.randrange(4))]
    nested = 1 + max((level for _, level in children), default=0)
    if rng.random() < 0.5:
        return [value for value, _ in children], nested
    return {f"k{n}[\\": value for n, (value, _) in enumerate(children)}, nested


def test_the_scan_finds_the_exact_nesting_of_random_documents_at_any_chunking(monkeypatch):
    import random

    rng = random.Random(33)  # noqa: S311 - reproducible test data
    for _ in range(300):
        value, nesting = _random_document(rng)
        data, step = json.dumps(value).encode(), rng.choice([1, 2, 3, 4, 5, 8, 13, 64, 4096])
        monkeypatch.setattr(limits, "MAX_DEPTH", nesting)
        _scan(data, step)
        if nesting:
            monkeypatch.setattr(limits, "MAX_DEPTH", nesting - 1)
            with pytest.raises(MalformedFile, match="nested deeper"):
                _scan(data, step)


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _read_letterboxd(content: bytes) -> list:
    return list(letterboxd.read(io.BytesIO(content), "export.zip"))


WATCHED_BOMB = b"Date,Name,Year,Letterboxd URI\n" + b"2020-01-01,A Film,2000,https://boxd.it/x\n" * 10_000


def test_a_zip_bomb_is_refused_by_its_compression_ratio():
    content = _zip({"watched.csv": WATCHED_BOMB})
    assert len(content) < 2000 and len(WATCHED_BOMB) > 100 * len(content)  # ~400 KB of rows from ~1 KB
    with pytest.raises(MalformedFile, match=f"compressed more than {limits.MAX_COMPRESSION_RATIO}:1"):
        _read_letterboxd(content)


def _lie_about_compressed_size(content: bytes, size: int) -> bytes:
    data = bytearray(content)
    central = data.index(b"PK\x01\x02")
    data[central + 20:central + 24] = size.to_bytes(4, "little")
    return bytes(data)


def test_a_compressed_size_the_header_inflates_does_not_hide_a_bomb():
    # With the ratio judged against 2 GB the bomb would pass; zipfile then runs out of bytes instead.
    content = _lie_about_compressed_size(_zip({"watched.csv": WATCHED_BOMB}), 2**31)
    assert zipfile.ZipFile(io.BytesIO(content)).getinfo("watched.csv").compress_size == 2**31
    with pytest.raises(MalformedFile, match=r"watched\.csv in the zip"):
        _read_letterboxd(content)


def _random_csv(rows: int, seed: int) -> bytes:
    """Rows that barely compress (hashed titles), so only the size limits can refuse them."""
    import hashlib

    lines = (f"2020-01-01,{hashlib.sha256(f'{seed}-{n}'.encode()).hexdigest()},2000,https://boxd.it/{n}\n"
             for n in range(rows))
    return b"Date,Name,Year,Letterboxd URI\n" + "".join(lines).encode()


def test_a_member_inflating_past_the_member_limit_is_refused_as_it_is_read(monkeypatch):
    monkeypatch.setattr(limits, "MAX_MEMBER_BYTES", 100_000)
    content = _zip({"watched.csv": _random_csv(3000, 1)})
    with pytest.raises(MalformedFile, match="inflates to more than 0 MB \\(the limit for one file\\)"):
        _read_letterboxd(content)


def test_members_together_past_the_archive_limit_are_refused(monkeypatch):
    monkeypatch.setattr(limits, "MAX_DECOMPRESSED_BYTES", 150_000)
    content = _zip({"watched.csv": _random_csv(1500, 2), "watchlist.csv": _random_csv(1500, 3)})
    with pytest.raises(MalformedFile, match="the limit for a whole archive"):
        _read_letterboxd(content)
    monkeypatch.setattr(limits, "MAX_DECOMPRESSED_BYTES", 1_000_000)
    assert len(_read_letterboxd(content)) == 3000  # both read whole under a limit they fit in


def test_a_zip_listing_more_members_than_the_limit_is_refused_before_its_directory_is_read():
    content = _zip({f"f{n}.txt": b"" for n in range(limits.MAX_ZIP_MEMBERS + 1)})
    with pytest.raises(MalformedFile, match=f"{limits.MAX_ZIP_MEMBERS}"):
        trakt.read(io.BytesIO(content), "trakt.zip").__next__()


def _read_csv(content: bytes) -> list:
    return list(letterboxd.read(io.BytesIO(content), "watched.csv"))


def test_a_csv_line_longer_than_the_limit_is_refused_naming_the_limit():
    long_line = b"2020-01-01,A" + b"x" * (limits.MAX_LINE_BYTES + 10) + b",2000,u\n"
    with pytest.raises(MalformedFile, match=f"longer than {limits.MAX_LINE_BYTES >> 10} KB \\(the limit\\)"):
        _read_csv(b"Date,Name,Year,Letterboxd URI\n" + long_line)


def test_a_quoted_field_spanning_many_short_lines_counts_as_one_record():
    many_lines = b'2020-01-01,"' + b"x\n" * (limits.MAX_LINE_BYTES // 2 + 10) + b'",2000,u\n'
    with pytest.raises(MalformedFile, match="longer than"):
        _read_csv(b"Date,Name,Year,Letterboxd URI\n" + many_lines)


def test_a_csv_record_with_more_columns_than_the_limit_is_refused():
    wide = b"2020-01-01,A Film,2000,u" + b"," * limits.MAX_FIELDS + b"\n"
    with pytest.raises(MalformedFile, match=f"more than {limits.MAX_FIELDS} columns"):
        _read_csv(b"Date,Name,Year,Letterboxd URI\n" + wide)


def test_a_csv_within_the_limits_reads_as_before():
    content = (b"\xef\xbb\xbfDate,Name,Year,Letterboxd URI\r\n2020-01-01,\"Heat, the film\",1995,u\r\n\r\n"
               b"2020-01-02,Short Line,2001\r\n")
    rows = _read_csv(content)
    assert [(row.title, row.year) for row in rows] == [("Heat, the film", 1995), ("Short Line", 2001)]
