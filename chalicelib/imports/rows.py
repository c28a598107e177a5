"""The common row model every reader produces, and the value parsing the readers share."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time
from typing import Any, Literal

Kind = Literal["watched", "rating", "watchlist", "favorite"]
MediaType = Literal["movie", "show", "game"]
IMDB_ID = re.compile(r"^tt[0-9]{1,12}$")


class MalformedFile(Exception):
    """The upload cannot be read as the format it claims to be; the message says why (shown to the user)."""


@dataclass(frozen=True, slots=True)
class Skipped:
    """A line or entry of the file that cannot be imported, and why (shown to the user, never fatal)."""

    reason: str


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

    def record(self, row_no: int) -> dict[str, Any]:
        """The row as the JSON object ``imports_insert_rows`` reads."""
        data = asdict(self)
        data["row_no"] = row_no
        data["event_at"] = self.event_at.isoformat() if self.event_at else None
        return data


def text(value: Any, limit: int = 500) -> str | None:
    """Stripped text, None when empty; capped so a hostile file cannot store megabytes per row."""
    if value is None:
        return None
    value = str(value).strip()
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
    value = text(value, 20)
    return value if value and IMDB_ID.match(value) else None


def instant(value: Any) -> datetime | None:
    """An ISO 8601 date or date-time (``Z`` allowed) as an aware UTC datetime; a bare date is midnight UTC."""
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
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed if 1850 <= parsed.year <= 2200 else None


def rating(value: Any, scale: float = 1.0) -> float | None:
    """A score times ``scale``, rounded to the nearest half and kept within 1-10 (None: absent or zero)."""
    if value is None or value == "":
        return None
    try:
        score = float(str(value).strip()) * scale
    except ValueError:
        return None
    if not score > 0:  # 0 means "not rated" in most exports; NaN is refused too
        return None
    return min(10.0, max(1.0, round(score * 2) / 2))
