"""An httpx transport whose every TCP connect goes to an address the egress guard allowed.

The network backend resolves a host once, checks every answer against the egress guard
(``chalicelib.egress``) and connects to a checked address, so a name that answers a public address to a
check and 127.0.0.1 to the connect (DNS rebinding) cannot get through. Only the TCP connect changes: the
request still names the original host (Host header) and TLS still sends it as SNI and verifies the
certificate for it. The worker's downloads (``worker/engines/egress.py``), the control plane's indexer
requests and subtitle downloads (``chalicelib.egress.clients``) build on it; it lives in the kernel because
Chalice deploys ``chalicelib`` alone and the worker may import it (it touches no database).
"""

from __future__ import annotations

import ssl
from typing import Any

import httpcore
import httpx

from chalicelib import egress


class PinnedBackend(httpcore.SyncBackend):
    """Connects only to addresses the guard allowed, resolved once per connection."""

    def __init__(self, *, allow_private: bool):
        self.allow_private = allow_private

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Any = None) -> httpcore.NetworkStream:
        error: Exception | None = None
        for address in egress.allowed_addresses(host, port, allow_private=self.allow_private):
            try:
                return super().connect_tcp(str(address), port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
        raise error or httpcore.ConnectError(f"no address of {host} answered")

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Any = None) -> httpcore.NetworkStream:
        raise egress.UrlRefused("unsupported_scheme", "Unix sockets are not allowed")


def pinned_transport(*, allow_private: bool, ssl_context: ssl.SSLContext | None = None,
                     max_connections: int = 100, max_keepalive_connections: int = 20) -> httpx.HTTPTransport:
    """An httpx transport (no proxies from the environment) on ``PinnedBackend``."""
    context = ssl_context or httpx.create_ssl_context(trust_env=False)
    transport = httpx.HTTPTransport(verify=context, trust_env=False)
    # httpx has no public way to hand httpcore a network backend: rebuild its pool (same defaults) with ours.
    transport._pool = httpcore.ConnectionPool(
        ssl_context=context, max_connections=max_connections, max_keepalive_connections=max_keepalive_connections,
        keepalive_expiry=5.0, network_backend=PinnedBackend(allow_private=allow_private))
    return transport
