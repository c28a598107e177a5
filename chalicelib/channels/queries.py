"""Channels' SQL: the named queries of ``db/queries/channels.sql``, typed."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TypedDict
from uuid import UUID

from chalicelib import db
from chalicelib.db import Conn


class ChannelRow(TypedDict):
    id: UUID
    youtube_id: str
    title: str
    handle: str | None
    thumbnail_url: str | None
    checked_at: datetime | None
    last_error: str | None


class FollowRow(ChannelRow):
    keep_newest: int
    followed_at: datetime
    video_count: int
    new_count: int
    latest_at: datetime | None


class ClaimRow(TypedDict):
    id: UUID
    youtube_id: str
    title: str
    etag: str | None
    last_modified: str | None


class UpsertCounts(TypedDict):
    added: int
    updated: int
    events: int


class VideoRow(TypedDict):
    media_id: int
    youtube_id: str
    url: str
    thumbnail_url: str | None
    published_at: datetime
    views: int | None
    title: str
    description: str | None
    runtime_minutes: int | None
    channel_id: UUID
    channel_title: str
    watched: bool
    on_watch_later: bool
    position_seconds: Decimal | None
    duration_seconds: Decimal | None
    library_item_id: UUID | None
    download_id: UUID | None
    download_status: str | None
    download_progress: Decimal | None


class KeepRow(TypedDict):
    user_id: UUID
    media_id: int
    url: str
    title: str


class IdRow(TypedDict):
    channel_id: UUID


def channel_upsert(conn: Conn, *, youtube_id: str, title: str, handle: str | None,
                   thumbnail_url: str | None) -> ChannelRow:
    return db.queries().ch_channel_upsert(conn, youtube_id=youtube_id, title=title, handle=handle,
                                          thumbnail_url=thumbnail_url)


def follow_count(conn: Conn, *, user_id: UUID) -> int:
    return db.queries().ch_follow_count(conn, user_id=user_id)


def follow(conn: Conn, *, user_id: UUID, channel_id: UUID, keep_newest: int) -> None:
    db.queries().ch_follow(conn, user_id=user_id, channel_id=channel_id, keep_newest=keep_newest)


def follows(conn: Conn, *, user_id: UUID, channel_id: UUID | None = None) -> list[FollowRow]:
    return list(db.queries().ch_follows(conn, user_id=user_id, channel_id=channel_id))


def follow_update(conn: Conn, *, user_id: UUID, channel_id: UUID, keep_newest: int) -> IdRow | None:
    return db.queries().ch_follow_update(conn, user_id=user_id, channel_id=channel_id, keep_newest=keep_newest)


def unfollow(conn: Conn, *, user_id: UUID, channel_id: UUID) -> IdRow | None:
    return db.queries().ch_unfollow(conn, user_id=user_id, channel_id=channel_id)


def channels_claim(conn: Conn, *, limit: int) -> list[ClaimRow]:
    return list(db.queries().ch_channels_claim(conn, limit_=limit))


def channels_make_due(conn: Conn) -> None:
    db.queries().ch_channels_make_due(conn)


def channel_checked(conn: Conn, *, id: UUID, title: str | None, etag: str | None, last_modified: str | None,
                    every_minutes: int) -> None:
    db.queries().ch_channel_checked(conn, id=id, title=title, etag=etag, last_modified=last_modified,
                                    every_minutes=every_minutes)


def channel_failed(conn: Conn, *, id: UUID, error: str, every_minutes: int) -> None:
    db.queries().ch_channel_failed(conn, id=id, error=error, every_minutes=every_minutes)


def videos_upsert(conn: Conn, *, channel_id: UUID, items: str) -> UpsertCounts:
    """``items``: a JSON array of the feed's videos (``jsonb_to_recordset``)."""
    return db.queries().ch_videos_upsert(conn, channel_id=channel_id, items=items)


def videos(conn: Conn, *, user_id: UUID, channel_id: UUID | None = None, media_id: int | None = None,
           before_at: datetime | None = None, before_id: int | None = None, limit: int = 30) -> list[VideoRow]:
    return list(db.queries().ch_videos(conn, user_id=user_id, channel_id=channel_id, media_id=media_id,
                                       before_at=before_at, before_id=before_id, limit_=limit))


def followers(conn: Conn, *, channel_id: UUID) -> list[UUID]:
    return [row["user_id"] for row in db.queries().ch_followers(conn, channel_id=channel_id)]


def keep_targets(conn: Conn, *, channel_id: UUID) -> list[KeepRow]:
    return list(db.queries().ch_keep_targets(conn, channel_id=channel_id))
