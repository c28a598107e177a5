"""Notifications' SQL: the named queries of ``db/queries/notifications.sql``, typed.

Rules are passed as plain mappings and stored as JSON here.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import TypedDict
from uuid import UUID

from chalicelib import db
from chalicelib.db import Conn


class ClaimedRow(TypedDict):
    id: int
    user_id: UUID
    kind: str
    title: str
    body: str | None
    link: str | None
    attempts: int


class ChannelUrlRow(TypedDict):
    user_id: UUID
    id: UUID
    label: str
    service: str
    url_ciphertext: str
    key_id: str


class NotificationRow(TypedDict):
    id: int
    kind: str
    title: str
    body: str | None
    link: str | None
    media_id: int | None
    created_at: datetime
    read_at: datetime | None


class ChannelRow(TypedDict):
    id: UUID
    label: str
    service: str
    created_at: datetime


# --- producers ------------------------------------------------------------------------------------


def episodes_aired(conn: Conn, *, user_id: UUID, show_ids: Sequence[int], since: date, today: date,
                   now: datetime) -> None:
    db.queries().notify_episodes_aired(conn, user_id=user_id, show_ids=list(show_ids), since=since, today=today,
                                       now=now)


def downloads_finished(conn: Conn, *, since: datetime) -> None:
    db.queries().notify_downloads_finished(conn, since=since)


def games_released(conn: Conn, *, since: date, today: date) -> None:
    db.queries().notify_games_released(conn, since=since, today=today)


# --- delivery -------------------------------------------------------------------------------------


def claim(conn: Conn, *, now: datetime, stale_before: datetime, max_attempts: int,
          row_limit: int) -> list[ClaimedRow]:
    return list(db.queries().notify_claim(conn, now=now, stale_before=stale_before, max_attempts=max_attempts,
                                          row_limit=row_limit))


def finish(conn: Conn, *, id: int, delivery: str, now: datetime, last_error: str | None) -> None:
    db.queries().notify_finish(conn, id=id, delivery=delivery, now=now, last_error=last_error)


def channel_urls(conn: Conn, *, user_ids: Sequence[UUID]) -> list[ChannelUrlRow]:
    return list(db.queries().notify_channel_urls(conn, user_ids=list(user_ids)))


# --- the app --------------------------------------------------------------------------------------


def listing(conn: Conn, *, user_id: UUID, row_limit: int) -> list[NotificationRow]:
    return list(db.queries().notify_list(conn, user_id=user_id, row_limit=row_limit))


def unread_count(conn: Conn, *, user_id: UUID) -> int:
    return db.queries().notify_unread_count(conn, user_id=user_id)


def mark_read(conn: Conn, *, user_id: UUID, ids: Sequence[int], everything: bool, now: datetime) -> None:
    db.queries().notify_mark_read(conn, user_id=user_id, ids=list(ids), everything=everything, now=now)


def rules(conn: Conn, *, user_id: UUID) -> dict[str, object] | None:
    """The stored rules (camelCase name -> bool), or None when the user never set any."""
    return db.queries().notify_rules(conn, user_id=user_id)


def set_rules(conn: Conn, *, user_id: UUID, rules: Mapping[str, bool]) -> None:
    db.queries().notify_set_rules(conn, user_id=user_id, rules=json.dumps(rules))


def channels(conn: Conn, *, user_id: UUID) -> list[ChannelRow]:
    return list(db.queries().notify_channels(conn, user_id=user_id))


def delete_channels_except(conn: Conn, *, user_id: UUID, keep: Sequence[UUID]) -> None:
    db.queries().notify_delete_channels_except(conn, user_id=user_id, keep=list(keep))


def add_channel(conn: Conn, *, user_id: UUID, label: str, service: str, url_ciphertext: str, key_id: str) -> None:
    db.queries().notify_add_channel(conn, user_id=user_id, label=label, service=service,
                                    url_ciphertext=url_ciphertext, key_id=key_id)
