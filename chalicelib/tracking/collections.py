"""Personal collections: named, described, ordered lists of titles of any media type.

Every operation first finds the collection by (id, user_id), so another
user's collection is simply not found; writes lock it, so concurrent item
changes and reorders of one collection queue up instead of interleaving.
"""

from __future__ import annotations

from uuid import UUID

from chalicelib.db import Conn
from chalicelib.tracking import errors, queries
from chalicelib.tracking.rows import CollectionItemRow, CollectionRow
from chalicelib.tracking.schemas import (
    CollectionItemOut,
    CollectionOut,
    CollectionPatch,
    CollectionSource,
    MediaCard,
)
from chalicelib.tracking.service import check_order, media

NAME_KEY = "collections_user_name_key"


def _collection(row: CollectionRow) -> CollectionOut:
    source = row.get("source")
    return CollectionOut(**{**row, "source": CollectionSource.model_validate(source) if source else None})


def _item(row: CollectionItemRow) -> CollectionItemOut:
    return CollectionItemOut(media=MediaCard.from_row(row), position=row["position"], note=row["note"],
                             added_at=row["added_at"])


def _locked(conn: Conn, user_id: UUID, collection_id: UUID) -> CollectionRow:
    row = queries.collection_lock(conn, user_id=user_id, collection_id=collection_id)
    if row is None:
        raise errors.CollectionNotFound(f"No collection {collection_id}")
    return row


def _name_taken(exc: Exception, name: str) -> Exception:
    import psycopg  # lazy: psycopg loads with the first query (chalicelib.db), not at import

    if isinstance(exc, psycopg.errors.UniqueViolation) and exc.diag.constraint_name == NAME_KEY:
        return errors.CollectionNameTaken(f"You already have a collection named {name!r}",
                                          fields={"name": "already used by another collection"})
    return exc


def list_collections(conn: Conn, user_id: UUID) -> list[CollectionOut]:
    """The user's collections in their order, with item counts."""
    return [_collection(row) for row in queries.collections_list(conn, user_id=user_id)]


def get_collection(conn: Conn, user_id: UUID, collection_id: UUID) -> CollectionOut:
    """One collection; CollectionNotFound when it is not this user's."""
    row = queries.collection_get(conn, user_id=user_id, collection_id=collection_id)
    if row is None:
        raise errors.CollectionNotFound(f"No collection {collection_id}")
    return _collection(row)


def create_collection(conn: Conn, user_id: UUID, name: str, description: str | None) -> CollectionOut:
    """Create a collection (listed last). CollectionNameTaken when the name is in use (any case)."""
    import psycopg  # lazy: psycopg loads with the first query (chalicelib.db), not at import

    try:
        row = queries.collection_create(conn, user_id=user_id, name=name, description=description or None)
    except psycopg.errors.UniqueViolation as exc:
        raise _name_taken(exc, name) from None
    return _collection(row)


def update_collection(conn: Conn, user_id: UUID, collection_id: UUID, patch: CollectionPatch) -> CollectionOut:
    """Rename and/or describe a collection (omitted fields unchanged). CollectionNotFound, CollectionNameTaken."""
    import psycopg  # lazy: psycopg loads with the first query (chalicelib.db), not at import

    current = _locked(conn, user_id, collection_id)
    sent = patch.model_fields_set
    if "name" in sent and patch.name is None:
        raise errors.InvalidValue("A collection needs a name", fields={"name": "must not be null"})
    name = patch.name if "name" in sent and patch.name is not None else current["name"]
    description = (patch.description or None) if "description" in sent else current["description"]
    try:
        row = queries.collection_update(conn, user_id=user_id, collection_id=collection_id, name=name,
                                             description=description)
    except psycopg.errors.UniqueViolation as exc:
        raise _name_taken(exc, name) from None
    return _collection(row)


def delete_collection(conn: Conn, user_id: UUID, collection_id: UUID) -> None:
    """Delete a collection and its items. CollectionNotFound when it is not this user's."""
    if queries.collection_delete(conn, user_id=user_id, collection_id=collection_id) == 0:
        raise errors.CollectionNotFound(f"No collection {collection_id}")


def reorder_collections(conn: Conn, user_id: UUID, collection_ids: list[UUID]) -> list[CollectionOut]:
    """Set the order of all the user's collections (InvalidOrder unless each is named exactly once)."""
    current = queries.collections_lock(conn, user_id=user_id)
    check_order(collection_ids, current)
    queries.collections_reorder(conn, user_id=user_id, collection_ids=collection_ids)
    return list_collections(conn, user_id)


def list_items(conn: Conn, user_id: UUID, collection_id: UUID, limit: int,
               offset: int) -> tuple[list[CollectionItemOut], int]:
    """One page of a collection's items in order, and the total. CollectionNotFound."""
    collection = get_collection(conn, user_id, collection_id)
    rows = queries.collection_items(conn, user_id=user_id, collection_id=collection_id, limit=limit,
                                         offset=offset)
    return [_item(row) for row in rows], collection.item_count


def add_item(conn: Conn, user_id: UUID, collection_id: UUID, media_id: int, note: str | None) -> CollectionItemOut:
    """Append a title (adding it again only updates the note). CollectionNotFound, MediaNotFound."""
    _locked(conn, user_id, collection_id)
    if queries.collection_item_add(conn, collection_id=collection_id, media_id=media_id, note=note or None) == 0:
        media(conn, media_id)
    queries.collection_touch(conn, user_id=user_id, collection_id=collection_id)
    return _item(queries.collection_item_get(conn, user_id=user_id, collection_id=collection_id,
                                                  media_id=media_id))


def remove_item(conn: Conn, user_id: UUID, collection_id: UUID, media_id: int) -> None:
    """Remove a title from a collection. CollectionNotFound, CollectionItemNotFound."""
    _locked(conn, user_id, collection_id)
    if queries.collection_item_remove(conn, collection_id=collection_id, media_id=media_id) == 0:
        raise errors.CollectionItemNotFound(f"Title {media_id} is not in collection {collection_id}")
    queries.collection_touch(conn, user_id=user_id, collection_id=collection_id)


def reorder_items(conn: Conn, user_id: UUID, collection_id: UUID, media_ids: list[int]) -> None:
    """Set the order of a collection's items from the complete list of ids. CollectionNotFound, InvalidOrder."""
    _locked(conn, user_id, collection_id)
    current = queries.collection_item_ids(conn, collection_id=collection_id)
    check_order(media_ids, current)
    queries.collection_items_reorder(conn, collection_id=collection_id, media_ids=media_ids)
    queries.collection_touch(conn, user_id=user_id, collection_id=collection_id)
