"""Watch later, ratings and favorites: per-user sets of titles."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from chalicelib.tracking import errors
from chalicelib.tracking.schemas import FavoriteOut, MediaCard, RatingOut, WatchLaterItem
from chalicelib.tracking.service import check_order, media, q


def _watch_later_item(row: dict[str, Any]) -> WatchLaterItem:
    return WatchLaterItem(media=MediaCard.from_row(row), position=row["position"], added_at=row["added_at"])


def add_watch_later(conn: Any, user_id: UUID, media_id: int) -> tuple[WatchLaterItem, bool]:
    """Add a title to watch later (on top); adding it again keeps it where it is. Returns (item, created)."""
    created = q().tracking_watch_later_add(conn, user_id=user_id, media_id=media_id) == 1
    row = q().tracking_watch_later_get(conn, user_id=user_id, media_id=media_id)
    if row is None:
        media(conn, media_id)  # raises MediaNotFound
    return _watch_later_item(row), created


def remove_watch_later(conn: Any, user_id: UUID, media_id: int) -> None:
    """Remove a title from watch later; NotTracked when it is not on the list."""
    if q().tracking_watch_later_remove(conn, user_id=user_id, media_id=media_id) == 0:
        media(conn, media_id)
        raise errors.NotTracked(f"Title {media_id} is not on your watch later list")


def list_watch_later(conn: Any, user_id: UUID, media_type: str | None, limit: int,
                     offset: int) -> tuple[list[WatchLaterItem], int]:
    """One page of the list in its order (manual position, then newest first) and the total."""
    rows = q().tracking_watch_later_list(conn, user_id=user_id, media_type=media_type, limit=limit, offset=offset)
    items = [_watch_later_item(row) for row in rows]
    return items, q().tracking_watch_later_count(conn, user_id=user_id, media_type=media_type)


def reorder_watch_later(conn: Any, user_id: UUID, media_ids: list[int]) -> None:
    """Rewrite positions 1..n from the complete list of ids (InvalidOrder unless it is exactly the list)."""
    current = [row["media_id"] for row in q().tracking_watch_later_lock(conn, user_id=user_id)]
    check_order(media_ids, current)
    q().tracking_watch_later_reorder(conn, user_id=user_id, media_ids=media_ids)


def _rating(row: dict[str, Any]) -> RatingOut:
    return RatingOut(media=MediaCard.from_row(row), rating=float(row["rating"]), rated_at=row["updated_at"])


def set_rating(conn: Any, user_id: UUID, media_id: int, rating: float) -> RatingOut:
    """Rate a title 1-10 in half steps (replaces an earlier rating)."""
    if q().tracking_rating_set(conn, user_id=user_id, media_id=media_id, rating=rating) is None:
        media(conn, media_id)
    return get_rating(conn, user_id, media_id)


def get_rating(conn: Any, user_id: UUID, media_id: int) -> RatingOut:
    """The user's rating of a title; NotTracked when unrated."""
    row = q().tracking_rating_get(conn, user_id=user_id, media_id=media_id)
    if row is None:
        media(conn, media_id)
        raise errors.NotTracked(f"You have not rated title {media_id}")
    return _rating(row)


def delete_rating(conn: Any, user_id: UUID, media_id: int) -> None:
    """Remove a rating; NotTracked when there was none."""
    if q().tracking_rating_delete(conn, user_id=user_id, media_id=media_id) == 0:
        media(conn, media_id)
        raise errors.NotTracked(f"You have not rated title {media_id}")


def list_ratings(conn: Any, user_id: UUID, media_type: str | None, limit: int,
                 offset: int) -> tuple[list[RatingOut], int]:
    """Ratings, most recently changed first, and the total."""
    rows = q().tracking_ratings_list(conn, user_id=user_id, media_type=media_type, limit=limit, offset=offset)
    return [_rating(row) for row in rows], q().tracking_ratings_count(conn, user_id=user_id, media_type=media_type)


def _favorite(row: dict[str, Any]) -> FavoriteOut:
    return FavoriteOut(media=MediaCard.from_row(row), added_at=row["added_at"])


def add_favorite(conn: Any, user_id: UUID, media_id: int) -> FavoriteOut:
    """Mark a title as a favorite (idempotent)."""
    q().tracking_favorite_add(conn, user_id=user_id, media_id=media_id)
    row = q().tracking_favorite_get(conn, user_id=user_id, media_id=media_id)
    if row is None:
        media(conn, media_id)
    return _favorite(row)


def remove_favorite(conn: Any, user_id: UUID, media_id: int) -> None:
    """Unfavorite a title; NotTracked when it was not a favorite."""
    if q().tracking_favorite_delete(conn, user_id=user_id, media_id=media_id) == 0:
        media(conn, media_id)
        raise errors.NotTracked(f"Title {media_id} is not a favorite")


def list_favorites(conn: Any, user_id: UUID, media_type: str | None, limit: int,
                   offset: int) -> tuple[list[FavoriteOut], int]:
    """Favorites, newest first, and the total."""
    rows = q().tracking_favorites_list(conn, user_id=user_id, media_type=media_type, limit=limit, offset=offset)
    return [_favorite(r) for r in rows], q().tracking_favorites_count(conn, user_id=user_id, media_type=media_type)
