"""Streaming a dataset file: gzip blocks -> segments of neighbouring keys -> batches.

The file is decompressed in large blocks and cut into *segments* at C speed: a segment starts at the
first line of a key ending in 0 (``tt…0`` / ``nm…0``) and runs to the next such key, so it holds about
ten keys and keeps its identity (its first key) from one release of the file to the next. A segment's
hash over its bytes lets an unchanged one be skipped without looking at its lines; only the lines of a
changed segment are split, checked and converted (see ``diff``). A truncated or corrupt gzip stream
raises ``Truncated`` after the segments read so far: the batch in flight is then not applied.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypedDict

MAX_SAMPLES = 5
BLOCK = 1 << 20  # compressed bytes read at a time
# The first line of a key ending in 0 starts a segment (the key's digits are the segment's id).
BOUNDARY = re.compile(rb"^(?:tt|nm)(\d*0)\t", re.M)


class FileFigures(TypedDict):
    """``FileStats`` as JSON (``imdb_runs.files``, the run summary)."""

    sha256: str | None
    status: str
    read: int
    malformed: int
    skipped: int
    inserted: int
    updated: int
    unchanged: int
    skip_reasons: dict[str, int]
    samples: list[str]


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

    def merge(self, other: FileStats) -> None:
        """Add the figures another thread counted for one batch."""
        for name in ("read", "malformed", "skipped", "inserted", "updated", "unchanged"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for reason, count in other.skip_reasons.items():
            self.skip_reasons[reason] = self.skip_reasons.get(reason, 0) + count
        self.samples.extend(other.samples[: MAX_SAMPLES - len(self.samples)])

    def as_json(self) -> FileFigures:
        return FileFigures(**vars(self))


@dataclass
class Segment:
    id: int  # the numeric part of its first key (0 for lines before the file's first boundary)
    hash: int
    data: bytes  # its lines, each ending in a newline (the file's last one may not)
    lines: int


def _blocks(path: Path) -> Iterator[bytes]:
    """Decompressed data in blocks that each end at a newline (the last block may not)."""
    rest = b""
    try:
        with path.open("rb") as handle:
            stream = zlib.decompressobj(wbits=31)
            while raw := handle.read(BLOCK):
                data = stream.decompress(raw)
                while stream.eof and stream.unused_data:  # a multi-member gzip file
                    tail, stream = stream.unused_data, zlib.decompressobj(wbits=31)
                    data += stream.decompress(tail)
                data, cut = rest + data, -1
                cut = data.rfind(b"\n") + 1
                rest = data[cut:]
                if cut:
                    yield data[:cut]
            if not stream.eof:
                raise Truncated(f"{path.name}: compressed file ended before the end-of-stream marker")
    except zlib.error as exc:
        raise Truncated(f"{path.name}: {exc}") from exc
    if rest:
        yield rest


def _hash(data: bytes) -> int:
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big", signed=True)


def key_hash(lines: list[bytes]) -> int:
    """The hash of one key's lines (stored per key: what changed within a changed segment)."""
    return _hash(b"\n".join(lines))


def _segment(key: int, pieces: list[bytes]) -> Segment | None:
    data = b"".join(pieces)
    if not data:
        return None
    return Segment(key, _hash(data), data, data.count(b"\n") + (not data.endswith(b"\n")))


def _without_header(blocks: Iterator[bytes], header: bytes, name: str) -> Iterator[bytes]:
    first = next(blocks, b"")
    end = first.find(b"\n")
    line = first[: end if end >= 0 else len(first)].rstrip(b"\r")
    if line != header:
        raise FormatError(f"{name}: unexpected header {line[:120]!r}")
    yield first[end + 1:] if end >= 0 else b""
    yield from blocks


def segments(path: Path, header: bytes) -> Iterator[Segment]:
    """The file's lines after its header, as segments in file order."""
    current, key, pieces = b"0", 0, []
    for block in _without_header(_blocks(path), header, path.name):
        start = 0
        for match in BOUNDARY.finditer(block):
            if match[1] == current:  # the same key's next line
                continue
            pieces.append(block[start:match.start()])
            if segment := _segment(key, pieces):
                yield segment
            current, key, pieces, start = match[1], int(match[1]), [], match.start()
        pieces.append(block[start:])
    if segment := _segment(key, pieces):
        yield segment


def batches(source: Iterator[Segment], rows: int) -> Iterator[list[Segment]]:
    """Whole segments, about ``rows`` lines per batch."""
    batch: list[Segment] = []
    size = 0
    for segment in source:
        batch.append(segment)
        size += segment.lines
        if size >= rows:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch
