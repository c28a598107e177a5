"""Tracking's SQL: the named queries of ``db/queries/tracking.sql``, typed (rows in ``tracking.rows``).

Writes without a row return the number of rows they changed.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from chalicelib import db
from chalicelib.db import Conn
from chalicelib.tracking.rows import (
    BacklogRow,
    BacklogValues,
    BulkRow,
    CollectionItemRow,
    CollectionRow,
    EpisodeRow,
    ExportRow,
    FavoriteRow,
    FollowStateRow,
    HeartbeatRow,
    HistoryRow,
    MediaRow,
    PlayableRow,
    RatingRow,
    ResumeRow,
    ShowEpisodeRow,
    TitleStateRow,
    UpNextRow,
    WatchLaterRow,
)


def media(conn: Conn, *, media_id: int) -> MediaRow | None:
    return db.queries().tracking_media(conn, media_id=media_id)


def episode(conn: Conn, *, media_id: int, episode_id: int | None) -> EpisodeRow | None:
    return db.queries().tracking_episode(conn, media_id=media_id, episode_id=episode_id)


def platform_exists(conn: Conn, *, platform_id: int) -> bool:
    return db.queries().tracking_platform_exists(conn, platform_id=platform_id)


def threshold(conn: Conn, *, user_id: UUID) -> int:
    return db.queries().tracking_threshold(conn, user_id=user_id)


def watch_later_add(conn: Conn, *, user_id: UUID, media_id: int) -> int:
    return db.queries().tracking_watch_later_add(conn, user_id=user_id, media_id=media_id)


def watch_later_get(conn: Conn, *, user_id: UUID, media_id: int) -> WatchLaterRow | None:
    return db.queries().tracking_watch_later_get(conn, user_id=user_id, media_id=media_id)


def watch_later_list(conn: Conn, *, user_id: UUID, media_type: str | None, limit: int,
                     offset: int) -> list[WatchLaterRow]:
    return list(db.queries().tracking_watch_later_list(conn, user_id=user_id, media_type=media_type, limit=limit,
                                                       offset=offset))


def watch_later_count(conn: Conn, *, user_id: UUID, media_type: str | None) -> int:
    return db.queries().tracking_watch_later_count(conn, user_id=user_id, media_type=media_type)


def watch_later_remove(conn: Conn, *, user_id: UUID, media_id: int) -> int:
    return db.queries().tracking_watch_later_remove(conn, user_id=user_id, media_id=media_id)


def watch_later_lock(conn: Conn, *, user_id: UUID) -> list[int]:
    return [row["media_id"] for row in db.queries().tracking_watch_later_lock(conn, user_id=user_id)]


def watch_later_reorder(conn: Conn, *, user_id: UUID, media_ids: list[int]) -> int:
    return db.queries().tracking_watch_later_reorder(conn, user_id=user_id, media_ids=media_ids)


def mark_watched(conn: Conn, *, user_id: UUID, media_id: int, episode_id: int | None,
                 watched_at: datetime | None) -> HistoryRow | None:
    return db.queries().tracking_mark_watched(conn, user_id=user_id, media_id=media_id, episode_id=episode_id,
                                              watched_at=watched_at)


def mark_bulk(conn: Conn, *, user_id: UUID, media_id: int, season_number: int | None,
              watched_at: datetime | None) -> BulkRow:
    return db.queries().tracking_mark_bulk(conn, user_id=user_id, media_id=media_id, season_number=season_number,
                                           watched_at=watched_at)


def history_list(conn: Conn, *, user_id: UUID, media_type: str | None, media_id: int | None, since: datetime | None,
                 until: datetime | None, limit: int, offset: int) -> list[HistoryRow]:
    return list(db.queries().tracking_history_list(conn, user_id=user_id, media_type=media_type, media_id=media_id,
                                                   since=since, until=until, limit=limit, offset=offset))


def history_count(conn: Conn, *, user_id: UUID, media_type: str | None, media_id: int | None, since: datetime | None,
                  until: datetime | None) -> int:
    return db.queries().tracking_history_count(conn, user_id=user_id, media_type=media_type, media_id=media_id,
                                               since=since, until=until)


def history_delete_entry(conn: Conn, *, user_id: UUID, entry_id: UUID) -> int:
    return db.queries().tracking_history_delete_entry(conn, user_id=user_id, entry_id=entry_id)


def history_unmark(conn: Conn, *, user_id: UUID, media_id: int, episode_id: int | None, season_number: int | None,
                   latest_only: bool) -> int:
    return db.queries().tracking_history_unmark(conn, user_id=user_id, media_id=media_id, episode_id=episode_id,
                                                season_number=season_number, latest_only=latest_only)


def heartbeat(conn: Conn, *, user_id: UUID, media_id: int, episode_id: int | None, position_seconds: float,
              duration_seconds: float, reopen_grace_seconds: int) -> HeartbeatRow:
    return db.queries().tracking_heartbeat(conn, user_id=user_id, media_id=media_id, episode_id=episode_id,
                                           position_seconds=position_seconds, duration_seconds=duration_seconds,
                                           reopen_grace_seconds=reopen_grace_seconds)


def resume_points(conn: Conn, *, user_id: UUID, media_id: int | None, limit: int) -> list[ResumeRow]:
    return list(db.queries().tracking_resume_points(conn, user_id=user_id, media_id=media_id, limit=limit))


def up_next(conn: Conn, *, user_id: UUID, media_id: int | None, limit: int) -> list[UpNextRow]:
    return list(db.queries().tracking_up_next(conn, user_id=user_id, media_id=media_id, limit=limit))


def show_episodes(conn: Conn, *, user_id: UUID, media_id: int) -> list[ShowEpisodeRow]:
    return list(db.queries().tracking_show_episodes(conn, user_id=user_id, media_id=media_id))


def rating_set(conn: Conn, *, user_id: UUID, media_id: int, rating: float) -> bool:
    return db.queries().tracking_rating_set(conn, user_id=user_id, media_id=media_id, rating=rating) is not None


def rating_get(conn: Conn, *, user_id: UUID, media_id: int) -> RatingRow | None:
    return db.queries().tracking_rating_get(conn, user_id=user_id, media_id=media_id)


def rating_delete(conn: Conn, *, user_id: UUID, media_id: int) -> int:
    return db.queries().tracking_rating_delete(conn, user_id=user_id, media_id=media_id)


def ratings_list(conn: Conn, *, user_id: UUID, media_type: str | None, limit: int, offset: int) -> list[RatingRow]:
    return list(db.queries().tracking_ratings_list(conn, user_id=user_id, media_type=media_type, limit=limit,
                                                   offset=offset))


def ratings_count(conn: Conn, *, user_id: UUID, media_type: str | None) -> int:
    return db.queries().tracking_ratings_count(conn, user_id=user_id, media_type=media_type)


def favorite_add(conn: Conn, *, user_id: UUID, media_id: int) -> int:
    return db.queries().tracking_favorite_add(conn, user_id=user_id, media_id=media_id)


def favorite_get(conn: Conn, *, user_id: UUID, media_id: int) -> FavoriteRow | None:
    return db.queries().tracking_favorite_get(conn, user_id=user_id, media_id=media_id)


def favorite_delete(conn: Conn, *, user_id: UUID, media_id: int) -> int:
    return db.queries().tracking_favorite_delete(conn, user_id=user_id, media_id=media_id)


def favorites_list(conn: Conn, *, user_id: UUID, media_type: str | None, limit: int, offset: int) -> list[FavoriteRow]:
    return list(db.queries().tracking_favorites_list(conn, user_id=user_id, media_type=media_type, limit=limit,
                                                     offset=offset))


def favorites_count(conn: Conn, *, user_id: UUID, media_type: str | None) -> int:
    return db.queries().tracking_favorites_count(conn, user_id=user_id, media_type=media_type)


def follow_set(conn: Conn, *, user_id: UUID, media_id: int, state: str) -> bool:
    return db.queries().tracking_follow_set(conn, user_id=user_id, media_id=media_id, state=state) is not None


def follow_delete(conn: Conn, *, user_id: UUID, media_id: int) -> int:
    return db.queries().tracking_follow_delete(conn, user_id=user_id, media_id=media_id)


def show_followers(conn: Conn) -> list[UUID]:
    return [row["user_id"] for row in db.queries().tracking_show_followers(conn)]


def follow_states(conn: Conn, *, user_id: UUID) -> list[FollowStateRow]:
    return list(db.queries().tracking_follow_states(conn, user_id=user_id))


def backlog_lock(conn: Conn, *, user_id: UUID, media_id: int) -> BacklogValues | None:
    return db.queries().tracking_backlog_lock(conn, user_id=user_id, media_id=media_id)


def backlog_upsert(conn: Conn, *, user_id: UUID, media_id: int, status: str | None, hours_played: Decimal | float,
                   completion_percent: Decimal | float | None, started_on: date | None, finished_on: date | None,
                   platform_id: int | None, played: bool) -> int:
    return db.queries().tracking_backlog_upsert(conn, user_id=user_id, media_id=media_id, status=status,
                                                hours_played=hours_played, completion_percent=completion_percent,
                                                started_on=started_on, finished_on=finished_on,
                                                platform_id=platform_id, played=played)


def backlog_delete(conn: Conn, *, user_id: UUID, media_id: int) -> int:
    return db.queries().tracking_backlog_delete(conn, user_id=user_id, media_id=media_id)


def backlog_list(conn: Conn, *, user_id: UUID, media_id: int | None) -> list[BacklogRow]:
    return list(db.queries().tracking_backlog_list(conn, user_id=user_id, media_id=media_id))


def collections_list(conn: Conn, *, user_id: UUID) -> list[CollectionRow]:
    return list(db.queries().tracking_collections_list(conn, user_id=user_id))


def collection_get(conn: Conn, *, user_id: UUID, collection_id: UUID) -> CollectionRow | None:
    return db.queries().tracking_collection_get(conn, user_id=user_id, collection_id=collection_id)


def collection_lock(conn: Conn, *, user_id: UUID, collection_id: UUID) -> CollectionRow | None:
    return db.queries().tracking_collection_lock(conn, user_id=user_id, collection_id=collection_id)


def collection_create(conn: Conn, *, user_id: UUID, name: str, description: str | None) -> CollectionRow:
    return db.queries().tracking_collection_create(conn, user_id=user_id, name=name, description=description)


def collection_update(conn: Conn, *, user_id: UUID, collection_id: UUID, name: str,
                      description: str | None) -> CollectionRow:
    return db.queries().tracking_collection_update(conn, user_id=user_id, collection_id=collection_id, name=name,
                                                   description=description)


def collection_touch(conn: Conn, *, user_id: UUID, collection_id: UUID) -> int:
    return db.queries().tracking_collection_touch(conn, user_id=user_id, collection_id=collection_id)


def collection_delete(conn: Conn, *, user_id: UUID, collection_id: UUID) -> int:
    return db.queries().tracking_collection_delete(conn, user_id=user_id, collection_id=collection_id)


def collections_lock(conn: Conn, *, user_id: UUID) -> list[UUID]:
    return [row["id"] for row in db.queries().tracking_collections_lock(conn, user_id=user_id)]


def collections_reorder(conn: Conn, *, user_id: UUID, collection_ids: list[UUID]) -> int:
    return db.queries().tracking_collections_reorder(conn, user_id=user_id, collection_ids=collection_ids)


def collection_items(conn: Conn, *, user_id: UUID, collection_id: UUID, limit: int,
                     offset: int) -> list[CollectionItemRow]:
    return list(db.queries().tracking_collection_items(conn, user_id=user_id, collection_id=collection_id,
                                                       limit=limit, offset=offset))


def collection_item_add(conn: Conn, *, collection_id: UUID, media_id: int, note: str | None) -> int:
    return db.queries().tracking_collection_item_add(conn, collection_id=collection_id, media_id=media_id, note=note)


def collection_item_get(conn: Conn, *, user_id: UUID, collection_id: UUID, media_id: int) -> CollectionItemRow:
    return db.queries().tracking_collection_item_get(conn, user_id=user_id, collection_id=collection_id,
                                                     media_id=media_id)


def collection_item_remove(conn: Conn, *, collection_id: UUID, media_id: int) -> int:
    return db.queries().tracking_collection_item_remove(conn, collection_id=collection_id, media_id=media_id)


def collection_item_ids(conn: Conn, *, collection_id: UUID) -> list[int]:
    return [row["media_id"] for row in db.queries().tracking_collection_item_ids(conn, collection_id=collection_id)]


def collection_items_reorder(conn: Conn, *, collection_id: UUID, media_ids: list[int]) -> int:
    return db.queries().tracking_collection_items_reorder(conn, collection_id=collection_id, media_ids=media_ids)


def snapshot(conn: Conn) -> None:
    """First statement of the export's transaction: every read after it sees one snapshot."""
    db.queries().tracking_snapshot(conn)


def export_watch_later(conn: Conn, *, user_id: UUID) -> list[ExportRow]:
    return list(db.queries().tracking_export_watch_later(conn, user_id=user_id))


def export_history(conn: Conn, *, user_id: UUID) -> list[ExportRow]:
    return list(db.queries().tracking_export_history(conn, user_id=user_id))


def export_progress(conn: Conn, *, user_id: UUID) -> list[ExportRow]:
    return list(db.queries().tracking_export_progress(conn, user_id=user_id))


def export_ratings(conn: Conn, *, user_id: UUID) -> list[ExportRow]:
    return list(db.queries().tracking_export_ratings(conn, user_id=user_id))


def export_favorites(conn: Conn, *, user_id: UUID) -> list[ExportRow]:
    return list(db.queries().tracking_export_favorites(conn, user_id=user_id))


def export_follows(conn: Conn, *, user_id: UUID) -> list[ExportRow]:
    return list(db.queries().tracking_export_follows(conn, user_id=user_id))


def export_backlog(conn: Conn, *, user_id: UUID) -> list[ExportRow]:
    return list(db.queries().tracking_export_backlog(conn, user_id=user_id))


def export_collections(conn: Conn, *, user_id: UUID) -> list[ExportRow]:
    return list(db.queries().tracking_export_collections(conn, user_id=user_id))


def export_media(conn: Conn, *, user_id: UUID) -> list[ExportRow]:
    return list(db.queries().tracking_export_media(conn, user_id=user_id))


def export_episodes(conn: Conn, *, user_id: UUID) -> list[ExportRow]:
    return list(db.queries().tracking_export_episodes(conn, user_id=user_id))


def title_state(conn: Conn, *, user_id: UUID, media_id: int) -> TitleStateRow | None:
    return db.queries().tracking_title_state(conn, user_id=user_id, media_id=media_id)


def title_playable(conn: Conn, *, media_id: int) -> list[PlayableRow]:
    return list(db.queries().tracking_title_playable(conn, media_id=media_id))
