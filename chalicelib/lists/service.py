"""Import a public list into a new collection, ask for a sync, and the schedule's re-syncs.

The request only creates the collection (named "Importing…" until the list is read) and its source row
(``queued``), commits, then sends ``ListSync`` on the imports queue: the consumer may take the message the
instant it is sent, so the request must already be there for it to claim. A failed send undoes the request (a
new import's collection goes, a sync ends as failed) and the caller sees 503. The consumer (``lists.sync``)
does the reading. Per user: at most ``max_lists`` imported collections and ``max_active`` syncs waiting or
running; the schedule takes one list per user per run.
"""

from __future__ import annotations

import base64
import binascii
from uuid import UUID

from chalicelib import aws, cache, db
from chalicelib.config import get_aws_settings, get_settings
from chalicelib.db import Conn
from chalicelib.lists import files, queries, refs
from chalicelib.lists.errors import (
    ImportedFromFile,
    ListFileTooLarge,
    ListQueueUnavailable,
    ListSyncsBusy,
    MalformedListFile,
    NotAnImportedList,
    TooManyLists,
    TraktNotConfigured,
)
from chalicelib.lists.models import ListImportStarted
from chalicelib.logs import get_logger
from chalicelib.messages import ListSync
from chalicelib.tracking.errors import CollectionNotFound

PLACEHOLDER = "Importing…"
STALE_SECONDS = 15 * 60  # a sync waiting or running longer than this is taken as lost and asked again
DUE_BATCH = 200  # lists asked to sync per run of the schedule
MAX_FILE_BYTES = 4 * 1024 * 1024  # an uploaded export, decoded (base64 of it fits a Lambda event)


def import_list(user_id: UUID, url: str) -> ListImportStarted:
    """Create the collection and queue the first sync; 400 ``unsupported_list_url``, 409, 429."""
    ref = refs.parse(url)
    settings = get_settings().lists
    if ref.kind == "trakt" and not settings.trakt_client_id:
        raise TraktNotConfigured("Trakt lists need a Trakt API app: the admin sets its client id as "
                                 "TRAKT_CLIENT_ID")
    with db.transaction() as conn:
        created = _create(conn, user_id)
        requested = queries.source_create(conn, collection_id=created, user_id=user_id, kind=ref.kind,
                                          url=ref.url)
    _send(user_id, requested["collection_id"], requested["request_id"], new=True)
    cache.on_collections_changed(user_id)
    get_logger().info("list import requested", extra={"action": "list_import_requested", "kind": ref.kind,
                                                      "collection_id": str(created)})
    return ListImportStarted(collection_id=created)


def import_file(user_id: UUID, filename: str, content: str) -> ListImportStarted:
    """A Letterboxd or IMDb list export as a new collection: read whole here (400 ``unsupported_list_file`` /
    ``list_file_malformed``, 413 ``list_file_too_large``: nothing is created), applied by the same queued sync
    as a URL import. The list's URL, when the export names one, is kept for the later syncs."""
    if len(content) > -(-MAX_FILE_BYTES // 3) * 4 + 4:
        raise _too_large()
    try:
        body = base64.b64decode(content, validate=True)
    except (binascii.Error, ValueError):
        raise MalformedListFile("The file is not base64", fields={"content": "not base64"}) from None
    if len(body) > MAX_FILE_BYTES:
        raise _too_large()
    parsed = files.read(filename, body, get_settings().lists)
    with db.transaction() as conn:
        created = _create(conn, user_id)
        requested = queries.source_create_file(conn, collection_id=created, user_id=user_id, kind=parsed.kind,
                                               url=parsed.url, filename=filename)
        queries.file_store(conn, collection_id=created, title=parsed.title,
                           entries=files.entries_json(parsed.entries))
    _send(user_id, requested["collection_id"], requested["request_id"], new=True)
    cache.on_collections_changed(user_id)
    get_logger().info("list file import requested", extra={
        "action": "list_file_import_requested", "kind": parsed.kind, "collection_id": str(created),
        "entries": len(parsed.entries), "has_url": parsed.url is not None})
    return ListImportStarted(collection_id=created)


def _too_large() -> ListFileTooLarge:
    return ListFileTooLarge(f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; list exports are "
                            "smaller")


def _create(conn: Conn, user_id: UUID) -> UUID:
    """A new collection named "Importing…", within the user's bounds (409 ``too_many_lists``, 429)."""
    settings = get_settings().lists
    counts = queries.counts(conn, user_id=user_id)
    if counts["total"] >= settings.max_lists:
        raise TooManyLists(f"You have {counts['total']} imported lists; {settings.max_lists} is the limit")
    _check_active(counts["active"])
    created = queries.collection_create(conn, user_id=user_id, base=PLACEHOLDER)
    if created is None:
        raise TooManyLists("Too many imports are waiting to be named; try again when they are done")
    return created["id"]


def request_sync(user_id: UUID, raw_id: str) -> ListImportStarted:
    """Sync an imported collection now (the one waiting or running answers when there is one). 404, 429."""
    try:
        collection_id = UUID(raw_id)
    except ValueError:
        raise CollectionNotFound(f"No collection {raw_id[:40]!r}") from None
    settings = get_settings().lists
    with db.transaction() as conn:
        if queries.collection_lock(conn, user_id=user_id, collection_id=collection_id) is None:
            raise CollectionNotFound(f"No collection {collection_id}")
        source = queries.source_get(conn, user_id=user_id, collection_id=collection_id)
        if source is None:
            raise NotAnImportedList("This collection was not imported from a list: there is nothing to sync")
        if source["url"] is None:
            raise ImportedFromFile("This collection was imported once from an export file that names no list "
                                   "to read again: upload a newer export to update it")
        if source["status"] not in ("queued", "syncing"):
            _check_active(queries.counts(conn, user_id=user_id)["active"], settings.max_active)
        requested = _request(conn, user_id, collection_id)
    if requested is not None:
        _send(user_id, collection_id, requested, new=False)
    return ListImportStarted(collection_id=collection_id)


def sync_due() -> dict[str, int]:
    """The schedule: a sync for each imported collection not synced within ``sync_hours`` (one per user)."""
    settings = get_settings().lists
    with db.connection() as conn:
        due = queries.due(conn, every_seconds=settings.sync_hours * 3600, stale_seconds=STALE_SECONDS,
                          size=DUE_BATCH)
    sent = 0
    for row in due:
        with db.transaction() as conn:
            requested = _request(conn, row["user_id"], row["collection_id"])
        if requested is not None:
            _send(row["user_id"], row["collection_id"], requested, new=False)
            sent += 1
    return {"requested": sent}


def _request(conn: Conn, user_id: UUID, collection_id: UUID) -> UUID | None:
    """A new request's id, None when one is waiting or running (it answers)."""
    requested = queries.source_request(conn, user_id=user_id, collection_id=collection_id,
                                       stale_seconds=STALE_SECONDS)
    return None if requested is None else requested["request_id"]


def _check_active(active: int, limit: int | None = None) -> None:
    limit = limit if limit is not None else get_settings().lists.max_active
    if active >= limit:
        raise ListSyncsBusy(f"{active} of your lists are syncing; try again when they are done", retry_after=60)


def _send(user_id: UUID, collection_id: UUID, request_id: UUID, *, new: bool) -> None:
    """Send the committed request; when the queue refuses, undo it (503): the new import's collection goes, an
    existing list's request ends as failed, so nothing waits on a message that was never sent."""
    from botocore.exceptions import BotoCoreError, ClientError  # lazy: botocore loads with the first client

    message = ListSync(collection_id=collection_id, request_id=request_id)
    try:
        aws.client("sqs").send_message(QueueUrl=aws.queue_url(get_aws_settings().imports_queue),
                                       MessageBody=message.to_json())
    except (BotoCoreError, ClientError) as exc:
        get_logger().warning("list sync not sent", extra={
            "action": "list_sync_not_sent", "collection_id": str(collection_id), "error": type(exc).__name__})
        with db.transaction() as conn:
            if new:
                queries.collection_forget(conn, user_id=user_id, collection_id=collection_id)
            else:
                queries.source_unsend(conn, collection_id=collection_id, request_id=request_id,
                                      error_code="list_queue_unavailable",
                                      error="The sync could not be queued; try again shortly")
        if new:
            cache.on_collections_changed(user_id)
        raise ListQueueUnavailable("The list could not be queued for syncing; try again shortly") from exc
