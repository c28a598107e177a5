"""Curated collections: discover rows defined as filters in ``curated/*.yaml``.

The YAML ships with the deployment (it is inside ``chalicelib``), so editing
it and deploying is how rows are added or changed. ``refresh`` materialises
every collection into a ``discover_sections`` row (source ``curated``) from the
stored catalog and disables rows whose collection was removed. Discover shows
the curated rows as one block: ``pinned: true`` ones first, then the rest by
engagement (clicks on the row and views of its titles over 7 days). It runs after
each successful catalog sync, on its own schedule, and after the demo load.

The genre carousels (source ``genre``) are materialised on the same occasions: a
movie row and a show row for each leading genre, alternating, plus every custom
genre that holds enough titles (issue 37).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from chalicelib.catalog import queries, store
from chalicelib.catalog.rows import GenreCountRow
from chalicelib.db import Conn

CURATED_DIR = Path(__file__).parent / "curated"
SECTION_POSITION = 300  # after TMDB (100+) and IGDB (200+) rows, before demo rows (500+)
GENRE_POSITION = 400  # the genre carousels: after the curated rows
GENRE_ROWS = 6  # leading genres given a movie row and a show row each
GENRE_ROW_MIN = 8  # titles a genre needs (of that kind) for a row of its own
GENRE_ROW_SIZE = 20


class InvalidCollection(ValueError):
    """A curated YAML file does not describe valid collections (names the file)."""


class Collection(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key: str = Field(pattern=r"^[a-z0-9][a-z0-9_.:-]*$", max_length=100)
    title: str = Field(min_length=1, max_length=100)
    type: Literal["movie", "show", "game"] | None = None
    genre: str | None = Field(default=None, pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    sort: Literal["popular", "top_rated", "newest", "a-z"] = "popular"
    min_votes: int = Field(default=0, ge=0)
    limit: int = Field(default=20, ge=1, le=50)
    pinned: bool = False  # pinned collections lead the curated rows; the others follow by engagement


class CollectionFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    collections: list[Collection]


@lru_cache(maxsize=1)
def collections() -> tuple[Collection, ...]:
    """Every collection from every ``curated/*.yaml`` file, in file then list order."""
    import yaml  # lazy: 25 ms of import, only the curated refresh reads YAML

    found: list[Collection] = []
    for path in sorted(CURATED_DIR.glob("*.yaml")):
        try:
            parsed = CollectionFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
        except (yaml.YAMLError, ValidationError) as exc:
            raise InvalidCollection(f"{path.name}: {exc}") from exc
        found.extend(parsed.collections)
    keys = [c.key for c in found]
    duplicates = sorted({k for k in keys if keys.count(k) > 1})
    if duplicates:
        raise InvalidCollection(f"duplicate collection keys: {', '.join(duplicates)}")
    return tuple(found)


def refresh(conn: Conn) -> dict[str, int]:
    """Recompute every curated row from the stored catalog; returns titles per row."""
    counts: dict[str, int] = {}
    for position, collection in enumerate(collections()):
        media_ids = queries.curated_candidates(conn, media_type=collection.type, genre=collection.genre,
                                               min_votes=collection.min_votes, sort=collection.sort,
                                               row_limit=collection.limit)
        store.replace_section(conn, key=collection.key, title=collection.title, media_type=collection.type,
                              source="curated", position=SECTION_POSITION + position,
                              definition=collection.model_dump(exclude={"key", "title", "pinned"}),
                              media_ids=media_ids, pinned=collection.pinned)
        counts[collection.key] = len(media_ids)
    queries.disable_sections_except(conn, source="curated", keys=[c.key for c in collections()])
    counts.update(refresh_genre_rows(conn))
    return counts


def pick_genres(counts: list[GenreCountRow]) -> list[tuple[GenreCountRow, str]]:
    """The genre rows to show, in order: the leading genres by titles (custom ones always, when they hold
    enough), each as a movie row then a show row, so Discover alternates movies and shows."""
    lead = sorted((c for c in counts if not c["custom"]), key=lambda c: (-(c["movies"] + c["shows"]), c["slug"]))
    chosen = lead[:GENRE_ROWS] + [c for c in counts if c["custom"]]
    return [(c, kind) for c in chosen for kind, titles in (("movie", c["movies"]), ("show", c["shows"]))
            if titles >= GENRE_ROW_MIN]


def refresh_genre_rows(conn: Conn) -> dict[str, int]:
    """Discover's genre carousels, built once per catalog change (served from the discover cache after)."""
    counts: dict[str, int] = {}
    for position, (genre, kind) in enumerate(pick_genres(queries.genre_counts(conn, min_titles=GENRE_ROW_MIN))):
        key = f"genre.{kind}.{genre['slug']}"
        media_ids = queries.curated_candidates(conn, media_type=kind, genre=genre["slug"], min_votes=0,
                                               sort="popular", row_limit=GENRE_ROW_SIZE)
        store.replace_section(conn, key=key, title=f"{genre['name']} {'movies' if kind == 'movie' else 'shows'}",
                              media_type=kind, source="genre", position=GENRE_POSITION + position,
                              definition={"genre": genre["slug"], "type": kind, "sort": "popular"},
                              media_ids=media_ids)
        counts[key] = len(media_ids)
    queries.disable_sections_except(conn, source="genre", keys=list(counts))
    return counts
