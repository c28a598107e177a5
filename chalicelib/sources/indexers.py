"""Indexer administration: create, change, remove, test; the API key encrypted and write-only.

The key is encrypted like the other instance secrets (``chalicelib.settings.crypto``) and decrypted only
to call the indexer. "Test" reads ``t=caps`` and stores what the indexer supports, which the search then
uses to pick the best query.
"""

from __future__ import annotations

import json
import uuid

import psycopg

from chalicelib import db, errors
from chalicelib.config import get_settings
from chalicelib.db import Conn
from chalicelib.egress import clients
from chalicelib.logs import get_logger
from chalicelib.settings import crypto
from chalicelib.sources import queries, torznab
from chalicelib.sources.feed import CapsData
from chalicelib.sources.models import Caps, IndexerCreate, IndexerOut, IndexerPatch
from chalicelib.sources.queries import IndexerRow


class IndexerNotFound(errors.NotFound):
    code = "indexer_not_found"


class IndexerNameTaken(errors.Conflict):
    code = "indexer_name_taken"


class IndexerUnreachable(errors.DomainError):
    """The indexer did not answer usefully (down, refused the key, sent garbage): a bad gateway."""

    status, code = 502, "indexer_unreachable"


def out(row: IndexerRow) -> IndexerOut:
    caps = Caps.model_validate(row["caps"]) if row["caps"] else None
    return IndexerOut(id=row["id"], name=row["name"], url=row["url"], categories=row["categories"],
                      enabled=row["enabled"], caps_checked_at=row["caps_checked_at"], created_at=row["created_at"],
                      updated_at=row["updated_at"], api_key_set=row["api_key_ciphertext"] is not None, caps=caps)


def parse_id(indexer_id: str) -> uuid.UUID:
    try:
        return uuid.UUID(indexer_id)
    except ValueError:
        raise IndexerNotFound("No such indexer") from None


def _get(conn: Conn, indexer_id: str) -> IndexerRow:
    row = queries.indexer_get(conn, id=parse_id(indexer_id))
    if row is None:
        raise IndexerNotFound("No such indexer")
    return row


def client_for(row: IndexerRow) -> torznab.Indexer:
    """The row as the Torznab client's indexer, its key decrypted (None when it cannot be: logged)."""
    api_key = None
    if row["api_key_ciphertext"] is not None:
        api_key = crypto.decrypt(bytes(row["api_key_ciphertext"]))
        if api_key is None:
            get_logger().warning("indexer key not decryptable", extra={
                "action": "indexer_key_undecryptable", "indexer": row["name"], "key_id": row["key_id"]})
    return torznab.Indexer(id=row["id"], name=row["name"], url=row["url"], api_key=api_key,
                           categories=tuple(row["categories"] or ()), caps=row["caps"])


def list_indexers() -> list[IndexerOut]:
    """Every indexer, by name (API keys only as set / not set)."""
    with db.connection() as conn:
        return [out(row) for row in queries.indexer_list(conn)]


def create(body: IndexerCreate) -> IndexerOut:
    """A new indexer (a name already used -> 409); the key encrypted before anything is written."""
    ciphertext, key_id = crypto.encrypt(body.api_key.get_secret_value())
    with db.connection() as conn:
        row = queries.indexer_insert(conn, name=body.name, url=body.url, api_key_ciphertext=ciphertext,
                                     key_id=key_id, categories=body.categories, enabled=body.enabled)
    if row is None:
        raise IndexerNameTaken("An indexer with this name exists", fields={"name": "already used"})
    _log("indexer_created", row)
    return out(row)


def update(indexer_id: str, patch: IndexerPatch) -> IndexerOut:
    """Change the fields sent (a new key replaces the old one; a new URL forgets the caps)."""
    sent = patch.model_fields_set
    new_key = crypto.encrypt(patch.api_key.get_secret_value()) if patch.api_key is not None else None
    with db.transaction() as conn:
        row = _get(conn, indexer_id)
        name = patch.name if "name" in sent and patch.name is not None else row["name"]
        url = patch.url if "url" in sent and patch.url is not None else row["url"]
        categories = patch.categories if "categories" in sent else row["categories"]
        enabled = patch.enabled if "enabled" in sent and patch.enabled is not None else row["enabled"]
        ciphertext, key_id = new_key or (row["api_key_ciphertext"], row["key_id"])
        try:
            changed = queries.indexer_update(conn, id=row["id"], name=name, url=url, categories=categories,
                                             enabled=enabled, api_key_ciphertext=ciphertext, key_id=key_id,
                                             url_changed=url != row["url"])
        except psycopg.errors.UniqueViolation:
            raise IndexerNameTaken("An indexer with this name exists", fields={"name": "already used"}) from None
    if changed is None:  # removed meanwhile: the row was read in this transaction, so only in theory
        raise IndexerNotFound("No such indexer")
    _log("indexer_changed", changed)
    return out(changed)


def delete(indexer_id: str) -> None:
    with db.connection() as conn:
        row = queries.indexer_delete(conn, id=parse_id(indexer_id))
    if row is None:
        raise IndexerNotFound("No such indexer")
    get_logger().info("indexer deleted", extra={"action": "indexer_deleted", "indexer_id": str(row["id"])})


def test(indexer_id: str) -> IndexerOut:
    """Read the indexer's caps now, store them and answer with the indexer (502 when it fails)."""
    with db.connection() as conn:
        indexer = client_for(_get(conn, indexer_id))
    settings = get_settings().sources
    try:
        with clients.client(allow_private=True, timeout=settings.indexer_timeout) as http:
            caps = torznab.fetch_caps(http, indexer, settings)
    except torznab.IndexerFailed as exc:
        raise IndexerUnreachable(f"{indexer.name}: {exc}") from None
    return out(store_caps(indexer.id, caps))


def store_caps(indexer_id: uuid.UUID, caps: CapsData) -> IndexerRow:
    """Store what the indexer's ``t=caps`` said (checked against the ``Caps`` model)."""
    checked = Caps.model_validate(caps).model_dump(mode="json")
    with db.connection() as conn:
        row = queries.indexer_set_caps(conn, id=indexer_id, caps=json.dumps(checked))
    if row is None:  # removed while it was being tested
        raise IndexerNotFound("No such indexer")
    return row


def _log(action: str, row: IndexerRow) -> None:
    get_logger().info(action.replace("_", " "), extra={"action": action, "indexer_id": str(row["id"]),
                                                        "indexer": row["name"], "enabled": row["enabled"]})
