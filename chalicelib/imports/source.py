"""Reading an upload as a stream: zip members, CSV over a text stream, JSON arrays with ijson.

Nothing here loads a whole file: a 50 MB export is read a few kilobytes at a time.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any

from chalicelib.imports.rows import MalformedFile

csv.field_size_limit(1024 * 1024)  # a notes column may be long, but not unbounded


def is_zip(stream: IO[bytes]) -> bool:
    stream.seek(0)
    magic = stream.read(4)
    stream.seek(0)
    return magic == b"PK\x03\x04"


def open_zip(stream: IO[bytes]) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError) as exc:
        raise MalformedFile(f"The file is not a readable zip archive ({exc})") from None


def members(archive: zipfile.ZipFile, suffix: str) -> list[str]:
    """Member names ending in ``suffix`` (case-insensitive), macOS resource forks left out, sorted."""
    return sorted(name for name in archive.namelist()
                  if name.lower().endswith(suffix) and not name.startswith("__MACOSX/"))


def basename(name: str) -> str:
    return name.rsplit("/", 1)[-1].lower()


@contextmanager
def member(archive: zipfile.ZipFile, name: str) -> Iterator[IO[bytes]]:
    try:
        with archive.open(name) as handle:
            yield handle
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, RuntimeError) as exc:
        raise MalformedFile(f"{name} in the zip cannot be read ({exc})") from None


def csv_rows(stream: IO[bytes], name: str, required: set[str]) -> Iterator[dict[str, str]]:
    """Rows of a UTF-8 CSV (a BOM is allowed) as dicts; MalformedFile when ``required`` columns are missing."""
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    try:
        reader = csv.DictReader(text)
        header = {column.strip() for column in reader.fieldnames or []}
        missing = required - header
        if missing:
            raise MalformedFile(f"{name} is missing the column(s) {', '.join(sorted(missing))}"
                                f" (found: {', '.join(sorted(header)) or 'nothing'})")
        for row in reader:
            yield {(key or "").strip(): value for key, value in row.items() if isinstance(value, str)}
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


def json_items(stream: IO[bytes], name: str, prefix: str = "item") -> Iterator[Any]:
    """The elements at ``prefix`` of a JSON document, one at a time (ijson); MalformedFile when broken."""
    import ijson

    try:
        yield from ijson.items(stream, prefix, use_float=True)
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
