"""Media servers' SQL: the named queries of ``db/queries/mediaservers.sql``, typed."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from datetime import datetime
from typing import Any, TypedDict
from uuid import UUID

import orjson

from chalicelib import db
from chalicelib.db import Conn


class ServerRow(TypedDict):
    id: UUID
    kind: str
    name: str
    url: str
    key_id: str
    allow_private: bool
    enabled: bool
    remote_id: str | None
    remote_name: str | None
    remote_version: str | None
    created_at: datetime
    updated_at: datetime
    token_ciphertext: bytes


class SyncRow(TypedDict):
    id: UUID
    server_id: UUID
    status: str
    trigger: str
    requested_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    added: int
    updated: int
    pruned: int
    unmatched: int
    failed: int
    error: str | None


class IdRow(TypedDict):
    id: UUID


class ItemStateRow(TypedDict):
    item_id: str
    fingerprint: str
    source_tag: str | None
    linked: bool
    show_media_id: int | None


class IdsMatchRow(TypedDict):
    id: int
    media_type: str
    tmdb_id: int | None
    imdb_id: str | None
    tvdb_id: int | None


class TitleMatchRow(TypedDict):
    id: int
    media_type: str
    title: str
    year: int


class EpisodeMatchRow(TypedDict):
    id: int
    media_id: int
    season_number: int
    episode_number: int


# ------------------------------------------------------------------------------------------ servers


def server_list(conn: Conn) -> list[ServerRow]:
    return list(db.queries().ms_server_list(conn))


def server_get(conn: Conn, *, id: UUID) -> ServerRow | None:
    return db.queries().ms_server_get(conn, id=id)


def server_insert(conn: Conn, *, kind: str, name: str, url: str, token_ciphertext: bytes, key_id: str,
                  allow_private: bool, enabled: bool) -> ServerRow | None:
    """None when the name is taken."""
    return db.queries().ms_server_insert(conn, kind=kind, name=name, url=url, token_ciphertext=token_ciphertext,
                                         key_id=key_id, allow_private=allow_private, enabled=enabled)


def server_update(conn: Conn, *, id: UUID, name: str, url: str, token_ciphertext: bytes, key_id: str,
                  allow_private: bool, enabled: bool, url_changed: bool) -> ServerRow | None:
    return db.queries().ms_server_update(conn, id=id, name=name, url=url, token_ciphertext=token_ciphertext,
                                         key_id=key_id, allow_private=allow_private, enabled=enabled,
                                         url_changed=url_changed)


def server_set_remote(conn: Conn, *, id: UUID, remote_id: str, remote_name: str,
                      remote_version: str | None) -> ServerRow | None:
    return db.queries().ms_server_set_remote(conn, id=id, remote_id=remote_id, remote_name=remote_name,
                                             remote_version=remote_version)


def server_delete(conn: Conn, *, id: UUID) -> IdRow | None:
    return db.queries().ms_server_delete(conn, id=id)


def servers_due(conn: Conn, *, every_seconds: int) -> list[IdRow]:
    return list(db.queries().ms_servers_due(conn, every_seconds=every_seconds))


# ------------------------------------------------------------------------------------------ syncs


def sync_interrupt(conn: Conn, *, server_id: UUID, stale_seconds: int) -> None:
    db.queries().ms_sync_interrupt(conn, server_id=server_id, stale_seconds=stale_seconds)


def sync_request(conn: Conn, *, server_id: UUID, trigger: str) -> SyncRow | None:
    """None while another sync of the server is waiting or running."""
    return db.queries().ms_sync_request(conn, server_id=server_id, trigger=trigger)


def sync_withdraw(conn: Conn, *, id: UUID) -> None:
    """A queued sync whose message could not be sent: removed, so the next request queues a new one."""
    db.queries().ms_sync_withdraw(conn, id=id)


def sync_active(conn: Conn, *, server_id: UUID) -> SyncRow | None:
    return db.queries().ms_sync_active(conn, server_id=server_id)


def sync_last(conn: Conn, *, server_id: UUID) -> SyncRow | None:
    return db.queries().ms_sync_last(conn, server_id=server_id)


def sync_start(conn: Conn, *, id: UUID, stale_seconds: int) -> SyncRow | None:
    return db.queries().ms_sync_start(conn, id=id, stale_seconds=stale_seconds)


def sync_finish(conn: Conn, *, id: UUID, status: str, added: int, updated: int, pruned: int, unmatched: int,
                failed: int, error: str | None) -> None:
    db.queries().ms_sync_finish(conn, id=id, status=status, added=added, updated=updated, pruned=pruned,
                                unmatched=unmatched, failed=failed, error=error)


# ------------------------------------------------------------------------------------------ items


def item_states(conn: Conn, *, server_id: UUID) -> Iterator[ItemStateRow]:
    """Every stored item of the server, streamed (the caller keeps only what it compares)."""
    return db.queries().ms_item_states(conn, server_id=server_id)


def items_relink_children(conn: Conn, *, server_id: UUID, shows: str) -> int:
    """``shows``: a JSON array of ``{item_id, media_id}``; answers how many children moved."""
    return db.queries().ms_items_relink_children(conn, server_id=server_id, shows=shows)


def items_upsert(conn: Conn, *, server_id: UUID, sync_id: UUID, items: str) -> None:
    """``items``: a JSON array of item rows (``jsonb_to_recordset``)."""
    db.queries().ms_items_upsert(conn, server_id=server_id, sync_id=sync_id, items=items)


def items_insert(conn: Conn, *, server_id: UUID, sync_id: UUID, items: str) -> None:
    """``items``: a JSON array of item rows none of which is stored (``items_upsert`` for the others)."""
    db.queries().ms_items_insert(conn, server_id=server_id, sync_id=sync_id, items=items)


def items_prune(conn: Conn, *, server_id: UUID, seen_ids: Collection[str]) -> int:
    """Every item of the server not in ``seen_ids``; answers how many went."""
    return db.queries().ms_items_prune(conn, server_id=server_id, seen_ids=orjson.dumps(list(seen_ids)).decode())


# ------------------------------------------------------------------------------------------ matching


def match_ids(conn: Conn, *, media_types: list[str], tmdb_ids: list[int], imdb_ids: list[str],
              tvdb_ids: list[int]) -> list[IdsMatchRow]:
    return list(db.queries().ms_match_ids(conn, media_types=media_types, tmdb_ids=tmdb_ids, imdb_ids=imdb_ids,
                                          tvdb_ids=tvdb_ids))


def match_titles(conn: Conn, *, items: str) -> list[TitleMatchRow]:
    return list(db.queries().ms_match_titles(conn, items=items))


def match_episodes(conn: Conn, *, items: str) -> list[EpisodeMatchRow]:
    return list(db.queries().ms_match_episodes(conn, items=items))


# ------------------------------------------------------------------------------------------ catalog fill


class FillClaimRow(TypedDict):
    id: UUID
    server_id: UUID


class FillStateRow(TypedDict):
    status: str
    finished_at: datetime | None
    fill_started_at: datetime | None
    filled_at: datetime | None


class FillTitleRow(TypedDict):
    item_id: str
    kind: str
    title: str
    year: int | None
    provider_ids: dict[str, Any]
    facts: dict[str, Any]


class FillEpisodeRow(TypedDict):
    item_id: str
    parent_item_id: str | None
    title: str
    season_number: int | None
    episode_number: int | None
    facts: dict[str, Any]


def sync_fill_start(conn: Conn, *, id: UUID, stale_seconds: int) -> FillClaimRow | None:
    """None when there is no fill to run (done, running elsewhere, or left to a later sync's)."""
    return db.queries().ms_sync_fill_start(conn, id=id, stale_seconds=stale_seconds)


def sync_filled(conn: Conn, *, id: UUID, server_id: UUID) -> int | None:
    """Marks the fill done; answers the sync's unmatched count, recounted (None: the server was removed)."""
    return db.queries().ms_sync_filled(conn, id=id, server_id=server_id)


def sync_fill_state(conn: Conn, *, id: UUID) -> FillStateRow | None:
    return db.queries().ms_sync_fill_state(conn, id=id)


def items_to_fill(conn: Conn, *, sync_id: UUID, server_id: UUID, after: str, size: int) -> list[FillTitleRow]:
    """Empty once the fill is done, or once a newer sync of the server was asked for (its fill does the rest)."""
    return list(db.queries().ms_items_to_fill(conn, sync_id=sync_id, server_id=server_id, after=after, size=size))


def items_episodes_of(conn: Conn, *, server_id: UUID, show_ids: list[str]) -> list[FillEpisodeRow]:
    return list(db.queries().ms_items_episodes_of(conn, server_id=server_id, show_ids=show_ids))


def items_analyze(conn: Conn) -> None:
    db.queries().ms_items_analyze(conn)


def items_link(conn: Conn, *, server_id: UUID, titles: str) -> int:
    """``titles``: a JSON array of ``{item_id, media_id}``; answers how many items stopped being unmatched."""
    return db.queries().ms_items_link(conn, server_id=server_id, titles=titles)


class ManualLinkRow(TypedDict):
    item_id: str
    media_id: int
    episode_id: int | None


def manual_links(conn: Conn, *, server_id: UUID) -> list[ManualLinkRow]:
    """The server's items an admin matched by hand (admin -> Catalog data; SQL in enrichment.sql): a sync keeps them."""
    return list(db.queries().ms_manual_links(conn, server_id=server_id))
