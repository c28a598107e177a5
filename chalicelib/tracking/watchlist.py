"""Watch later, ratings and favorites: per-user sets of titles."""

from __future__ import annotations

from uuid import UUID

from chalicelib.db import Conn
from chalicelib.tracking import errors, queries
from chalicelib.tracking.rows import FavoriteRow, RatingRow, WatchLaterRow
from chalicelib.tracking.schemas import FavoriteOut, MediaCard, RatingOut, WatchLaterItem, YourRating
from chalicelib.tracking.service import absent, check_order, media


def _watch_later_item(row: WatchLaterRow) -> WatchLaterItem:
    return WatchLaterItem(media=MediaCard.from_row(row), position=row["position"], added_at=row["added_at"])


def add_watch_later(conn: Conn, user_id: UUID, media_id: int) -> tuple[WatchLaterItem, bool]:
    """Add a title to watch later (on top); adding it again keeps it where it is. Returns (item, created)."""
    created = queries.watch_later_add(conn, user_id=user_id, media_id=media_id) == 1
    row = queries.watch_later_get(conn, user_id=user_id, media_id=media_id)
    if row is None:
        absent(conn, media_id)
    return _watch_later_item(row), created


def remove_watch_later(conn: Conn, user_id: UUID, media_id: int) -> None:
    """Remove a title from watch later; NotTracked when it is not on the list."""
    if queries.watch_later_remove(conn, user_id=user_id, media_id=media_id) == 0:
        media(conn, media_id)
        raise errors.NotTracked(f"Title {media_id} is not on your watch later list")


def list_watch_later(conn: Conn, user_id: UUID, media_type: str | None, limit: int,
                     offset: int) -> tuple[list[WatchLaterItem], int]:
    """One page of the list in its order (manual position, then newest first) and the total."""
    rows = queries.watch_later_list(conn, user_id=user_id, media_type=media_type, limit=limit, offset=offset)
    items = [_watch_later_item(row) for row in rows]
    return items, queries.watch_later_count(conn, user_id=user_id, media_type=media_type)


def reorder_watch_later(conn: Conn, user_id: UUID, media_ids: list[int]) -> None:
    """Rewrite positions 1..n from the complete list of ids (InvalidOrder unless it is exactly the list)."""
    current = queries.watch_later_lock(conn, user_id=user_id)
    check_order(media_ids, current)
    queries.watch_later_reorder(conn, user_id=user_id, media_ids=media_ids)


def _rating(row: RatingRow) -> RatingOut:
    return RatingOut(media=MediaCard.from_row(row), rating=float(row["rating"]), rated_at=row["updated_at"])


def set_rating(conn: Conn, user_id: UUID, media_id: int, rating: float) -> RatingOut:
    """Rate a title 1-10 in half steps (replaces an earlier rating)."""
    if not queries.rating_set(conn, user_id=user_id, media_id=media_id, rating=rating):
        media(conn, media_id)
    return get_rating(conn, user_id, media_id)


def get_rating(conn: Conn, user_id: UUID, media_id: int) -> RatingOut:
    """The user's rating of a title; NotTracked when unrated."""
    row = queries.rating_get(conn, user_id=user_id, media_id=media_id)
    if row is None:
        media(conn, media_id)
        raise errors.NotTracked(f"You have not rated title {media_id}")
    return _rating(row)


def your_rating(conn: Conn, user_id: UUID, media_id: int) -> YourRating:
    """The user's rating of a title, ``rating=None`` when unrated; MediaNotFound for an unknown title."""
    row = queries.rating_get(conn, user_id=user_id, media_id=media_id)
    if row is None:
        media(conn, media_id)
        return YourRating(media_id=media_id, rating=None)
    return YourRating(media_id=media_id, rating=float(row["rating"]), rated_at=row["updated_at"])


def delete_rating(conn: Conn, user_id: UUID, media_id: int) -> None:
    """Remove a rating; NotTracked when there was none."""
    if queries.rating_delete(conn, user_id=user_id, media_id=media_id) == 0:
        media(conn, media_id)
        raise errors.NotTracked(f"You have not rated title {media_id}")


def list_ratings(conn: Conn, user_id: UUID, media_type: str | None, limit: int,
                 offset: int) -> tuple[list[RatingOut], int]:
    """Ratings, most recently changed first, and the total."""
    rows = queries.ratings_list(conn, user_id=user_id, media_type=media_type, limit=limit, offset=offset)
    return [_rating(row) for row in rows], queries.ratings_count(conn, user_id=user_id, media_type=media_type)


def _favorite(row: FavoriteRow) -> FavoriteOut:
    return FavoriteOut(media=MediaCard.from_row(row), added_at=row["added_at"])


def add_favorite(conn: Conn, user_id: UUID, media_id: int) -> FavoriteOut:
    """Mark a title as a favorite (idempotent)."""
    queries.favorite_add(conn, user_id=user_id, media_id=media_id)
    row = queries.favorite_get(conn, user_id=user_id, media_id=media_id)
    if row is None:
        absent(conn, media_id)
    return _favorite(row)


def remove_favorite(conn: Conn, user_id: UUID, media_id: int) -> None:
    """Unfavorite a title; NotTracked when it was not a favorite."""
    if queries.favorite_delete(conn, user_id=user_id, media_id=media_id) == 0:
        media(conn, media_id)
        raise errors.NotTracked(f"Title {media_id} is not a favorite")


def list_favorites(conn: Conn, user_id: UUID, media_type: str | None, limit: int,
                   offset: int) -> tuple[list[FavoriteOut], int]:
    """Favorites, newest first, and the total."""
    rows = queries.favorites_list(conn, user_id=user_id, media_type=media_type, limit=limit, offset=offset)
    return [_favorite(r) for r in rows], queries.favorites_count(conn, user_id=user_id, media_type=media_type)
