"""A media-server event, whatever server sent it: what was played and how far."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Literal

from chalicelib import errors

Action = Literal["progress", "watched", "ignore"]
IMDB_ID = re.compile(r"^tt\d{1,12}$")


class BadPayload(errors.ValidationFailed):
    code = "webhook_payload_invalid"


@dataclass(frozen=True)
class Ids:
    imdb: str | None = None
    tmdb: int | None = None
    tvdb: int | None = None


@dataclass(frozen=True)
class Play:
    """``progress``: a position (seconds) in a known duration; ``watched``: played to the end."""

    action: Action
    kind: Literal["movie", "episode"] = "movie"
    ids: Ids = field(default_factory=Ids)
    show_ids: Ids = field(default_factory=Ids)
    title: str | None = None
    show_title: str | None = None
    year: int | None = None
    season: int | None = None
    episode: int | None = None
    position: float | None = None
    duration: float | None = None


def imdb(value: object) -> str | None:
    text = str(value).strip() if value is not None else ""
    return text if IMDB_ID.match(text) else None


def number(value: object) -> int | None:
    """A positive integer id or number from a string or int payload field; None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 <= value < 2**62 else None
    text = str(value).strip() if value is not None else ""
    return int(text) if text.isascii() and text.isdigit() and len(text) < 18 else None


def seconds(value: object, per_second: float) -> float | None:
    """A duration/position in the server's unit (ticks, milliseconds) as seconds; None for anything that is
    not a finite, non-negative number (an integer too big for a float included)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        return None
    try:
        result = float(value) / per_second
    except OverflowError:
        return None
    return result if math.isfinite(result) else None


def text(value: object, limit: int = 500) -> str | None:
    return value.strip()[:limit] or None if isinstance(value, str) else None
