"""``Range: bytes=...`` for one file (RFC 9110 §14): the first range only, as players send."""

from __future__ import annotations

import re

_SPEC = re.compile(r"^\s*bytes\s*=\s*([0-9]*)\s*-\s*([0-9]*)\s*(?:,.*)?$", re.IGNORECASE)
# No file has a size of more than 19 digits (2**63 bytes is 8 EiB): a longer number cannot name a byte of it,
# and turning thousands of digits into an int is refused by Python (ValueError) and slow besides.
MAX_DIGITS = 19


class Unsatisfiable(Exception):
    """The range lies outside the file (416)."""


def _number(digits: str) -> int:
    significant = digits.lstrip("0") or "0"
    if len(significant) > MAX_DIGITS:
        raise Unsatisfiable("a range position longer than any file")
    return int(significant)


def parse(header: str | None, size: int) -> tuple[int, int | None] | None:
    """``(start, end inclusive | None for open-ended)``; None = no usable Range header (serve it whole).

    A suffix range (``bytes=-500``) becomes the closed range of the file's last bytes.
    """
    if not header:
        return None
    match = _SPEC.match(header)
    if match is None:
        return None  # a unit or syntax we do not know: RFC says ignore the header
    first, last = match.group(1), match.group(2)
    if not first:
        suffix = _number(last) if last else 0
        if suffix == 0:
            raise Unsatisfiable("empty suffix range")
        return max(0, size - suffix), size - 1
    start = _number(first)
    if start >= size:
        raise Unsatisfiable("range starts after the end of the file")
    if not last:
        return start, None
    end = _number(last)
    if end < start:
        return None  # invalid: ignore the header
    return start, min(end, size - 1)
