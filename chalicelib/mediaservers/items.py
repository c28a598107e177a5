"""What a media server holds, in one shape for Jellyfin and Plex: ``ServerItem``.

Each client turns its server's JSON into these; the sync matches and stores them without knowing which
server spoke. An item the server describes in a way this code cannot trust (no id, no title, a year that
is not a number) raises ``BadItem``: the sync counts it as failed and goes on with the rest.

A re-sync reads only what changed: each item carries a ``tag`` made from the server's own change marker
(Jellyfin's ``Etag``, Plex's ``updatedAt``; a hash of the item's JSON when the server sends none), and a
client that finds the stored tag unchanged answers ``Unchanged(item_id)`` without reading the item further.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal
from urllib.parse import quote

from chalicelib.inputpolicy import storable

Kind = Literal["movie", "show", "season", "episode"]
IMDB_ID = re.compile(r"^tt[0-9]{5,10}$")
SAFE_ID = re.compile(r"[A-Za-z0-9_.~-]+")  # what ``quote`` never changes
# Part of every tag: a change to what the clients read from an item (a new fact, say) changes this, so the
# next sync reads every item again instead of trusting tags made by the old reader.
READER_VERSION = "2"


class BadItem(ValueError):
    """The server sent an item this code cannot read (the message says what was wrong)."""


@dataclass(frozen=True)
class ProviderIds:
    imdb: str | None = None
    tmdb: int | None = None
    tvdb: int | None = None

    def any(self) -> bool:
        return bool(self.imdb or self.tmdb or self.tvdb)

    def as_json(self) -> dict[str, Any]:
        return {k: v for k, v in (("imdb", self.imdb), ("tmdb", self.tmdb), ("tvdb", self.tvdb)) if v}


@dataclass
class ServerItem:
    """A movie, show, season or episode as its server reports it (``parent_id``: the show's item id)."""

    item_id: str
    kind: Kind
    title: str
    year: int | None = None
    parent_id: str | None = None
    season: int | None = None
    episode: int | None = None
    ids: ProviderIds = field(default_factory=ProviderIds)
    playable: bool = False
    facts: dict[str, Any] = field(default_factory=dict)  # genres, tagline, overview, ratings, dates, status
    tag: str | None = None  # the server's change marker, salted (``Known.tag``)


@dataclass(frozen=True)
class Unchanged:
    """An item listed with the tag already stored: seen (so not pruned), not read, matched or written again."""

    item_id: str


class Known:
    """The stored tags of a server's items, for a client to tell an unchanged item at a glance.

    ``salt`` holds what else a stored row depends on (the reader's version, the server's address and id:
    deep links are built from them), so a change to any of those makes every tag differ."""

    def __init__(self, tags: Mapping[str, str] | None = None, salt: str = "") -> None:
        self.tags: Mapping[str, str] = tags or {}
        self.salt = f"{READER_VERSION}:{salt}:"

    def tag(self, marker: str) -> str:
        return self.salt + marker

    def unchanged(self, item_id: Any, marker: str) -> bool:
        return self.tags.get(item_id) == self.salt + marker if self.tags else False


def content_marker(raw: Any) -> str:
    """A change marker for a server that sends none: a hash of the item's JSON."""
    text = json.dumps(raw, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()


def quoted(text: str, safe: str = "/") -> str:
    """``urllib.parse.quote``, at once for the usual id (letters, digits, ``_.-~``: nothing to quote)."""
    return text if SAFE_ID.fullmatch(text) else quote(text, safe=safe)


def positive_int(value: Any) -> int | None:
    """An id or number as the servers send them (int or numeric string); anything else is unknown."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value > 0 else None
    if isinstance(value, str) and value.strip().isdigit():
        number = int(value.strip())
        return number if number > 0 else None
    return None


def imdb_id(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and IMDB_ID.match(value.strip()) else None


def day(value: Any) -> str | None:
    """An ISO day from "2010-07-15" or "2010-07-15T00:00:00.0000000Z" (None when it is not a date)."""
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        return None


def required_text(raw: Mapping[str, Any], key: str, what: str) -> str:
    value = raw.get(key)
    value = storable(value).strip() if isinstance(value, str) else ""
    if not value:
        raise BadItem(f"{what} without a {key}")
    return value[:500]


def year_of(value: Any) -> int | None:
    """A release year: absent is unknown, but a value that is not a plausible year is a broken item."""
    if value is None:
        return None
    number = positive_int(value)
    if number is None or not 1870 <= number <= 2200:
        raise BadItem(f"a year that is not one: {str(value)[:20]!r}")
    return number


def number_of(value: Any, what: str) -> int:
    """A season or episode number (0 is a real season: specials)."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    raise BadItem(f"{what} without a number")


def rating(value: Any) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= 100:
        return round(float(value), 2)
    return None


def clean_facts(**facts: Any) -> dict[str, Any]:
    """The facts worth keeping: empty values left out, long texts cut."""
    kept: dict[str, Any] = {}
    for key, value in facts.items():  # per item of a sync: tests ordered by what is most common
        if value is None:
            continue
        if isinstance(value, str):
            if value:
                kept[key] = storable(value)[:4000]
        elif isinstance(value, list):
            if value:
                kept[key] = [storable(v) if isinstance(v, str) else v for v in value]
        elif value != {}:
            kept[key] = value
    return kept
