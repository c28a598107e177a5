"""Users' linked media server accounts' SQL: the named queries of ``db/queries/mediaserver_accounts.sql``, typed."""

from __future__ import annotations

from datetime import datetime
from typing import TypedDict
from uuid import UUID

from chalicelib import db
from chalicelib.db import Conn


class MyServerRow(TypedDict):
    server_id: UUID
    kind: str
    name: str
    url: str
    remote_user: str | None
    linked_at: datetime | None
    import_status: str | None
    import_requested_at: datetime | None
    import_started_at: datetime | None
    import_finished_at: datetime | None
    imported_watched: int | None
    imported_in_progress: int | None
    imported_unmatched: int | None
    import_error: str | None


class AccountRow(TypedDict):
    user_id: UUID
    server_id: UUID
    remote_user_id: str
    remote_user: str
    token_ciphertext: bytes
    key_id: str
    import_status: str | None
    kind: str
    name: str
    url: str
    allow_private: bool
    enabled: bool


class KeyRow(TypedDict):
    user_id: UUID
    server_id: UUID


class LinkedItemRow(TypedDict):
    item_id: str
    kind: str
    media_id: int | None
    episode_id: int | None
    playable: bool


class StreamItemRow(TypedDict):
    item_id: str
    kind: str
    media_id: int | None
    episode_id: int | None


def servers_for_user(conn: Conn, *, user_id: UUID) -> list[MyServerRow]:
    return list(db.queries().msa_servers_for_user(conn, user_id=user_id))


def link_upsert(conn: Conn, *, user_id: UUID, server_id: UUID, remote_user_id: str, remote_user: str,
                token_ciphertext: bytes, key_id: str) -> KeyRow:
    return db.queries().msa_link_upsert(conn, user_id=user_id, server_id=server_id, remote_user_id=remote_user_id,
                                        remote_user=remote_user, token_ciphertext=token_ciphertext, key_id=key_id)


def unlink(conn: Conn, *, user_id: UUID, server_id: UUID) -> int:
    return db.queries().msa_unlink(conn, user_id=user_id, server_id=server_id)


def account(conn: Conn, *, user_id: UUID, server_id: UUID) -> AccountRow | None:
    return db.queries().msa_account(conn, user_id=user_id, server_id=server_id)


def import_request(conn: Conn, *, user_id: UUID, server_id: UUID, stale_seconds: int) -> KeyRow | None:
    """None while an import of the link waits or runs (or when there is no link)."""
    return db.queries().msa_import_request(conn, user_id=user_id, server_id=server_id, stale_seconds=stale_seconds)


def import_unsend(conn: Conn, *, user_id: UUID, server_id: UUID, error: str) -> None:
    db.queries().msa_import_unsend(conn, user_id=user_id, server_id=server_id, error=error)


def import_start(conn: Conn, *, user_id: UUID, server_id: UUID, stale_seconds: int) -> KeyRow | None:
    return db.queries().msa_import_start(conn, user_id=user_id, server_id=server_id, stale_seconds=stale_seconds)


def import_finish(conn: Conn, *, user_id: UUID, server_id: UUID, status: str, watched: int, in_progress: int,
                  unmatched: int, error: str | None) -> None:
    db.queries().msa_import_finish(conn, user_id=user_id, server_id=server_id, status=status, watched=watched,
                                   in_progress=in_progress, unmatched=unmatched, error=error)


def items_linked(conn: Conn, *, server_id: UUID, item_ids: list[str]) -> list[LinkedItemRow]:
    return list(db.queries().msa_items_linked(conn, server_id=server_id, item_ids=item_ids))


def watch_near(conn: Conn, *, user_id: UUID, media_id: int, episode_id: int | None, watched_at: datetime | None,
               window_seconds: int) -> bool:
    return bool(db.queries().msa_watch_near(conn, user_id=user_id, media_id=media_id, episode_id=episode_id,
                                            watched_at=watched_at, window_seconds=window_seconds))


def stream_item(conn: Conn, *, user_id: UUID, server_id: UUID, item_id: str) -> StreamItemRow | None:
    return db.queries().msa_stream_item(conn, user_id=user_id, server_id=server_id, item_id=item_id)


def enabled_server_urls(conn: Conn) -> list[str]:
    return [row["url"] for row in db.queries().msa_enabled_server_urls(conn)]
