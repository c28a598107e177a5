"""The worker's egress guard: one address policy for HTTP connections and for libtorrent.

HTTP: the transport's network backend resolves a host once, checks every
answer against ``urlguard`` and connects to a checked address, so a name that
answers a public address to a check and 127.0.0.1 to the connect (DNS
rebinding) cannot get through. Only the TCP connect changes: the request
still names the original host (Host header) and TLS still sends it as SNI
and verifies the certificate for it. Every connection goes through this,
the first request's and each redirect hop's.

libtorrent: the same ranges become the session's ``ip_filter``, which it
applies to peers, trackers (``apply_ip_filter_to_trackers``), web seeds and
the DHT as it resolves them at run time.
"""

from __future__ import annotations

import ipaddress
from typing import Any

import httpcore
import httpx

from chalicelib.downloads import urlguard

BLOCKED = 1  # libtorrent's ip_filter::blocked flag


class PinnedBackend(httpcore.SyncBackend):
    """Connects only to addresses the guard allowed, resolved once per connection."""

    def __init__(self, *, allow_private: bool):
        self.allow_private = allow_private

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Any = None) -> httpcore.NetworkStream:
        addresses = urlguard.allowed_addresses(host, port, allow_private=self.allow_private)
        error: Exception | None = None
        for address in addresses:
            try:
                return super().connect_tcp(str(address), port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
        assert error is not None  # allowed_addresses never returns an empty list
        raise error

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Any = None) -> httpcore.NetworkStream:
        raise urlguard.UrlRefused("unsupported_scheme", "Unix sockets are not download sources")


def guarded_transport(*, allow_private: bool) -> httpx.HTTPTransport:
    """An httpx transport whose every connection goes through ``PinnedBackend``; no proxies."""
    transport = httpx.HTTPTransport(trust_env=False)
    # httpx has no public way to hand httpcore a network backend: rebuild its pool (same defaults) with ours.
    transport._pool = httpcore.ConnectionPool(
        ssl_context=httpx.create_ssl_context(trust_env=False),
        max_connections=100, max_keepalive_connections=20, keepalive_expiry=5.0,
        network_backend=PinnedBackend(allow_private=allow_private),
    )
    return transport


def _ipv4_mapped(net: ipaddress.IPv4Network) -> ipaddress.IPv6Network:
    return ipaddress.IPv6Network(f"::ffff:{net.network_address}/{96 + net.prefixlen}")


def torrent_ip_filter(lt: Any, *, allow_private: bool) -> Any:
    """A libtorrent ``ip_filter`` blocking every range the URL guard refuses (and their IPv4-mapped forms)."""
    ip_filter = lt.ip_filter()
    networks = list(urlguard.blocked_networks(allow_private=allow_private))
    networks += [_ipv4_mapped(net) for net in networks if isinstance(net, ipaddress.IPv4Network)]
    for net in networks:
        ip_filter.add_rule(str(net.network_address), str(net.broadcast_address), BLOCKED)
    return ip_filter
