"""Curated collections: discover rows defined as filters in ``curated/*.yaml``.

The YAML ships with the deployment (it is inside ``chalicelib``), so editing
it and deploying is how rows are added or changed. ``refresh`` materialises
every collection into a ``discover_sections`` row (source ``curated``) from the
stored catalog and disables rows whose collection was removed. Discover shows
the curated rows as one block: ``pinned: true`` ones first, then the rest by
engagement (clicks on the row and views of its titles over 7 days). It runs after
each successful catalog sync, on its own schedule, and after the demo load.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from chalicelib.catalog import queries, store
from chalicelib.db import Conn

CURATED_DIR = Path(__file__).parent / "curated"
SECTION_POSITION = 300  # after TMDB (100+) and IGDB (200+) rows, before demo rows (500+)


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
    return counts
