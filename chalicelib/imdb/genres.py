"""IMDb genre names -> genre rows: TMDB's where the slug matches (Sci-Fi -> science-fiction), else IMDb's own."""

from __future__ import annotations

from chalicelib.catalog.records import slugify
from chalicelib.db import Conn
from chalicelib.imdb import queries
from chalicelib.imdb.rows import NULL

# IMDb names whose TMDB genre has another slug.
ALIASES = {"Sci-Fi": "science-fiction", "Reality-TV": "reality", "Talk-Show": "talk"}


def slug_of(name: str) -> str:
    return ALIASES.get(name) or slugify(name)


class GenreIds:
    """``genres`` column -> ``{id,id}`` array literal; unknown names get an IMDb genre row (autocommit)."""

    def __init__(self, conn: Conn) -> None:
        self._conn = conn
        self._ids: dict[str, int | None] = {}
        self._literals: dict[bytes, bytes] = {}

    def _id(self, name: str) -> int | None:
        if name not in self._ids:
            slug = slug_of(name)
            if not slug:
                return None
            queries.ensure_genre(self._conn, name=name, slug=slug)
            self._ids[name] = queries.genre_id(self._conn, slug=slug)
        return self._ids[name]

    def __call__(self, raw: bytes) -> bytes:
        literal = self._literals.get(raw)
        if literal is None:
            names = [] if raw == NULL else raw.decode("utf-8", "replace").split(",")
            ids = {i for name in names if name.strip() and (i := self._id(name.strip())) is not None}
            literal = self._literals[raw] = b"{" + b",".join(str(i).encode() for i in sorted(ids)) + b"}"
        return literal
