"""Reading an upload as a stream: zip members, CSV over a text stream, JSON arrays with ijson.

Nothing here loads a whole file: a 50 MB export is read a few kilobytes at a time, and every reader
goes through the caps of :mod:`limits` before the bytes reach a parser (zip bombs, deep nesting, huge
lines), so a hostile file costs bounded memory and time and fails with a message naming the limit.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import accumulate
from typing import IO, Any

from chalicelib.imports import limits
from chalicelib.imports.rows import MalformedFile

csv.field_size_limit(limits.MAX_LINE_BYTES)  # a notes column may be long, but not unbounded
CHUNK = 64 * 1024


def is_zip(stream: IO[bytes]) -> bool:
    stream.seek(0)
    magic = stream.read(4)
    stream.seek(0)
    return magic == b"PK\x03\x04"


class Archive(zipfile.ZipFile):
    """A zip whose members are read through :class:`_Inflated`, with one budget for the whole archive."""

    inflated = 0  # bytes inflated from all members so far


def _directory_size(stream: IO[bytes]) -> int:
    # The same end-of-directory parse zipfile runs next (zip64 included): it reads the whole central
    # directory into memory and builds an object per entry, so its size is judged first.
    stream.seek(0)
    # zipfile's own (private) parser, so both see the same directory
    end = zipfile._EndRecData(stream)  # pyright: ignore[reportAttributeAccessIssue]
    stream.seek(0)
    return end[zipfile._ECD_SIZE] if end else 0  # pyright: ignore[reportAttributeAccessIssue]


def open_zip(stream: IO[bytes]) -> Archive:
    try:
        if _directory_size(stream) > limits.MAX_ZIP_MEMBERS * 256:  # ~256 bytes per entry and its name
            raise MalformedFile(f"The zip lists too many files (the limit is {limits.MAX_ZIP_MEMBERS})")
        archive = Archive(stream)
    except (zipfile.BadZipFile, OSError) as exc:
        raise MalformedFile(f"The file is not a readable zip archive ({exc})") from None
    if len(archive.infolist()) > limits.MAX_ZIP_MEMBERS:
        raise MalformedFile(f"The zip holds more than {limits.MAX_ZIP_MEMBERS} files (the limit)")
    return archive


def members(archive: zipfile.ZipFile, suffix: str) -> list[str]:
    """Member names ending in ``suffix`` (case-insensitive), macOS resource forks left out, sorted."""
    return sorted(name for name in archive.namelist()
                  if name.lower().endswith(suffix) and not name.startswith("__MACOSX/"))


def basename(name: str) -> str:
    return name.rsplit("/", 1)[-1].lower()


class _Inflated(io.RawIOBase):
    """A zip member's bytes, counted as they are inflated (the sizes in the zip's headers are not trusted).

    Past :data:`limits.MAX_MEMBER_BYTES` for the member, :data:`limits.MAX_DECOMPRESSED_BYTES` for the
    archive, or a ratio to the member's compressed size beyond :data:`limits.MAX_COMPRESSION_RATIO`, the
    read fails before the bytes are handed on. Re-reading after a seek back is not counted twice.
    """

    def __init__(self, inner: IO[bytes], archive: Archive, info: zipfile.ZipInfo) -> None:
        super().__init__()
        self._inner, self._archive, self._name = inner, archive, info.filename
        # The header's sizes are not trusted: the inflated size is counted, and a compressed size larger
        # than the bytes really there makes zipfile fail (EOFError) rather than hide a bomb's ratio.
        self._compressed = max(1, info.compress_size)
        self._position = self._high = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        self._position = self._inner.seek(offset, whence)
        return self._position

    def readinto(self, buffer: Any) -> int:
        data = self._inner.read(min(len(buffer), CHUNK))
        self._count(self._position + len(data))
        buffer[: len(data)] = data
        self._position += len(data)
        return len(data)

    def _count(self, end: int) -> None:
        if end <= self._high:
            return
        self._archive.inflated += end - self._high
        self._high = end
        if end > limits.MAX_MEMBER_BYTES:
            raise MalformedFile(f"{self._name} in the zip inflates to more than {limits.MAX_MEMBER_BYTES >> 20} MB"
                                " (the limit for one file)")
        if self._archive.inflated > limits.MAX_DECOMPRESSED_BYTES:
            raise MalformedFile(f"The zip inflates to more than {limits.MAX_DECOMPRESSED_BYTES >> 20} MB "
                                "(the limit for a whole archive)")
        if end > limits.RATIO_GRACE_BYTES and end > self._compressed * limits.MAX_COMPRESSION_RATIO:
            raise MalformedFile(f"{self._name} in the zip is compressed more than {limits.MAX_COMPRESSION_RATIO}:1"
                                " (the limit; real exports are far below it): it looks like a zip bomb")


@contextmanager
def member(archive: Archive, name: str) -> Iterator[IO[bytes]]:
    try:
        info = archive.getinfo(name)
        with archive.open(info) as inner, io.BufferedReader(_Inflated(inner, archive, info), CHUNK) as handle:
            yield handle
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, RuntimeError, NotImplementedError) as exc:
        raise MalformedFile(f"{name} in the zip cannot be read ({exc})") from None


class _Lines:
    """The lines of a text stream for the csv module, refusing a record longer than MAX_LINE_BYTES.

    A record may span lines (a quoted field with line breaks), so the length counts from the end of the
    previous record (:meth:`record_done`); a line is never read past the limit.
    """

    def __init__(self, text: io.TextIOWrapper, name: str) -> None:
        self._readline, self._name, self._pending = text.readline, name, 0
        self._limit = limits.MAX_LINE_BYTES

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = self._readline(self._limit + 1 - self._pending)
        if not line:
            raise StopIteration
        self._pending += len(line)
        if self._pending > self._limit:
            raise MalformedFile(f"{self._name} has a line longer than {limits.MAX_LINE_BYTES >> 10} KB (the limit)")
        return line

    def record_done(self) -> None:
        self._pending = 0


def _record(fields: list[str], header: list[str], name: str) -> dict[str, str]:
    if len(fields) > limits.MAX_FIELDS:
        raise MalformedFile(f"{name} has a line with more than {limits.MAX_FIELDS} columns (the limit)")
    return dict(zip(header, fields, strict=False))  # extra fields dropped, missing ones absent


def csv_rows(stream: IO[bytes], name: str, required: set[str]) -> Iterator[dict[str, str]]:
    """Rows of a UTF-8 CSV (a BOM is allowed) as dicts; MalformedFile when ``required`` columns are missing.

    A line with fewer fields than the header lacks the missing keys (as csv.DictReader leaves them out).
    """
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    try:
        lines = _Lines(text, name)
        reader = csv.reader(lines)
        header = [column.strip() for column in next(reader, [])]
        _record(header, header, name)
        lines.record_done()
        missing = required - set(header)
        if missing:
            found = sorted(set(header) - {""})
            raise MalformedFile(f"{name} is missing the column(s) {', '.join(sorted(missing))}"
                                f" (found: {', '.join(found) or 'nothing'})")
        for fields in reader:
            lines.record_done()
            if fields:  # csv.DictReader skips blank lines too
                yield _record(fields, header, name)
    except UnicodeDecodeError:
        raise MalformedFile(f"{name} is not UTF-8 text") from None
    except csv.Error as exc:
        raise MalformedFile(f"{name} is not a valid CSV file ({exc})") from None
    finally:
        text.detach()  # leave the underlying stream to its owner


def csv_header(stream: IO[bytes]) -> set[str]:
    """The header columns of a CSV stream (the stream is rewound)."""
    stream.seek(0)
    line = stream.readline(64 * 1024)
    stream.seek(0)
    try:
        decoded = codecs.decode(line, "utf-8-sig")
    except UnicodeDecodeError:
        raise MalformedFile("The file is not UTF-8 text") from None
    try:
        return {column.strip() for column in next(csv.reader([decoded]), [])}
    except csv.Error as exc:
        raise MalformedFile(f"The file is not a valid CSV file ({exc})") from None


_NOT_MARKS = bytes(b for b in range(256) if b not in b'[]{}"')
_DELTA = [0] * 256
_DELTA[ord("[")] = _DELTA[ord("{")] = 1
_DELTA[ord("]")] = _DELTA[ord("}")] = -1


class DepthLimited:
    """A binary stream whose JSON nesting is checked before the bytes are handed on (to ijson).

    ijson's memory grows with the square of the nesting depth, so a 200 KB file nested 100k levels
    deep takes gigabytes: each chunk is scanned for brackets outside strings, and past
    :data:`limits.MAX_DEPTH` the file is refused before the parser sees the chunk. The scan uses only
    bytes methods (~200 MB/s, see tests/bench/test_import_scan_bench.py): escaped backslashes, then
    escaped quotes are blanked; what is left is reduced to quotes and brackets, where two quotes in a row
    enclose nothing and go too; splitting the rest at quotes leaves the brackets outside strings in
    every other part. A string, or an escape, cut by a chunk border is carried to the next chunk.
    """

    def __init__(self, stream: IO[bytes], name: str) -> None:
        self._stream, self._name = stream, name
        self._depth, self._in_string, self._escaped = 0, False, False
        self._string = 0  # bytes of the string still open at the end of the last chunk

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        for start in range(0, len(data), CHUNK):
            self._scan(data[start:start + CHUNK])
        return data

    def _scan(self, chunk: bytes) -> None:
        if self._escaped:  # the previous chunk ended with a backslash: this byte is escaped
            chunk, self._escaped = b"_" + chunk[1:], False
        if b"\\" in chunk:
            if (len(chunk) - len(chunk.rstrip(b"\\"))) % 2:
                chunk, self._escaped = chunk[:-1] + b"_", True
            # Runs of backslashes pair from the left (replace does too); then a backslash left before
            # a quote escapes it. Both become filler of the same length, so string lengths still count.
            chunk = chunk.replace(b"\\\\", b"__").replace(b'\\"', b"__")
        self._count_string(chunk)
        parts = chunk.translate(None, _NOT_MARKS).replace(b'""', b"").split(b'"')
        outside = b"".join(parts[1 if self._in_string else 0::2])
        self._in_string ^= len(parts) % 2 == 0
        opens = outside.count(b"[") + outside.count(b"{")
        if self._depth + opens > limits.MAX_DEPTH and \
                max(accumulate(map(_DELTA.__getitem__, outside), initial=self._depth)) > limits.MAX_DEPTH:
            raise MalformedFile(f"{self._name} is nested deeper than {limits.MAX_DEPTH} levels (the limit)")
        self._depth += 2 * opens - len(outside)

    def _count_string(self, chunk: bytes) -> None:
        """Refuse a string longer than MAX_STRING_BYTES: only strings crossing a chunk border are measured
        (one within a chunk is shorter than the limit, which is above the chunk size)."""
        first = chunk.find(b'"')
        if first < 0:
            self._string += len(chunk) if self._in_string else 0
        else:
            self._string += first if self._in_string else 0
            if self._string <= limits.MAX_STRING_BYTES:
                self._string = 0 if self._in_string == (chunk.count(b'"') % 2 == 1) else \
                    len(chunk) - chunk.rfind(b'"') - 1
        if self._string > limits.MAX_STRING_BYTES:
            raise MalformedFile(f"{self._name} has a text value longer than {limits.MAX_STRING_BYTES >> 10} KB "
                                "(the limit)")


def json_items(stream: IO[bytes], name: str, prefix: str = "item") -> Iterator[Any]:
    """The elements at ``prefix`` of a JSON document, one at a time (ijson); MalformedFile when broken.

    NaN and Infinity are not JSON: ijson refuses them (and numbers that overflow a float) as a
    JSONError, so the file is refused rather than a non-finite number reaching the database.
    """
    import ijson  # lazy: only a JSON upload's reader needs it

    try:
        yield from ijson.items(DepthLimited(stream, name), prefix, use_float=True)
    except ijson.JSONError as exc:
        raise MalformedFile(f"{name} is not valid JSON ({exc})") from None
    except UnicodeDecodeError:
        raise MalformedFile(f"{name} is not UTF-8 JSON") from None


def first_char(stream: IO[bytes]) -> str:
    """The first non-blank character of a stream (rewound), to tell an array from an object."""
    stream.seek(0)
    head = stream.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    stream.seek(0)
    return head[:1].decode("ascii", "replace")
