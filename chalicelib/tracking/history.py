"""Watch history: one row per watch (rewatches are new rows), marked by hand or by the player."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from chalicelib.db import Conn
from chalicelib.logs import get_logger
from chalicelib.tracking import errors, queries
from chalicelib.tracking.rows import HistoryRow
from chalicelib.tracking.schemas import BulkWatchedOut, EpisodeRef, HistoryEntry, HistoryQuery, MediaCard
from chalicelib.tracking.service import explain_item, media


def _entry(row: HistoryRow) -> HistoryEntry:
    return HistoryEntry(id=row["id"], media=MediaCard.from_row(row), episode=EpisodeRef.from_row(row),
                        watched_at=row["watched_at"], source=row["source"])


def mark_watched(conn: Conn, user_id: UUID, media_id: int, episode_id: int | None,
                 watched_at: datetime | None) -> HistoryEntry:
    """Record one watch of a movie or an episode and close its resume point.

    Every call is a new history row (a rewatch). Errors: MediaNotFound,
    EpisodeNotFound (unknown, or of another show), WrongMediaType (a game, a
    show without an episode, a movie with one).
    """
    row = queries.mark_watched(conn, user_id=user_id, media_id=media_id, episode_id=episode_id,
                                    watched_at=watched_at)
    if row is None:
        explain_item(conn, media_id, episode_id)
    return _entry(row)


def mark_bulk(conn: Conn, user_id: UUID, media_id: int, season_number: int | None,
              watched_at: datetime | None) -> BulkWatchedOut:
    """Mark a season (or, without a season, the whole show minus specials) watched in one statement.

    Only aired episodes without a history row get one, so repeating it adds
    nothing. Errors: MediaNotFound, WrongMediaType (not a show), SeasonNotFound.
    """
    row = queries.mark_bulk(conn, user_id=user_id, media_id=media_id, season_number=season_number,
                                 watched_at=watched_at)
    if not row["show_found"]:
        media(conn, media_id, "show")
    if season_number is not None and not row["season_found"]:
        raise errors.SeasonNotFound(f"Show {media_id} has no season {season_number}")
    get_logger().info("episodes marked watched", extra={
        "action": "watched_bulk_marked", "user_id": str(user_id), "media_id": media_id,
        "season_number": season_number, "added": row["added"]})
    return BulkWatchedOut(media_id=media_id, season_number=season_number, added=row["added"])


def list_history(conn: Conn, user_id: UUID, query: HistoryQuery) -> tuple[list[HistoryEntry], int]:
    """One page of the history, newest first, filtered by type, title and [from, to), and the total."""
    filters = {"user_id": user_id, "media_type": query.media_type, "media_id": query.media_id,
               "since": query.since, "until": query.until}
    rows = queries.history_list(conn, **filters, limit=query.page_size, offset=query.offset)
    entries = [_entry(row) for row in rows]
    return entries, queries.history_count(conn, **filters)


def delete_entry(conn: Conn, user_id: UUID, entry_id: UUID) -> None:
    """Remove one history row by id (another user's row is not found)."""
    if queries.history_delete_entry(conn, user_id=user_id, entry_id=entry_id) == 0:
        raise errors.WatchedEntryNotFound(f"No watch {entry_id}")


def unmark(conn: Conn, user_id: UUID, media_id: int, episode_id: int | None, season_number: int | None,
           latest_only: bool) -> int:
    """Remove the latest (or every) watch of a movie, an episode, a season or a show; returns how many.

    Nothing to remove is not an error (0). Errors: MediaNotFound, and
    EpisodeNotFound for an episode that is not part of the show.
    """
    row = media(conn, media_id, "movie", "show", "video")
    if row["media_type"] in ("movie", "video") and (episode_id is not None or season_number is not None):
        raise errors.WrongMediaType(f"Title {media_id} is a {row['media_type']} and has no episodes or seasons",
                                    fields={"episodeId": "must be omitted for a movie"})
    if episode_id is not None and queries.episode(conn, media_id=media_id, episode_id=episode_id) is None:
        raise errors.EpisodeNotFound(f"Show {media_id} has no episode {episode_id}")
    return queries.history_unmark(conn, user_id=user_id, media_id=media_id, episode_id=episode_id,
                                       season_number=season_number, latest_only=latest_only)
