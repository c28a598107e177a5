"""Streaming a dataset file: gzip lines -> validated key-range chunks -> batches.

Each line is checked for its column count and its key (``tt\\d+`` / ``nm\\d+``); a bad one is counted
as malformed (with a few samples) and left out. Lines are grouped into chunks of neighbouring keys
(``numeric id >> shift``); a chunk's hash over its raw lines lets an unchanged chunk be skipped
without parsing its fields. A truncated or corrupt gzip stream raises ``Truncated`` after the lines
read so far: the batch in flight is then not applied.
"""

from __future__ import annotations

import gzip
import hashlib
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

MAX_SAMPLES = 5


class Truncated(RuntimeError):
    """The gzip stream ended early or is corrupt."""


class FormatError(RuntimeError):
    """The file is not the expected dataset (its header differs)."""


@dataclass
class FileStats:
    """Figures of one file in one run (stored in imdb_runs.files)."""

    sha256: str | None = None
    status: str = "pending"  # pending | running | skipped | done | failed
    read: int = 0
    malformed: int = 0
    skipped: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    skip_reasons: dict[str, int] = field(default_factory=dict)
    samples: list[str] = field(default_factory=list)

    def bad(self, line: bytes, reason: str) -> None:
        self.malformed += 1
        if len(self.samples) < MAX_SAMPLES:
            self.samples.append(f"{reason}: {line[:160].decode('utf-8', 'replace')}")

    def skip(self, reason: str, count: int = 1) -> None:
        if count:
            self.skipped += count
            self.skip_reasons[reason] = self.skip_reasons.get(reason, 0) + count

    def as_json(self) -> dict:
        return dict(vars(self))

    @classmethod
    def from_json(cls, data: dict) -> FileStats:
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


@dataclass
class Chunk:
    id: int
    hash: int
    lines: list[bytes]


def _lines(path: Path) -> Iterator[bytes]:
    try:
        with gzip.open(path, "rb") as handle:
            yield from handle
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise Truncated(f"{path.name}: {exc}") from exc


def _chunk_hash(lines: list[bytes]) -> int:
    digest = hashlib.blake2b(b"\n".join(lines), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def chunks(path: Path, header: bytes, prefix: bytes, shift: int, stats: FileStats) -> Iterator[Chunk]:
    """The file's valid lines (without newline) grouped in chunks of keys ``id >> shift``.

    IMDb's files keep each key's lines together (sorted by key); a chunk is a run of neighbouring keys.
    Should one reappear later (string vs numeric order of 7- and 8-digit ids), each run is its own
    chunk and the stored hash is the last run's: the other is only staged again, never wrong.
    """
    lines = _lines(path)
    first = next(lines, b"").rstrip(b"\r\n")
    if first != header:
        raise FormatError(f"{path.name}: unexpected header {first[:120]!r}")
    tabs = header.count(b"\t")
    current, bucket = -1, []
    for raw in lines:
        line = raw.rstrip(b"\r\n")
        stats.read += 1
        tab = line.find(b"\t")
        key = line[2:tab]
        if line.count(b"\t") != tabs or not line.startswith(prefix) or not key.isdigit() or not key.isascii():
            stats.bad(line, "bad key or column count" if raw.endswith(b"\n") else "truncated line")
            continue
        chunk = int(key) >> shift
        if chunk != current:
            if bucket:
                yield Chunk(current, _chunk_hash(bucket), bucket)
            current, bucket = chunk, []
        bucket.append(line)
    if bucket:
        yield Chunk(current, _chunk_hash(bucket), bucket)


def batches(source: Iterator[Chunk], rows: int) -> Iterator[list[Chunk]]:
    """Whole chunks, about ``rows`` lines per batch."""
    batch: list[Chunk] = []
    size = 0
    for chunk in source:
        batch.append(chunk)
        size += len(chunk.lines)
        if size >= rows:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch
