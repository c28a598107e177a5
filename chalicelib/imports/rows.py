"""The common row model every reader produces, and the value parsing the readers share."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time
from typing import Any, Literal, TypeAlias

from chalicelib.inputpolicy import storable

Kind = Literal["watched", "rating", "watchlist", "favorite"]
JsonObject: TypeAlias = Mapping[str, Any]
"""An object of an uploaded JSON file: its keys are strings, nothing about its values is trusted."""
MediaType = Literal["movie", "show", "game"]
IMDB_ID = re.compile(r"^tt[0-9]{1,12}$")


class MalformedFile(Exception):
    """The upload cannot be read as the format it claims to be; the message says why (shown to the user)."""


@dataclass(frozen=True, slots=True)
class Skipped:
    """A line or entry of the file that cannot be imported, and why (shown to the user, never fatal)."""

    reason: str


class BadValue(ValueError):
    """A value of an entry that cannot be stored (a rating of ``inf``): the entry is skipped with this reason."""


def skipped(title: str | None, exc: BadValue) -> Skipped:
    """The Skipped item of an entry (named by its title when it has one) whose value is bad."""
    return Skipped(f"{title or 'An entry'}: {exc}")


@dataclass(slots=True)
class Row:
    """One thing to import: a watch, a rating (1-10 in half steps), a watch-later or a favorite entry."""

    kind: Kind
    media_type: MediaType | None = None
    title: str | None = None
    year: int | None = None
    imdb_id: str | None = None
    tmdb_id: int | None = None
    igdb_id: int | None = None
    season_number: int | None = None
    episode_number: int | None = None
    episode_imdb_id: str | None = None
    media_hint: int | None = None
    event_at: datetime | None = None
    rating: float | None = None

    def record(self, row_no: int) -> dict[str, object]:
        """The row as the JSON object ``imports_insert_rows`` reads."""
        data = asdict(self)
        data["row_no"] = row_no
        data["event_at"] = self.event_at.isoformat() if self.event_at else None
        return data


def text(value: Any, limit: int = 500) -> str | None:
    """Stripped text, None when empty or not a scalar; capped so a hostile file cannot store megabytes per row.

    Characters Postgres cannot store (NUL, lone surrogates) are dropped rather than failing the import.
    """
    if value is None or isinstance(value, dict | list | bool):
        return None
    value = storable(str(value)[: limit * 2]).strip()
    return value[:limit] or None


def integer(value: Any, low: int = 0, high: int = 2**53) -> int | None:
    """A whole number within [low, high] from text or JSON, None when absent or out of range."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        return None
    return number if low <= number <= high else None


def year(value: Any) -> int | None:
    return integer(value, 1850, 2200)


def imdb_id(value: Any) -> str | None:
    """An IMDb id exactly as written (``tt`` and digits), not one made up by cleaning odd characters out."""
    value = value.strip() if isinstance(value, str) else None
    return value if value and IMDB_ID.fullmatch(value) else None


def instant(value: Any) -> datetime | None:
    """An ISO 8601 date or date-time (``Z`` allowed) as an aware UTC datetime; a bare date is midnight UTC.

    None when absent, unreadable or outside 1850-2200 (the row is kept, undated). Any offset Python reads
    (up to +-23:59) is converted to UTC: it names a real instant, and Postgres refuses offsets past
    +-15:59 in text, so the offset is dropped and the instant kept.
    """
    value = text(value, 64)
    if not value:
        return None
    try:
        if len(value) == 10:
            parsed = datetime.combine(date.fromisoformat(value), time(), UTC)
        else:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace(" ", "T", 1))
    except ValueError:
        return None
    if not 1850 <= parsed.year <= 2200:  # checked first: converting year 1 or 9999 could overflow
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def rating(value: Any, scale: float = 1.0) -> float | None:
    """A score times ``scale``, rounded to the nearest half, at least 1 (None: absent, zero or below).

    BadValue when it is not a number, not finite (``nan``, ``inf``, ``1e999``) or above 10 once scaled:
    the entry is skipped with that reason instead of a wrong 10 or an overflow failing the import.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    shown = (text(value, 20) or "?") if not isinstance(value, float | int) else f"{value:g}"
    try:
        score = float(str(value).strip()) * scale
    except (ValueError, OverflowError):
        raise BadValue(f"the rating {shown!r} is not a number") from None
    if not math.isfinite(score):
        raise BadValue(f"the rating {shown!r} is not a finite number")
    if score > 10.000001:  # not clamped to 10: a value off the scale says the entry is broken
        raise BadValue(f"the rating {shown!r} is above the top of this export's scale")
    if score <= 0:  # 0 means "not rated" in most exports
        return None
    return min(10.0, max(1.0, round(score * 2) / 2))
