"""What every tracking module shares: running a write, the cache rules, media checks.

A write runs in one transaction and its cache rule runs only after the
commit: invalidating earlier would let a concurrent reader re-cache the old
state for a whole TTL.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Any, NoReturn, TypeVar
from uuid import UUID

from chalicelib import cache, db
from chalicelib.catalog import queries as catalog
from chalicelib.contentrating import Limit
from chalicelib.db import Conn
from chalicelib.tracking import errors, queries
from chalicelib.tracking.rows import MediaRow
from chalicelib.tracking.schemas import MAX_ID

T = TypeVar("T")
Rule = Callable[[UUID], None]


def write(rule: Rule, fn: Callable[..., T], user_id: UUID, *args: Any, **kwargs: Any) -> T:
    """Run ``fn(conn, user_id, ...)`` in one transaction, then apply ``rule(user_id)``."""
    with db.transaction() as conn:
        result = fn(conn, user_id, *args, **kwargs)
    rule(user_id)
    return result


def read(fn: Callable[..., T], user_id: UUID, *args: Any, **kwargs: Any) -> T:
    """Run ``fn(conn, user_id, ...)`` on an autocommit connection."""
    with db.connection() as conn:
        return fn(conn, user_id, *args, **kwargs)


# Cache rules per kind of change (the key contract in DESIGN.md / cache.py).


def watch_later_changed(user_id: UUID) -> None:
    cache.on_watch_later_changed(user_id)


def history_changed(user_id: UUID) -> None:
    """A watch changes what to continue, what we recommend, and which shows count as followed."""
    cache.on_progress_changed(user_id)
    cache.on_taste_changed(user_id)
    cache.on_follows_changed(user_id)


def taste_changed(user_id: UUID) -> None:
    cache.on_taste_changed(user_id)


def follows_changed(user_id: UUID) -> None:
    cache.on_follows_changed(user_id)


def collections_changed(user_id: UUID) -> None:
    cache.on_collections_changed(user_id)


# Path parameters and catalog checks.


def media_id_param(raw: str) -> int:
    """A media id from a URL segment; anything that cannot be an id is simply not found."""
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= MAX_ID:
        raise errors.MediaNotFound(f"No title with id {raw[:40]!r}")
    return int(raw)


def visible_media_id(media_id: int, limit: Limit | None) -> int:
    """``media_id`` when the caller may see the title: always for an adult; a kid profile's ``limit`` hides a
    title above its rating (or outside its collections) as if it did not exist, so no direct call puts it on
    the kid's lists or reads the kid's state of it."""
    if limit is not None:
        with db.connection() as conn:
            if not catalog.visible(conn, media_id=media_id, limit=limit):
                raise errors.MediaNotFound(f"No title with id {media_id}")
    return media_id


def uuid_param(raw: str, error: type[Exception]) -> UUID:
    try:
        return UUID(raw)
    except ValueError:
        raise error(f"No such id {raw[:40]!r}") from None


def media(conn: Conn, media_id: int, *types: str) -> MediaRow:
    """The catalog row, or MediaNotFound; WrongMediaType when ``types`` are given and do not match."""
    row = queries.media(conn, media_id=media_id)
    if row is None:
        raise errors.MediaNotFound(f"No title with id {media_id}")
    if types and row["media_type"] not in types:
        raise errors.WrongMediaType(
            f"Title {media_id} is a {row['media_type']}; this needs a {' or '.join(types)}",
            fields={"mediaId": f"must be a {' or '.join(types)}"})
    return row


def absent(conn: Conn, media_id: int, *types: str) -> NoReturn:
    """Raise why a write or read of this title found no row: MediaNotFound, or WrongMediaType (see ``media``)."""
    media(conn, media_id, *types)
    raise errors.MediaNotFound(f"Title {media_id} cannot be tracked")  # pragma: no cover - raced with a delete


def explain_item(conn: Conn, media_id: int, episode_id: int | None) -> NoReturn:
    """Raise the error that says why (media_id, episode_id) is not a movie or an episode of that show."""
    row = media(conn, media_id, "movie", "show", "video")
    if row["media_type"] in ("movie", "video") and episode_id is not None:
        raise errors.WrongMediaType(f"Title {media_id} is a {row['media_type']} and has no episodes",
                                    fields={"episodeId": "must be omitted for a movie"})
    if row["media_type"] == "show" and episode_id is None:
        raise errors.WrongMediaType(f"Title {media_id} is a show: say which episode",
                                    fields={"episodeId": "is required for a show"})
    if episode_id is not None and queries.episode(conn, media_id=media_id, episode_id=episode_id) is None:
        raise errors.EpisodeNotFound(f"Show {media_id} has no episode {episode_id}")
    raise errors.MediaNotFound(f"Title {media_id} cannot be tracked")  # pragma: no cover - raced with a delete


def check_order(wanted: Sequence[Hashable], current: Sequence[Hashable]) -> None:
    """A reorder must name every current item exactly once."""
    if len(set(wanted)) != len(wanted):
        raise errors.InvalidOrder("The order repeats an item", fields={"order": "each item exactly once"})
    missing, extra = set(current) - set(wanted), set(wanted) - set(current)
    if missing or extra:
        raise errors.InvalidOrder(
            f"The order must list exactly the current {len(current)} items "
            f"({len(missing)} missing, {len(extra)} unknown)", fields={"order": "every current item exactly once"})
