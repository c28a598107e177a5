"""A server row as its client (Jellyfin or Plex) over the egress guard, its token decrypted only for this."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from chalicelib.egress import clients as egress_clients
from chalicelib.logs import get_logger
from chalicelib.mediaservers.errors import ServerFailed
from chalicelib.mediaservers.jellyfin import Jellyfin
from chalicelib.mediaservers.plex import Plex
from chalicelib.mediaservers.queries import ServerRow
from chalicelib.settings import crypto

TIMEOUT_SECONDS = 30.0  # a page of 500 items with every field takes a busy server a few seconds


def token(row: ServerRow) -> str:
    value = crypto.decrypt(bytes(row["token_ciphertext"]))
    if value is None:
        get_logger().warning("media server token not decryptable", extra={
            "action": "media_server_token_undecryptable", "server": row["name"], "key_id": row["key_id"]})
        raise ServerFailed("The stored token can't be read any more (the server's secret key changed): "
                           "enter it again")
    return value


@contextmanager
def connect(row: ServerRow) -> Iterator[Jellyfin | Plex]:
    """The server's client; every connection goes through the egress guard (LAN only when allowed)."""
    secret = token(row)
    with egress_clients.client(allow_private=row["allow_private"], timeout=TIMEOUT_SECONDS) as http:
        yield Jellyfin(http, row["url"], secret) if row["kind"] == "jellyfin" else Plex(http, row["url"], secret)


def opener(kind: str, url: str, remote_id: str | None) -> Callable[[str], str]:
    """Where an item opens in its server's web app, by its id."""
    return (Jellyfin if kind == "jellyfin" else Plex).opener(url, remote_id)
