"""``Range: bytes=...`` for one file (RFC 9110 §14): the first range only, as players send."""

from __future__ import annotations

import re

_SPEC = re.compile(r"^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*(?:,.*)?$", re.IGNORECASE)


class Unsatisfiable(Exception):
    """The range lies outside the file (416)."""


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
        if not last or int(last) == 0:
            raise Unsatisfiable("empty suffix range")
        return max(0, size - int(last)), size - 1
    start = int(first)
    if start >= size:
        raise Unsatisfiable("range starts after the end of the file")
    if not last:
        return start, None
    if int(last) < start:
        return None  # invalid: ignore the header
    return start, min(int(last), size - 1)
