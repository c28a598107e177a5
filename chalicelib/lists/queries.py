"""The list imports' SQL: the named queries of ``db/queries/lists.sql``, typed."""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypedDict
from uuid import UUID

from chalicelib import db
from chalicelib.db import Conn


class Counts(TypedDict):
    total: int
    active: int


class Created(TypedDict):
    id: UUID
    name: str


class Requested(TypedDict):
    collection_id: UUID
    request_id: UUID


class SourceRow(TypedDict):
    collection_id: UUID
    user_id: UUID
    kind: str
    url: str | None
    status: str
    request_id: UUID
    titled: bool
    requested_at: datetime
    started_at: datetime | None
    synced_at: datetime | None


class Claimed(TypedDict):
    collection_id: UUID
    user_id: UUID
    kind: str
    url: str | None
    titled: bool


class Resolved(TypedDict):
    n: int
    media_id: int | None


class FilmIdRow(TypedDict):
    slug: str
    media_type: str | None
    tmdb_id: int | None
    imdb_id: str | None


class FileRow(TypedDict):
    title: str
    entries: list[dict[str, Any]]


class DueRow(TypedDict):
    collection_id: UUID
    user_id: UUID


def counts(conn: Conn, *, user_id: UUID) -> Counts:
    return db.queries().lists_counts(conn, user_id=user_id)


def collection_create(conn: Conn, *, user_id: UUID, base: str) -> Created | None:
    return db.queries().lists_collection_create(conn, user_id=user_id, base=base)


def source_create(conn: Conn, *, collection_id: UUID, user_id: UUID, kind: str, url: str) -> Requested:
    return db.queries().lists_source_create(conn, collection_id=collection_id, user_id=user_id, kind=kind, url=url)


def source_create_file(conn: Conn, *, collection_id: UUID, user_id: UUID, kind: str, url: str | None,
                       filename: str) -> Requested:
    return db.queries().lists_source_create_file(conn, collection_id=collection_id, user_id=user_id, kind=kind,
                                                 url=url, filename=filename)


def file_store(conn: Conn, *, collection_id: UUID, title: str, entries: str) -> int:
    return db.queries().lists_file_store(conn, collection_id=collection_id, title=title, entries=entries)


def file_get(conn: Conn, *, collection_id: UUID) -> FileRow | None:
    return db.queries().lists_file_get(conn, collection_id=collection_id)


def file_delete(conn: Conn, *, collection_id: UUID) -> int:
    return db.queries().lists_file_delete(conn, collection_id=collection_id)


def source_get(conn: Conn, *, user_id: UUID, collection_id: UUID) -> SourceRow | None:
    return db.queries().lists_source_get(conn, user_id=user_id, collection_id=collection_id)


def source_request(conn: Conn, *, user_id: UUID, collection_id: UUID, stale_seconds: int) -> Requested | None:
    return db.queries().lists_source_request(conn, user_id=user_id, collection_id=collection_id,
                                             stale_seconds=stale_seconds)


def source_claim(conn: Conn, *, collection_id: UUID, request_id: UUID, stale_seconds: int) -> Claimed | None:
    return db.queries().lists_source_claim(conn, collection_id=collection_id, request_id=request_id,
                                           stale_seconds=stale_seconds)


def source_fail(conn: Conn, *, collection_id: UUID, request_id: UUID, error_code: str, error: str) -> int:
    return db.queries().lists_source_fail(conn, collection_id=collection_id, request_id=request_id,
                                          error_code=error_code, error=error)


def source_unsend(conn: Conn, *, collection_id: UUID, request_id: UUID, error_code: str, error: str) -> int:
    return db.queries().lists_source_unsend(conn, collection_id=collection_id, request_id=request_id,
                                            error_code=error_code, error=error)


def collection_forget(conn: Conn, *, user_id: UUID, collection_id: UUID) -> int:
    return db.queries().lists_collection_forget(conn, user_id=user_id, collection_id=collection_id)


def source_done(conn: Conn, *, collection_id: UUID, request_id: UUID, entries: int, unmatched: int,
                unmatched_titles: str) -> int:
    return db.queries().lists_source_done(conn, collection_id=collection_id, request_id=request_id,
                                          entries=entries, unmatched=unmatched, unmatched_titles=unmatched_titles)


def collection_lock(conn: Conn, *, user_id: UUID, collection_id: UUID) -> Created | None:
    return db.queries().lists_collection_lock(conn, user_id=user_id, collection_id=collection_id)


def collection_rename(conn: Conn, *, user_id: UUID, collection_id: UUID, base: str) -> int:
    return db.queries().lists_collection_rename(conn, user_id=user_id, collection_id=collection_id, base=base)


def items_replace(conn: Conn, *, collection_id: UUID, media_ids: list[int]) -> int:
    return db.queries().lists_items_replace(conn, collection_id=collection_id, media_ids=media_ids)


def collection_touch(conn: Conn, *, collection_id: UUID) -> int:
    return db.queries().lists_collection_touch(conn, collection_id=collection_id)


def resolve(conn: Conn, *, entries: str) -> list[Resolved]:
    return list(db.queries().lists_resolve(conn, entries=entries))


def film_ids(conn: Conn, *, slugs: list[str]) -> list[FilmIdRow]:
    return list(db.queries().lists_film_ids(conn, slugs=slugs))


def film_ids_store(conn: Conn, *, items: str) -> int:
    return db.queries().lists_film_ids_store(conn, items=items)


def due(conn: Conn, *, every_seconds: int, stale_seconds: int, size: int) -> list[DueRow]:
    return list(db.queries().lists_due(conn, every_seconds=every_seconds, stale_seconds=stale_seconds, size=size))
