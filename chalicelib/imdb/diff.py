"""What of a changed segment is new: its keys' hashes against those stored, and the lines to stage.

Each key's lines are hashed together, so one changed principal restages its title's whole set (a
title's credits are replaced as a set) while the segment's other keys stay untouched. The lines to
stage are checked (column count, key) and converted to staging rows by the dataset's converter.
"""

from __future__ import annotations

from dataclasses import dataclass

from chalicelib.imdb.parse import FileStats, Segment, key_hash
from chalicelib.imdb.rows import Dataset, GenreIds

Stored = tuple[list[int], list[int]]  # a segment's keys and their hashes


@dataclass
class Changed:
    """One changed segment: its new stored state and its staging rows."""

    segment: Segment
    keys: list[int]
    hashes: list[int]
    rows: list[bytes]


def _keys(data: bytes) -> dict[bytes, list[bytes]]:
    """A segment's lines (without newline) grouped by their first field, in file order."""
    groups: dict[bytes, list[bytes]] = {}
    for line in data.split(b"\n"):
        if line:
            line = line.rstrip(b"\r")
            groups.setdefault(line[: line.find(b"\t")], []).append(line)
    return groups


def _numeric(key: bytes, prefix: bytes) -> int | None:
    digits = key[2:]
    return int(digits) if key.startswith(prefix) and digits.isdigit() and digits.isascii() else None


def changed(segment: Segment, stored: Stored | None, dataset: Dataset, stats: FileStats,
            genres: GenreIds | None) -> Changed:
    """The segment's keys whose lines differ from ``stored`` (all of them without), converted."""
    old = dict(zip(*stored, strict=True)) if stored else {}
    result = Changed(segment, [], [], [])
    for key, lines in _keys(segment.data).items():
        number, digest = _numeric(key, dataset.prefix), key_hash(lines)
        if number is not None:
            result.keys.append(number)
            result.hashes.append(digest)
            if old.get(number) == digest:
                stats.unchanged += len(lines)
                continue
        result.rows.extend(_rows(lines, dataset, stats, genres))
    return result


def _rows(lines: list[bytes], dataset: Dataset, stats: FileStats, genres: GenreIds | None) -> list[bytes]:
    """One key's lines as staging rows; a bad line is counted and left out."""
    out: list[bytes] = []
    tabs = dataset.header.count(b"\t")
    for index, line in enumerate(lines):
        key = line[2: line.find(b"\t")]
        if line.count(b"\t") != tabs or not line.startswith(dataset.prefix) or not key.isdigit():
            stats.bad(line, "bad key or column count")
        elif index and not dataset.grouped:
            stats.bad(line, "duplicate key")
        elif (row := dataset.convert(line.split(b"\t"), stats, genres)) is not None:
            out.append(row)
    return out
