"""Values read from lists: nothing in a page or an export is trusted (lengths capped, ids checked)."""

from __future__ import annotations

import re
from typing import Any

from chalicelib.config import ListSettings
from chalicelib.inputpolicy import storable
from chalicelib.lists.errors import ListFailed

IMDB_ID = re.compile(r"^tt[0-9]{1,12}$")
MAX_ID = 2**63 - 1


def text(value: Any, limit: int = 300) -> str | None:
    if not isinstance(value, str):
        return None
    cleaned = " ".join(storable(value).split())
    return cleaned[:limit] or None


def year(value: Any) -> int | None:
    number = positive(value)
    return number if number is not None and 1870 <= number <= 2100 else None


def positive(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    return value if isinstance(value, int) and 0 < value <= MAX_ID else None


def imdb_id(value: Any) -> str | None:
    return value if isinstance(value, str) and IMDB_ID.match(value) else None


def check_size(count: int, settings: ListSettings) -> None:
    """A list longer than the cap is refused whole (never half-imported)."""
    if count > settings.max_entries:
        raise ListFailed("list_too_large", f"The list has more than {settings.max_entries} titles; "
                                           "longer lists are not imported")
