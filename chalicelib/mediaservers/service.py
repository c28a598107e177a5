"""Media server administration: add, change, remove, test, and ask for a sync (run by the imports consumer).

The token is encrypted like the other instance secrets and decrypted only to call the server. "Test"
asks the server who it is and stores the answer (its id builds the deep links). A sync request makes a
``queued`` sync row and sends ``MediaServerSync`` on the imports queue; while one waits or runs, asking
again answers that one.
"""

from __future__ import annotations

import uuid

import psycopg

from chalicelib import aws, cache, db
from chalicelib.config import get_aws_settings
from chalicelib.db import Conn
from chalicelib.logs import get_logger
from chalicelib.mediaservers import clients, queries
from chalicelib.mediaservers.errors import (
    MediaServerNameTaken,
    MediaServerNotFound,
    MediaServerUnreachable,
    ServerFailed,
)
from chalicelib.mediaservers.models import (
    MediaServerCreate,
    MediaServerList,
    MediaServerOut,
    MediaServerPatch,
    MediaServerSync,
    SyncStarted,
)
from chalicelib.mediaservers.queries import ServerRow, SyncRow
from chalicelib.mediaservers.sync import STALE_SECONDS
from chalicelib.messages import MediaServerSyncCommand
from chalicelib.settings import crypto

SCHEDULE_SECONDS = 6 * 3600  # an enabled server is synced this often


class MediaServerNeverSynced(MediaServerNotFound):
    code = "media_server_never_synced"


def sync_out(row: SyncRow) -> MediaServerSync:
    counts = {key: row[key] for key in ("added", "updated", "pruned", "unmatched", "failed")}
    return MediaServerSync.model_validate({**row, "counts": counts})


def out(row: ServerRow, last: SyncRow | None) -> MediaServerOut:
    return MediaServerOut.model_validate({**row, "token_set": True, "last_sync": sync_out(last) if last else None})


def _parse_id(server_id: str) -> uuid.UUID:
    try:
        return uuid.UUID(server_id)
    except ValueError:
        raise MediaServerNotFound("No such media server") from None


def _get(conn: Conn, server_id: str) -> ServerRow:
    row = queries.server_get(conn, id=_parse_id(server_id))
    if row is None:
        raise MediaServerNotFound("No such media server")
    return row


def list_servers() -> MediaServerList:
    with db.connection() as conn:
        rows = queries.server_list(conn)
        return MediaServerList(items=[out(row, queries.sync_last(conn, server_id=row["id"])) for row in rows])


def get(server_id: str) -> MediaServerOut:
    with db.connection() as conn:
        row = _get(conn, server_id)
        return out(row, queries.sync_last(conn, server_id=row["id"]))


def create(body: MediaServerCreate) -> MediaServerOut:
    """A new server (a name already used -> 409); the token encrypted before anything is written."""
    ciphertext, key_id = crypto.encrypt(body.token.get_secret_value(), ("token",))
    with db.connection() as conn:
        row = queries.server_insert(conn, kind=body.kind, name=body.name, url=body.url, token_ciphertext=ciphertext,
                                    key_id=key_id, allow_private=body.allow_private, enabled=body.enabled)
    if row is None:
        raise _name_taken()
    _log("media_server_created", row)
    return out(row, None)


def update(server_id: str, patch: MediaServerPatch) -> MediaServerOut:
    """Change the fields sent (a new token replaces the old one; a new URL forgets who the server was)."""
    new_token = crypto.encrypt(patch.token.get_secret_value(), ("token",)) if patch.token is not None else None
    with db.transaction() as conn:
        row = _get(conn, server_id)
        url = patch.url if patch.url is not None else row["url"]
        ciphertext, key_id = new_token or (bytes(row["token_ciphertext"]), row["key_id"])
        try:
            changed = queries.server_update(
                conn, id=row["id"], name=patch.name if patch.name is not None else row["name"], url=url,
                token_ciphertext=ciphertext, key_id=key_id, url_changed=url != row["url"],
                allow_private=row["allow_private"] if patch.allow_private is None else patch.allow_private,
                enabled=row["enabled"] if patch.enabled is None else patch.enabled)
        except psycopg.errors.UniqueViolation:
            raise _name_taken() from None
        if changed is None:
            raise MediaServerNotFound("No such media server")
        _log("media_server_changed", changed)
        if changed["enabled"] != row["enabled"]:
            cache.on_media_server_synced()  # a disabled server's titles are not owned
        return out(changed, queries.sync_last(conn, server_id=changed["id"]))


def delete(server_id: str) -> None:
    """Remove the server and what it held (its items no longer make anything owned)."""
    with db.connection() as conn:
        row = queries.server_delete(conn, id=_parse_id(server_id))
    if row is None:
        raise MediaServerNotFound("No such media server")
    cache.on_media_server_synced()  # its shows are no longer owned (nor followed by default)
    get_logger().info("media server deleted", extra={"action": "media_server_deleted", "server_id": str(row["id"])})


def test(server_id: str) -> MediaServerOut:
    """Ask the server who it is now and store the answer (502 with the reason when it does not answer)."""
    with db.connection() as conn:
        row = _get(conn, server_id)
    try:
        with clients.connect(row) as client:
            info = client.info()
    except ServerFailed as exc:
        raise MediaServerUnreachable(f"{row['name']}: {exc}") from None
    with db.connection() as conn:
        changed = queries.server_set_remote(conn, id=row["id"], remote_id=info.remote_id, remote_name=info.name,
                                            remote_version=info.version)
        if changed is None:
            raise MediaServerNotFound("No such media server")
        return out(changed, queries.sync_last(conn, server_id=changed["id"]))


def request_sync(server_id: str, trigger: str = "manual") -> SyncStarted:
    """Queue a sync of the server (the one already waiting or running when there is one)."""
    with db.transaction() as conn:
        row = _get(conn, server_id)
        queries.sync_interrupt(conn, server_id=row["id"], stale_seconds=STALE_SECONDS)
        sync = queries.sync_request(conn, server_id=row["id"], trigger=trigger)
        if sync is None:
            active = queries.sync_active(conn, server_id=row["id"])
            if active is not None:
                return SyncStarted(sync_id=active["id"])
            raise MediaServerNotFound("No such media server")  # the only way the insert can lose: removed meanwhile
    # Sent once the queued row is committed: a consumer long-polling the queue gets the message at once, and a
    # row it could not see yet made it drop the message and leave the sync queued for ever. A failed send takes
    # the row back (the caller sees 503).
    try:
        _send(sync["id"], row["id"])
    except Exception:
        with db.connection() as conn:
            queries.sync_withdraw(conn, id=sync["id"])
        raise
    return SyncStarted(sync_id=sync["id"])


def sync_status(server_id: str) -> MediaServerSync:
    """The sync waiting or running, else the last one (404 when the server was never synced)."""
    with db.connection() as conn:
        row = _get(conn, server_id)
        last = queries.sync_last(conn, server_id=row["id"])
    if last is None:
        raise MediaServerNeverSynced("This media server has not been synced yet")
    return sync_out(last)


def sync_due() -> dict[str, int]:
    """The schedule: a sync for every enabled server not synced within ``SCHEDULE_SECONDS``."""
    with db.connection() as conn:
        due = queries.servers_due(conn, every_seconds=SCHEDULE_SECONDS)
    for row in due:
        request_sync(str(row["id"]), trigger="schedule")
    return {"requested": len(due)}


def _send(sync_id: uuid.UUID, server_id: uuid.UUID) -> None:
    message = MediaServerSyncCommand(sync_id=sync_id, server_id=server_id)
    aws.client("sqs").send_message(QueueUrl=aws.queue_url(get_aws_settings().imports_queue),
                                   MessageBody=message.to_json())


def _name_taken() -> MediaServerNameTaken:
    return MediaServerNameTaken("A media server with this name exists", fields={"name": "already used"})


def _log(action: str, row: ServerRow) -> None:
    get_logger().info(action.replace("_", " "), extra={"action": action, "server_id": str(row["id"]),
                                                        "kind": row["kind"], "server": row["name"],
                                                        "enabled": row["enabled"]})
