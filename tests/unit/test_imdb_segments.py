"""The IMDb reader's change detection without a database: segments cut where a key ends in 0, keep
their identity when other segments change, and a changed segment restages only its changed keys."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from chalicelib.imdb import diff, parse
from chalicelib.imdb.parse import FileStats
from chalicelib.imdb.rows import DATASETS

PRINCIPALS = next(d for d in DATASETS if d.name == "title.principals")
RATINGS = next(d for d in DATASETS if d.name == "title.ratings")


def principal(title: int, ordering: int, role: str = "Hero") -> str:
    return f'tt{title:07d}\t{ordering}\tnm{1000 + title:07d}\tactor\t\\N\t["{role}"]'


def write(path: Path, lines: list[str], header: bytes = PRINCIPALS.header) -> Path:
    path.write_bytes(gzip.compress(header + b"\n" + "".join(f"{line}\n" for line in lines).encode(), mtime=0))
    return path


def principals(titles: range, changed: dict[int, str] | None = None) -> list[str]:
    changed = changed or {}
    return [principal(t, k, changed.get(t, "Hero") if k == 2 else "Hero") for t in titles for k in (1, 2, 3)]


def test_segments_start_at_keys_ending_in_0_and_keep_their_hash_when_others_change(tmp_path):
    before = list(parse.segments(write(tmp_path / "a.gz", principals(range(5, 36))), PRINCIPALS.header))
    assert [s.id for s in before] == [0, 10, 20, 30]  # 5..9 precede the first boundary
    assert [s.lines for s in before] == [15, 30, 30, 18]
    after = list(parse.segments(write(tmp_path / "b.gz", principals(range(5, 36), {23: "Villain"})),
                                PRINCIPALS.header))
    assert [s.id for s in after] == [0, 10, 20, 30]
    assert [a.hash == b.hash for a, b in zip(before, after, strict=True)] == [True, True, False, True]


def test_a_changed_segment_restages_only_the_changed_keys_lines(tmp_path):
    (first,) = parse.segments(write(tmp_path / "a.gz", principals(range(20, 30))), PRINCIPALS.header)
    stored = diff.changed(first, None, PRINCIPALS, FileStats(), None)
    assert len(stored.rows) == 30 and stored.keys == list(range(20, 30))
    (second,) = parse.segments(write(tmp_path / "b.gz", principals(range(20, 30), {23: "Villain"})),
                               PRINCIPALS.header)
    stats = FileStats()
    again = diff.changed(second, (stored.keys, stored.hashes), PRINCIPALS, stats, None)
    assert [row.split(b"\t")[:2] for row in again.rows] == [[b"tt0000023", b"1"], [b"tt0000023", b"2"],
                                                           [b"tt0000023", b"3"]]  # the title's whole set
    assert b"Villain" in again.rows[1] and stats.unchanged == 27
    assert again.keys == stored.keys and again.hashes != stored.hashes


def test_bad_lines_and_duplicate_keys_are_counted_not_staged(tmp_path):
    lines = ["tt0000001\t7.5\t100", "tt0000001\t7.6\t101", "xx0000002\t7.0\t5", "tt0000003\t8.1", "tt0000004\t6.0\t9"]
    stats = FileStats()
    (segment,) = parse.segments(write(tmp_path / "r.gz", lines, RATINGS.header), RATINGS.header)
    result = diff.changed(segment, None, RATINGS, stats, None)
    assert [row.split(b"\t")[0] for row in result.rows] == [b"tt0000001", b"tt0000004"]
    assert stats.malformed == 3 and "duplicate key" in stats.samples[0]


def test_multi_member_gzip_and_a_last_line_without_newline_are_read_whole(tmp_path):
    path = tmp_path / "m.gz"
    head = RATINGS.header + b"\ntt0000001\t7.5\t100\n"
    path.write_bytes(gzip.compress(head) + gzip.compress(b"tt0000010\t6.0\t9\ntt0000011\t5.0\t1"))
    segments = list(parse.segments(path, RATINGS.header))
    assert [(s.id, s.lines) for s in segments] == [(0, 1), (10, 2)]
    assert segments[1].data.endswith(b"tt0000011\t5.0\t1")


def test_a_truncated_stream_raises_after_the_segments_read_and_a_wrong_header_is_refused(tmp_path):
    path = write(tmp_path / "t.gz", principals(range(1, 3000)))
    path.write_bytes(path.read_bytes()[:-200])
    read: list[int] = []
    with pytest.raises(parse.Truncated):
        for segment in parse.segments(path, PRINCIPALS.header):
            read.append(segment.id)
    assert read and read[0] == 0
    with pytest.raises(parse.FormatError):
        list(parse.segments(write(tmp_path / "h.gz", principals(range(1, 3))), RATINGS.header))
