"""IMDb genre names -> genre rows: TMDB's where the slug matches (Sci-Fi -> science-fiction), else IMDb's own."""

from __future__ import annotations

from typing import Any

from chalicelib.catalog.records import slugify
from chalicelib.imdb import store
from chalicelib.imdb.rows import NULL

# IMDb names whose TMDB genre has another slug.
ALIASES = {"Sci-Fi": "science-fiction", "Reality-TV": "reality", "Talk-Show": "talk"}


def slug_of(name: str) -> str:
    return ALIASES.get(name) or slugify(name)


class GenreIds:
    """``genres`` column -> ``{id,id}`` array literal; unknown names get an IMDb genre row (autocommit)."""

    def __init__(self, conn: Any) -> None:
        self._conn = conn
        self._ids: dict[str, int] = {}
        self._literals: dict[bytes, bytes] = {}

    def _id(self, name: str) -> int | None:
        if name not in self._ids:
            slug = slug_of(name)
            if not slug:
                return None
            store.execute(self._conn, "imdb_ensure_genre", name=name, slug=slug)
            rows = self._conn.execute(store.sql("imdb_genres"), {"slugs": [slug]}).fetchall()
            self._ids[name] = rows[0]["id"]
        return self._ids[name]

    def __call__(self, raw: bytes) -> bytes:
        literal = self._literals.get(raw)
        if literal is None:
            names = [] if raw == NULL else raw.decode("utf-8", "replace").split(",")
            ids = {self._id(name.strip()) for name in names if name.strip()} - {None}
            literal = self._literals[raw] = b"{" + b",".join(str(i).encode() for i in sorted(ids)) + b"}"
        return literal
