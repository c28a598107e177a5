"""Ryot's JSON export (``CompleteExport``): ``{"media": [ImportOrExportMediaItem, ...], "people": ...}``,
or since Ryot 8 ``{"metadata": [ImportOrExportMetadataItem, ...], "metadata_groups": ..., ...}``.

A media item is ``{source_id (its title), lot, source, identifier, seen_history: [{progress, started_on,
ended_on, show_season_number, show_episode_number}], reviews: [{review, rating, show_season_number,
...}], collections: ["Watchlist", ...]}`` (newer versions list collections as objects with
``collection_name``). Movies and shows from TMDB (or IMDb) and games from IGDB are read; books, anime,
podcasts and the rest have no place here. Ryot stores ratings out of 100, so they are divided by 10.
The items of both layouts carry the same fields (``ended_on`` became a full timestamp and
``provider_watched_on`` became ``providers_consumed_on``; neither changes what is read here). Only
``media`` and ``metadata`` are read, one item at a time, each in its own pass.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any, NotRequired, TypedDict

from chalicelib.imports import rows as r
from chalicelib.imports import source
from chalicelib.imports.rows import JsonObject, Kind, MalformedFile, MediaType, Row, Skipped

LOTS: dict[object, MediaType] = {"movie": "movie", "show": "show", "video_game": "game"}
COLLECTIONS: dict[str, Kind] = {"watchlist": "watchlist", "favorites": "favorite"}


class Identity(TypedDict):
    """What an item is: the fields every row of it shares (``Row``'s names)."""

    media_type: MediaType
    title: str | None
    tmdb_id: NotRequired[int | None]
    imdb_id: NotRequired[str | None]
    igdb_id: NotRequired[int | None]
SECTIONS = ("media", "metadata")  # before and since Ryot 8


def _identity(item: JsonObject) -> Identity | None:
    media_type = LOTS.get(item.get("lot"))
    identifier, provider = item.get("identifier"), item.get("source")
    if media_type is None:
        return None
    identity: Identity = {"media_type": media_type, "title": r.text(item.get("source_id"))}
    if provider == "tmdb" and media_type in ("movie", "show"):
        identity["tmdb_id"] = r.integer(identifier, 1)
    elif provider == "imdb" and media_type in ("movie", "show"):
        identity["imdb_id"] = r.imdb_id(identifier)
    elif provider == "igdb" and media_type == "game":
        identity["igdb_id"] = r.integer(identifier, 1)
    return identity


def _list(item: JsonObject, key: str) -> list[Any]:
    value = item.get(key)
    return value if isinstance(value, list) else []


def _seen(item: JsonObject, identity: Identity) -> Iterator[Row]:
    for seen in _list(item, "seen_history"):
        if not isinstance(seen, dict) or identity["media_type"] == "game":
            continue
        progress = seen.get("progress")
        if progress not in (None, "") and (r.integer(str(progress).split(".")[0], 0, 100) or 0) < 100:
            continue  # still in progress upstream
        row = Row(kind="watched", event_at=r.instant(seen.get("ended_on")), **identity)
        if identity["media_type"] == "show":
            row.season_number = r.integer(seen.get("show_season_number"), 0, 10_000)
            row.episode_number = r.integer(seen.get("show_episode_number"), 0, 100_000)
            if row.season_number is None or row.episode_number is None:
                continue
        yield row


def _rating(item: JsonObject, identity: Identity) -> Iterator[Row | Skipped]:
    reviews = [review for review in _list(item, "reviews") if isinstance(review, dict)
               and review.get("show_season_number") is None and review.get("rating") not in (None, "")]
    if reviews:
        review = reviews[-1]  # the latest
        try:
            score = r.rating(review["rating"], scale=0.1)
        except r.BadValue as exc:
            yield r.skipped(identity["title"], exc)
            return
        when = review.get("review")
        when = when if isinstance(when, dict) else {}
        if score is not None:
            yield Row(kind="rating", rating=score, event_at=r.instant(when.get("date")), **identity)


def _collections(item: JsonObject, identity: Identity) -> Iterator[Row]:
    for collection in _list(item, "collections"):
        name = collection.get("collection_name") or collection.get("name") if isinstance(collection, dict) \
            else collection
        kind = COLLECTIONS.get(str(name or "").strip().lower())
        if kind is not None:
            yield Row(kind=kind, **identity)


def _items(stream: IO[bytes], filename: str, section: str) -> Iterator[Row | Skipped]:
    for item in source.json_items(stream, filename, f"{section}.item"):
        identity = _identity(item) if isinstance(item, dict) else None
        if identity is None:
            if not isinstance(item, dict):
                yield Skipped(f"An entry of \"{section}\" that is not a JSON object")
            continue
        yield from _seen(item, identity)
        yield from _rating(item, identity)
        yield from _collections(item, identity)


def read(stream: IO[bytes], filename: str) -> Iterator[Row | Skipped]:
    """Rows of a Ryot ``CompleteExport`` document (either layout); Skipped for a broken entry."""
    if source.first_char(stream) != "{":
        raise MalformedFile(f"{filename} is not a Ryot export: expected a JSON object with a \"metadata\" or "
                            "\"media\" list")
    found = False
    for section in SECTIONS:
        stream.seek(0)
        for row in _items(stream, filename, section):
            found = True
            yield row
    if not found:
        raise MalformedFile(f"{filename} is not a Ryot export: it has no \"metadata\" or \"media\" entries")
