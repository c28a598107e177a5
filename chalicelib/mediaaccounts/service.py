"""A user's own account on a media server: link, unlink, import the played state once, stream an owned file.

Linking signs in once (Jellyfin: name and password for an access token; Plex: the user's own token, checked
against the server) and stores the token encrypted like the server's (``settings.crypto``); it is never
returned. A link queues a one-time import on the imports queue (``importer.run`` does the work); asking
again re-runs it. The stream URL is built with the user's token, for a playable item of a server the user linked:
anyone else gets 404, as if the item were not there.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit
from uuid import UUID

from chalicelib import aws, contentrating, db, errors
from chalicelib.config import get_aws_settings
from chalicelib.egress import clients as egress_clients
from chalicelib.logs import get_logger
from chalicelib.mediaaccounts import queries
from chalicelib.mediaaccounts.clients import AccountRefused, JellyfinAccount, PlexAccount, RemoteAccount
from chalicelib.mediaaccounts.models import (
    AccountImport,
    AccountLinkIn,
    MyMediaServer,
    MyMediaServerList,
    ServerStream,
)
from chalicelib.mediaaccounts.queries import AccountRow, MyServerRow, StreamItemRow
from chalicelib.mediaservers import queries as server_queries
from chalicelib.mediaservers.clients import TIMEOUT_SECONDS
from chalicelib.mediaservers.errors import MediaServerNotFound, MediaServerUnreachable, ServerFailed
from chalicelib.messages import MediaServerAccountImport
from chalicelib.profiles import guard as content_guard
from chalicelib.settings import crypto
from chalicelib.tracking import progress

IMPORT_STALE_SECONDS = 20 * 60  # past Lambda's 15 minutes: an import "running" this long has died


class MediaServerNotLinked(MediaServerNotFound):
    code = "media_server_not_linked"


class MediaServerItemNotPlayable(MediaServerNotFound):
    code = "media_server_item_not_found"


class AccountRejected(errors.ValidationFailed):
    code = "media_server_account_rejected"


class ImportQueueUnavailable(errors.ServiceUnavailable):
    code = "import_queue_unavailable"


class ImportAlreadyQueued(errors.Conflict):
    code = "media_server_import_running"


def _parse_id(server_id: str) -> UUID:
    try:
        return uuid.UUID(server_id)
    except ValueError:
        raise MediaServerNotFound("No such media server") from None


def _out(row: MyServerRow) -> MyMediaServer:
    last = None
    if row["import_status"] is not None:
        last = AccountImport(status=row["import_status"], requested_at=row["import_requested_at"],  # type: ignore[arg-type]
                             started_at=row["import_started_at"], finished_at=row["import_finished_at"],
                             watched=row["imported_watched"] or 0, in_progress=row["imported_in_progress"] or 0,
                             unmatched=row["imported_unmatched"] or 0, error=row["import_error"])
    return MyMediaServer(server_id=row["server_id"], kind=row["kind"], name=row["name"],  # type: ignore[arg-type]
                         linked=row["linked_at"] is not None, remote_user=row["remote_user"], last_import=last)


def my_servers(user_id: UUID) -> MyMediaServerList:
    """The enabled servers the user may link, each with the user's link and last import."""
    with db.connection() as conn:
        return MyMediaServerList(items=[_out(row) for row in queries.servers_for_user(conn, user_id=user_id)])


def _mine(user_id: UUID, server_id: UUID) -> MyMediaServer:
    with db.connection() as conn:
        rows = queries.servers_for_user(conn, user_id=user_id)
    found = next((row for row in rows if row["server_id"] == server_id), None)
    if found is None:
        raise MediaServerNotFound("No such media server")
    return _out(found)


def link(user_id: UUID, server_id: str, body: AccountLinkIn) -> MyMediaServer:
    """Sign in to the server as the user, store the token encrypted, and queue the one-time import.

    A refused name, password or token is a 422 with a plain message; a server that does not answer, 502.
    """
    with db.connection() as conn:
        server = server_queries.server_get(conn, id=_parse_id(server_id))
    if server is None or not server["enabled"]:
        raise MediaServerNotFound("No such media server")
    account = _sign_in(server["kind"], server["url"], server["allow_private"], body)
    ciphertext, key_id = crypto.encrypt(account.token, ("token",))
    with db.transaction() as conn:
        queries.link_upsert(conn, user_id=user_id, server_id=server["id"], remote_user_id=account.user_id,
                                    remote_user=account.name, token_ciphertext=ciphertext, key_id=key_id)
        _queue_import(conn, user_id, server["id"])
    _send_import(user_id, server["id"])
    get_logger().info("media server account linked", extra={
        "action": "media_server_account_linked", "user_id": str(user_id), "server_id": str(server["id"]),
        "kind": server["kind"]})
    return _mine(user_id, server["id"])


def _sign_in(kind: str, url: str, allow_private: bool, body: AccountLinkIn) -> RemoteAccount:
    if kind == "jellyfin" and (body.username is None or body.password is None):
        raise AccountRejected("Jellyfin needs your username and password",
                              fields={"username": "required", "password": "required"})
    if kind == "plex" and body.token is None:
        raise AccountRejected("Plex needs your own X-Plex-Token", fields={"token": "required"})
    try:
        with egress_clients.client(allow_private=allow_private, timeout=TIMEOUT_SECONDS) as http:
            if kind == "jellyfin":
                assert body.username is not None and body.password is not None  # checked above
                return JellyfinAccount(http, url).sign_in(body.username, body.password.get_secret_value())
            assert body.token is not None  # checked above
            return PlexAccount(http, url, body.token.get_secret_value()).who()
    except AccountRefused:
        words = "username or password" if kind == "jellyfin" else "token"
        raise AccountRejected(f"The server did not accept this {words}") from None
    except ServerFailed as exc:
        raise MediaServerUnreachable(str(exc)) from None


def unlink(user_id: UUID, server_id: str) -> None:
    """Forget the user's link and its token (what was imported stays in the user's history)."""
    with db.connection() as conn:
        gone = queries.unlink(conn, user_id=user_id, server_id=_parse_id(server_id))
    if not gone:
        raise MediaServerNotLinked("You have not linked this media server")
    get_logger().info("media server account unlinked", extra={
        "action": "media_server_account_unlinked", "user_id": str(user_id), "server_id": server_id})


def request_import(user_id: UUID, server_id: str) -> MyMediaServer:
    """Import the user's played state again (409 while one waits or runs)."""
    key = _parse_id(server_id)
    with db.transaction() as conn:
        if queries.account(conn, user_id=user_id, server_id=key) is None:
            raise MediaServerNotLinked("You have not linked this media server")
        _queue_import(conn, user_id, key)
    _send_import(user_id, key)
    return _mine(user_id, key)


def _queue_import(conn: db.Conn, user_id: UUID, server_id: UUID) -> None:
    if queries.import_request(conn, user_id=user_id, server_id=server_id,
                                      stale_seconds=IMPORT_STALE_SECONDS) is None:
        raise ImportAlreadyQueued("An import of this account is already waiting or running")


def _send_import(user_id: UUID, server_id: UUID) -> None:
    """Sent after the queued state commits (the consumer may take the message at once and must find it); a
    refused send ends the import as failed and the caller sees 503."""
    from botocore.exceptions import BotoCoreError, ClientError  # lazy: botocore loads with the first client

    message = MediaServerAccountImport(user_id=user_id, server_id=server_id)
    try:
        aws.client("sqs").send_message(QueueUrl=aws.queue_url(get_aws_settings().imports_queue),
                                       MessageBody=message.to_json())
    except (BotoCoreError, ClientError) as exc:
        with db.transaction() as conn:
            queries.import_unsend(conn, user_id=user_id, server_id=server_id,
                                  error="The import could not be queued; ask for it again")
        raise ImportQueueUnavailable("The import could not be queued; try again shortly") from exc


@contextmanager
def account_client(row: AccountRow) -> Iterator[tuple[JellyfinAccount | PlexAccount, str]]:
    """The user's client on the linked server (over the egress guard) and the decrypted token."""
    token = crypto.decrypt(bytes(row["token_ciphertext"]))
    if token is None:
        raise ServerFailed("Your stored token can't be read any more (the server's secret key changed): "
                           "link your account again")
    with egress_clients.client(allow_private=row["allow_private"], timeout=TIMEOUT_SECONDS) as http:
        yield (JellyfinAccount(http, row["url"]) if row["kind"] == "jellyfin"
               else PlexAccount(http, row["url"], token)), token


def stream(user_id: UUID, server_id: str, item_id: str, principal: object = None) -> ServerStream:
    """The server's own stream of a playable owned item, with the user's token (404 unless linked; for a kid
    profile, unless the item's title is within its reach)."""
    key = _parse_id(server_id)
    with db.connection() as conn:
        row = queries.account(conn, user_id=user_id, server_id=key)
        item = queries.stream_item(conn, user_id=user_id, server_id=key, item_id=item_id[:200])
        if item is not None and contentrating.limit_of(principal) is not None and (
                item["media_id"] is None or not content_guard.media_allowed(conn, principal, item["media_id"])):
            item = None
    if row is None or not row["enabled"]:
        raise MediaServerNotLinked("You have not linked this media server")
    if item is None:
        raise MediaServerItemNotPlayable("This server holds no playable file of that item")
    try:
        with account_client(row) as (client, token):
            found = (client.stream(row["remote_user_id"], token, item_id) if isinstance(client, JellyfinAccount)
                     else client.stream(item_id))
    except ServerFailed as exc:
        raise MediaServerUnreachable(f"{row['name']}: {exc}") from None
    return ServerStream(url=found.url, mime=found.mime, container=found.container, media_id=item["media_id"],
                        episode_id=item["episode_id"], resume_seconds=_resume(user_id, item))


def _resume(user_id: UUID, item: StreamItemRow) -> float | None:
    """Where the user stopped in this title or episode (here, or on the server, as imported)."""
    if item["media_id"] is None or (item["kind"] == "episode" and item["episode_id"] is None):
        return None
    with db.connection() as conn:
        points = progress.resume_points(conn, user_id, item["media_id"])
    return next((p.position_seconds for p in points
                 if (p.episode.id if p.episode else None) == item["episode_id"]), None)


def media_server_origins() -> list[str]:
    """The origins (scheme://host:port) of every enabled server: where the player may load media from (the
    SPA's CSP ``media-src``). Every one the admin added, since a page's CSP is not per user."""
    with db.connection() as conn:
        urls = queries.enabled_server_urls(conn)
    return sorted({f"{urlsplit(url).scheme}://{urlsplit(url).netloc}" for url in urls})
