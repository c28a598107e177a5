"""What every list source produces: the list's title and its entries in order (one interface for all kinds)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

Kind = Literal["trakt", "letterboxd", "imdb"]
MediaType = Literal["movie", "show"]


@dataclass(frozen=True, slots=True)
class ListRef:
    """A list named by its URL: the kind, the canonical URL (stored) and the parts that find it."""

    kind: Kind
    url: str
    owner: str  # Trakt/Letterboxd user slug; IMDb: empty
    list_id: str  # Trakt list slug or id, Letterboxd list slug, IMDb ``ls…`` id


@dataclass(frozen=True, slots=True)
class Entry:
    """One title of a list. Ids are trusted before the title; ``slug`` is a Letterboxd film to look up."""

    media_type: MediaType | None
    title: str | None = None
    year: int | None = None
    imdb_id: str | None = None
    tmdb_id: int | None = None
    slug: str | None = None

    @property
    def label(self) -> str:
        """How the entry is named to the user when it matches nothing."""
        name = self.title or self.imdb_id or self.slug or (f"TMDB {self.tmdb_id}" if self.tmdb_id else "An entry")
        return f"{name} ({self.year})" if self.year and self.title else name


@dataclass(frozen=True, slots=True)
class ListData:
    title: str
    entries: list[Entry]


class Fetch(Protocol):
    """GET a URL through the egress guard with a capped body: (status, headers, body)."""

    def __call__(self, url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]: ...
